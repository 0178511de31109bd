// SPDX-License-Identifier: GPL-2.0
/* domains.conf parsing: good lines, every kind of bad line, duplicates. */
#include <stdio.h>
#include <string.h>
#include <uapi/domain_core.h>
#include "../config.h"
#include "unit.h"

static struct config cfg;

static void parse(const char *text)
{
	config_free(&cfg);
	config_parse(&cfg, text, strlen(text));
}

/* The problem reported for @line, or NULL. */
static const char *problem_on(unsigned line)
{
	for (size_t i = 0; i < cfg.problems.count; i++)
		if (cfg.problems.items[i].line == line)
			return cfg.problems.items[i].message;
	return NULL;
}

static bool problem_contains(unsigned line, const char *text)
{
	for (size_t i = 0; i < cfg.problems.count; i++)
		if (cfg.problems.items[i].line == line &&
		    strstr(cfg.problems.items[i].message, text))
			return true;
	return false;
}

static void test_good_lines(struct unit *u)
{
	parse("log log.dom\n"
	      "nullb /opt/null_blk.dom queue_depth=64 nr_devices=2\n"
	      "x-1_y emptydev.dom size=4096 restart=never\n");
	CHECK_NUM(u, cfg.problems.count, 0);
	CHECK_NUM(u, cfg.count, 3);
	CHECK_STR(u, cfg.entries[0].name, "log");
	CHECK_STR(u, cfg.entries[0].image, "log.dom");
	CHECK_STR(u, cfg.entries[0].params, "");
	CHECK_NUM(u, cfg.entries[0].line, 1);
	CHECK(u, cfg.entries[0].usable);
	CHECK_STR(u, cfg.entries[1].image, "/opt/null_blk.dom");
	CHECK_STR(u, cfg.entries[1].params, "queue_depth=64 nr_devices=2");
	CHECK_NUM(u, cfg.entries[1].line, 2);
	CHECK_STR(u, cfg.entries[2].name, "x-1_y");
	CHECK_STR(u, cfg.entries[2].params, "size=4096");
	CHECK_NUM(u, cfg.entries[2].restart.policy, DC_RESTART_NEVER);
}

static void test_comments_and_blanks(struct unit *u)
{
	parse("# the domains\n"
	      "\n"
	      "   \t \n"
	      "  # indented comment\n"
	      "log log.dom   # why: the log\n"
	      "color paint.dom hue=#fff#comment?\n"
	      "tabs\tt.dom\ta=1\t\n");
	CHECK_NUM(u, cfg.problems.count, 0);
	CHECK_NUM(u, cfg.count, 3);
	CHECK_STR(u, cfg.entries[0].name, "log");
	CHECK_NUM(u, cfg.entries[0].line, 5);
	CHECK_STR(u, cfg.entries[0].params, "");
	/* '#' inside a word is part of it, not a comment. */
	CHECK_STR(u, cfg.entries[1].params, "hue=#fff#comment?");
	CHECK_STR(u, cfg.entries[2].image, "t.dom");
	CHECK_STR(u, cfg.entries[2].params, "a=1");
}

static void test_crlf_and_no_final_newline(struct unit *u)
{
	parse("log log.dom a=1\r\nxfer xfer.dom");
	CHECK_NUM(u, cfg.problems.count, 0);
	CHECK_NUM(u, cfg.count, 2);
	CHECK_STR(u, cfg.entries[0].params, "a=1");
	CHECK_STR(u, cfg.entries[1].image, "xfer.dom");
	CHECK_NUM(u, cfg.entries[1].line, 2);
}

static void test_bad_names(struct unit *u)
{
	parse("Log log.dom\n"
	      "a.b x.dom\n"
	      "abcdefghijabcdefghijabcdefghij12 x.dom\n"
	      "abcdefghijabcdefghijabcdefghij1 x.dom\n");
	CHECK_NUM(u, cfg.count, 1);	/* only the 31-character name */
	CHECK(u, problem_contains(1, "invalid domain name 'Log'"));
	CHECK(u, problem_contains(2, "invalid domain name 'a.b'"));
	CHECK(u, problem_contains(3, "is too long (at most 31 characters)"));
	CHECK(u, !problem_on(4));
	CHECK_NUM(u, cfg.entries[0].line, 4);
}

