// SPDX-License-Identifier: GPL-2.0
/* The apply planner: wanted set + running set -> ordered actions. */
#include <stdio.h>
#include <string.h>
#include "../apply_plan.h"
#include "unit.h"

#define MAX 8

/* A scenario, written compactly, and its plan. */
static struct plan_desired want[MAX];
static size_t nr_want;
static struct plan_running run[MAX];
static size_t nr_run;
static struct plan plan;

static void reset(void)
{
	plan_free(&plan);
	memset(want, 0, sizeof(want));
	memset(run, 0, sizeof(run));
	nr_want = nr_run = 0;
}

/* Wanted: NAME implementing IFACE at VERSION, importing @needs ("" = none). */
static struct plan_desired *wanted(const char *name, const char *iface,
				   const char *version, const char *need)
{
	struct plan_desired *d = &want[nr_want++];

	d->name = name;
	d->line = (unsigned)nr_want;	/* line N for the Nth entry */
	d->usable = true;
	d->iface = iface;
	d->version = version;
	d->params = "";
	d->fingerprint = 0x1111;
	if (need[0])
		d->needs[d->nr_needs++] = need;
	return d;
}

static struct plan_running *running(const char *name, const char *iface,
				    const char *version)
{
	struct plan_running *r = &run[nr_run++];

	r->name = name;
	r->iface = iface;
	r->version = version;
	r->params = "";
	return r;
}

/* Record what domainctl would have recorded for a running domain. */
static void recorded(struct plan_running *r, uint64_t fingerprint,
		     const char *need)
{
	r->has_record = true;
	r->fingerprint = fingerprint;
	if (need[0])
		r->needs[r->nr_needs++] = need;
}

static void make_plan(bool remove)
{
	plan_free(&plan);
	plan_build(&plan, want, nr_want, run, nr_run, remove);
}

/* The plan as "load:a upgrade:b unload:c", for one-line comparisons. */
static const char *plan_text(void)
{
	static char buf[512];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < plan.count; i++) {
		const struct plan_action *a = &plan.actions[i];
		const char *name = a->kind == PLAN_UNLOAD ? run[a->running].name :
							    want[a->desired].name;

		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s:%s",
					i ? " " : "", plan_kind_name(a->kind), name);
	}
	return buf;
}

static bool problem_contains(unsigned line, const char *text)
{
	for (size_t i = 0; i < plan.problems.count; i++)
		if (plan.problems.items[i].line == line &&
		    strstr(plan.problems.items[i].message, text))
			return true;
	return false;
}

static void test_load_missing(struct unit *u)
{
	reset();
	wanted("a", "log", "1.0", "");
	wanted("b", "file", "1.0", "");
	make_plan(false);
	CHECK_STR(u, plan_text(), "load:a load:b");
	CHECK_STR(u, plan.actions[0].reason, "not running");
	CHECK_NUM(u, plan.problems.count, 0);
}

static void test_imports_first(struct unit *u)
{
	reset();
	wanted("user", "file", "1.0", "log");
	wanted("logger", "log", "1.0", "");
	make_plan(false);
	CHECK_STR(u, plan_text(), "load:logger load:user");
}

static void test_import_chain(struct unit *u)
{
	reset();
	wanted("c", "bench", "1.0", "file");
	wanted("b", "file", "1.0", "log");
	wanted("x", "file", "1.0", "");
	wanted("a", "log", "1.0", "");
	make_plan(false);
	/* x has no imports, so keeps its place before those that wait. */
	CHECK_STR(u, plan_text(), "load:x load:a load:b load:c");
}

static void test_unchanged(struct unit *u)
{
	reset();
	wanted("a", "log", "1.0", "");
	recorded(running("a", "log", "1.0"), 0x1111, "");
	wanted("b", "file", "2.0", "log");
	running("b", "file", "2.0");	/* loaded by hand: no record */
	make_plan(true);
	CHECK_STR(u, plan_text(), "");
	CHECK_NUM(u, plan.problems.count, 0);
}

