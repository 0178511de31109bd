// SPDX-License-Identifier: GPL-2.0
/*
 * Mapping a validated image into executable memory: lay it out in a
 * staging buffer (segments, zeroed bss, relocations for the final
 * address), copy it in, then set the final permissions: text RX, rodata
 * RO, data and bss RW NX.  The image was validated once, when the load
 * request was parsed (control.c); a restart maps the same parse again.
 */
#include "internal.h"
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "range.h"

static const enum dc_prot seg_prot[] = {
	[DC_SEG_RW] = DC_PROT_RW,
	[DC_SEG_RO] = DC_PROT_RO,
	[DC_SEG_RX] = DC_PROT_RX,
};

/* A validator report callback: the first problem goes into @ctx, an empty error buffer. */
void dc_report_first(void *ctx, int err, const char *rule, const char *msg)
{
	char *buf = ctx;

	if (!buf[0])
		strscpy(buf, msg, DC_ERROR_MAX);
}

/*
 * Map the image @info describes (validated already), with @conf in its
 * note; the image keeps a pointer to @info.  On failure @err
 * (DC_ERROR_MAX bytes) says why.
 */
int dc_image_map(const struct dc_load_info *info, const struct dc_confinement *conf,
		 struct dc_image **out, char *err_msg)
{
	struct dc_prot_range ranges[DC_ELF_MAX_SEGMENTS];
	const struct dc_elf_info *elf = &info->elf;
	struct dc_image *image;
	void *stage = NULL;
	unsigned int i;
	int err;

	err_msg[0] = '\0';
	image = kzalloc(sizeof(*image), GFP_KERNEL);
	if (!image)
		return -ENOMEM;
	image->info = info;
	image->mem = dc_exec_alloc(elf->span);
	if (IS_ERR(image->mem)) {
		err = PTR_ERR(image->mem);
		image->mem = NULL;
		scnprintf(err_msg, DC_ERROR_MAX, "cannot allocate %llu bytes of executable memory",
			  elf->span);
		goto fail;
	}
	err = -ENOMEM;
	stage = vzalloc(elf->span);
	if (!stage)
		goto fail;
	err = dc_elf_build(info->file, info->len, elf, stage,
			   (u64)(unsigned long)image->mem->base, dc_report_first, err_msg);
	if (err)
		goto fail;
	/* In a read-only segment (the validator's note-mapped rule): set once, here. */
	memcpy(stage + elf->note_vaddr + offsetof(struct dc_note, confinement), conf,
	       sizeof(*conf));
	err = dc_exec_write(image->mem, 0, stage, elf->span);
	if (err)
		goto fail;

	for (i = 0; i < elf->nr_segments; i++) {
		const struct dc_elf_segment *s = &elf->seg[i];

		ranges[i].offset = s->vaddr;
		ranges[i].size = PAGE_ALIGN(s->vaddr + s->memsz) - s->vaddr;
		ranges[i].prot = seg_prot[s->prot];
	}
	err = dc_exec_protect(image->mem, ranges, elf->nr_segments);
	if (err) {
		scnprintf(err_msg, DC_ERROR_MAX, "cannot set page permissions (%d)", err);
		goto fail;
	}
	vfree(stage);
	*out = image;
	return 0;

fail:
	vfree(stage);
	dc_exec_free(image->mem);
	kfree(image);
	if (err == -ENOMEM && !err_msg[0])
		strscpy(err_msg, "out of memory", DC_ERROR_MAX);
	return err;
}

void dc_image_unmap(struct dc_image *image)
{
	if (!image)
		return;
	dc_exec_free(image->mem);
	kfree(image);
}

/* [addr, addr + size) is inside one segment of @part of the image. */
bool dc_image_contains(const struct dc_image *image, unsigned long addr,
		       size_t size, enum dc_image_part part)
{
	const struct dc_elf_info *elf = &image->info->elf;
	unsigned long base = (unsigned long)image->mem->base;
	unsigned int i;

	if (addr < base)
		return false;
	for (i = 0; i < elf->nr_segments; i++) {
		const struct dc_elf_segment *s = &elf->seg[i];

		if ((part == DC_IMAGE_TEXT && s->prot != DC_SEG_RX) ||
		    (part == DC_IMAGE_RW && s->prot != DC_SEG_RW))
			continue;
		if (addr - base >= s->vaddr &&
		    dc_range_within(addr - base - s->vaddr, size, s->memsz))
			return true;
	}
	return false;
}

void dc_image_symbolize(const struct dc_image *image, unsigned long addr,
			char *buf, size_t size)
{
	const struct dc_load_info *info = image->info;
	unsigned long off = addr - (unsigned long)image->mem->base;
	const char *sym = NULL;
	u64 within = 0;

	if (off < info->elf.span)
		sym = dc_elf_symbolize(info->file, info->len, &info->elf, off, &within);
	if (sym)
		scnprintf(buf, size, "%s+0x%llx", sym, within);
	else
		scnprintf(buf, size, "0x%lx", off);
}
