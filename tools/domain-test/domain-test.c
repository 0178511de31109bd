// SPDX-License-Identifier: GPL-2.0
/*
 * domain-test: load a domain image in this process (libdomaintest) and
 * run commands against it, for shell tests.
 *
 *   domain-test [OPTIONS] IMAGE [COMMAND]...
 *
 * Each COMMAND is one argument; with none, they are read from stdin, one
 * per line.  Each prints one line (logs: any number): a number, the data
 * read, or "-ENAME" for an error ("-ENAME: why" for the lifecycle).
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "domain_test.h"
#include "domain/iface/all.h"

static const char usage[] =
	"usage: domain-test [OPTIONS] IMAGE [COMMAND]...\n"
	"Loads IMAGE in this process and runs the commands (one per argument, or\n"
	"one per line on stdin).\n"
	"\n"
	"  --import IMAGE      load IMAGE first, to provide what IMAGE needs (repeat)\n"
	"  --name NAME         IMAGE's domain name (default: its note's)\n"
	"  --params PARAMS     IMAGE's parameters, e.g. 'memory_backed=1 size=4'\n"
	"  --call-budget-ms N  the time one call may run (default 200)\n"
	"  --restart POLICY    on-failure (default), always or never\n"
	"  --confine off       run IMAGE (and its upgrades) even if built without the\n"
	"                      store checks, as the kernel's confine=off\n"
	"  -v                  print log lines to stderr as they come\n"
	"\n"
	"Commands (TEXT may use \\n, \\t, \\\\ and \\xHH):\n"
	"  write OFF TEXT      file.write; prints the byte count\n"
	"  read OFF LEN        file.read; prints the bytes\n"
	"  log LEVEL TEXT      log.write one record\n"
	"  nop X               bench.nop; bench N: N calls, the time per call\n"
	"  info WHAT [DEV]     block.info (devices, block_size, capacity, queues, depth)\n"
	"  bwrite SECTOR TEXT  block write of TEXT, padded with zeros to 512 bytes\n"
	"  bread SECTOR BYTES  block read; prints the bytes up to the trailing zeros\n"
	"  bdiscard SECTOR BYTES, bflush\n"
	"  upgrade IMAGE [PARAMS], restart, unload\n"
	"  fault?              the last fault, or 'none'\n"
	"  status              name, version, state and counters\n"
	"  logs                the log lines since the last 'logs'\n"
	"  use NAME            send the following commands to domain NAME\n";

static struct dt_domain *target;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static const char *errno_name(long e)
{
	static const struct { int e; const char *name; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EIO, "EIO" },
		{ E2BIG, "E2BIG" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
		{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
		{ ENODEV, "ENODEV" }, { EINVAL, "EINVAL" }, { ENOSPC, "ENOSPC" },
		{ ENODATA, "ENODATA" }, { ENOLINK, "ENOLINK" }, { EPROTO, "EPROTO" },
		{ EBADMSG, "EBADMSG" }, { EMSGSIZE, "EMSGSIZE" }, { ELOOP, "ELOOP" },
		{ EPROTONOSUPPORT, "EPROTONOSUPPORT" }, { EOPNOTSUPP, "EOPNOTSUPP" },
		{ ENOEXEC, "ENOEXEC" }, { EFBIG, "EFBIG" }, { ERANGE, "ERANGE" },
		{ EKEYREJECTED, "EKEYREJECTED" },
	};
	static char num[24];
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].name;
	snprintf(num, sizeof(num), "E%ld", e);
	return num;
}

static void print_result(long ret)
{
	if (ret < 0)
		printf("-%s\n", errno_name(-ret));
	else
		printf("%ld\n", ret);
}

/* \n, \t, \\, \0 and \xHH; the length of what went into @out. */
static size_t unescape(const char *in, char *out)
{
	size_t n = 0;

	for (; *in; in++) {
		if (*in != '\\' || !in[1]) {
			out[n++] = *in;
			continue;
		}
		switch (*++in) {
		case 'n':
			out[n++] = '\n';
			break;
		case 't':
			out[n++] = '\t';
			break;
		case '0':
			out[n++] = '\0';
			break;
		case 'x': {
			char hex[3] = { in[1], in[1] ? in[2] : 0, 0 };

			out[n++] = (char)strtoul(hex, NULL, 16);
			in += strlen(hex);
			break;
		}
		default:
			out[n++] = *in;
		}
	}
	return n;
}

