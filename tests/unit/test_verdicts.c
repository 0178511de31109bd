// SPDX-License-Identifier: GPL-2.0
/*
 * domainctl verify against the kernel's parser, image by image, over the
 * whole malformed-image corpus: the good images, mkbad's variants of each,
 * every in-memory case of test_elf_bad.c applied to every good image, and
 * the signed images and malformed signature trailers of test_image_sig.c,
 * written out to files.  For each image, the real domainctl binary
 * (--json) and the kernel's parsers must both accept or both refuse it,
 * name the same set of rules, and put the same rule first.  The parsers'
 * verdict is dc_sig_parse() and then dc_elf_parse() on the signed content,
 * as in the kernel; after a malformed trailer, domainctl goes on to list
 * what the ELF rules say of the whole file, and so does the model here.
 *
 * domainctl links the same elf_image.c, so what this guards is everything
 * around it: reading the file (sizes, the cap, short reads), collecting
 * and capping the reports, and printing them.  One result line per group
 * of images (verdicts-good, verdicts-mkbad-IMAGE, verdicts-elf-bad-IMAGE).
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "loader/image_sig.h"
#include "test.h"

extern char **environ;

struct verdict {
	int ok;
	int first_rule;				/* -1 if none */
	unsigned char rules[DC_NR_RULES];	/* which were named */
};

struct entry {
	char path[600];
	struct verdict parser;
};

struct group {
	const char *domainctl;
	struct entry *e;
	int n;
	char why[1024];		/* set if the group cannot be compared */
};

static void add_entry(struct group *g, const char *path, const void *data, size_t len)
{
	struct dc_elf_info info;
	struct reports r;
	struct dc_sig sig;
	struct entry *e;
	int err;

	g->e = realloc(g->e, (g->n + 1) * sizeof(*g->e));
	if (!g->e) {
		perror("realloc");
		exit(2);
	}
	e = &g->e[g->n++];
	memset(e, 0, sizeof(*e));
	snprintf(e->path, sizeof(e->path), "%s", path);
	memset(&r, 0, sizeof(r));
	err = dc_sig_parse(data, len, &sig, reports_collect, &r);
	err = dc_elf_parse(data, err ? len : sig.content_len, &info, reports_collect, &r) || err;
	e->parser.ok = !err;
	e->parser.first_rule = r.count ? dc_elf_rule_find(r.first_rule) : -1;
	memcpy(e->parser.rules, r.rules, sizeof(r.rules));
	if (!reports_well_formed(&r) && !g->why[0])
		snprintf(g->why, sizeof(g->why), "%s: the parser made a report without a rule id",
			 path);
}

/* Write @len bytes to @path; trailing zeros as a hole (file-too-big is 64 MiB). */
static int write_sparse(const char *path, const unsigned char *data, size_t len)
{
	size_t used = len;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644), ok;

	if (fd < 0)
		return -1;
	while (used && !data[used - 1])
		used--;
	ok = write(fd, data, used) == (ssize_t)used && !ftruncate(fd, (off_t)len);
	return close(fd) || !ok ? -1 : 0;
}

/* Run "domainctl --json verify" on every image of @g; its stdout, malloc'ed. */
static char *run_domainctl(struct group *g)
{
	char **argv = calloc(g->n + 4, sizeof(*argv));
	posix_spawn_file_actions_t fa;
	size_t len = 0, cap = 65536;
	char *out = malloc(cap);
	int pipefd[2], status;
	pid_t pid;
	ssize_t got;

	if (!argv || !out || pipe(pipefd)) {
		perror("domainctl");
		exit(2);
	}
	argv[0] = (char *)g->domainctl;
	argv[1] = "--json";
	argv[2] = "verify";
	for (int i = 0; i < g->n; i++)
		argv[3 + i] = g->e[i].path;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	errno = posix_spawn(&pid, g->domainctl, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	free(argv);
	if (errno) {
		snprintf(g->why, sizeof(g->why), "cannot run %s: %s", g->domainctl,
			 strerror(errno));
		close(pipefd[0]);
		free(out);
		return NULL;
	}
	while ((got = read(pipefd[0], out + len, cap - len - 1)) > 0) {
		len += (size_t)got;
		if (cap - len < 4096 && !(out = realloc(out, cap *= 2))) {
			perror("realloc");
			exit(2);
		}
	}
	out[len] = '\0';
	close(pipefd[0]);
	/* Exit status 1 just means "some image is bad"; more is a failure. */
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) > 1) {
		snprintf(g->why, sizeof(g->why), "%s exited abnormally (status 0x%x)",
			 g->domainctl, status);
		free(out);
		return NULL;
	}
	return out;
}

