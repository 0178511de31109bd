// SPDX-License-Identifier: GPL-2.0
/*
 * Truncation at every offset: a short read or a cut file must be refused
 * with ENODATA ("truncated"), never read past the end.  Each prefix sits in
 * its own exactly sized buffer, so ASan reports the first byte read beyond.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"

static void truncate_everywhere(struct test *t, const void *arg)
{
	const struct image *img = arg;

	for (size_t cut = 0; cut < img->len; cut++) {
		unsigned char *b = image_copy(img, cut);
		struct dc_elf_info info;
		struct reports r;
		int err = parse_image(b, cut, &info, &r);

		free(b);
		EXPECT(t, err == -ENODATA, "cut at %zu of %zu: %s (%s)", cut, img->len,
		       errno_name(err), r.count ? r.first_msg : "no message");
		EXPECT(t, r.count && r.first_err == err && reports_well_formed(&r),
		       "cut at %zu: returned %s, but %d reports, first %s '%s'", cut,
		       errno_name(err), r.count, errno_name(r.first_err), r.first_msg);
	}
}

/* Bytes after everything the headers describe are not an error. */
static void trailing_bytes(struct test *t, const void *arg)
{
	const struct image *img = arg;
	unsigned char *b = calloc(1, img->len + 4096);
	struct dc_elf_info info;
	struct reports r;
	int err;

	EXPECT(t, b, "out of memory");
	memcpy(b, img->data, img->len);
	err = parse_image(b, img->len + 4096, &info, &r);
	free(b);
	EXPECT(t, !err && !r.count, "%s: %s", errno_name(err), r.first_msg);
}

void elf_truncate_tests(const char *dir)
{
	struct image *imgs;
	int n = images_in(dir, &imgs);

	for (int i = 0; i < n; i++) {
		test_run(truncate_everywhere, &imgs[i], "elf-truncate-%s", imgs[i].name);
		test_run(trailing_bytes, &imgs[i], "elf-trailing-bytes-%s", imgs[i].name);
		image_free(&imgs[i]);
	}
	free(imgs);
}
