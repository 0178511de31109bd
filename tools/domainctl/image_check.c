// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "image_check.h"
#include "image_record.h"
#include "loader/elf_image.h"
#include "loader/image_sig.h"
#include "xalloc.h"

/*
 * List every problem, but not a flood: a file that is no domain at all
 * can have thousands of bad symbols.  Past this many per rule, count.
 */
#define PROBLEMS_PER_RULE	100

struct collector {
	struct image_check *check;
	unsigned int per_rule[DC_NR_RULES];
};

static void collect(void *ctx, int err, const char *rule, const char *msg)
{
	struct collector *c = ctx;
	int id = dc_elf_rule_find(rule);

	(void)err;
	/* Unknown to this build cannot happen: the validator is compiled in. */
	if (id >= 0 && ++c->per_rule[id] > PROBLEMS_PER_RULE)
		return;
	diag_add(&c->check->problems, 0, rule, "%s", msg);
}

static void report_floods(struct collector *c)
{
	for (unsigned int id = 0; id < DC_NR_RULES; id++)
		if (c->per_rule[id] > PROBLEMS_PER_RULE)
			diag_add(&c->check->problems, 0, dc_elf_rule_name(id),
				 "... and %u more problems of this kind",
				 c->per_rule[id] - PROBLEMS_PER_RULE);
}

/* Read up to @size bytes from offset 0; a file that shrank meanwhile reads short. */
static ssize_t read_all(int fd, unsigned char *buf, size_t size)
{
	size_t got = 0;

	while (got < size) {
		ssize_t n = pread(fd, buf + got, size - got, (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* The note for printing: whatever the image holds, its strings end. */
static void copy_note(struct dc_note *dst, const struct dc_note *src)
{
	*dst = *src;
	dst->name[DC_NAME_MAX - 1] = '\0';
	dst->iface[DC_NAME_MAX - 1] = '\0';
	dst->version[DC_NAME_MAX - 1] = '\0';
	for (size_t i = 0; i < DC_MAX_NEEDS; i++)
		dst->needs[i].iface[DC_NAME_MAX - 1] = '\0';
}

size_t image_check_fd(int fd, struct image_check *check)
{
	struct collector c = { .check = check };
	struct dc_elf_info info;
	unsigned char *file;
	struct stat st;
	ssize_t len;

	memset(check, 0, sizeof(*check));
	if (fstat(fd, &st) < 0) {
		diag_add(&check->problems, 0, NULL, "cannot stat: %s", strerror(errno));
		return check->problems.count;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_add(&check->problems, 0, NULL, "not a regular file");
		return check->problems.count;
	}
	/* Decided before reading, so that a huge file is never read. */
	if (dc_elf_check_size((uint64_t)st.st_size, collect, &c))
		return check->problems.count;
	file = xcalloc(1, st.st_size ? (size_t)st.st_size : 1);
	len = read_all(fd, file, (size_t)st.st_size);
	if (len < 0) {
		diag_add(&check->problems, 0, NULL, "cannot read: %s", strerror(errno));
	} else {
		struct dc_sig sig;

		/*
		 * As in the kernel: the signature first, then the ELF rules
		 * on the signed content.  The kernel stops at a malformed
		 * signature; here the ELF rules still run, so that every
		 * problem is listed, over the whole file, since where the
		 * image ends is then not known.
		 */
		if (dc_sig_parse(file, (size_t)len, &sig, collect, &c) == 0) {
			dc_elf_parse(file, sig.content_len, &info, collect, &c);
			snprintf(check->signer, sizeof(check->signer), "%s",
				 sig.present ? sig.signer : "");
		} else {
			dc_elf_parse(file, (size_t)len, &info, collect, &c);
		}
		check->was_read = true;
		check->is_signed = sig.present;
		report_floods(&c);
		check->has_note = info.has_note;
		if (info.has_note)
			copy_note(&check->note, &info.note);
		check->fingerprint = image_fingerprint(file, (size_t)len);
	}
	free(file);
	return check->problems.count;
}

void image_check_free(struct image_check *check)
{
	diag_free(&check->problems);
}
