// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "image_file.h"
#include "image_record.h"

int image_file_open(struct image_file *img, const char *path)
{
	int err;

	memset(img, 0, sizeof(*img));
	snprintf(img->path, sizeof(img->path), "%s", path);
	img->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (img->fd < 0) {
		diag_add(&img->check.problems, 0, "elf-file", "%s",
			 strerror(errno));
		return -1;
	}
	if (image_verify_fd(img->fd, &img->check))
		return -1;
	err = image_fingerprint(img->fd, &img->fingerprint);
	if (err) {
		diag_add(&img->check.problems, 0, "elf-file", "cannot read: %s",
			 strerror(-err));
		return -1;
	}
	return 0;
}

void image_file_close(struct image_file *img)
{
	if (img->fd >= 0)
		close(img->fd);
	img->fd = -1;
	image_check_free(&img->check);
}

void image_note_summary(const struct image_note *note, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s, iface %s v%u, abi %u", note->name,
		 note->version, note->iface, note->iface_version,
		 note->abi_version);
}
