// SPDX-License-Identifier: GPL-2.0
/*
 * The unit test driver and the helpers the suites share.
 *
 *   unit-tests [--domainctl PATH WORKDIR] IMAGES_DIR [MANIFEST OUTDIR LABEL]...
 *
 * IMAGES_DIR holds the good images (domains/out); each MANIFEST/OUTDIR
 * pair is one mkbad run to check against the parser.  With --domainctl,
 * that binary's verdicts are compared with the parser's on all of them
 * (WORKDIR receives the in-memory cases as files).  Exit status 1 if a
 * test failed.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"

static int nr_failed;

void test_fail(struct test *t, const char *fmt, ...)
{
	va_list ap;

	if (t->failed++)
		return;
	va_start(ap, fmt);
	vsnprintf(t->why, sizeof(t->why), fmt, ap);
	va_end(ap);
}

void test_run(test_fn *fn, const void *arg, const char *fmt, ...)
{
	struct test t = { 0 };
	char name[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	t.name = name;
	fn(&t, arg);
	if (t.failed) {
		nr_failed++;
		/* One line per result: a reason may quote a message with '\n'. */
		for (char *c = t.why; *c; c++)
			if (*c == '\n')
				*c = ' ';
		printf("FAIL unit/%s: %s\n", name, t.why);
	} else {
		printf("PASS unit/%s\n", name);
	}
}

void test_skip(const char *reason, const char *fmt, ...)
{
	char name[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	printf("SKIP unit/%s: %s\n", name, reason);
}

int test_failures(void)
{
	return nr_failed;
}

int image_read(const char *path, struct image *img)
{
	const char *base = strrchr(path, '/');
	FILE *f = fopen(path, "rb");
	long size;
	size_t n;

	memset(img, 0, sizeof(*img));
	if (!f)
		return -errno;
	snprintf(img->path, sizeof(img->path), "%s", path);
	snprintf(img->name, sizeof(img->name), "%s", base ? base + 1 : path);
	n = strlen(img->name);
	if (n > 4 && !strcmp(img->name + n - 4, ".dom"))
		img->name[n - 4] = '\0';
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -EIO;
	}
	img->len = (size_t)size;
	img->data = malloc(img->len ? img->len : 1);
	if (!img->data || fread(img->data, 1, img->len, f) != img->len) {
		fclose(f);
		free(img->data);
		img->data = NULL;
		return -EIO;
	}
	fclose(f);
	return 0;
}

void image_free(struct image *img)
{
	free(img->data);
	img->data = NULL;
}

unsigned char *image_copy(const struct image *img, size_t len)
{
	/* malloc(0) may return NULL: keep one byte, but only @len are used. */
	unsigned char *b = malloc(len ? len : 1);

	if (!b) {
		perror("malloc");
		exit(2);
	}
	memcpy(b, img->data, len < img->len ? len : img->len);
	return b;
}

void reports_collect(void *ctx, int err, const char *rule, const char *msg)
{
	struct reports *r = ctx;
	int id = dc_elf_rule_find(rule);

	if (!r->count++) {
		r->first_err = err;
		r->first_rule = rule;
		snprintf(r->first_msg, sizeof(r->first_msg), "%s", msg ? msg : "");
	}
	if (err >= 0)
		r->bad_err = 1;
	if (!msg || !msg[0])
		r->empty_msg = 1;
	if (id < 0)
		r->bad_rule = 1;
	else
		r->rules[id] = 1;
}

int parse_image(const void *data, size_t len, struct dc_elf_info *info,
		struct reports *r)
{
	memset(r, 0, sizeof(*r));
	return dc_elf_parse(data, len, info, reports_collect, r);
}

const char *errno_name(int err)
{
	static const struct {
		int err;
		const char *name;
	} names[] = {
#define N(e) { e, #e }
		N(ENODATA), N(ENOEXEC), N(EINVAL), N(EFBIG), N(EACCES),
		N(ENOENT), N(ERANGE), N(EOPNOTSUPP), N(EBADMSG), N(EPROTO),
		N(EPROTONOSUPPORT), N(ENOLINK), N(EEXIST), N(ENOMEM),
#undef N
	};

	if (!err)
		return "0";
	if (err < 0)
		err = -err;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err)
			return names[i].name;
	return "E?";
}

