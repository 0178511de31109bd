// SPDX-License-Identifier: GPL-2.0
/*
 * dc-check-image FILE [NAME]: the SDK's build-time check of a linked
 * domain image.  It runs the kernel's own validator
 * (src/loader/elf_image.c, built for the host), so the build refuses
 * exactly what the loader would, and prints each problem as
 *
 *	error: NAME: RULE: message
 *
 * NAME is what to call the image (default FILE).  Exit status 0 if the
 * image is good, 1 if it has problems, 2 if it cannot be read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "loader/elf_image.h"

static const char *name;

static void print_problem(void *ctx, int err, const char *rule, const char *msg)
{
	(void)ctx;
	(void)err;
	fprintf(stderr, "error: %s: %s: %s\n", name, rule, msg);
}

int main(int argc, char **argv)
{
	struct dc_elf_info info;
	unsigned char *file;
	struct stat st;
	size_t len;
	FILE *f;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: dc-check-image FILE [NAME]\n");
		return 2;
	}
	name = argc == 3 ? argv[2] : argv[1];
	f = fopen(argv[1], "rb");
	if (!f || fstat(fileno(f), &st)) {
		fprintf(stderr, "error: %s: %s\n", name, strerror(errno));
		return 2;
	}
	if (dc_elf_check_size((uint64_t)st.st_size, print_problem, NULL))
		return 1;
	len = (size_t)st.st_size;
	file = malloc(len ? len : 1);
	if (!file || fread(file, 1, len, f) != len) {
		fprintf(stderr, "error: %s: cannot read it\n", name);
		return 2;
	}
	fclose(f);
	return dc_elf_parse(file, len, &info, print_problem, NULL) ? 1 : 0;
}
