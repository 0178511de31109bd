// SPDX-License-Identifier: GPL-2.0
/*
 * Our own domains, tested in userspace with libdomaintest:
 *
 *   test_domains IMAGES_DIR
 *
 * One line per test, "PASS unit/dt-NAME" or "FAIL unit/dt-NAME: reason";
 * exit status 1 if any failed.  After every test all domains are
 * unloaded and nothing may be left: no heap page, object or lock table.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "domain_test.h"
#include "domain/iface/all.h"

struct test {
	int failed;
	char why[512];
};

static const char *images;
static int nr_failed;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void fail(struct test *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct test *t, const char *fmt, ...)
{
	va_list ap;

	if (t->failed++)
		return;
	va_start(ap, fmt);
	vsnprintf(t->why, sizeof(t->why), fmt, ap);
	va_end(ap);
}

#define EXPECT(t, cond, ...)			\
	do {					\
		if (!(cond)) {			\
			fail((t), __VA_ARGS__);	\
			return;			\
		}				\
	} while (0)

static void run(const char *name, void (*fn)(struct test *t))
{
	struct test t = { 0 };
	struct dt_totals tot;
	double t0 = now_ms();

	dt_log_clear();
	fn(&t);
	dt_unload_all();
	dt_totals(&tot);
	if (!t.failed && (tot.heap_bytes || tot.objects || tot.locks))
		fail(&t, "left behind: %llu heap bytes, %llu objects, %llu lock tables",
		     (unsigned long long)tot.heap_bytes, (unsigned long long)tot.objects,
		     (unsigned long long)tot.locks);
	if (t.failed) {
		nr_failed++;
		for (char *c = t.why; *c; c++)
			if (*c == '\n')
				*c = ' ';
		printf("FAIL unit/dt-%s: %s\n", name, t.why);
		fprintf(stderr, "dt-%s: the log:\n%s", name, dt_log_text());
	} else {
		printf("PASS unit/dt-%s (%.1f ms)\n", name, now_ms() - t0);
	}
	fflush(stdout);
}

static const char *image(const char *name)
{
	static char path[4][512];
	static unsigned int next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s.dom", images, name);
	return p;
}

static struct dt_domain *load(struct test *t, const char *name,
			      const struct dt_load_opts *opts)
{
	char err[DT_ERROR_MAX];
	struct dt_domain *d = dt_load(image(name), opts, err);

	if (!d)
		fail(t, "load %s: %s", name, err);
	return d;
}

static long write_str(struct dt_domain *d, uint64_t off, const char *s)
{
	return dt_file_write(d, strlen(s), off, s);
}

/* What a read at @off returns, as a string (or the error as "-N"). */
static const char *read_str(struct dt_domain *d, uint64_t off)
{
	static char buf[1024];
	long n = dt_file_read(d, sizeof(buf) - 1, off, buf);

	if (n < 0)
		snprintf(buf, sizeof(buf), "%ld", n);
	else
		buf[n] = '\0';
	return buf;
}

static struct dt_status status(struct dt_domain *d)
{
	struct dt_status st;

	dt_status(d, &st);
	return st;
}

static bool logged(const char *line)
{
	return strstr(dt_log_text(), line) != NULL;
}

/* ------------------------------------------------------------------ */
/* log */

static void log_records(struct test *t)
{
	struct dt_domain *log = load(t, "log", NULL);
	char big[2001];
	long ret;

	if (!log)
		return;
	ret = dt_log_write(log, DC_LOG_INFO, "first line\nsecond line\n");
	EXPECT(t, ret == 23, "log_write returned %ld, want 23", ret);
	EXPECT(t, logged("log: first line\nlog: second line\n"), "lines not logged");
	dt_log_write(log, DC_LOG_INFO, "bell\a");
	EXPECT(t, logged("log: bell?\n"), "control character not replaced");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	dt_log_write(log, DC_LOG_INFO, big);
	EXPECT(t, logged("log: [record cut: 1024 of 2000 bytes logged]"), "long record not cut");
	EXPECT(t, dt_upgrade(log, image("log-v2"), NULL, NULL) == 0, "upgrade to log-v2 failed");
	dt_log_write(log, DC_LOG_INFO, "after");
	EXPECT(t, logged("log: v2: after\n"), "log-v2 did not answer");
	EXPECT(t, status(log).upgrades == 1 && !strcmp(status(log).version, "2.0.0"),
	       "status after the upgrade: %s", status(log).version);
}

/* ------------------------------------------------------------------ */
/* emptydev: file, an import, stateful upgrades and their rollback */

static void emptydev_needs_log(struct test *t)
{
	char err[DT_ERROR_MAX];

	EXPECT(t, !dt_load(image("emptydev"), NULL, err) && errno == ENOLINK,
	       "loaded without a log provider, or errno %d", errno);
	EXPECT(t, strstr(err, "needs interface 'log' v1, which no loaded domain provides"),
	       "error '%s'", err);
}