int elf_find_section(unsigned char *b, uint32_t type, int from)
{
	for (int i = from; i < elf_ehdr(b)->e_shnum; i++)
		if (elf_shdr(b, i)->sh_type == type)
			return i;
	return -1;
}

int elf_find_load(unsigned char *b, unsigned int nth)
{
	for (int i = 0; i < elf_ehdr(b)->e_phnum; i++) {
		const Elf64_Phdr *ph = elf_phdr(b, i);

		if (ph->p_type == PT_LOAD && ph->p_memsz && !nth--)
			return i;
	}
	return -1;
}

struct dc_note *elf_find_note(unsigned char *b, Elf64_Nhdr **nhdr)
{
	for (int s = elf_find_section(b, SHT_NOTE, 0); s >= 0;
	     s = elf_find_section(b, SHT_NOTE, s + 1)) {
		const Elf64_Shdr *sh = elf_shdr(b, s);
		uint64_t off = 0;

		while (off + sizeof(Elf64_Nhdr) <= sh->sh_size) {
			Elf64_Nhdr *nh = (Elf64_Nhdr *)(b + sh->sh_offset + off);
			uint64_t name = off + sizeof(*nh);
			uint64_t desc = name + ((nh->n_namesz + 3ULL) & ~3ULL);

			if (nh->n_namesz == sizeof(DC_NOTE_OWNER) &&
			    !memcmp(b + sh->sh_offset + name, DC_NOTE_OWNER,
				    sizeof(DC_NOTE_OWNER))) {
				if (nhdr)
					*nhdr = nh;
				return (struct dc_note *)(b + sh->sh_offset + desc);
			}
			off = desc + ((nh->n_descsz + 3ULL) & ~3ULL);
		}
	}
	return NULL;
}

Elf64_Sym *elf_find_symbol(unsigned char *b, const char *name)
{
	int s = elf_find_section(b, SHT_SYMTAB, 0);
	const Elf64_Shdr *sh, *str;
	Elf64_Sym *sym;

	if (s < 0)
		return NULL;
	sh = elf_shdr(b, s);
	str = elf_shdr(b, sh->sh_link);
	sym = (Elf64_Sym *)(b + sh->sh_offset);
	for (uint64_t i = 1; i < sh->sh_size / sizeof(*sym); i++)
		if (sym[i].st_name < str->sh_size &&
		    !strcmp((char *)b + str->sh_offset + sym[i].st_name, name))
			return &sym[i];
	return NULL;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct image *)a)->name, ((const struct image *)b)->name);
}

int images_in(const char *dir, struct image **out)
{
	struct image *imgs = NULL;
	struct dirent *de;
	int n = 0;
	DIR *d = opendir(dir);

	*out = NULL;
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char path[512];

		if (len < 5 || strcmp(de->d_name + len - 4, ".dom"))
			continue;
		imgs = realloc(imgs, (n + 1) * sizeof(*imgs));
		if (!imgs) {
			perror("realloc");
			exit(2);
		}
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (image_read(path, &imgs[n]))
			continue;
		n++;
	}
	closedir(d);
	if (n)
		qsort(imgs, n, sizeof(*imgs), by_name);
	*out = imgs;
	return n;
}

int main(int argc, char **argv)
{
	const char *domainctl = NULL, *work = NULL;

	/* Result lines must survive an ASan abort in a later test. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 3 && !strcmp(argv[1], "--domainctl")) {
		domainctl = argv[2];
		work = argv[3];
		argc -= 3;
		argv += 3;
	}
	if (argc < 2 || (argc - 2) % 3) {
		fprintf(stderr, "usage: unit-tests [--domainctl PATH WORKDIR] IMAGES_DIR [MANIFEST OUTDIR LABEL]...\n");
		return 2;
	}
	range_tests();
	elf_good_tests(argv[1]);
	elf_bad_tests(argv[1]);
	elf_truncate_tests(argv[1]);
	for (int i = 2; i + 2 < argc; i += 3)
		mkbad_tests(argv[i], argv[i + 1], argv[i + 2]);
	image_sig_tests(argv[1]);
	inject_tests(argv[1]);
	if (domainctl)
		verdict_tests(domainctl, work, argv[1], argv + 2, argc - 2);
	sig_samples_free();
	return test_failures() ? 1 : 0;
}