static void print_escaped(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n')
			fputs("\\n", stdout);
		else if (p[i] == '\\')
			fputs("\\\\", stdout);
		else if (p[i] < 0x20 || p[i] >= 0x7f)
			printf("\\x%02x", p[i]);
		else
			putchar(p[i]);
	}
	putchar('\n');
}

static bool number(const char *s, uint64_t *v)
{
	char *end;

	if (!s)
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && end != s && !*end;
}

static long block_rw(unsigned int op, uint64_t sector, uint64_t bytes, void *buf)
{
	return dt_block_rw(target, DC_BLK_DEVOP(0, op), sector, bytes, buf);
}

static int info_what(const char *s)
{
	static const char *const names[] = {
		[DC_BLK_INFO_NR_DEVICES] = "devices",
		[DC_BLK_INFO_BLOCK_SIZE] = "block_size",
		[DC_BLK_INFO_CAPACITY] = "capacity",
		[DC_BLK_INFO_NR_QUEUES] = "queues",
		[DC_BLK_INFO_QUEUE_DEPTH] = "depth",
	};
	uint64_t v;

	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i]))
			return i;
	return number(s, &v) ? (int)v : -1;
}

static void print_status(void)
{
	struct dt_status st;

	dt_status(target, &st);
	printf("%s %s %s %s calls=%llu faults=%llu restarts=%llu upgrades=%llu "
	       "requeues=%llu mem=%llu objects=%llu\n", st.name, st.iface, st.version,
	       dt_state_name(st.state), (unsigned long long)st.calls,
	       (unsigned long long)st.faults, (unsigned long long)st.restarts,
	       (unsigned long long)st.upgrades, (unsigned long long)st.requeues,
	       (unsigned long long)st.mem_used, (unsigned long long)st.objects);
}