static void test_missing_image(struct unit *u)
{
	parse("log\n"
	      "xfer level=3\n");
	CHECK(u, problem_contains(1, "missing IMAGE after domain name 'log'"));
	CHECK(u, problem_contains(2, "missing IMAGE: 'level=3' looks like a parameter"));
	/* The names stay known, so apply leaves those domains alone. */
	CHECK_NUM(u, cfg.count, 2);
	CHECK(u, !cfg.entries[0].usable);
	CHECK(u, !cfg.entries[1].usable);
	CHECK(u, config_find(&cfg, "xfer") != NULL);
}

static void test_bad_params(struct unit *u)
{
	parse("a a.dom Level=3\n"
	      "b b.dom novalue\n"
	      "c c.dom x=1 x=2\n"
	      "d d.dom =1\n"
	      "e e.dom ok=1 bad-key=2\n"
	      "f f.dom v=caf\xc3\xa9\n");
	CHECK(u, problem_contains(1, "parameter key 'Level' may only contain a-z, 0-9 and '_'"));
	CHECK(u, problem_contains(2, "'novalue' is not of the form key=value"));
	CHECK(u, problem_contains(3, "parameter 'x' is given twice"));
	CHECK(u, problem_contains(4, "'=1' has an empty key"));
	CHECK(u, problem_contains(5, "parameter key 'bad-key'"));
	CHECK(u, problem_contains(6, "value of parameter 'v' may only contain printable ASCII"));
	for (size_t i = 0; i < cfg.count; i++)
		CHECK(u, !cfg.entries[i].usable);
}

static void test_params_too_long(struct unit *u)
{
	char line[1024] = "big big.dom";

	/* 26 parameters of 10 bytes ("p00=123456") and spaces: 285 bytes. */
	for (int i = 0; i < 26; i++) {
		char p[16];

		snprintf(p, sizeof(p), " p%02d=123456", i);
		strcat(line, p);
	}
	strcat(line, "\n");
	parse(line);
	CHECK(u, problem_contains(1, "parameters too long"));
	CHECK(u, !cfg.entries[0].usable);
}

static void test_restart_settings(struct unit *u)
{
	parse("log log.dom restart=always max_restarts=3 restart_window=10 backoff_ms=250 level=2\n"
	      "def def.dom\n");
	CHECK_NUM(u, cfg.problems.count, 0);
	CHECK_NUM(u, cfg.entries[0].restart.policy, DC_RESTART_ALWAYS);
	CHECK_NUM(u, cfg.entries[0].restart.max, 3);
	CHECK_NUM(u, cfg.entries[0].restart.window_ms, 10000);
	CHECK_NUM(u, cfg.entries[0].restart.backoff_ms, 250);
	/* Restart settings are not domain parameters. */
	CHECK_STR(u, cfg.entries[0].params, "level=2");
	/* Zeros mean "the kernel's defaults". */
	CHECK_NUM(u, cfg.entries[1].restart.policy, DC_RESTART_ON_FAILURE);
	CHECK_NUM(u, cfg.entries[1].restart.max, 0);
	CHECK_NUM(u, cfg.entries[1].restart.window_ms, 0);
}