static void emptydev_write_read(struct test *t)
{
	struct dt_domain *log = load(t, "log", NULL), *ed;
	char err[DT_ERROR_MAX];

	if (!log || !(ed = load(t, "emptydev", NULL)))
		return;
	EXPECT(t, write_str(ed, 0, "hello") == 5, "write");
	EXPECT(t, !strcmp(read_str(ed, 0), "hello"), "read '%s'", read_str(ed, 0));
	EXPECT(t, !strcmp(read_str(ed, 3), "lo"), "read at 3: '%s'", read_str(ed, 3));
	EXPECT(t, !strcmp(read_str(ed, 10), ""), "read past the end: '%s'", read_str(ed, 10));
	EXPECT(t, write_str(ed, 4096, "x") == -ENOSPC, "write past 4 KiB");
	EXPECT(t, !strcmp(read_str(ed, 0x10000),
			  "reads=3 writes=1 bytes_read=7 bytes_written=5 size=5\n"),
	       "status '%s'", read_str(ed, 0x10000));
	EXPECT(t, logged("log: emptydev: wrote 5 bytes at 0\n"), "no log record of the write");
	EXPECT(t, dt_unload(log, err) == -EBUSY && strstr(err, "in use by emptydev"),
	       "unloading log under emptydev: '%s'", err);
}

static void emptydev_upgrade_v1_v2_v1(struct test *t)
{
	struct dt_domain *log = load(t, "log", NULL), *ed;
	char err[DT_ERROR_MAX];
	int rc;

	if (!log || !(ed = load(t, "emptydev", NULL)))
		return;
	write_str(ed, 0, "persist");
	rc = dt_upgrade(ed, image("emptydev-v2"), NULL, err);
	EXPECT(t, rc == 0, "v1 -> v2: %s", err);
	EXPECT(t, !strcmp(read_str(ed, 0), "persist"), "v2 reads '%s'", read_str(ed, 0));
	EXPECT(t, !strcmp(read_str(ed, 0x10000),
			  "v2 reads=1 writes=1 bytes_read=7 bytes_written=7 size=7 upgrades=1\n"),
	       "v2 status '%s'", read_str(ed, 0x10000));
	rc = dt_upgrade(ed, image("emptydev"), NULL, err);
	EXPECT(t, rc == 0, "v2 -> v1: %s", err);
	EXPECT(t, write_str(ed, 7, " more") == 5, "write in v1");
	EXPECT(t, !strcmp(read_str(ed, 0), "persist more"), "v1 reads '%s'", read_str(ed, 0));
	rc = dt_upgrade(ed, image("emptydev-v2"), NULL, err);
	EXPECT(t, rc == 0, "v1 -> v2 again: %s", err);
	/* v1 carried the upgrade count it does not use. */
	EXPECT(t, strstr(read_str(ed, 0x10000), "writes=2 bytes_read=19 bytes_written=12 size=12 upgrades=2\n"),
	       "v2 status '%s'", read_str(ed, 0x10000));
	EXPECT(t, status(ed).upgrades == 3, "upgrades %llu", (unsigned long long)status(ed).upgrades);
	EXPECT(t, logged("domain-test: upgraded emptydev 1.0.0 -> 2.0.0 (stateful)"),
	       "no stateful upgrade reported");
}

static void emptydev_rollback(struct test *t)
{
	struct dt_domain *log = load(t, "log", NULL), *ed;
	char err[DT_ERROR_MAX];
	int rc;

	if (!log || !(ed = load(t, "emptydev", NULL)))
		return;
	write_str(ed, 0, "keep");
	rc = dt_upgrade(ed, image("emptydev-v2"), "fail_import=1", err);
	EXPECT(t, rc == -EIO && strstr(err, "new instance failed to import the state"),
	       "fail_import: %d '%s'", rc, err);
	EXPECT(t, logged("emptydev: state import refused (fail_import=1)"), "no log line");
	rc = dt_upgrade(ed, image("emptydev-v2"), "fail_init=1", err);
	EXPECT(t, rc == -EINVAL && strstr(err, "new instance did not start"),
	       "fail_init: %d '%s'", rc, err);
	rc = dt_upgrade(ed, image("crash"), NULL, err);
	EXPECT(t, rc == -EPROTO && strstr(err, "cannot import the state"),
	       "crash.dom (stateless) over emptydev: %d '%s'", rc, err);
	rc = dt_upgrade(ed, image("log"), NULL, err);
	EXPECT(t, rc == -EPROTONOSUPPORT && strstr(err, "interface mismatch"), "log.dom over emptydev: '%s'", err);
	EXPECT(t, !strcmp(status(ed).version, "1.0.0") && status(ed).state == DT_STATE_RUNNING &&
	       status(ed).upgrades == 0, "the old instance does not serve");
	EXPECT(t, !strcmp(read_str(ed, 0), "keep"), "state lost: '%s'", read_str(ed, 0));
}

