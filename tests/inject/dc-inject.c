// SPDX-License-Identifier: GPL-2.0
/*
 * inject: the fault injector's command (host: build/inject/dc-inject,
 * make -C tests/inject; guest: /dc/bin/inject, tests/guest/inject.c).
 *
 *   inject mutate IMAGE SEED OUT [--kind K] [--scope FUNCS] [--crc HEX] [--keep-stack]
 *       write the mutant of IMAGE for SEED to OUT (unsigned) and print its
 *       record: "seed=N kind=K at=FUNC+0xOFF vaddr=0x.. len=N before=HEX
 *       after=HEX detail=... crc=HEX".  --crc refuses an IMAGE whose
 *       unsigned content is not the one a record was made from (replay);
 *       --keep-stack: the model make check uses (mutate.h; records made
 *       with it end in "model=keep-stack").
 *   inject sites IMAGE [--scope FUNCS]
 *       the functions and instructions in scope, and how many sites each
 *       kind has
 *   inject list IMAGE
 *       every decoded instruction: "VADDR LEN FUNC+0xOFF"
 *   inject run TARGET FIRST COUNT [...]
 *       the campaign in the test VM (campaign.c)
 *
 * Kinds: bitflip nop dst-reg src-reg no-check heap-ptr swap-cond (any:
 * drawn from the seed; ud2: the campaign's control).  FUNCS: names
 * separated by commas, "prefix*" allowed.  Exit status 0, 1 on a failure,
 * 2 on bad usage.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "campaign.h"
#include "mutate.h"

int inj_read_file(const char *path, void **data, size_t *len)
{
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd = open(path, O_RDONLY);
	char *buf;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || st.st_size <= 0 || st.st_size > (64 << 20)) {
		close(fd);
		errno = EFBIG;
		return -1;
	}
	buf = malloc((size_t)st.st_size);
	if (!buf) {
		close(fd);
		return -1;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n <= 0) {
			free(buf);
			close(fd);
			errno = n ? errno : EIO;
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	*data = buf;
	*len = got;
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: inject mutate IMAGE SEED OUT [--kind K] [--scope FUNCS] [--crc HEX] [--keep-stack]\n"
		"       inject sites IMAGE [--scope FUNCS]\n"
		"       inject list IMAGE\n"
		"       inject run TARGET FIRST COUNT [--kind K] [--scope FUNCS] [--image FILE]\n"
		"                  [--seconds N] [--control good|ud2|stray] [--stop-on-escape]\n"
		"                  [--keep-stack]\n");
	return 2;
}

static int open_image(const char *path, const char *scope, struct inj_image *img)
{
	void *file;
	size_t len;

	if (inj_read_file(path, &file, &len)) {
		fprintf(stderr, "inject: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (inj_open(img, file, len, scope)) {
		fprintf(stderr, "inject: %s: %s\n", path, img->err);
		free(file);
		return -1;
	}
	free(file);
	return 0;
}

static int cmd_mutate(int argc, char **argv)
{
	const char *scope = NULL, *crc = NULL;
	struct inj_image img;
	struct inj_record rec;
	char line[512], err[200], *end;
	int kind = INJ_ANY, a, fd, rc = 1;
	bool keep_stack = false;
	uint64_t seed;
	uint8_t *buf;

	if (argc < 4)
		return usage();
	seed = strtoull(argv[2], &end, 0);
	if (*end)
		return usage();
	for (a = 4; a < argc; a++) {
		if (!strcmp(argv[a], "--kind") && a + 1 < argc)
			kind = inj_kind_find(argv[++a]);
		else if (!strcmp(argv[a], "--scope") && a + 1 < argc)
			scope = argv[++a];
		else if (!strcmp(argv[a], "--crc") && a + 1 < argc)
			crc = argv[++a];
		else if (!strcmp(argv[a], "--keep-stack"))
			keep_stack = true;
		else
			return usage();
	}
	if (kind == -2)
		return usage();
	if (open_image(argv[1], scope, &img))
		return 1;
	img.keep_stack = keep_stack;
	if (crc && strtoul(crc, NULL, 16) != img.crc) {
		fprintf(stderr, "inject: %s: crc %08x, the record's input was %s\n", argv[1],
			img.crc, crc);
		inj_close(&img);
		return 1;
	}
	buf = malloc(img.len);
	if (!buf || inj_mutate(&img, seed, kind, buf, &rec, err, sizeof(err))) {
		fprintf(stderr, "inject: %s\n", buf ? err : "out of memory");
		goto out;
	}
	fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, buf, img.len) != (ssize_t)img.len || close(fd)) {
		fprintf(stderr, "inject: %s: %s\n", argv[3], strerror(errno));
		goto out;
	}
	inj_format(&img, &rec, line, sizeof(line));
	printf("%s\n", line);
	rc = 0;
out:
	free(buf);
	inj_close(&img);
	return rc;
}

static int cmd_sites(int argc, char **argv)
{
	const char *scope = NULL;
	struct inj_image img;
	unsigned int i, f, nf = 0, ni = 0;
	int k;

	if (argc == 4 && !strcmp(argv[2], "--scope"))
		scope = argv[3];
	else if (argc != 2)
		return usage();
	if (open_image(argv[1], scope, &img))
		return 1;
	for (f = 0; f < img.nr_funcs; f++) {
		nf += img.funcs[f].in_scope;
		if (img.funcs[f].undecodable)
			printf("undecodable %s\n", img.funcs[f].name);
	}
	for (i = 0; i < img.nr_insns; i++)
		ni += img.funcs[img.insns[i].func].in_scope;
	printf("functions %u of %u, instructions %u of %u, text %llu bytes, %s, crc %08x\n",
	       nf, img.nr_funcs, ni, img.nr_insns, (unsigned long long)img.text_size,
	       img.was_signed ? "signed (mutants are unsigned)" : "unsigned", img.crc);
	for (k = 0; k <= INJ_UD2; k++) {
		unsigned int n = 0;

		for (i = 0; i < img.nr_insns; i++)
			n += inj_site(&img, i, k);
		printf("%-10s %u\n", inj_kind_name(k), n);
	}
	inj_close(&img);
	return 0;
}

static int cmd_list(int argc, char **argv)
{
	struct inj_image img;
	unsigned int i;

	if (argc != 2)
		return usage();
	if (open_image(argv[1], NULL, &img))
		return 1;
	for (i = 0; i < img.nr_insns; i++) {
		const struct inj_insn *in = &img.insns[i];
		const struct inj_func *fn = &img.funcs[in->func];

		printf("%llx %u %s+0x%llx\n", (unsigned long long)in->vaddr, in->x.len, fn->name,
		       (unsigned long long)(in->vaddr - fn->vaddr));
	}
	inj_close(&img);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "mutate"))
		return cmd_mutate(argc - 1, argv + 1);
	if (!strcmp(argv[1], "sites"))
		return cmd_sites(argc - 1, argv + 1);
	if (!strcmp(argv[1], "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(argv[1], "run"))
		return inj_campaign_main(argc - 1, argv + 1);
	return usage();
}