/*
 * domainctl's verdict on the image of the object starting at @obj and
 * ending before @end.  Its messages are JSON-escaped, so a '"rule":"'
 * inside one cannot be mistaken for a member.
 */
static void json_verdict(const char *obj, const char *end, struct verdict *v)
{
	static const char rule_key[] = "\"rule\":\"";
	const char *p = obj;

	memset(v, 0, sizeof(*v));
	v->first_rule = -1;
	p = strstr(obj, "\"ok\":");
	v->ok = p && p < end && !strncmp(p + 5, "true", 4);
	for (p = obj; (p = strstr(p, rule_key)) && p < end; ) {
		char name[64];
		size_t n;
		int id;

		p += sizeof(rule_key) - 1;
		n = strcspn(p, "\"");
		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		id = dc_elf_rule_find(name);
		if (id < 0)
			id = DC_NR_RULES;	/* unknown: never equal to the parser's */
		else
			v->rules[id] = 1;
		if (v->first_rule < 0)
			v->first_rule = id;
	}
}

static const char *rule_name(int id)
{
	return id < 0 ? "(none)" : dc_elf_rule_name((unsigned int)id);
}

/* The rules in @a and not in @b, as "x y z" in @buf. */
static const char *rules_only_in(const struct verdict *a, const struct verdict *b,
				 char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int id = 0; id < DC_NR_RULES && used < len; id++)
		if (a->rules[id] && !b->rules[id])
			used += snprintf(buf + used, len - used, " %s", dc_elf_rule_name(id));
	return buf[0] ? buf + 1 : "(none)";
}

static void compare_group(struct test *t, const void *arg)
{
	struct group *g = (struct group *)arg;
	static const char marker[] = "{\"image\":\"";
	const char *obj, *next;
	char *out;

	EXPECT(t, !g->why[0], "%s", g->why);
	EXPECT(t, g->n > 0, "no images");
	out = run_domainctl(g);
	EXPECT(t, out, "%s", g->why);
	obj = strstr(out, marker);
	for (int i = 0; i < g->n && !t->failed; i++, obj = next) {
		const struct entry *e = &g->e[i];
		struct verdict d;

		if (!obj || strncmp(obj + sizeof(marker) - 1, e->path, strlen(e->path))) {
			test_fail(t, "%s: not the next image in domainctl's output", e->path);
			break;
		}
		next = strstr(obj + 1, marker);
		json_verdict(obj, next ? next : obj + strlen(obj), &d);
		if (d.ok != e->parser.ok)
			test_fail(t, "%s: domainctl %s it, the parser %s it", e->path,
				  d.ok ? "accepts" : "refuses", e->parser.ok ? "accepts" : "refuses");
		else if (d.first_rule != e->parser.first_rule)
			test_fail(t, "%s: domainctl's first problem is under %s, the parser's under %s",
				  e->path, rule_name(d.first_rule), rule_name(e->parser.first_rule));
		else if (memcmp(d.rules, e->parser.rules, sizeof(d.rules))) {
			char mine[256], theirs[256];

			test_fail(t, "%s: rules only domainctl names: %s; only the parser: %s",
				  e->path, rules_only_in(&d, &e->parser, mine, sizeof(mine)),
				  rules_only_in(&e->parser, &d, theirs, sizeof(theirs)));
		}
	}
	free(out);
}