/* ------------------------------------------------------------------ */
/* crash: every kind of fault, reported as the kernel reports it */

struct fault_case {
	const char *cmd;
	const char *report;	/* how the last fault starts */
};

static const struct fault_case fault_cases[] = {
	{ "null", "page fault at crash_write+0x" },
	{ "gpf", "general protection fault at crash_write" },
	{ "ud2", "invalid opcode at crash_write" },
	{ "div0", "divide error at crash_write+0x" },
	{ "stack", "stack-protector hit at dom_panic+0x" },
	/* Past the outermost frame: over the gate's return address. */
	{ "overrun", "stray store at crash_write+0x" },
	{ "panic", "panic at dom_panic+0x" },
	{ "assert", "assertion failure at dom_panic+0x" },
	{ "bounds", "bounds check at dom_panic+0x" },
	{ "loop", "hang at crash_write+0x" },
	{ "recurse", "stack overflow at dom__stack_overflow+0x" },
	{ "badself", "bad service argument at crash_write+0x" },
	{ "badlock", "bad service argument at crash_write+0x" },
	{ "badlog", "bad service argument at crash_write+0x" },
	{ "lockfault", "page fault at crash_write+0x" },
	{ "lockloop", "hang at crash_write+0x" },
};

/* What the message of some kinds must say after the function. */
static const char *fault_detail(const char *cmd)
{
	if (!strcmp(cmd, "null") || !strcmp(cmd, "lockfault"))
		return ": address 0x0";
	if (!strcmp(cmd, "assert"))
		return ": assertion failed at crash.c:";
	if (!strcmp(cmd, "bounds"))
		return ": bounds: memcpy of 5 bytes into a 4-byte buffer";
	if (!strcmp(cmd, "badself"))
		return ": svc->obj_alloc: 0x5a5a5a5a is not the caller's instance handle";
	if (!strcmp(cmd, "badlock"))
		return ": svc->lock: ";
	if (!strcmp(cmd, "badlog"))
		return ": svc->log: 16 bytes at ";
	if (!strcmp(cmd, "overrun"))
		return " byte into a domain stack, outside the call's frames";
	return "";
}

static const struct fault_case *current_case;

static void crash_fault(struct test *t)
{
	const struct fault_case *c = current_case;
	struct dt_load_opts opts = { .restart = DT_RESTART_ALWAYS, .call_budget_ms = 50 };
	struct dt_domain *d = load(t, "crash", &opts);
	struct dt_status before, after;
	char line[DT_ERROR_MAX + 32];
	long ret;

	if (!d)
		return;
	before = status(d);
	/* Memory held first: the fault must give it all back. */
	EXPECT(t, write_str(d, 0, "hold 20") == 7 && status(d).objects == before.objects + 20,
	       "hold 20");
	ret = write_str(d, 0, c->cmd);
	after = status(d);
	EXPECT(t, ret == -EIO, "the write returned %ld, want -EIO", ret);
	EXPECT(t, after.faults == 1 && after.restarts == 1 && after.state == DT_STATE_RUNNING,
	       "faults %llu restarts %llu state %s", (unsigned long long)after.faults,
	       (unsigned long long)after.restarts, dt_state_name(after.state));
	EXPECT(t, !strncmp(after.last_fault, c->report, strlen(c->report)) &&
	       strstr(after.last_fault, fault_detail(c->cmd)),
	       "reported '%s', want '%s...%s'", after.last_fault, c->report, fault_detail(c->cmd));
	snprintf(line, sizeof(line), "domain-test: crash.dom: %s\n", after.last_fault);
	EXPECT(t, logged(line), "not in the log: %s", line);
	EXPECT(t, after.objects == before.objects && after.mem_used == before.mem_used,
	       "held %llu objects, %llu bytes after the restart (%llu, %llu before)",
	       (unsigned long long)after.objects, (unsigned long long)after.mem_used,
	       (unsigned long long)before.objects, (unsigned long long)before.mem_used);
	/* A fresh instance serves, and the store outlived the failed one. */
	EXPECT(t, !strcmp(read_str(d, 0), "crash inits=2 held=0\n"), "read '%s'", read_str(d, 0));
}

