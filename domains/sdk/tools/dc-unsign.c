// SPDX-License-Identifier: GPL-2.0
/*
 * dc-unsign FILE...: remove the appended signature (the module format that
 * scripts/sign-file writes) from each domain image, in place, so that
 * "make sign" can sign it again without stacking a second signature on
 * the first.  It uses the kernel's own trailer parser
 * (src/loader/image_sig.c, built for the host).
 *
 * An unsigned FILE is left as it is.  Signatures stacked by signing twice
 * are all removed.  A FILE whose trailer is malformed is left as it is,
 * with
 *
 *	error: FILE: signature: message
 *
 * (where the image ends is then not known: rebuild it).  Exit status 0 if
 * every FILE is now unsigned, 1 if one had a malformed trailer, 2 if one
 * could not be read or written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "loader/image_sig.h"

static const char *name;

static void print_problem(void *ctx, int err, const char *rule, const char *msg)
{
	(void)ctx;
	(void)err;
	fprintf(stderr, "error: %s: %s: %s\n", name, rule, msg);
}

/* 0, 1 (malformed trailer) or 2 (I/O). */
static int unsign(const char *path)
{
	unsigned char *file;
	struct dc_sig sig;
	struct stat st;
	size_t len;
	FILE *f;
	int rc = 0;

	name = path;
	f = fopen(path, "rb");
	if (!f || fstat(fileno(f), &st)) {
		fprintf(stderr, "error: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return 2;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "error: %s: not a regular file\n", path);
		fclose(f);
		return 2;
	}
	len = (size_t)st.st_size;
	file = malloc(len ? len : 1);
	if (!file || fread(file, 1, len, f) != len) {
		fprintf(stderr, "error: %s: cannot read it\n", path);
		free(file);
		fclose(f);
		return 2;
	}
	fclose(f);
	for (;;) {
		if (dc_sig_parse(file, len, &sig, print_problem, NULL)) {
			rc = 1;
			break;
		}
		if (!sig.present)
			break;
		len = sig.content_len;
	}
	/* Cut only after every trailer parsed: never leave half a signature. */
	if (!rc && len != (size_t)st.st_size && truncate(path, (off_t)len)) {
		fprintf(stderr, "error: %s: %s\n", path, strerror(errno));
		rc = 2;
	}
	free(file);
	return rc;
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: dc-unsign FILE...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		int rc = unsign(argv[i]);

		if (rc > status)
			status = rc;
	}
	return status;
}
