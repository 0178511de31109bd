// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "image_file.h"

int image_file_open(struct image_file *img, const char *path)
{
	memset(img, 0, sizeof(*img));
	snprintf(img->path, sizeof(img->path), "%s", path);
	img->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (img->fd < 0) {
		diag_add(&img->check.problems, 0, NULL, "%s", strerror(errno));
		return -1;
	}
	return image_check_fd(img->fd, &img->check) ? -1 : 0;
}

void image_file_close(struct image_file *img)
{
	if (img->fd >= 0)
		close(img->fd);
	img->fd = -1;
	image_check_free(&img->check);
}

void image_note_print(FILE *out, const struct dc_note *note)
{
	fprintf(out, "%s %s, iface %s v%u, abi %u", note->name, note->version,
		note->iface, note->iface_version, note->abi_version);
	/* Unconfined: the kernel loads it only with confine=off. */
	fputs(note->flags & DC_NOTE_F_CONFINED ? ", confined" : ", unconfined", out);
	if (note->flags & DC_NOTE_F_STATEFUL)
		fputs(", stateful", out);
	for (uint32_t i = 0; i < note->nr_needs && i < DC_MAX_NEEDS; i++)
		fprintf(out, "%s %s v%u", i ? "," : ", imports",
			note->needs[i].iface, note->needs[i].version);
}