static void crash_restart_policies(struct test *t)
{
	struct dt_load_opts never = { .name = "never", .restart = DT_RESTART_NEVER };
	struct dt_load_opts limit = { .name = "limit", .restart_max = 2 };
	struct dt_domain *d = load(t, "crash", &never), *l;
	char err[DT_ERROR_MAX];
	int i;

	if (!d || !(l = load(t, "crash", &limit)))
		return;
	EXPECT(t, write_str(d, 0, "div0") == -EIO, "fault");
	EXPECT(t, status(d).state == DT_STATE_DOWN, "state %s", dt_state_name(status(d).state));
	EXPECT(t, write_str(d, 0, "null") == -ENODEV, "a call to a domain that is down");
	EXPECT(t, logged("domain-test: never stays down: restart=never"), "not in the log");
	EXPECT(t, dt_restart(d, err) == 0, "restart: %s", err);
	EXPECT(t, !strcmp(read_str(d, 0), "crash inits=2 held=0\n"), "read '%s'", read_str(d, 0));
	for (i = 0; i < 3; i++)
		write_str(l, 0, "ud2");
	EXPECT(t, status(l).state == DT_STATE_DOWN && status(l).restarts == 2,
	       "on-failure, max 2: state %s after %llu restarts", dt_state_name(status(l).state),
	       (unsigned long long)status(l).restarts);
	EXPECT(t, logged("domain-test: limit stays down: restart limit reached (2 in 60 s)"),
	       "not in the log");
	/* An upgrade brings a domain that is down back into service. */
	EXPECT(t, dt_upgrade(l, image("crash"), NULL, err) == 0, "upgrade: %s", err);
	EXPECT(t, status(l).state == DT_STATE_RUNNING, "state after the upgrade");
}

/* mem_max: past it, allocations fail inside the domain. */
static void crash_mem_max(struct test *t)
{
	struct dt_load_opts opts = { .mem_max = 1 << 20 };
	struct dt_domain *d = load(t, "crash", &opts);

	if (!d)
		return;
	EXPECT(t, write_str(d, 0, "hog") == -ENOMEM, "hog did not run out of memory");
	EXPECT(t, status(d).mem_used <= (1 << 20) && status(d).mem_used > (1 << 19),
	       "holds %llu bytes", (unsigned long long)status(d).mem_used);
	EXPECT(t, status(d).faults == 0, "faulted: %s", status(d).last_fault);
}

/* A fault in a domain called by another: the caller survives, sees -EIO. */
static void relay_callee_fault(struct test *t)
{
	struct dt_load_opts always = { .restart = DT_RESTART_ALWAYS };
	struct dt_domain *crash = load(t, "crash", &always), *relay;

	if (!crash || !(relay = load(t, "relay", NULL)))
		return;
	EXPECT(t, write_str(relay, 0, "gpf") == -EIO, "relay's write");
	EXPECT(t, !strcmp(read_str(relay, 0), "relay calls=1 last=-5\n"), "relay says '%s'",
	       read_str(relay, 0));
	EXPECT(t, status(relay).faults == 0 && status(crash).faults == 1 &&
	       status(crash).restarts == 1, "faults: relay %llu, crash %llu",
	       (unsigned long long)status(relay).faults, (unsigned long long)status(crash).faults);
	EXPECT(t, write_str(relay, 0, "hold 1") == 6, "relay's write after the restart");
}

/* Imports go to the provider the test chose, not to the first one loaded. */
static void relay_chosen_provider(struct test *t)
{
	struct dt_load_opts b_opts = { .name = "second" };
	struct dt_domain *a = load(t, "crash", NULL), *b, *relay;

	if (!a || !(b = load(t, "crash", &b_opts)))
		return;
	EXPECT(t, dt_set_provider("file", b) == 0, "set_provider");
	EXPECT(t, dt_set_provider("log", b) == -EINVAL, "crash does not implement log");
	if (!(relay = load(t, "relay", NULL)))
		return;
	EXPECT(t, write_str(relay, 0, "hold 1") == 6, "relay's write");
	EXPECT(t, status(a).calls == 0 && status(b).calls == 1, "calls: first %llu, second %llu",
	       (unsigned long long)status(a).calls, (unsigned long long)status(b).calls);
}

/* ------------------------------------------------------------------ */
/* xfer: object ownership and the store */

static void xfer_ownership(struct test *t)
{
	struct dt_domain *log = load(t, "log", NULL), *x;
	char err[DT_ERROR_MAX];

	if (!log || !(x = load(t, "xfer", NULL)))
		return;
	EXPECT(t, write_str(x, 0, "xfer") == 4, "write xfer");
	EXPECT(t, !strcmp(read_str(x, 0), "xfer ok\n"), "xfer: '%s'", read_str(x, 0));
	EXPECT(t, logged("log: xfer: ownership test record\n"), "the record did not reach log");
	write_str(x, 0, "put across restarts");
	EXPECT(t, !strcmp(read_str(x, 0), "put ok\n"), "put: '%s'", read_str(x, 0));
	EXPECT(t, dt_restart(x, err) == 0, "restart: %s", err);
	write_str(x, 0, "get");
	EXPECT(t, !strcmp(read_str(x, 0), "get ok across restarts\n"), "get: '%s'", read_str(x, 0));
	write_str(x, 0, "leak 1000");
	EXPECT(t, !strcmp(read_str(x, 0), "leak ok objects=1000 blocks=1000\n"), "leak: '%s'",
	       read_str(x, 0));
	EXPECT(t, status(x).objects == 1001, "objects %llu", (unsigned long long)status(x).objects);
	EXPECT(t, dt_restart(x, err) == 0 && status(x).objects == 1, "not reclaimed: %llu objects",
	       (unsigned long long)status(x).objects);
}

