// SPDX-License-Identifier: GPL-2.0
/*
 * Images: read the file, take a signature off (the module format, as the
 * kernel does; it is not verified here), validate it with the kernel's
 * own validator (src/loader/elf_image.c, compiled in), and map it as
 * src/image.c does: one region of the image's span, laid out and
 * relocated by dc_elf_build() at its final address, the note's
 * confinement filled in, then text RX, rodata R, data and bss RW.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "internal.h"
#include "loader/image_sig.h"
#include "range.h"

/* The first problem the validator reports, with its rule id. */
static void report_first(void *ctx, int err, const char *rule, const char *msg)
{
	char *buf = ctx;

	(void)err;
	if (!buf[0])
		snprintf(buf, DT_ERROR_MAX, "%s: %s", rule, msg);
}

static int read_file(const char *path, unsigned char **data, size_t *len,
		     char *err)
{
	FILE *f = fopen(path, "rb");
	long size = 0;
	int rc = 0;

	if (!f) {
		rc = -errno;
		snprintf(err, DT_ERROR_MAX, "cannot open it: %s", strerror(errno));
		return rc;
	}
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		rc = -EIO;
		snprintf(err, DT_ERROR_MAX, "cannot tell its size");
	} else if (!size) {
		rc = -ENODATA;
		snprintf(err, DT_ERROR_MAX, "image is empty");
	} else {
		rc = dc_elf_check_size(size, report_first, err);
	}
	/* malloc's alignment is what the validator needs for its tables. */
	if (!rc && !(*data = malloc(size))) {
		rc = -ENOMEM;
		snprintf(err, DT_ERROR_MAX, "out of memory");
	}
	if (!rc && fread(*data, 1, size, f) != (size_t)size) {
		free(*data);
		rc = -EIO;
		snprintf(err, DT_ERROR_MAX, "short read");
	}
	fclose(f);
	*len = size;
	return rc;
}

struct dt_image *dt_image_read(const char *path, char *err)
{
	struct dt_image *image = calloc(1, sizeof(*image));
	struct dc_sig sig;
	int rc;

	err[0] = '\0';
	if (!image) {
		snprintf(err, DT_ERROR_MAX, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	rc = read_file(path, &image->file, &image->len, err);
	if (rc)
		goto fail_free;
	rc = dc_sig_parse(image->file, image->len, &sig, report_first, err);
	if (rc)
		goto fail;
	image->len = sig.content_len;	/* only the signed bytes are the image */
	rc = dc_elf_parse(image->file, image->len, &image->elf, report_first, err);
	if (rc)
		goto fail;
	/* The validator accepts only interfaces the SDK declares. */
	image->iface = dt_iface_find(image->elf.note.iface);
	if (!image->iface) {
		rc = -EPROTONOSUPPORT;
		goto fail;
	}
	return image;

fail:
	free(image->file);
fail_free:
	free(image);
	errno = -rc;
	return NULL;
}

void dt_image_free(struct dt_image *image)
{
	if (!image)
		return;
	free(image->file);
	free(image);
}

static const int seg_prot[] = {
	[DC_SEG_RW] = PROT_READ | PROT_WRITE,
	[DC_SEG_RO] = PROT_READ,
	[DC_SEG_RX] = PROT_READ | PROT_EXEC,
};

int dt_image_map(const struct dt_image *image, const struct dc_confinement *conf,
		 struct dt_mapping *map, char *err)
{
	const struct dc_elf_info *elf = &image->elf;
	void *base;
	unsigned int i;
	int rc;

	/* Zero-filled, as dc_elf_build() wants it. */
	base = mmap(NULL, elf->span, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED) {
		snprintf(err, DT_ERROR_MAX, "cannot map %llu bytes",
			 (unsigned long long)elf->span);
		return -ENOMEM;
	}
	rc = dc_elf_build(image->file, image->len, elf, base, (uint64_t)(uintptr_t)base,
			  report_first, err);
	/*
	 * In a read-only segment (the validator's note-mapped rule): set once,
	 * here, before it is write-protected, so that no store of the domain's
	 * can change what its store check compares against.
	 */
	if (!rc)
		memcpy((unsigned char *)base + elf->note_vaddr +
		       offsetof(struct dc_note, confinement), conf, sizeof(*conf));
	/* Pages no segment covers stay inaccessible; each segment gets its own. */
	if (!rc && mprotect(base, elf->span, PROT_NONE))
		rc = -errno;
	for (i = 0; !rc && i < elf->nr_segments; i++) {
		const struct dc_elf_segment *s = &elf->seg[i];
		uint64_t end = (s->vaddr + s->memsz + DT_PAGE_SIZE - 1) & ~(DT_PAGE_SIZE - 1);

		if (mprotect((unsigned char *)base + s->vaddr, end - s->vaddr,
			     seg_prot[s->prot]))
			rc = -errno;
	}
	if (rc) {
		if (!err[0])
			snprintf(err, DT_ERROR_MAX, "cannot set page permissions (%d)", rc);
		munmap(base, elf->span);
		return rc;
	}
	map->base = base;
	map->image = image;
	return 0;
}

void dt_image_unmap(struct dt_mapping *map)
{
	if (map->base)
		munmap(map->base, map->image->elf.span);
	map->base = NULL;
}

bool dt_mapping_contains(const struct dt_mapping *map, uintptr_t addr,
			 size_t size, enum dt_part part)
{
	const struct dc_elf_info *elf = &map->image->elf;
	uintptr_t base = (uintptr_t)map->base;
	unsigned int i;

	if (!map->base || addr < base)
		return false;
	for (i = 0; i < elf->nr_segments; i++) {
		const struct dc_elf_segment *s = &elf->seg[i];

		if ((part == DT_PART_TEXT && s->prot != DC_SEG_RX) ||
		    (part == DT_PART_RW && s->prot != DC_SEG_RW))
			continue;
		if (addr - base >= s->vaddr &&
		    dc_range_within(addr - base - s->vaddr, size, s->memsz))
			return true;
	}
	return false;
}

void dt_symbolize(const struct dt_mapping *map, uintptr_t addr, char *buf,
		  size_t size)
{
	const struct dt_image *image = map->image;
	uintptr_t off = addr - (uintptr_t)map->base;
	const char *sym = NULL;
	uint64_t within = 0;

	if (off < image->elf.span)
		sym = dc_elf_symbolize(image->file, image->len, &image->elf, off, &within);
	if (sym)
		snprintf(buf, size, "%s+0x%llx", sym, (unsigned long long)within);
	else
		snprintf(buf, size, "0x%lx", (unsigned long)off);
}
