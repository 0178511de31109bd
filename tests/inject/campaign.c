// SPDX-License-Identifier: GPL-2.0
/*
 * "inject run": the fault-injection campaign inside the test VM (driven by
 * tests/guest/70-inject.sh).  For each seed: write the mutant of the
 * target's image, load it under the target's load (fio with verification
 * for null_blk, filestress's readers and writers for emptydev), let it
 * run until the load ends or the time limit, unload it, look at
 * everything it could have harmed, and classify (classify.c).
 *
 * Set up by the script before: domain_core loaded, "log" (emptydev
 * imports it) and "victim" (a crash domain that has done "keep": objects
 * and a heap page of a known pattern in the arena, re-checked after
 * every mutant) loaded.
 *
 * Lines for the host go to the results channel ($DC_RESULTS) and stdout:
 *
 *   INJ begin TARGET seed=N kind=K at=FUNC+0xOFF ... (inj_format())
 *   INJ end TARGET seed=N outcome=O why=REASONS fault=KIND faults=N ...
 *   INJ summary TARGET first=N count=N done=N no-effect=N ... escape=N
 *   INJ stop TARGET seed=N reason=...   (cannot go on in this boot)
 *
 * "begin" is also written to the kernel log, so that a mutant that takes
 * the kernel down is named on the console right before the panic.
 * --stop-on-escape (the long campaign) stops after an escape, so that what
 * follows runs in a fresh boot.
 * Exit status: 0 no escape, 1 some escape, 3 stopped early, 2 usage.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "uapi/domain_core.h"
#include "classify.h"
#include "mutate.h"
#include "campaign.h"

#define SYS		DC_SYSFS_PATH
#define MUTANT		"/tmp/inj-mutant.dom"
#define WORK_LOG	"/tmp/inj-work.log"
#define STOP_FILE	"/tmp/inj-stop"

struct target {
	const char *name;	/* the domain's name, and the target's */
	const char *image;	/* in $DC_DOMAINS */
	const char *params;
	const char *ud2_scope;	/* where the ud2 control faults */
	bool confine_off;
};

static const struct target targets[] = {
	{
		.name = "nullb", .image = "null_blk.dom",
		/* 16 MiB, 512-byte blocks: requests of many sizes and alignments. */
		.params = "nr_devices=1 size=16 bs=512 memory_backed=1 hw_queue_depth=64 submit_queues=2",
		.ud2_scope = "nb_rw",
	},
	{
		.name = "emptydev", .image = "emptydev.dom", .params = "",
		.ud2_scope = "ed_write",
	},
	{
		/*
		 * The escape control: an unconfined crash stores into the
		 * victim's heap page, which the checks must notice.
		 */
		.name = "strayer", .image = "crash-unconfined.dom", .params = "",
		.confine_off = true,
	},
};

static struct {
	const struct target *t;
	const char *image;
	int kind;
	const char *scope;
	unsigned int seconds;
	bool stop_on_escape;	/* a fresh boot for what comes after an escape */
	bool keep_stack;	/* the keep-stack model (mutate.h) */
	int results;		/* fd of the results channel, or -1 */
	int kmsg;		/* /dev/kmsg, non-blocking */
	const char *fio;
	const char *filestress;
} cfg;

/* ------------------------------------------------------------ output */

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	line[n] = '\0';
	fputs(line, stdout);
	fflush(stdout);
	if (cfg.results >= 0) {
		if (write(cfg.results, line, (size_t)n) != n)
			perror("inject: results channel");
		/* On the wire before we go on: the next step may kill the kernel. */
		if (isatty(cfg.results))
			tcdrain(cfg.results);
	}
}