/* The test's objects follow the same rules (dt_call with DC_ARG_OBJ). */
static void xfer_test_objects(struct test *t)
{
	struct dt_domain *log = load(t, "log", NULL);
	dc_obj_t obj;
	long ret;

	if (!log)
		return;
	obj = dt_obj_new(DC_OBJ_BYTES, "mine", 4);
	ret = dt_call(log, DC_M_log_write, DC_LOG_INFO, obj, 0, 0);
	EXPECT(t, ret == 4 && logged("log: mine\n"), "log.write: %ld", ret);
	EXPECT(t, dt_obj_data(obj, NULL) == NULL && dt_obj_free(obj) == -EACCES,
	       "the object is still the test's after passing it");
	ret = dt_call(log, DC_M_log_write, DC_LOG_INFO, obj, 0, 0);
	EXPECT(t, ret == -EACCES, "passing an object the test no longer owns: %ld", ret);
	EXPECT(t, dt_call(log, 1, 0, 0, 0, 0) == -EINVAL, "a method log does not have");
}

/* ------------------------------------------------------------------ */
/* null_blk: block requests through the simulated block caller */

#define NB_PARAMS	"memory_backed=1 size=4"
#define NB_SECTORS	(4 << 11)

static long brw(struct dt_domain *d, int op, uint64_t sector, uint64_t bytes, void *buf)
{
	return dt_block_rw(d, DC_BLK_DEVOP(0, op), sector, bytes, buf);
}

static void nullblk_rw_verify(struct test *t)
{
	struct dt_load_opts opts = { .params = NB_PARAMS };
	struct dt_domain *d = load(t, "null_blk", &opts);
	static unsigned char out[64 << 10], in[64 << 10];
	size_t i;

	if (!d)
		return;
	EXPECT(t, dt_block_info(d, 0, DC_BLK_INFO_CAPACITY) == NB_SECTORS &&
	       dt_block_info(d, 0, DC_BLK_INFO_BLOCK_SIZE) == 512 &&
	       dt_block_info(d, 0, DC_BLK_INFO_NR_DEVICES) == 1, "geometry");
	EXPECT(t, dt_block_info(d, 1, DC_BLK_INFO_CAPACITY) == -EINVAL, "info of device 1");
	for (i = 0; i < sizeof(out); i++)
		out[i] = (unsigned char)(i * 7 + i / 4096);
	/* Not page aligned: each copy spans two of the domain's pages. */
	EXPECT(t, brw(d, DC_BLK_OP_WRITE, 101, sizeof(out), out) == DC_BLK_STS_OK, "write");
	EXPECT(t, brw(d, DC_BLK_OP_READ, 101, sizeof(in), in) == DC_BLK_STS_OK &&
	       !memcmp(in, out, sizeof(in)), "read back differs");
	memset(in, 0xff, 4096);
	EXPECT(t, brw(d, DC_BLK_OP_READ, 5000, 4096, in) == DC_BLK_STS_OK, "read unwritten");
	for (i = 0; i < 4096; i++)
		EXPECT(t, !in[i], "unwritten byte %zu is %#x", i, in[i]);
	EXPECT(t, brw(d, DC_BLK_OP_DISCARD, 101, 4096, NULL) == DC_BLK_STS_OK, "discard");
	EXPECT(t, brw(d, DC_BLK_OP_READ, 101, 8192, in) == DC_BLK_STS_OK, "read after discard");
	for (i = 0; i < 4096; i++)
		EXPECT(t, !in[i], "discarded byte %zu is %#x", i, in[i]);
	EXPECT(t, !memcmp(in + 4096, out + 4096, 4096), "discard went too far");
	EXPECT(t, brw(d, DC_BLK_OP_FLUSH, 0, 0, NULL) == DC_BLK_STS_OK, "flush");
	EXPECT(t, brw(d, DC_BLK_OP_WRITE, NB_SECTORS - 1, 1024, out) == DC_BLK_STS_IOERR,
	       "a write past the end");
	EXPECT(t, status(d).faults == 0, "faulted: %s", status(d).last_fault);
}