static void run_group(struct group *g, const char *fmt, const char *label)
{
	test_run(compare_group, g, fmt, label);
	free(g->e);
}

/* test_elf_bad.c's cases applied to @img, written to @work/elf-bad-NAME/. */
static void elf_bad_group(struct group *g, const char *work, const struct image *img)
{
	char dir[512], path[600];

	snprintf(dir, sizeof(dir), "%s/elf-bad-%s", work, img->name);
	if (mkdir(work, 0755) && errno != EEXIST)
		snprintf(g->why, sizeof(g->why), "cannot create %s: %s", work, strerror(errno));
	if (mkdir(dir, 0755) && errno != EEXIST)
		snprintf(g->why, sizeof(g->why), "cannot create %s: %s", dir, strerror(errno));
	for (size_t i = 0; i < elf_bad_case_count() && !g->why[0]; i++) {
		size_t len;
		unsigned char *b = elf_bad_case_apply(i, img, &len);

		if (!b)
			continue;
		snprintf(path, sizeof(path), "%s/%s.dom", dir, elf_bad_case_name(i));
		if (write_sparse(path, b, len))
			snprintf(g->why, sizeof(g->why), "cannot write %s", path);
		else
			add_entry(g, path, b, len);
		free(b);
	}
}

static void images_group(struct group *g, const char *dir)
{
	struct image *imgs;
	int n = images_in(dir, &imgs);

	for (int i = 0; i < n; i++) {
		add_entry(g, imgs[i].path, imgs[i].data, imgs[i].len);
		image_free(&imgs[i]);
	}
	free(imgs);
}

/* test_image_sig.c's signed and malformed images, written to @work/sig/. */
static void sig_group(struct group *g, const char *work)
{
	const struct sig_sample *s;
	size_t n = sig_samples(&s);
	char dir[512], path[600];

	snprintf(dir, sizeof(dir), "%s/sig", work);
	if (mkdir(work, 0755) && errno != EEXIST)
		snprintf(g->why, sizeof(g->why), "cannot create %s: %s", work, strerror(errno));
	if (mkdir(dir, 0755) && errno != EEXIST)
		snprintf(g->why, sizeof(g->why), "cannot create %s: %s", dir, strerror(errno));
	for (size_t i = 0; i < n && !g->why[0]; i++) {
		snprintf(path, sizeof(path), "%s/%s.dom", dir, s[i].name);
		if (write_sparse(path, s[i].data, s[i].len))
			snprintf(g->why, sizeof(g->why), "cannot write %s", path);
		else
			add_entry(g, path, s[i].data, s[i].len);
	}
}

void verdict_tests(const char *domainctl, const char *work, const char *images_dir,
		   char **mkbad_args, int nr_mkbad_args)
{
	struct image *imgs;
	int n = images_in(images_dir, &imgs);
	struct group g = { .domainctl = domainctl };

	images_group(&g, images_dir);
	run_group(&g, "verdicts-%s", "good");
	for (int i = 0; i + 2 < nr_mkbad_args; i += 3) {
		g = (struct group){ .domainctl = domainctl };
		images_group(&g, mkbad_args[i + 1]);
		run_group(&g, "verdicts-mkbad-%s", mkbad_args[i + 2]);
	}
	if (sig_samples(&(const struct sig_sample *){ NULL })) {
		g = (struct group){ .domainctl = domainctl };
		sig_group(&g, work);
		run_group(&g, "verdicts-%s", "signatures");
	}
	for (int i = 0; i < n; i++) {
		g = (struct group){ .domainctl = domainctl };
		elf_bad_group(&g, work, &imgs[i]);
		run_group(&g, "verdicts-elf-bad-%s", imgs[i].name);
		image_free(&imgs[i]);
	}
	free(imgs);
}