/* One command line; 0, or -1 if it is malformed. */
static int run(char *line)
{
	char *cmd = strtok(line, " \t\n"), *a1 = strtok(NULL, " \t\n");
	char *rest = strtok(NULL, "\n"), err[DT_ERROR_MAX];
	static char buf[1 << 16];
	uint64_t x = 0, y = 0;
	long ret;

	if (!cmd || cmd[0] == '#')
		return 0;
	if (!target && strcmp(cmd, "use"))
		return -1;	/* after "unload" */
	if (!strcmp(cmd, "write") && number(a1, &x) && rest) {
		print_result(dt_file_write(target, unescape(rest, buf), x, buf));
	} else if (!strcmp(cmd, "read") && number(a1, &x) && number(rest, &y)) {
		ret = dt_file_read(target, y, x, buf);
		if (ret < 0)
			print_result(ret);
		else
			print_escaped((unsigned char *)buf, ret);
	} else if (!strcmp(cmd, "log") && number(a1, &x) && rest) {
		buf[unescape(rest, buf)] = '\0';
		print_result(dt_log_write(target, (int)x, buf));
	} else if (!strcmp(cmd, "nop") && number(a1, &x)) {
		print_result(dt_bench_nop(target, x));
	} else if (!strcmp(cmd, "bench") && number(a1, &x) && x) {
		uint64_t t0 = now_ns(), i;

		for (i = 0; i < x; i++)
			if (dt_bench_nop(target, i) != (long)i + 1)
				break;
		printf("%llu calls, %llu ns per call\n", (unsigned long long)i,
		       (unsigned long long)((now_ns() - t0) / x));
	} else if (!strcmp(cmd, "info") && a1 && info_what(a1) >= 0 &&
		   (!rest || number(rest, &y))) {
		print_result(dt_block_info(target, rest ? y : 0, info_what(a1)));
	} else if (!strcmp(cmd, "bwrite") && number(a1, &x) && rest) {
		size_t n = unescape(rest, buf), bytes = (n + 511) / 512 * 512;

		memset(buf + n, 0, bytes - n);
		print_result(block_rw(DC_BLK_OP_WRITE, x, bytes, buf));
	} else if (!strcmp(cmd, "bread") && number(a1, &x) && number(rest, &y) &&
		   y <= sizeof(buf)) {
		ret = block_rw(DC_BLK_OP_READ, x, y, buf);
		if (ret) {
			print_result(ret);
		} else {
			while (y && !buf[y - 1])
				y--;
			print_escaped((unsigned char *)buf, y);
		}
	} else if (!strcmp(cmd, "bdiscard") && number(a1, &x) && number(rest, &y)) {
		print_result(block_rw(DC_BLK_OP_DISCARD, x, y, NULL));
	} else if (!strcmp(cmd, "bflush") && !a1) {
		print_result(block_rw(DC_BLK_OP_FLUSH, 0, 0, NULL));
	} else if (!strcmp(cmd, "upgrade") && a1) {
		struct dt_status before, after;

		dt_status(target, &before);
		ret = dt_upgrade(target, a1, rest, err);
		dt_status(target, &after);
		if (ret)
			printf("-%s: %s\n", errno_name(-ret), err);
		else
			printf("%s -> %s\n", before.version, after.version);
	} else if (!strcmp(cmd, "restart") && !a1) {
		ret = dt_restart(target, err);
		if (ret)
			printf("-%s: %s\n", errno_name(-ret), err);
		else
			printf("restarted\n");
	} else if (!strcmp(cmd, "unload") && !a1) {
		ret = dt_unload(target, err);
		if (ret)
			printf("-%s: %s\n", errno_name(-ret), err);
		else
			printf("unloaded\n");
		if (!ret)
			target = NULL;
	} else if (!strcmp(cmd, "fault?") && !a1) {
		struct dt_status st;

		dt_status(target, &st);
		printf("%s\n", st.last_fault[0] ? st.last_fault : "none");
	} else if (!strcmp(cmd, "status") && !a1) {
		print_status();
	} else if (!strcmp(cmd, "logs") && !a1) {
		fputs(dt_log_text(), stdout);
		dt_log_clear();
	} else if (!strcmp(cmd, "use") && a1 && !rest) {
		if (!dt_find(a1)) {
			fprintf(stderr, "domain-test: no domain named '%s'\n", a1);
			return -1;
		}
		target = dt_find(a1);
		printf("%s\n", a1);
	} else {
		return -1;
	}
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "import", required_argument, NULL, 'i' },
		{ "name", required_argument, NULL, 'n' },
		{ "params", required_argument, NULL, 'p' },
		{ "call-budget-ms", required_argument, NULL, 'b' },
		{ "restart", required_argument, NULL, 'r' },
		{ "confine", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dt_load_opts opts = { 0 };
	const char *imports[16];
	unsigned int nr_imports = 0, i;
	char err[DT_ERROR_MAX], line[1 << 16];
	uint64_t v;
	int c, status = 0;

	/* "+": the options end at IMAGE; the commands follow. */
	while ((c = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (nr_imports == sizeof(imports) / sizeof(imports[0]))
				goto bad_usage;
			imports[nr_imports++] = optarg;
			break;
		case 'n':
			opts.name = optarg;
			break;
		case 'p':
			opts.params = optarg;
			break;
		case 'b':
			if (!number(optarg, &v) || v > 2000)
				goto bad_usage;
			opts.call_budget_ms = v;
			break;
		case 'r':
			if (!strcmp(optarg, "on-failure"))
				opts.restart = DT_RESTART_ON_FAILURE;
			else if (!strcmp(optarg, "always"))
				opts.restart = DT_RESTART_ALWAYS;
			else if (!strcmp(optarg, "never"))
				opts.restart = DT_RESTART_NEVER;
			else
				goto bad_usage;
			break;
		case 'c':
			if (!strcmp(optarg, "off"))
				opts.confine_off = 1;
			else if (!strcmp(optarg, "on"))
				opts.confine_off = 0;
			else
				goto bad_usage;
			break;
		case 'v':
			dt_log_echo(stderr);
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			goto bad_usage;
		}
	}
	if (optind >= argc)
		goto bad_usage;
	for (i = 0; i < nr_imports; i++) {
		if (!dt_load(imports[i], NULL, err)) {
			fprintf(stderr, "domain-test: %s: %s\n", imports[i], err);
			return 1;
		}
	}
	target = dt_load(argv[optind], &opts, err);
	if (!target) {
		fprintf(stderr, "domain-test: %s: %s\n", argv[optind], err);
		return 1;
	}
	for (c = optind + 1; c < argc && !status; c++) {
		snprintf(line, sizeof(line), "%s", argv[c]);
		if (run(line)) {
			fprintf(stderr, "domain-test: bad command '%s' (--help lists them)\n",
				argv[c]);
			status = 2;
		}
	}
	if (optind + 1 == argc) {
		while (!status && fgets(line, sizeof(line), stdin)) {
			char copy[sizeof(line)];

			strcpy(copy, line);
			if (run(line)) {
				fprintf(stderr, "domain-test: bad command '%s' (--help lists them)\n",
					strtok(copy, "\n"));
				status = 2;
			}
		}
	}
	dt_unload_all();
	return status;

bad_usage:
	fputs(usage, stderr);
	return 2;
}