static void nullblk_upgrade_keeps_data(struct test *t)
{
	struct dt_load_opts opts = { .params = NB_PARAMS };
	struct dt_domain *d = load(t, "null_blk", &opts);
	unsigned char out[4096], in[4096];
	char err[DT_ERROR_MAX];

	if (!d)
		return;
	memset(out, 0x5a, sizeof(out));
	brw(d, DC_BLK_OP_WRITE, 64, sizeof(out), out);
	EXPECT(t, dt_upgrade(d, image("null_blk-v2"), NULL, err) == 0, "upgrade: %s", err);
	EXPECT(t, brw(d, DC_BLK_OP_READ, 64, sizeof(in), in) == 0 && !memcmp(in, out, sizeof(in)),
	       "data lost in the upgrade");
	EXPECT(t, dt_upgrade(d, image("null_blk"), "memory_backed=1 size=8", err) == -EINVAL &&
	       strstr(err, "changes the devices"), "a bigger device: '%s'", err);
	EXPECT(t, !strcmp(status(d).version, "2.0.0"), "version %s", status(d).version);
}

static void nullblk_fault_requeue(struct test *t)
{
	struct dt_load_opts opts = { .params = NB_PARAMS " fault_inject=1" };
	struct dt_domain *d = load(t, "null_blk", &opts);
	unsigned char out[4096] = "DCFAULT:null:1", in[4096];
	long ret;

	if (!d)
		return;
	/* Faults once; requeued to the restarted instance, which writes it. */
	ret = brw(d, DC_BLK_OP_WRITE, NB_SECTORS - 8, sizeof(out), out);
	EXPECT(t, ret == DC_BLK_STS_OK, "the write returned %ld", ret);
	EXPECT(t, status(d).faults == 1 && status(d).requeues == 1,
	       "faults %llu, requeues %llu", (unsigned long long)status(d).faults,
	       (unsigned long long)status(d).requeues);
	EXPECT(t, !strncmp(status(d).last_fault, "page fault at nb_", 17) &&
	       strstr(status(d).last_fault, ": address 0x0"), "reported '%s'", status(d).last_fault);
	EXPECT(t, brw(d, DC_BLK_OP_READ, NB_SECTORS - 8, sizeof(in), in) == 0 &&
	       !memcmp(in, out, sizeof(in)), "the requeued write was lost");
	/* A range outside the request: a bad argument to req_copy. */
	memcpy(out, "DCFAULT:badcopy:2", 18);
	brw(d, DC_BLK_OP_WRITE, NB_SECTORS - 8, sizeof(out), out);
	EXPECT(t, strstr(status(d).last_fault, "bad service argument at nb_") &&
	       strstr(status(d).last_fault, ": svc->req_copy: request "),
	       "reported '%s'", status(d).last_fault);
	memcpy(out, "DCFAULT:nullbuf:3", 18);
	brw(d, DC_BLK_OP_WRITE, NB_SECTORS - 8, sizeof(out), out);
	EXPECT(t, strstr(status(d).last_fault, "svc->req_copy: 8 bytes at (nil) are not the domain's memory"),
	       "reported '%s'", status(d).last_fault);
}

/* ------------------------------------------------------------------ */
/*
 * Confinement: every kind of stray store, as tests/guest/57-confine.sh
 * makes them, caught before it lands.  A second crash ("victim", loaded
 * first so that relay's import reaches it) keeps pairs of objects next to
 * each other and a heap page; crash and relay stray; the victim then
 * checks its memory.
 */

/* The address a command ends with. */
enum stray_target {
	NO_ADDR,
	VICTIM_REDZONE,		/* past its last granule: its slot's red zone */
	VICTIM_HEAP,		/* the victim's heap page */
	TEST_OBJ,		/* an object of the test's (the kernel's) */
	TCB_WORD,		/* a variable of the test program (the TCB's) */
};

struct stray_case {
	const char *name;
	bool relay;		/* relay strays, not crash */
	const char *cmd;
	enum stray_target target;
	const char *what;	/* what the report says it hit */
};

static const struct stray_case stray_cases[] = {
	{ "neighbour", true, "stray neighbour", NO_ADDR, "8 bytes into memory of domain victim" },
	{ "redzone", false, "stray at", VICTIM_REDZONE,
	  "4 bytes into a red zone (past the end of an object)" },
	{ "freed", false, "stray freed", NO_ADDR, "bytes into freed or unallocated domain memory" },
	{ "given", true, "stray given", NO_ADDR, "1 byte into memory of domain victim" },
	{ "other-heap", false, "stray at", VICTIM_HEAP, "4 bytes into memory of domain victim" },
	{ "test-object", false, "stray at", TEST_OBJ, "4 bytes into an object the kernel holds" },
	{ "tcb", false, "stray at", TCB_WORD, "4 bytes into the test program (the TCB)" },
	{ "stack", false, "stray stack", NO_ADDR,
	  "bytes into a domain stack, outside the call's frames" },
	{ "null", false, "stray null", NO_ADDR, "bytes into unmapped low memory" },
};

static const struct stray_case *current_stray;

/* A word of the test program's, the TCB's in the kernel. */
static volatile uint32_t tcb_word = 0x600dcafe;

