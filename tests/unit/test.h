/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal test harness for the host-side unit tests.  Every test prints
 * exactly one line, "PASS unit/NAME" or "FAIL unit/NAME: REASON", which is
 * what tests/run counts.
 */
#ifndef DC_UNIT_TEST_H
#define DC_UNIT_TEST_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>
#include "loader/elf_image.h"

struct test {
	const char *name;
	int failed;
	char why[512];
};

typedef void test_fn(struct test *t, const void *arg);

/* Run @fn as test unit/@name (printf-style) and print its result line. */
void test_run(test_fn *fn, const void *arg, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Print "SKIP unit/NAME: REASON" for a test that cannot run here. */
void test_skip(const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Record a failure (the first one wins: it is usually the cause). */
void test_fail(struct test *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Number of tests that failed so far. */
int test_failures(void);

/* Check @cond; on failure record the reason and leave the test function. */
#define EXPECT(t, cond, ...)					\
	do {							\
		if (!(cond)) {					\
			test_fail((t), __VA_ARGS__);		\
			return;					\
		}						\
	} while (0)

/* A whole file in a malloc'ed buffer of exactly its size (for ASan). */
struct image {
	char path[512];
	char name[64];		/* file name without .dom */
	unsigned char *data;
	size_t len;
};

int image_read(const char *path, struct image *img);
void image_free(struct image *img);

/* A private, exactly sized copy of @len bytes of @img (ASan sees overruns). */
unsigned char *image_copy(const struct image *img, size_t len);

/* What dc_elf_parse()/dc_elf_build() reported through the callback. */
struct reports {
	int count;
	int first_err;
	char first_msg[200];
	const char *first_rule;
	int bad_err;		/* a report with err >= 0 */
	int empty_msg;		/* a report with an empty message */
	int bad_rule;		/* a report without a known rule id */
	/* Which rules were reported (by number), for the verdict comparison. */
	unsigned char rules[DC_NR_RULES];
};

void reports_collect(void *ctx, int err, const char *rule, const char *msg);

/* Every report a negative errno with a message and a known rule id. */
static inline int reports_well_formed(const struct reports *r)
{
	return !r->bad_err && !r->empty_msg && !r->bad_rule;
}

/* dc_elf_parse() with a fresh report collector. */
int parse_image(const void *data, size_t len, struct dc_elf_info *info,
		struct reports *r);

/* Name of a (negative or positive) errno value, "E?" if unknown. */
const char *errno_name(int err);

/* ELF accessors on an image in memory; the caller checked the bounds. */
static inline Elf64_Ehdr *elf_ehdr(unsigned char *b)
{
	return (Elf64_Ehdr *)b;
}

static inline Elf64_Phdr *elf_phdr(unsigned char *b, unsigned int i)
{
	return (Elf64_Phdr *)(b + elf_ehdr(b)->e_phoff) + i;
}

static inline Elf64_Shdr *elf_shdr(unsigned char *b, unsigned int i)
{
	return (Elf64_Shdr *)(b + elf_ehdr(b)->e_shoff) + i;
}

/* Index of the first section of @type at or after @from, or -1. */
int elf_find_section(unsigned char *b, uint32_t type, int from);
/* Index of the @nth PT_LOAD (from 0) with a non-zero size, or -1. */
int elf_find_load(unsigned char *b, unsigned int nth);
/* The domain note's descriptor (and its header), or NULL. */
struct dc_note *elf_find_note(unsigned char *b, Elf64_Nhdr **nhdr);
/* A .symtab entry by name, or NULL. */
Elf64_Sym *elf_find_symbol(unsigned char *b, const char *name);

/* The test suites; each runs its tests with test_run(). */
void range_tests(void);
void elf_good_tests(const char *dir);
void elf_bad_tests(const char *dir);
void elf_truncate_tests(const char *dir);
void mkbad_tests(const char *manifest, const char *dir, const char *label);
/*
 * The domainctl binary against the parser on the corpus (test_verdicts.c);
 * @work receives the in-memory cases as files, @mkbad_args are main()'s
 * MANIFEST OUTDIR LABEL triples.
 */
void verdict_tests(const char *domainctl, const char *work, const char *images_dir,
		   char **mkbad_args, int nr_mkbad_args);

/* The in-memory malformations of test_elf_bad.c, to write out as files. */
size_t elf_bad_case_count(void);
const char *elf_bad_case_name(size_t i);
/* A malloc'ed copy of @img with case @i applied, or NULL if it does not apply. */
unsigned char *elf_bad_case_apply(size_t i, const struct image *img, size_t *len);

/*
 * The signature tests (test_image_sig.c), on log.dom of @images_dir.
 * They keep their signed and malformed images as samples, which the
 * verdict comparison then hands to domainctl; sig_samples_free() at the end.
 */
void image_sig_tests(const char *images_dir);
struct sig_sample {
	char name[64];
	unsigned char *data;
	size_t len;
};
size_t sig_samples(const struct sig_sample **out);
void sig_samples_free(void);

/*
 * The fault injector (test_inject.c, tests/inject/), on the images of
 * @images_dir and the signature samples.
 */
void inject_tests(const char *images_dir);

/* Every *.dom in @dir, sorted by name; returns the count (0 on error). */
int images_in(const char *dir, struct image **out);

#endif
