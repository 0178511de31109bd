// SPDX-License-Identifier: GPL-2.0
/*
 * The VM's malformed-image test (tests/guest/30-malformed.sh) trusts the
 * manifest tests/guest/mkbad writes.  Here the host-built parser, the code
 * the kernel runs, checks each of its lines: the errno the kernel's loader
 * must return, and that the message matches the case's pattern.  For the
 * one problem only the kernel sees (no loaded domain provides a need) the
 * parser must accept the image and the note must hold what makes the
 * kernel refuse it.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"

/* Interfaces that the good domains loaded by 30-malformed.sh provide. */
static const char *const loaded_ifaces[] = { "log", "file" };
static const char *const loaded_names[] = { "log", "emptydev" };

/* The cases the VM test is specified to have, on any image. */
static const char *const required[] = {
	"trunc-0", "trunc-64", "wrong-machine", "et-exec", "undefined-symbol",
	"wx-segment", "overlapping-segments", "misaligned-segment", "huge-memsz",
	"reloc-out-of-range", "reloc-unknown-type", "no-note", "bad-note",
	"abi-mismatch", "unknown-interface", "missing-need", "note-writable",
};

struct entry {
	char name[64];
	char errname[32];
	int err;
	char re[256];
};

struct mkbad_arg {
	const char *manifest;
	const char *dir;
	const struct entry *e;
};

static int in(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return 1;
	return 0;
}

#define IN(s, list) in((s), (list), sizeof(list) / sizeof(list[0]))

static int read_manifest(const char *path, struct entry **out)
{
	struct entry *e = NULL;
	char line[512];
	int n = 0;
	FILE *f = fopen(path, "r");

	*out = NULL;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		e = realloc(e, (n + 1) * sizeof(*e));
		if (!e) {
			perror("realloc");
			exit(2);
		}
		memset(&e[n], 0, sizeof(e[n]));
		if (sscanf(line, "%63s %31s %d %255s", e[n].name, e[n].errname, &e[n].err,
			   e[n].re) != 4) {
			fclose(f);
			free(e);
			return -2;
		}
		n++;
	}
	fclose(f);
	*out = e;
	return n;
}

static void check_entry(struct test *t, const char *dir, const struct entry *e)
{
	char path[1024];
	struct image img;
	struct dc_elf_info info;
	struct reports r;
	regex_t re;
	int err, rc;

	EXPECT(t, !strcmp(errno_name(e->err), e->errname), "%s: errno %d is not %s", e->name,
	       e->err, e->errname);
	EXPECT(t, !regcomp(&re, e->re, REG_EXTENDED | REG_ICASE | REG_NOSUB),
	       "%s: bad pattern '%s'", e->name, e->re);
	snprintf(path, sizeof(path), "%s/%s.dom", dir, e->name);
	if (image_read(path, &img)) {
		regfree(&re);
		test_fail(t, "%s: cannot read %s", e->name, path);
		return;
	}
	err = parse_image(img.data, img.len, &info, &r);
	image_free(&img);
	rc = r.count ? regexec(&re, r.first_msg, 0, NULL, 0) : 0;
	regfree(&re);

	switch (e->err) {
	case ENOLINK:
		/*
		 * Checked by the kernel after the parser (which also knows
		 * the interfaces) and the name: both must pass.
		 */
		EXPECT(t, !err, "%s: parser refused it (%s: %s)", e->name, errno_name(err),
		       r.first_msg);
		EXPECT(t, !IN(info.note.name, loaded_names),
		       "%s: named '%s', which is loaded: EEXIST would come first", e->name,
		       info.note.name);
		{
			int absent = 0;

			for (uint32_t i = 0; i < info.note.nr_needs; i++)
				absent |= !IN(info.note.needs[i].iface, loaded_ifaces);
			EXPECT(t, absent, "%s: every needed interface is provided", e->name);
		}
		break;
	default:
		EXPECT(t, err == -e->err, "%s: parser says %s (%s), manifest says %s", e->name,
		       errno_name(err), r.count ? r.first_msg : "no message", e->errname);
		EXPECT(t, r.count && r.first_err == err && reports_well_formed(&r),
		       "%s: no proper message", e->name);
		EXPECT(t, !rc, "%s: message '%s' does not match '%s'", e->name, r.first_msg,
		       e->re);
		break;
	}
}

static void one_entry(struct test *t, const void *arg)
{
	const struct mkbad_arg *a = arg;

	check_entry(t, a->dir, a->e);
}

static void manifest_ok(struct test *t, const void *arg)
{
	const struct mkbad_arg *a = arg;
	struct entry *e;
	int n = read_manifest(a->manifest, &e);

	EXPECT(t, n >= 0, "cannot read %s (%s)", a->manifest, n == -1 ? "missing" : "bad line");
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		int found = 0;

		for (int k = 0; k < n; k++)
			found |= !strcmp(e[k].name, required[i]);
		if (!found) {
			test_fail(t, "no case %s", required[i]);
			break;
		}
	}
	free(e);
}

static void all_entries(struct test *t, const void *arg)
{
	const struct mkbad_arg *a = arg;
	struct entry *e;
	int n = read_manifest(a->manifest, &e);

	EXPECT(t, n > 0, "no manifest %s", a->manifest);
	for (int i = 0; i < n && !t->failed; i++)
		check_entry(t, a->dir, &e[i]);
	free(e);
}

/*
 * @label "log" (the image the VM test uses) gets a result line per case;
 * any other image one line for all of them.
 */
void mkbad_tests(const char *manifest, const char *dir, const char *label)
{
	struct mkbad_arg a = { manifest, dir, NULL };
	struct entry *e;
	int n;

	test_run(manifest_ok, &a, "mkbad-manifest-%s", label);
	if (strcmp(label, "log")) {
		test_run(all_entries, &a, "mkbad-all-cases-%s", label);
		return;
	}
	n = read_manifest(manifest, &e);
	for (int i = 0; i < n; i++) {
		a.e = &e[i];
		test_run(one_entry, &a, "mkbad-%s", e[i].name);
	}
	free(e);
}