/* The victim's "obj=ADDR heap=ADDR" from its read. */
static bool victim_targets(struct dt_domain *victim, uint64_t *obj, uint64_t *heap)
{
	const char *line = read_str(victim, 0), *o = strstr(line, " obj="), *h = strstr(line, " heap=");

	return o && h && sscanf(o, " obj=%" SCNx64, obj) == 1 && sscanf(h, " heap=%" SCNx64, heap) == 1;
}

static void confine_stray(struct test *t)
{
	const struct stray_case *c = current_stray;
	struct dt_load_opts victim_opts = { .name = "victim" };
	struct dt_load_opts always = { .restart = DT_RESTART_ALWAYS };
	struct dt_domain *victim = load(t, "crash", &victim_opts), *relay, *crash, *d;
	char cmd[128], line[DT_ERROR_MAX + DC_NAME_MAX + 32];
	uint64_t obj, heap, addr = 0;
	dc_obj_t test_obj;
	struct dt_status st;
	const char *fault;
	long ret;

	if (!victim || write_str(victim, 0, "keep") != 4 ||
	    !(relay = load(t, "relay", &always)) || !(crash = load(t, "crash", &always))) {
		fail(t, "setup: victim, relay and crash");
		return;
	}
	EXPECT(t, victim_targets(victim, &obj, &heap), "victim says '%s'", read_str(victim, 0));
	EXPECT(t, status(crash).confined && status(relay).confined && status(victim).confined,
	       "not every domain is confined");
	test_obj = dt_obj_new(DC_OBJ_BYTES, "the test's", 10);
	EXPECT(t, test_obj, "dt_obj_new");
	switch (c->target) {
	case NO_ADDR:
		break;
	case VICTIM_REDZONE:
		addr = obj + 208;	/* 200 bytes: 13 granules */
		break;
	case VICTIM_HEAP:
		addr = heap;
		break;
	case TEST_OBJ:
		addr = (uintptr_t)dt_obj_data(test_obj, NULL);
		break;
	case TCB_WORD:
		addr = (uintptr_t)&tcb_word;
		break;
	}
	if (addr)
		snprintf(cmd, sizeof(cmd), "%s %#" PRIx64, c->cmd, addr);
	else
		snprintf(cmd, sizeof(cmd), "%s", c->cmd);

	d = c->relay ? relay : crash;
	ret = write_str(d, 0, cmd);
	st = status(d);
	fault = st.last_fault;
	EXPECT(t, ret == -EIO, "'%s' returned %ld, want -EIO", cmd, ret);
	EXPECT(t, st.faults == 1 && st.restarts == 1 && st.state == DT_STATE_RUNNING,
	       "faults %llu restarts %llu state %s", (unsigned long long)st.faults,
	       (unsigned long long)st.restarts, dt_state_name(st.state));
	/* Named by the function that made the store, the address and what it hit. */
	EXPECT(t, !strncmp(fault, "stray store at ", 15) &&
	       (fault[15] == '_' || (fault[15] >= 'a' && fault[15] <= 'z')) &&
	       strstr(fault, ": address 0x") && strstr(fault, c->what),
	       "reported '%s', want 'stray store at FUNC+0x..: address 0x..: ...%s'", fault, c->what);
	snprintf(line, sizeof(line), "domain-test: %s.dom: %s\n", st.name, fault);
	EXPECT(t, logged(line), "not in the log: %s", line);
	/* Caught before it landed: every target is as it was. */
	EXPECT(t, write_str(victim, 0, "check") == 5, "the victim's memory changed");
	EXPECT(t, tcb_word == 0x600dcafe, "the test program's word is %#x", tcb_word);
	EXPECT(t, !memcmp(dt_obj_data(test_obj, NULL), "the test's", 10),
	       "the test's object changed");
	EXPECT(t, status(victim).faults == 0, "the victim faulted: %s", status(victim).last_fault);
	dt_obj_free(test_obj);
	/* The restarted instance serves. */
	EXPECT(t, c->relay || !strncmp(read_str(crash, 0), "crash inits=2", 13),
	       "crash after the restart: '%s'", read_str(crash, 0));
}

/* An image built without the store checks needs confine_off, as in the kernel. */
static void confine_unconfined_refused(struct test *t)
{
	char err[DT_ERROR_MAX];

	EXPECT(t, !dt_load(image("crash-unconfined"), NULL, err) && errno == EPERM,
	       "loaded, or errno %d", errno);
	EXPECT(t, !strcmp(err, "image not built confined (its stores are unchecked): load it with confine=off to run it anyway"),
	       "error '%s'", err);
	EXPECT(t, !dt_find("crash"), "it is loaded");
}

