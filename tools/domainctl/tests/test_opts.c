// SPDX-License-Identifier: GPL-2.0
/*
 * The settings given at load time, as "load" options and domains.conf keys
 * name them: the limits (call budget, memory) and sizes with suffixes.
 */
#include <stdint.h>
#include <string.h>
#include <uapi/domain_core.h>
#include "../limit_opts.h"
#include "../restart_opts.h"
#include "unit.h"

static void test_sizes(struct unit *u)
{
	static const struct {
		const char *text;
		uint64_t bytes;
	} good[] = {
		{ "1", 1 },
		{ "4096", 4096 },
		{ "1K", 1024 },
		{ "1k", 1024 },
		{ "64M", 64ull << 20 },
		{ "384m", 384ull << 20 },
		{ "2G", 2ull << 30 },
		{ "0", 0 },		/* a size; limit_opts_set refuses it */
		{ "18446744073709551615", UINT64_MAX },
		{ "17179869183G", 17179869183ull << 30 },
	};
	static const char *const bad[] = {
		"", "K", "-1", "+1", " 1", "1 ", "1.5G", "1KB", "1Ki", "1T",
		"0x10", "12X", "1e6",
	};
	static const char *const overflowing[] = {
		"18446744073709551616", "17179869184G", "99999999999999999999K",
		"18014398509481984K",
	};
	uint64_t v;
	bool overflow;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		v = 12345;
		if (!parse_size(good[i].text, &v, &overflow))
			unit_fail(u, __FILE__, __LINE__, "'%s' refused",
				  good[i].text);
		else if (v != good[i].bytes)
			unit_fail(u, __FILE__, __LINE__, "'%s' is %llu",
				  good[i].text, (unsigned long long)v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse_size(bad[i], &v, &overflow) || overflow)
			unit_fail(u, __FILE__, __LINE__,
				  "'%s' accepted or called an overflow", bad[i]);
	for (size_t i = 0; i < sizeof(overflowing) / sizeof(overflowing[0]); i++)
		if (parse_size(overflowing[i], &v, &overflow) || !overflow)
			unit_fail(u, __FILE__, __LINE__,
				  "'%s' not refused as an overflow", overflowing[i]);
}

static void test_limits(struct unit *u)
{
	struct limit_opts opts = { 0 };
	char why[256];

	CHECK(u, limit_opts_set(&opts, LIMIT_CALL_BUDGET, "--call-budget-ms",
				"1", why, sizeof(why)));
	CHECK_NUM(u, opts.call_budget_ms, 1);
	CHECK(u, limit_opts_set(&opts, LIMIT_CALL_BUDGET, "--call-budget-ms",
				"2000", why, sizeof(why)));
	CHECK_NUM(u, opts.call_budget_ms, 2000);
	CHECK(u, limit_opts_set(&opts, LIMIT_MEM_MAX, "--mem-max", "64M",
				why, sizeof(why)));
	CHECK_NUM(u, opts.mem_max, 64ull << 20);
	CHECK(u, limit_opts_set(&opts, LIMIT_MEM_MAX, "--mem-max", "1000000",
				why, sizeof(why)));
	CHECK_NUM(u, opts.mem_max, 1000000);
	/* confine=off is a flag of the load (and upgrade) request. */
	CHECK_NUM(u, limit_opts_load_flags(&opts), 0);
	CHECK(u, limit_opts_set(&opts, LIMIT_CONFINE, "confine", "off", why,
				sizeof(why)));
	CHECK(u, opts.confine_off);
	CHECK_NUM(u, limit_opts_load_flags(&opts), DC_LOAD_F_CONFINE_OFF);
	CHECK(u, limit_opts_set(&opts, LIMIT_CONFINE, "confine", "on", why,
				sizeof(why)));
	CHECK(u, !opts.confine_off);
	CHECK_NUM(u, limit_opts_load_flags(&opts), 0);
	/* standby= unset leaves the choice to the kernel: no flag. */
	CHECK(u, limit_opts_set(&opts, LIMIT_STANDBY, "standby", "off", why,
				sizeof(why)));
	CHECK_NUM(u, limit_opts_load_flags(&opts), DC_LOAD_F_STANDBY_OFF);
	CHECK(u, limit_opts_set(&opts, LIMIT_STANDBY, "standby", "on", why,
				sizeof(why)));
	CHECK_NUM(u, limit_opts_load_flags(&opts), DC_LOAD_F_STANDBY_ON);
}