static void test_upgrades(struct unit *u)
{
	reset();
	wanted("ver", "log", "2.0", "");
	recorded(running("ver", "log", "1.0"), 0x1111, "");
	wanted("img", "file", "1.0", "");
	recorded(running("img", "file", "1.0"), 0x2222, "");
	wanted("par", "bench", "1.0", "")->params = "n=2";
	running("par", "bench", "1.0")->params = "n=1";
	make_plan(false);
	CHECK_STR(u, plan_text(), "upgrade:ver upgrade:img upgrade:par");
	CHECK_STR(u, plan.actions[0].reason, "version 1.0 -> 2.0");
	CHECK_STR(u, plan.actions[1].reason, "image changed");
	CHECK_STR(u, plan.actions[2].reason, "parameters changed");
}

static void test_upgrade_two_reasons(struct unit *u)
{
	reset();
	wanted("a", "log", "2.0", "")->params = "x=1";
	recorded(running("a", "log", "1.0"), 0x9999, "");
	make_plan(false);
	CHECK_STR(u, plan_text(), "upgrade:a");
	CHECK_STR(u, plan.actions[0].reason, "version 1.0 -> 2.0, parameters changed");
}

static void test_upgrade_in_import_order(struct unit *u)
{
	reset();
	wanted("user", "file", "2.0", "log");
	recorded(running("user", "file", "1.0"), 0x1111, "log");
	wanted("logger", "log", "2.0", "");
	recorded(running("logger", "log", "1.0"), 0x1111, "");
	make_plan(false);
	CHECK_STR(u, plan_text(), "upgrade:logger upgrade:user");
}

static void test_remove(struct unit *u)
{
	reset();
	wanted("a", "log", "1.0", "");
	running("a", "log", "1.0");
	running("stray", "file", "1.0");
	make_plan(false);
	CHECK_STR(u, plan_text(), "");
	make_plan(true);
	CHECK_STR(u, plan_text(), "unload:stray");
	CHECK_STR(u, plan.actions[0].reason, "not in the configuration");
}

static void test_unload_importers_first(struct unit *u)
{
	reset();
	running("provider", "log", "1.0")->users = 1;
	recorded(running("importer", "file", "1.0"), 1, "log");
	recorded(running("importer2", "bench", "1.0"), 1, "file");
	make_plan(true);
	CHECK_STR(u, plan_text(), "unload:importer2 unload:importer unload:provider");
}

static void test_unload_unused_first_without_records(struct unit *u)
{
	reset();
	running("busy", "log", "1.0")->users = 2;
	running("idle", "file", "1.0");
	make_plan(true);
	CHECK_STR(u, plan_text(), "unload:idle unload:busy");
}

static void test_unloads_before_loads(struct unit *u)
{
	reset();
	wanted("new", "log", "1.0", "");
	running("old", "log", "1.0");
	make_plan(true);
	CHECK_STR(u, plan_text(), "unload:old load:new");
}

static void test_bad_line_keeps_running(struct unit *u)
{
	reset();
	wanted("a", "log", "2.0", "")->usable = false;
	recorded(running("a", "log", "1.0"), 0x7, "");
	make_plan(true);
	CHECK_STR(u, plan_text(), "");
	CHECK_NUM(u, plan.problems.count, 0);	/* the config reported it */
}

static void test_iface_change(struct unit *u)
{
	reset();
	wanted("a", "file", "2.0", "");
	running("a", "log", "1.0");
	make_plan(false);
	CHECK_STR(u, plan_text(), "");
	CHECK(u, problem_contains(1, "runs with interface 'log' but its image implements 'file'"));
}

static void test_missing_provider(struct unit *u)
{
	reset();
	wanted("user", "file", "1.0", "log");
	wanted("user2", "bench", "1.0", "file");
	wanted("fine", "log", "1.0", "")->usable = false;
	make_plan(false);
	CHECK_STR(u, plan_text(), "");
	CHECK(u, problem_contains(1, "'user' needs interface 'log', which no configured or running domain implements"));
	/* user2 would import user, which will not come up. */
	CHECK(u, problem_contains(2, "'user2' needs interface 'file'"));
}