static void confine_off_loads(struct test *t)
{
	struct dt_load_opts opts = { .name = "cu", .confine_off = 1, .restart = DT_RESTART_NEVER };
	struct dt_domain *d = load(t, "crash-unconfined", &opts);

	if (!d)
		return;
	EXPECT(t, !status(d).confined, "status says confined");
	EXPECT(t, logged("domain-test: cu: running unconfined (confine=off): its stores are not checked\n"),
	       "no warning in the log");
	EXPECT(t, !strcmp(read_str(d, 0), "crash inits=1 held=0\n"), "read '%s'", read_str(d, 0));
	/* Unchecked, its store through NULL is left to the trap. */
	EXPECT(t, write_str(d, 0, "stray null") == -EIO, "stray null did not fault");
	EXPECT(t, !strncmp(status(d).last_fault, "page fault at ", 14) &&
	       status(d).state == DT_STATE_DOWN, "state %s, reported '%s'",
	       dt_state_name(status(d).state), status(d).last_fault);
}

static void confine_upgrade(struct test *t)
{
	struct dt_load_opts off = { .name = "off", .confine_off = 1 };
	struct dt_domain *d = load(t, "crash", NULL), *o;
	char err[DT_ERROR_MAX];

	if (!d || !(o = load(t, "crash", &off)))
		return;
	EXPECT(t, dt_upgrade(d, image("crash-unconfined"), NULL, err) == -EPERM &&
	       strstr(err, "confine=off"), "upgrade to an unconfined image: '%s'", err);
	EXPECT(t, status(d).confined && status(d).upgrades == 0 && status(d).state == DT_STATE_RUNNING,
	       "the refused upgrade changed the domain");
	EXPECT(t, dt_upgrade(o, image("crash-unconfined"), NULL, err) == 0, "with confine_off: %s", err);
	EXPECT(t, !status(o).confined && logged("domain-test: off: running unconfined"),
	       "status or log after the upgrade");
	EXPECT(t, dt_upgrade(o, image("crash"), NULL, err) == 0 && status(o).confined,
	       "back to the confined image: %s", err);
}

/* ------------------------------------------------------------------ */
/* bench, and images the loader refuses */

static void bench_nop(struct test *t)
{
	struct dt_domain *d = load(t, "bench", NULL);
	uint64_t i;

	if (!d)
		return;
	for (i = 0; i < 100000; i++)
		EXPECT(t, dt_bench_nop(d, i) == (long)i + 1, "nop(%llu)", (unsigned long long)i);
	EXPECT(t, dt_file_write(d, 1, 0, "x") == -EPROTONOSUPPORT, "file.write on bench");
	EXPECT(t, status(d).calls == 100000, "calls %llu", (unsigned long long)status(d).calls);
}

static void image_refused(struct test *t)
{
	char path[512], err[DT_ERROR_MAX];

	snprintf(path, sizeof(path), "%s/../Makefile", images);
	EXPECT(t, !dt_load(path, NULL, err) && errno == ENOEXEC && !strncmp(err, "elf-file: ", 10),
	       "a makefile: errno %d '%s'", errno, err);
	EXPECT(t, !dt_load(image("no-such-image"), NULL, err) && errno == ENOENT,
	       "a missing file: errno %d", errno);
	EXPECT(t, load(t, "log", NULL) && !dt_load(image("log"), NULL, err) && errno == EEXIST,
	       "the same name twice: errno %d", errno);
}

int main(int argc, char **argv)
{
	char name[64];
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s IMAGES_DIR\n", argv[0]);
		return 2;
	}
	images = argv[1];
	run("log-records", log_records);
	run("emptydev-needs-log", emptydev_needs_log);
	run("emptydev-write-read", emptydev_write_read);
	run("emptydev-upgrade-v1-v2-v1", emptydev_upgrade_v1_v2_v1);
	run("emptydev-upgrade-rollback", emptydev_rollback);
	for (i = 0; i < sizeof(fault_cases) / sizeof(fault_cases[0]); i++) {
		current_case = &fault_cases[i];
		snprintf(name, sizeof(name), "crash-%s", fault_cases[i].cmd);
		run(name, crash_fault);
	}
	run("crash-restart-policies", crash_restart_policies);
	run("crash-mem-max", crash_mem_max);
	run("relay-callee-fault", relay_callee_fault);
	run("relay-chosen-provider", relay_chosen_provider);
	run("xfer-ownership", xfer_ownership);
	run("xfer-test-objects", xfer_test_objects);
	run("nullblk-rw-verify", nullblk_rw_verify);
	run("nullblk-upgrade-keeps-data", nullblk_upgrade_keeps_data);
	run("nullblk-fault-requeue", nullblk_fault_requeue);
	for (i = 0; i < sizeof(stray_cases) / sizeof(stray_cases[0]); i++) {
		current_stray = &stray_cases[i];
		snprintf(name, sizeof(name), "stray-%s", stray_cases[i].name);
		run(name, confine_stray);
	}
	run("confine-unconfined-refused", confine_unconfined_refused);
	run("confine-off-loads", confine_off_loads);
	run("confine-upgrade", confine_upgrade);
	run("bench-nop", bench_nop);
	run("image-refused", image_refused);
	return nr_failed ? 1 : 0;
}
