/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An image opened once and used for everything: checked, fingerprinted
 * and handed to the kernel through the same file descriptor, so that what
 * was checked is the file the kernel reads.
 */
#ifndef DOMAINCTL_IMAGE_FILE_H
#define DOMAINCTL_IMAGE_FILE_H

#include <limits.h>
#include <stdio.h>
#include "image_check.h"

struct image_file {
	char path[PATH_MAX];		/* as given, for messages */
	int fd;				/* -1 if it could not be opened */
	struct image_check check;
};

/*
 * Open and check @path.  Returns 0 if the loader would accept it, -1 if
 * not: then img->check.problems says why (including "cannot open").
 */
int image_file_open(struct image_file *img, const char *path);
void image_file_close(struct image_file *img);

/*
 * "emptydev 1.0.0, iface file v1, abi 1, stateful, imports log v1": the
 * last two parts only if they apply.
 */
void image_note_print(FILE *out, const struct dc_note *note);

#endif