static void test_provider_already_running(struct unit *u)
{
	reset();
	wanted("user", "file", "1.0", "log");
	running("handmade", "log", "1.0");
	make_plan(false);
	CHECK_STR(u, plan_text(), "load:user");
	/* With --remove the provider goes, so the import would dangle. */
	make_plan(true);
	CHECK_STR(u, plan_text(), "unload:handmade");
	CHECK(u, problem_contains(1, "needs interface 'log'"));
}

static void test_provider_of_bad_line_still_runs(struct unit *u)
{
	reset();
	wanted("user", "file", "1.0", "log");
	wanted("logger", "log", "9.9", "")->usable = false;
	running("logger", "log", "1.0");
	make_plan(true);
	CHECK_STR(u, plan_text(), "load:user");
}

static void test_cycle(struct unit *u)
{
	reset();
	wanted("a", "log", "1.0", "file");
	wanted("b", "file", "1.0", "log");
	wanted("c", "bench", "1.0", "");
	make_plan(false);
	CHECK_STR(u, plan_text(), "load:c");
	CHECK(u, problem_contains(1, "'a' cannot be ordered: its imports form a cycle"));
	CHECK(u, problem_contains(2, "'b' cannot be ordered"));
}

static void test_self_import_is_no_cycle(struct unit *u)
{
	reset();
	wanted("relay", "log", "1.0", "log");
	make_plan(false);
	CHECK_STR(u, plan_text(), "load:relay");
}

static void test_cannot_clear_params(struct unit *u)
{
	reset();
	wanted("a", "log", "1.0", "");
	running("a", "log", "1.0")->params = "x=1";
	make_plan(false);
	CHECK_STR(u, plan_text(), "");
	CHECK(u, problem_contains(1, "a live upgrade cannot clear them"));
}

static void test_idempotent(struct unit *u)
{
	reset();
	wanted("logger", "log", "1.0", "");
	wanted("user", "file", "1.0", "log")->params = "size=1";
	make_plan(true);
	CHECK_STR(u, plan_text(), "load:logger load:user");
	/* What the kernel and the records look like after applying it: */
	recorded(running("logger", "log", "1.0"), 0x1111, "");
	recorded(running("user", "file", "1.0"), 0x1111, "log");
	run[1].params = "size=1";
	run[0].users = 1;
	make_plan(true);
	CHECK_STR(u, plan_text(), "");
	CHECK_NUM(u, plan.problems.count, 0);
}

int main(void)
{
	unit_run("plan-load-missing", test_load_missing);
	unit_run("plan-imports-first", test_imports_first);
	unit_run("plan-import-chain", test_import_chain);
	unit_run("plan-unchanged", test_unchanged);
	unit_run("plan-upgrades", test_upgrades);
	unit_run("plan-upgrade-two-reasons", test_upgrade_two_reasons);
	unit_run("plan-upgrade-in-import-order", test_upgrade_in_import_order);
	unit_run("plan-remove", test_remove);
	unit_run("plan-unload-importers-first", test_unload_importers_first);
	unit_run("plan-unload-unused-first", test_unload_unused_first_without_records);
	unit_run("plan-unloads-before-loads", test_unloads_before_loads);
	unit_run("plan-bad-line-keeps-running", test_bad_line_keeps_running);
	unit_run("plan-iface-change", test_iface_change);
	unit_run("plan-missing-provider", test_missing_provider);
	unit_run("plan-provider-already-running", test_provider_already_running);
	unit_run("plan-provider-of-bad-line", test_provider_of_bad_line_still_runs);
	unit_run("plan-cycle", test_cycle);
	unit_run("plan-self-import", test_self_import_is_no_cycle);
	unit_run("plan-cannot-clear-params", test_cannot_clear_params);
	unit_run("plan-idempotent", test_idempotent);
	plan_free(&plan);
	return unit_status();
}