static void kmsg_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void kmsg_note(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int fd = open("/dev/kmsg", O_WRONLY);

	if (fd < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (write(fd, line, strlen(line)) < 0)
		perror("inject: /dev/kmsg");
	close(fd);
}

/* ------------------------------------------------------------ helpers */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int read_str(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	buf[0] = '\0';
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

static long read_num(const char *path)
{
	char buf[64];

	if (read_str(path, buf, sizeof(buf)))
		return -1;
	return strtol(buf, NULL, 10);
}

static long dom_num(const char *dom, const char *what)
{
	char path[256];

	snprintf(path, sizeof(path), SYS "/domains/%s/%s", dom, what);
	return read_num(path);
}

static bool dom_loaded(const char *dom)
{
	char path[256];

	snprintf(path, sizeof(path), SYS "/domains/%s", dom);
	return access(path, F_OK) == 0;
}

/*
 * The TCB's totals, less what the long-lived domains (log, victim) hold:
 * after the mutant is unloaded they must be what they were before.
 */
static void totals(long t[5])
{
	static const char *const names[5] = {
		"exec_regions", "exec_pages", "heap_bytes", "shared_objects", "shared_bytes",
	};
	static const char *const keep[] = { "log", "victim" };
	char path[128];
	unsigned int i, k;

	for (i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), SYS "/%s", names[i]);
		t[i] = read_num(path);
		if (i < 2)
			continue;	/* regions and pages: per image, always there */
		for (k = 0; k < 2; k++)
			if (dom_loaded(keep[k]))
				t[i] -= dom_num(keep[k], names[i]);
	}
}

static long others_faults(void)
{
	long n = 0;

	if (dom_loaded("log"))
		n += dom_num("log", "faults");
	if (dom_loaded("victim"))
		n += dom_num("victim", "faults");
	return n;
}

static int dev_fd(void)
{
	static int fd = -1;

	if (fd < 0)
		fd = open(DC_DEVICE_PATH, O_RDWR);
	return fd;
}

static int load(const char *image, const char *name, const char *params, bool confine_off,
		char *err, size_t errlen)
{
	struct dc_load req;
	int fd = open(image, O_RDONLY), rc;

	err[0] = '\0';
	if (fd < 0) {
		snprintf(err, errlen, "open %s: %s", image, strerror(errno));
		return errno;
	}
	memset(&req, 0, sizeof(req));
	req.image_fd = fd;
	snprintf(req.name, sizeof(req.name), "%s", name);
	snprintf(req.params, sizeof(req.params), "%s", params);
	req.flags = confine_off ? DC_LOAD_F_CONFINE_OFF : 0;
	/*
	 * The default policy with a small limit, so a mutant that faults on
	 * every call goes down in a few faults; a short call budget, so a
	 * hang costs little time (100 ms: 50 is within TCG's scheduling
	 * noise, see 50-fault.sh); a memory cap, so a runaway allocation
	 * costs the domain and not the VM.
	 */
	req.restart_policy = DC_RESTART_ON_FAILURE;
	req.restart_max = 3;
	req.restart_window_ms = 60000;
	req.call_budget_ms = 100;
	req.mem_max = 64ull << 20;
	rc = ioctl(dev_fd(), DC_IOC_LOAD, &req) ? errno : 0;
	close(fd);
	if (rc)
		snprintf(err, errlen, "%s", req.error);
	return rc;
}

/* Unload, waiting out a busy device (up to 5 s): 0 or an errno. */
static int unload(const char *name)
{
	struct dc_unload req;
	int i;

	for (i = 0; i < 100; i++) {
		memset(&req, 0, sizeof(req));
		snprintf(req.name, sizeof(req.name), "%s", name);
		if (!ioctl(dev_fd(), DC_IOC_UNLOAD, &req))
			return 0;
		if (errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			return errno;
		sleep_ms(50);
	}
	return EBUSY;
}

/* Write @text to /dev/domain/@dom in one call: bytes written or -errno. */
static long dom_write(const char *dom, const char *text)
{
	char path[128];
	long n;
	int fd;

	snprintf(path, sizeof(path), "/dev/domain/%s", dom);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	if (n < 0)
		n = -errno;
	close(fd);
	return n;
}

/* ------------------------------------------------------------ kernel log */

struct kmsg_scan {
	unsigned int reports;		/* kernel trouble outside the TCB's reports */
	bool requeue_gave_up;
	bool start_fault;		/* "NAME.dom: ... (while starting" */
	char first_report[160];
	char fault[64];			/* kind of the first fault of the mutant */
};

/* Kernel messages that mean trouble (oops, BUG, WARN, lockups, slab damage). */
static bool trouble(const char *msg)
{
	static const char *const words[] = {
		"WARNING:", "kernel BUG", " [#", "Call Trace", "Kernel panic", "soft lockup",
		"detected stall", "blocked for more than", "corruption", "overwritten",
		"stack-protector", "nable to handle", "double free", "Bad page",
		"general protection fault", "invalid opcode", "divide error", "segfault at",
	};
	unsigned int i;

	if (!strncmp(msg, "BUG", 3))
		return true;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(msg, words[i]))
			return true;
	return false;
}

