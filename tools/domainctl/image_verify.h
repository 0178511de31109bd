/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace checks of a domain image, the same the kernel's loader makes,
 * so that a bad image gets every problem listed by name before anything
 * is sent to the kernel.  A convenience, not a security boundary: the
 * kernel checks again on its own.
 */
#ifndef DOMAINCTL_IMAGE_VERIFY_H
#define DOMAINCTL_IMAGE_VERIFY_H

#include <stdbool.h>
#include <stdint.h>
#include <domain/abi.h>
#include "diag.h"

/* The image's note, with every string NUL-terminated for printing. */
struct image_note {
	uint32_t abi_version;
	uint32_t iface_version;
	uint32_t flags;
	uint32_t nr_needs;		/* as written; may exceed DC_MAX_NEEDS */
	char name[DC_NAME_MAX];
	char iface[DC_NAME_MAX];
	char version[DC_NAME_MAX];
	struct {
		char iface[DC_NAME_MAX];
		uint32_t version;
	} needs[DC_MAX_NEEDS];
};

struct image_check {
	bool has_note;			/* exactly one note of the right size */
	struct image_note note;		/* valid if has_note */
	struct diag_list problems;	/* each with the rule that found it */
};

/*
 * Check the image open at @fd (read with pread; the offset is left alone).
 * Returns the number of problems found; 0 means the image is clean.
 */
size_t image_verify_fd(int fd, struct image_check *check);

/* Open @path and check it; a file that cannot be read is one problem. */
size_t image_verify_path(const char *path, struct image_check *check);

void image_check_free(struct image_check *check);

/* Number of check rules and their names, in the order they run. */
size_t image_rule_count(void);
const char *image_rule_name(size_t i);
const char *image_rule_summary(size_t i);

#endif