static void test_bad_restart_settings(struct unit *u)
{
	parse("a a.dom restart=sometimes\n"
	      "b b.dom max_restarts=0\n"
	      "c c.dom max_restarts=x\n"
	      "d d.dom restart_window=0\n"
	      "e e.dom restart_window=99999999\n"
	      "f f.dom backoff_ms=-1\n"
	      "g g.dom max_restarts=4294967296\n");
	CHECK(u, problem_contains(1, "restart 'sometimes': must be always, on-failure or never"));
	CHECK(u, problem_contains(2, "max_restarts '0'"));
	CHECK(u, problem_contains(3, "max_restarts 'x'"));
	CHECK(u, problem_contains(4, "restart_window '0'"));
	CHECK(u, problem_contains(5, "restart_window '99999999'"));
	CHECK(u, problem_contains(6, "backoff_ms '-1'"));
	CHECK(u, problem_contains(7, "max_restarts '4294967296'"));
	CHECK_NUM(u, cfg.problems.count, 7);
}

static void test_limits(struct unit *u)
{
	parse("log log.dom call_budget_ms=500 mem_max=64M level=2\n"
	      "big big.dom mem_max=2g call_budget_ms=2000 restart=never\n"
	      "raw raw.dom mem_max=1048576 confine=off\n"
	      "def def.dom\n");
	CHECK_NUM(u, cfg.problems.count, 0);
	CHECK_NUM(u, cfg.entries[0].limits.call_budget_ms, 500);
	CHECK_NUM(u, cfg.entries[0].limits.mem_max, 64ull << 20);
	/* Limits are not domain parameters. */
	CHECK_STR(u, cfg.entries[0].params, "level=2");
	CHECK_NUM(u, cfg.entries[1].limits.mem_max, 2ull << 30);
	CHECK_NUM(u, cfg.entries[1].limits.call_budget_ms, 2000);
	CHECK_NUM(u, cfg.entries[1].restart.policy, DC_RESTART_NEVER);
	CHECK_STR(u, cfg.entries[1].params, "");
	CHECK_NUM(u, cfg.entries[2].limits.mem_max, 1048576);
	CHECK_NUM(u, cfg.entries[2].limits.call_budget_ms, 0);
	/* confine=off is a setting of the load, not a domain parameter. */
	CHECK(u, cfg.entries[2].limits.confine_off);
	CHECK_STR(u, cfg.entries[2].params, "");
	CHECK(u, !cfg.entries[0].limits.confine_off);
	/* Zeros mean "the kernel's defaults". */
	CHECK_NUM(u, cfg.entries[3].limits.call_budget_ms, 0);
	CHECK_NUM(u, cfg.entries[3].limits.mem_max, 0);
	for (size_t i = 0; i < cfg.count; i++)
		CHECK(u, cfg.entries[i].usable);
}

static void test_bad_limits(struct unit *u)
{
	parse("a a.dom call_budget_ms=0\n"
	      "b b.dom call_budget_ms=2001\n"
	      "c c.dom call_budget_ms=fast\n"
	      "d d.dom mem_max=0\n"
	      "e e.dom mem_max=12X\n"
	      "f f.dom mem_max=18446744073709551616\n"
	      "g g.dom mem_max=17179869184G\n"
	      "h h.dom mem_max=\n"
	      "ok ok.dom mem_max=1K\n");
	CHECK(u, problem_contains(1, "call_budget_ms '0': must be a whole number of milliseconds from 1 to 2000"));
	CHECK(u, problem_contains(2, "call_budget_ms '2001': must be a whole number of milliseconds from 1 to 2000"));
	CHECK(u, problem_contains(3, "call_budget_ms 'fast'"));
	CHECK(u, problem_contains(4, "mem_max '0': must be at least 1 byte"));
	CHECK(u, problem_contains(5, "mem_max '12X': must be a number of bytes, optionally with a suffix K, M or G"));
	CHECK(u, problem_contains(6, "mem_max '18446744073709551616': too large"));
	CHECK(u, problem_contains(7, "mem_max '17179869184G': too large"));
	CHECK(u, problem_contains(8, "mem_max '': must be a number of bytes"));
	CHECK(u, !problem_on(9));
	CHECK_NUM(u, cfg.problems.count, 8);
	/* A domain on a bad line is left alone by apply. */
	for (size_t i = 0; i < 8; i++)
		CHECK(u, !cfg.entries[i].usable);
	CHECK(u, config_find(&cfg, "ok")->usable);
}