/* "page fault at nb_rw+0x12: ..." -> "page-fault". */
static void fault_kind(const char *what, char *kind, size_t size)
{
	const char *at = strstr(what, " at ");
	size_t n = at ? (size_t)(at - what) : strlen(what), i;

	if (n >= size)
		n = size - 1;
	for (i = 0; i < n; i++)
		kind[i] = what[i] == ' ' ? '-' : what[i];
	kind[n] = '\0';
}

static void kmsg_drain(struct kmsg_scan *s)
{
	char rec[2048], prefix[48];
	ssize_t n;

	snprintf(prefix, sizeof(prefix), "%s.dom: ", cfg.t ? cfg.t->name : "-");
	for (;;) {
		char *msg, *nl;

		n = read(cfg.kmsg, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on with the next */
		if (n <= 0)
			break;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (!s || !msg)
			continue;
		msg++;
		nl = strchr(msg, '\n');
		if (nl)
			*nl = '\0';
		if (!strncmp(msg, "domain_core: ", 13)) {
			const char *m = msg + 13, *p;

			/* The block shim gave a request up: fine only if the domain is down. */
			if ((p = strstr(m, "request failed after")) && (p = strchr(p, '(')) &&
			    strtol(p + 1, NULL, 10) != -ENODEV)
				s->requeue_gave_up = true;
			if (!strncmp(m, prefix, strlen(prefix))) {
				m += strlen(prefix);
				if (strstr(m, "(while starting"))
					s->start_fault = true;
				if (!s->fault[0] && strstr(m, " at "))
					fault_kind(m, s->fault, sizeof(s->fault));
			}
			continue;
		}
		if (!strncmp(msg, "inject: ", 8))
			continue;
		if (trouble(msg)) {
			if (!s->reports++)
				snprintf(s->first_report, sizeof(s->first_report), "%s", msg);
		}
	}
}

/* ------------------------------------------------------------ the loads */

struct work {
	bool timeout, stuck, failed_calls, wrong_data;
	int rc;
	char note[160];
};

/* Run @argv with stdout and stderr in WORK_LOG, for at most cfg.seconds. */
static void run_load(char *const argv[], struct work *w)
{
	double t0 = now();
	pid_t pid;
	int status = 0, fd;

	unlink(WORK_LOG);
	pid = fork();
	if (pid == 0) {
		fd = open(WORK_LOG, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	if (pid < 0) {
		w->rc = -1;
		snprintf(w->note, sizeof(w->note), "fork: %s", strerror(errno));
		return;
	}
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			break;
		if (now() - t0 > cfg.seconds && !w->timeout) {
			w->timeout = true;
			kill(pid, SIGKILL);
			t0 = now() - cfg.seconds;	/* 10 s more to die */
		} else if (w->timeout && now() - t0 > cfg.seconds + 10) {
			w->stuck = true;	/* in the kernel, uninterruptibly */
			return;
		}
		sleep_ms(10);
	}
	w->rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static char *slurp(const char *path, size_t max)
{
	char *buf = calloc(1, max + 1);
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (!buf)
		return NULL;
	if (fd >= 0) {
		n = read(fd, buf, max);
		if (n > 0)
			buf[n] = '\0';
		close(fd);
	}
	return buf;
}

/* Run the load and read its log; NULL if it got stuck or left none. */
static char *run_load_log(char *const argv[], struct work *w)
{
	run_load(argv, w);
	if (w->stuck)
		return NULL;
	return slurp(WORK_LOG, 1 << 16);
}

/*
 * fio writes 2 x 2 MiB in blocks of 512 bytes to 32 KiB in random order,
 * each block read back and checked (crc32c) after every 32 writes, and a
 * flush every 16 writes.
 */
static void load_nullb(struct work *w)
{
	char *argv[] = {
		(char *)cfg.fio, "--name=inj", "--filename=/dev/dnullb0", "--ioengine=psync",
		"--direct=1", "--rw=randwrite", "--bsrange=512-32k", "--size=2M",
		"--numjobs=2", "--offset_increment=2M", "--verify=crc32c",
		"--verify_backlog=32", "--do_verify=1", "--fsync=16", NULL,
	};
	char *log, *p;

	log = run_load_log(argv, w);
	if (!log)
		return;
	/* fio's verify reports, and its I/O errors (err= N in the job summary). */
	if (strstr(log, "verify") || strstr(log, "bad magic") || strstr(log, "bad header"))
		w->wrong_data = true;
	if (strstr(log, "io_u error") || strstr(log, "Input/output error"))
		w->failed_calls = true;
	for (p = log; (p = strstr(p, "err=")); p += 4)
		if (strtol(p + 4, NULL, 10) != 0 && !w->wrong_data)
			w->failed_calls = true;
	if (w->rc && !w->timeout && !w->wrong_data && !w->failed_calls)
		w->failed_calls = true;	/* fio failed some other way */
	if (w->wrong_data || w->failed_calls) {
		p = strstr(log, "verify");
		if (!p)
			p = strstr(log, "error");
		if (p) {
			snprintf(w->note, sizeof(w->note), "%.100s", p);
			for (char *c = w->note; *c; c++)
				if (*c == '\n' || *c == ' ')
					*c = '_';
		}
	}
	free(log);
}

/* filestress: 4 workers write, read back and compare their 1 KiB each. */
static void load_emptydev(struct work *w)
{
	/* Half a second: some 5000 calls under TCG, every path of emptydev's. */
	char *argv[] = {
		(char *)cfg.filestress, "0.5", STOP_FILE, "/dev/domain/emptydev", "4", NULL,
	};
	unsigned long calls = 0, errors = 0, mism = 0;
	char *log, *p;

	unlink(STOP_FILE);
	log = run_load_log(argv, w);
	if (!log)
		return;
	p = strstr(log, "calls=");
	if (p)
		sscanf(p, "calls=%lu errors=%lu mismatches=%lu", &calls, &errors, &mism);
	/* Status 3: a call stuck for 10 s, a hang the TCB should have ended. */
	if (w->rc == 3)
		w->stuck = true;
	w->wrong_data = mism > 0;
	w->failed_calls = errors > 0 || (w->rc && w->rc != 3 && !mism) || !p;
	snprintf(w->note, sizeof(w->note), "calls=%lu_errors=%lu_mismatches=%lu", calls,
		 errors, mism);
	free(log);
}

/* The escape control: one stray store into the victim's heap page. */
static void load_strayer(struct work *w)
{
	char line[256], cmd[64];
	const char *heap;
	int fd = open("/dev/domain/victim", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, line, sizeof(line) - 1) : -1;

	if (fd >= 0)
		close(fd);
	line[n > 0 ? n : 0] = '\0';
	heap = strstr(line, "heap=");
	if (!heap) {
		w->rc = 1;
		snprintf(w->note, sizeof(w->note), "the victim keeps no heap page");
		return;
	}
	snprintf(cmd, sizeof(cmd), "stray at %.*s", (int)strcspn(heap + 5, " \n"), heap + 5);
	if (dom_write(cfg.t->name, cmd) < 0)
		w->failed_calls = true;
	snprintf(w->note, sizeof(w->note), "%s", cmd);
	for (char *c = w->note; *c; c++)
		if (*c == ' ')
			*c = '_';
}

/* ------------------------------------------------------------ one mutant */

/*
 * Run one mutant (or a control: @control "good", "ud2" or "stray") and
 * classify it.  Returns the outcome, or -1 if the campaign cannot go on
 * in this boot (a stuck task, a domain that will not go).
 */
static int run_one(const struct inj_image *img, uint64_t seed, const char *control,
		   unsigned long counts[INJ_NR_OUTCOMES])
{
	struct inj_signals sig;
	struct inj_record rec;
	struct kmsg_scan scan;
	struct work w;
	char line[512], err[DC_ERROR_MAX], why[160], state[32] = "-", what[256];
	const char *image = MUTANT;
	long before[5], after[5], of0, taint0;
	double t0 = now();
	int outcome, fd, kind = cfg.kind;

	memset(&sig, 0, sizeof(sig));
	memset(&scan, 0, sizeof(scan));
	memset(&w, 0, sizeof(w));
	if (control && !strcmp(control, "ud2"))
		kind = INJ_UD2;
	if (control && strcmp(control, "ud2")) {
		/* The original (unsigned) image: nothing mutated. */
		snprintf(line, sizeof(line), "seed=%llu kind=none control=%s crc=%08x",
			 (unsigned long long)seed, control, img->crc);
		fd = open(MUTANT, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, img->file, img->len) != (ssize_t)img->len) {
			out("INJ stop %s seed=%llu reason=cannot-write-%s", cfg.t->name,
			    (unsigned long long)seed, MUTANT);
			return -1;
		}
		close(fd);
	} else {
		uint8_t *buf = malloc(img->len);

		if (!buf || inj_mutate(img, seed, kind, buf, &rec, err, sizeof(err))) {
			out("INJ stop %s seed=%llu reason=mutate:%s", cfg.t->name,
			    (unsigned long long)seed, buf ? err : "oom");
			free(buf);
			return -1;
		}
		inj_format(img, &rec, line, sizeof(line));
		if (control)
			snprintf(line + strlen(line), sizeof(line) - strlen(line), " control=%s",
				 control);
		fd = open(MUTANT, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, buf, img->len) != (ssize_t)img->len) {
			out("INJ stop %s seed=%llu reason=cannot-write-%s", cfg.t->name,
			    (unsigned long long)seed, MUTANT);
			free(buf);
			return -1;
		}
		close(fd);
		free(buf);
	}

	kmsg_drain(NULL);		/* what came before is not this mutant's */
	totals(before);
	of0 = others_faults();
	taint0 = read_num("/proc/sys/kernel/tainted");
	out("INJ begin %s %s", cfg.t->name, line);
	kmsg_note("inject: begin %s seed=%llu\n", cfg.t->name, (unsigned long long)seed);

	sig.load_errno = load(image, cfg.t->name, cfg.t->params, cfg.t->confine_off, err,
			      sizeof(err));
	/* What the load itself caused (a block device's partition scan calls rw). */
	kmsg_drain(&scan);
	sig.requeue_during_load = scan.requeue_gave_up;
	scan.requeue_gave_up = false;
	if (!sig.load_errno) {
		if (!strcmp(cfg.t->name, "nullb"))
			load_nullb(&w);
		else if (!strcmp(cfg.t->name, "emptydev"))
			load_emptydev(&w);
		else
			load_strayer(&w);
		sig.faults = (unsigned long)dom_num(cfg.t->name, "faults");
		snprintf(what, sizeof(what), SYS "/domains/%s/state", cfg.t->name);
		read_str(what, state, sizeof(state));
		sig.down = !strcmp(state, "down");
		snprintf(what, sizeof(what), SYS "/domains/%s/last_fault", cfg.t->name);
		read_str(what, what, sizeof(what));
		if (sig.faults)
			fault_kind(what, scan.fault, sizeof(scan.fault));
	}
	sig.workload_timeout = w.timeout;
	sig.workload_stuck = w.stuck;
	sig.failed_calls = w.failed_calls;
	sig.wrong_data = w.wrong_data;
	if (w.stuck) {
		kmsg_drain(&scan);
		out("INJ end %s seed=%llu outcome=escape why=stuck-task state=%s faults=%lu ms=%.0f",
		    cfg.t->name, (unsigned long long)seed, state, sig.faults, (now() - t0) * 1000);
		counts[INJ_ESCAPE]++;
		out("INJ stop %s seed=%llu reason=stuck-task", cfg.t->name, (unsigned long long)seed);
		return -1;
	}
	if (!sig.load_errno && unload(cfg.t->name))
		sig.unload_failed = true;

	/* What lies outside the mutant. */
	if (dom_loaded("victim") && dom_write("victim", "check") < 0)
		sig.victim_changed = true;
	if (dom_loaded("log") && dom_write("log", "inject: log still serves") < 0)
		sig.others_faulted = true;
	if (others_faults() != of0)
		sig.others_faulted = true;
	totals(after);
	sig.leaked = !sig.unload_failed && memcmp(before, after, sizeof(before)) != 0;
	sig.tainted = read_num("/proc/sys/kernel/tainted") != taint0;
	kmsg_drain(&scan);
	sig.kernel_reports = scan.reports;
	/*
	 * A request the shim gave up on is an escape if the domain came back
	 * to serve: the requeue should have carried it over the restart.  If
	 * the domain ended down, it failed on every try (its own bug: the
	 * restart policy, not the requeue, decides then); if the load failed,
	 * there was nothing to carry it to.
	 */
	sig.requeue_gave_up = scan.requeue_gave_up && !sig.down && !sig.load_errno;
	sig.requeue_during_load = sig.requeue_during_load && !sig.down && !sig.load_errno;
	/* A failed load with a fault of the domain's in the log: its fault. */
	sig.load_fault = sig.load_errno && (scan.start_fault || scan.fault[0]);

	outcome = inj_classify(&sig, why, sizeof(why));
	counts[outcome]++;
	snprintf(line, sizeof(line), "%s", sig.load_errno ? err : w.note);
	for (char *c = line; *c; c++)
		if (isspace((unsigned char)*c))
			*c = '_';
	out("INJ end %s seed=%llu outcome=%s why=%s fault=%s faults=%lu state=%s load=%d rc=%d note=%s ms=%.0f",
	    cfg.t->name, (unsigned long long)seed, inj_outcome_name(outcome), why[0] ? why : "-",
	    scan.fault[0] ? scan.fault : "-", sig.faults, sig.load_errno ? "not-loaded" : state,
	    sig.load_errno, w.rc, line[0] ? line : "-", (now() - t0) * 1000);
	if (w.rc && !sig.load_errno) {
		/* The load's own words, on the console only. */
		char *log = slurp(WORK_LOG, 2048);

		if (log) {
			printf("inject: the load said (exit %d):\n%s\n", w.rc, log);
			free(log);
		}
	}
	if (scan.reports)
		out("INJ report %s seed=%llu %s", cfg.t->name, (unsigned long long)seed,
		    scan.first_report);
	if (sig.leaked)
		out("INJ leak %s seed=%llu before=%ld,%ld,%ld,%ld,%ld after=%ld,%ld,%ld,%ld,%ld",
		    cfg.t->name, (unsigned long long)seed, before[0], before[1], before[2],
		    before[3], before[4], after[0], after[1], after[2], after[3], after[4]);
	if (sig.unload_failed) {
		out("INJ stop %s seed=%llu reason=unload-failed", cfg.t->name,
		    (unsigned long long)seed);
		return -1;
	}
	return outcome;
}

static const char *find_tool(const char *name, const char *const dirs[])
{
	static char path[4][256];
	static unsigned int next;
	char *p = path[next++ % 4];

	for (; *dirs; dirs++) {
		snprintf(p, 256, "%s/%s", *dirs, name);
		if (access(p, X_OK) == 0)
			return p;
	}
	return name;
}

static void run_usage(void)
{
	fprintf(stderr,
		"usage: inject run TARGET FIRST COUNT [--kind K] [--scope FUNCS] [--image FILE]\n"
		"                 [--seconds N] [--control good|ud2|stray] [--stop-on-escape]\n"
		"                 [--keep-stack]\n"
		"       TARGET: nullb, emptydev (strayer: the escape control only)\n");
}

int inj_campaign_main(int argc, char **argv)
{
	static const char *const dirs[] = { "/dc/bin", "/usr/local/bin", "/usr/bin", "/bin", NULL };
	unsigned long counts[INJ_NR_OUTCOMES] = { 0 };
	const char *control = NULL, *results = getenv("DC_RESULTS");
	char image[512];
	struct inj_image img;
	uint64_t first, count, i, done = 0;
	unsigned int t;
	int a, o, stopped = 0;
	void *file;
	size_t len;
	char sum[256];

	if (argc < 4) {
		run_usage();
		return 2;
	}
	for (t = 0; t < sizeof(targets) / sizeof(targets[0]); t++)
		if (!strcmp(argv[1], targets[t].name))
			cfg.t = &targets[t];
	first = strtoull(argv[2], NULL, 10);
	count = strtoull(argv[3], NULL, 10);
	cfg.kind = INJ_ANY;
	cfg.seconds = 20;
	for (a = 4; a < argc; a++) {
		if (!strcmp(argv[a], "--kind") && a + 1 < argc) {
			cfg.kind = inj_kind_find(argv[++a]);
		} else if (!strcmp(argv[a], "--scope") && a + 1 < argc) {
			cfg.scope = argv[++a];
		} else if (!strcmp(argv[a], "--image") && a + 1 < argc) {
			cfg.image = argv[++a];
		} else if (!strcmp(argv[a], "--seconds") && a + 1 < argc) {
			cfg.seconds = (unsigned int)strtoul(argv[++a], NULL, 10);
		} else if (!strcmp(argv[a], "--control") && a + 1 < argc) {
			control = argv[++a];
		} else if (!strcmp(argv[a], "--stop-on-escape")) {
			cfg.stop_on_escape = true;
		} else if (!strcmp(argv[a], "--keep-stack")) {
			cfg.keep_stack = true;
		} else {
			run_usage();
			return 2;
		}
	}
	if (!cfg.t || cfg.kind == -2 || !cfg.seconds ||
	    (control && strcmp(control, "good") && strcmp(control, "ud2") &&
	     strcmp(control, "stray"))) {
		run_usage();
		return 2;
	}
	if (!cfg.image) {
		snprintf(image, sizeof(image), "%s/%s",
			 getenv("DC_DOMAINS") ? getenv("DC_DOMAINS") : "/dc/domains", cfg.t->image);
		cfg.image = image;
	}
	if (control && !strcmp(control, "ud2") && !cfg.scope)
		cfg.scope = cfg.t->ud2_scope;
	cfg.results = results && *results ? open(results, O_WRONLY | O_APPEND | O_NOCTTY) : -1;
	cfg.kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (cfg.kmsg < 0) {
		perror("inject: /dev/kmsg");
		return 2;
	}
	lseek(cfg.kmsg, 0, SEEK_END);
	cfg.fio = find_tool("fio", dirs);
	cfg.filestress = find_tool("filestress", dirs);
	if (inj_read_file(cfg.image, &file, &len)) {
		fprintf(stderr, "inject: %s: %s\n", cfg.image, strerror(errno));
		return 2;
	}
	if (inj_open(&img, file, len, cfg.scope)) {
		fprintf(stderr, "inject: %s: %s\n", cfg.image, img.err);
		free(file);
		return 2;
	}
	free(file);
	img.keep_stack = cfg.keep_stack;
	/* The campaign's own domain must not be there already. */
	if (dom_loaded(cfg.t->name) && unload(cfg.t->name)) {
		fprintf(stderr, "inject: %s is loaded and does not unload\n", cfg.t->name);
		return 2;
	}
	for (i = 0; i < count; i++) {
		o = run_one(&img, first + i, control, counts);
		done++;
		if (o == INJ_ESCAPE && cfg.stop_on_escape && i + 1 < count) {
			out("INJ stop %s seed=%llu reason=escape", cfg.t->name,
			    (unsigned long long)(first + i));
			o = -1;
		}
		if (o < 0) {
			stopped = 1;
			break;
		}
	}
	snprintf(sum, sizeof(sum), "INJ summary %s first=%llu count=%llu done=%llu", cfg.t->name,
		 (unsigned long long)first, (unsigned long long)count, (unsigned long long)done);
	for (o = 0; o < INJ_NR_OUTCOMES; o++)
		snprintf(sum + strlen(sum), sizeof(sum) - strlen(sum), " %s=%lu",
			 inj_outcome_name(o), counts[o]);
	out("%s", sum);
	inj_close(&img);
	if (stopped)
		return 3;
	return counts[INJ_ESCAPE] ? 1 : 0;
}
