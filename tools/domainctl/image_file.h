/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An image opened once and used for everything: verified, fingerprinted
 * and handed to the kernel through the same file descriptor, so that what
 * was checked is the file the kernel reads.
 */
#ifndef DOMAINCTL_IMAGE_FILE_H
#define DOMAINCTL_IMAGE_FILE_H

#include <limits.h>
#include <stdint.h>
#include "image_verify.h"

struct image_file {
	char path[PATH_MAX];		/* as given, for messages */
	int fd;				/* -1 if it could not be opened */
	struct image_check check;
	uint64_t fingerprint;		/* valid if the check passed */
};

/*
 * Open and verify @path.  Returns 0 if it is clean, -1 if not: then
 * img->check.problems says why (including "cannot open").
 */
int image_file_open(struct image_file *img, const char *path);
void image_file_close(struct image_file *img);

/* "log 1.0.0, iface log v1, abi 1" */
void image_note_summary(const struct image_note *note, char *buf, size_t len);

#endif