static void test_bad_limits(struct unit *u)
{
	static const struct {
		enum limit_setting setting;
		const char *what, *value, *why;
	} bad[] = {
		{ LIMIT_CALL_BUDGET, "--call-budget-ms", "0",
		  "--call-budget-ms '0': must be a whole number of milliseconds from 1 to 2000" },
		{ LIMIT_CALL_BUDGET, "--call-budget-ms", "2001", "from 1 to 2000" },
		{ LIMIT_CALL_BUDGET, "call_budget_ms", "-5", "call_budget_ms '-5'" },
		{ LIMIT_CALL_BUDGET, "call_budget_ms", "200ms", "call_budget_ms '200ms'" },
		{ LIMIT_CALL_BUDGET, "call_budget_ms", "", "call_budget_ms ''" },
		{ LIMIT_CALL_BUDGET, "call_budget_ms", "99999999999999999999",
		  "from 1 to 2000" },
		{ LIMIT_MEM_MAX, "--mem-max", "0",
		  "--mem-max '0': must be at least 1 byte (leave it out for the default" },
		{ LIMIT_MEM_MAX, "--mem-max", "0G", "--mem-max '0G': must be at least 1 byte" },
		{ LIMIT_MEM_MAX, "--mem-max", "lots",
		  "--mem-max 'lots': must be a number of bytes, optionally with a suffix K, M or G" },
		{ LIMIT_MEM_MAX, "mem_max", "1.5G", "mem_max '1.5G': must be a number of bytes" },
		{ LIMIT_MEM_MAX, "mem_max", "18446744073709551616",
		  "mem_max '18446744073709551616': too large" },
		{ LIMIT_MEM_MAX, "mem_max", "17179869184G", "mem_max '17179869184G': too large" },
		{ LIMIT_CONFINE, "confine", "no", "confine 'no': must be on or off" },
		{ LIMIT_CONFINE, "confine", "OFF", "confine 'OFF': must be on or off" },
		{ LIMIT_CONFINE, "confine", "", "confine '': must be on or off" },
		{ LIMIT_STANDBY, "standby", "yes", "standby 'yes': must be on or off" },
		{ LIMIT_STANDBY, "standby", "", "standby '': must be on or off" },
	};
	struct limit_opts opts = { .call_budget_ms = 7, .mem_max = 9, .confine_off = true };
	char why[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		if (limit_opts_set(&opts, bad[i].setting, bad[i].what,
				   bad[i].value, why, sizeof(why)))
			unit_fail(u, __FILE__, __LINE__, "%s '%s' accepted",
				  bad[i].what, bad[i].value);
		else if (!strstr(why, bad[i].why))
			unit_fail(u, __FILE__, __LINE__,
				  "%s '%s': \"%s\" does not say \"%s\"",
				  bad[i].what, bad[i].value, why, bad[i].why);
	}
	/* A refused value leaves the settings as they were. */
	CHECK_NUM(u, opts.call_budget_ms, 7);
	CHECK_NUM(u, opts.mem_max, 9);
	CHECK(u, opts.confine_off);
}

static void test_config_keys(struct unit *u)
{
	CHECK_NUM(u, limit_setting_from_config_key("call_budget_ms", 14),
		  LIMIT_CALL_BUDGET);
	CHECK_NUM(u, limit_setting_from_config_key("mem_max", 7), LIMIT_MEM_MAX);
	CHECK_NUM(u, limit_setting_from_config_key("confine", 7), LIMIT_CONFINE);
	CHECK_NUM(u, limit_setting_from_config_key("standby", 7), LIMIT_STANDBY);
	/* Only the key before '=' counts, and only whole keys. */
	CHECK_NUM(u, limit_setting_from_config_key("mem_max=1", 7), LIMIT_MEM_MAX);
	CHECK_NUM(u, limit_setting_from_config_key("mem_ma", 6), -1);
	CHECK_NUM(u, limit_setting_from_config_key("mem_maxx", 8), -1);
	CHECK_NUM(u, limit_setting_from_config_key("restart", 7), -1);
	/* The two sets of keys are apart. */
	CHECK_NUM(u, restart_setting_from_config_key("mem_max", 7), -1);
	CHECK_NUM(u, restart_setting_from_config_key("call_budget_ms", 14), -1);
}

int main(void)
{
	unit_run("opts-sizes", test_sizes);
	unit_run("opts-limits", test_limits);
	unit_run("opts-bad-limits", test_bad_limits);
	unit_run("opts-limit-config-keys", test_config_keys);
	return unit_status();
}