static void test_duplicates(struct unit *u)
{
	parse("log log.dom a=1\n"
	      "# again\n"
	      "log log-v2.dom\n"
	      "xfer xfer.dom\n"
	      "log other.dom\n");
	CHECK(u, problem_contains(3, "domain 'log' is already configured on line 1"));
	CHECK(u, problem_contains(5, "domain 'log' is already configured on line 1"));
	CHECK(u, !problem_on(1));
	CHECK_NUM(u, cfg.count, 2);
	/* The first line stands. */
	CHECK_STR(u, config_find(&cfg, "log")->image, "log.dom");
	CHECK(u, config_find(&cfg, "log")->usable);
}

static void test_duplicate_of_bad_line(struct unit *u)
{
	parse("log\n"
	      "log log.dom\n");
	CHECK(u, problem_contains(1, "missing IMAGE"));
	CHECK(u, problem_contains(2, "already configured on line 1"));
	CHECK_NUM(u, cfg.count, 1);
	CHECK(u, !cfg.entries[0].usable);
}

static void test_control_characters(struct unit *u)
{
	const char text[] = "log log.dom\x01\n"
			    "nul log.dom\0x\n"
			    "ok ok.dom\n";

	config_free(&cfg);
	config_parse(&cfg, text, sizeof(text) - 1);
	CHECK(u, problem_contains(1, "control character 0x01"));
	CHECK(u, problem_contains(2, "NUL byte"));
	CHECK_NUM(u, cfg.count, 1);
	CHECK_STR(u, cfg.entries[0].name, "ok");
	CHECK_NUM(u, cfg.entries[0].line, 3);
}

static void test_good_lines_survive_bad_ones(struct unit *u)
{
	parse("BAD x.dom\n"
	      "good1 g1.dom\n"
	      "worse\n"
	      "good2 g2.dom k=v\n"
	      "good1 again.dom\n");
	CHECK_NUM(u, cfg.problems.count, 3);
	CHECK(u, problem_on(1) && problem_on(3) && problem_on(5));
	CHECK(u, config_find(&cfg, "good1")->usable);
	CHECK(u, config_find(&cfg, "good2")->usable);
	CHECK_STR(u, config_find(&cfg, "good2")->params, "k=v");
}

static void test_reject_later(struct unit *u)
{
	parse("log log.dom\n");
	config_entry_reject(&cfg, &cfg.entries[0], "image %s: %s", "log.dom", "bad");
	CHECK(u, !cfg.entries[0].usable);
	CHECK(u, problem_contains(1, "image log.dom: bad"));
}

static void test_empty_file(struct unit *u)
{
	parse("");
	CHECK_NUM(u, cfg.count, 0);
	CHECK_NUM(u, cfg.problems.count, 0);
}

int main(void)
{
	unit_run("config-good-lines", test_good_lines);
	unit_run("config-comments-and-blanks", test_comments_and_blanks);
	unit_run("config-crlf-no-final-newline", test_crlf_and_no_final_newline);
	unit_run("config-bad-names", test_bad_names);
	unit_run("config-missing-image", test_missing_image);
	unit_run("config-bad-params", test_bad_params);
	unit_run("config-params-too-long", test_params_too_long);
	unit_run("config-restart-settings", test_restart_settings);
	unit_run("config-bad-restart-settings", test_bad_restart_settings);
	unit_run("config-limits", test_limits);
	unit_run("config-bad-limits", test_bad_limits);
	unit_run("config-duplicates", test_duplicates);
	unit_run("config-duplicate-of-bad-line", test_duplicate_of_bad_line);
	unit_run("config-control-characters", test_control_characters);
	unit_run("config-good-lines-survive-bad", test_good_lines_survive_bad_ones);
	unit_run("config-reject-later", test_reject_later);
	unit_run("config-empty-file", test_empty_file);
	config_free(&cfg);
	return unit_status();
}
