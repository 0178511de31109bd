// SPDX-License-Identifier: GPL-2.0
/*
 * Loading a validated image into executable memory: lay it out in a
 * staging buffer (segments, zeroed bss, relocations for the final
 * address), copy it in, then set the final permissions: text RX, rodata
 * RO, data and bss RW NX.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "exec_mem.h"
#include "range.h"
#include "runtime.h"

struct report_buf {
	char *err;
	size_t len;
	bool filled;
};

static void report_first(void *ctx, int err, const char *rule, const char *msg)
{
	struct report_buf *r = ctx;

	if (!r->filled && r->err) {
		strscpy(r->err, msg, r->len);
		r->filled = true;
	}
}

static const enum dc_prot seg_prot[] = {
	[DC_SEG_RW] = DC_PROT_RW,
	[DC_SEG_RO] = DC_PROT_RO,
	[DC_SEG_RX] = DC_PROT_RX,
};

int dc_image_load(const void *file, size_t len, struct dc_image **out,
		  char *errbuf, size_t errlen)
{
	struct report_buf report = { errbuf, errlen, false };
	struct dc_prot_range ranges[DC_ELF_MAX_SEGMENTS];
	struct dc_image *image;
	void *stage = NULL;
	unsigned int i;
	int err;

	image = kzalloc(sizeof(*image), GFP_KERNEL);
	if (!image)
		return -ENOMEM;
	err = dc_elf_parse(file, len, &image->info, report_first, &report);
	if (err)
		goto fail;

	image->mem = dc_exec_alloc(image->info.span);
	if (IS_ERR(image->mem)) {
		err = PTR_ERR(image->mem);
		image->mem = NULL;
		scnprintf(errbuf, errlen, "cannot allocate %llu bytes of executable memory",
			  image->info.span);
		goto fail;
	}
	stage = vzalloc(image->info.span);
	if (!stage) {
		err = -ENOMEM;
		goto fail;
	}
	err = dc_elf_build(file, len, &image->info, stage,
			   (u64)(unsigned long)image->mem->base, report_first, &report);
	if (err)
		goto fail;
	err = dc_exec_write(image->mem, 0, stage, image->info.span);
	if (err)
		goto fail;

	for (i = 0; i < image->info.nr_segments; i++) {
		const struct dc_elf_segment *s = &image->info.seg[i];

		ranges[i].offset = s->vaddr;
		ranges[i].size = PAGE_ALIGN(s->vaddr + s->memsz) - s->vaddr;
		ranges[i].prot = seg_prot[s->prot];
	}
	err = dc_exec_protect(image->mem, ranges, image->info.nr_segments);
	if (err) {
		scnprintf(errbuf, errlen, "cannot set page permissions (%d)", err);
		goto fail;
	}
	vfree(stage);
	image->file = file;
	image->file_len = len;
	*out = image;
	return 0;

fail:
	vfree(stage);
	dc_exec_free(image->mem);
	kfree(image);
	if (err == -ENOMEM && errbuf && !report.filled && !errbuf[0])
		strscpy(errbuf, "out of memory", errlen);
	return err;
}

void dc_image_free(struct dc_image *image)
{
	if (!image)
		return;
	dc_exec_free(image->mem);
	kfree(image);
}

/* [addr, addr + size) is inside the image (inside its text if @text). */
bool dc_image_contains(const struct dc_image *image, unsigned long addr,
		       size_t size, bool text)
{
	unsigned long base = (unsigned long)image->mem->base;
	unsigned int i;

	if (addr < base)
		return false;
	for (i = 0; i < image->info.nr_segments; i++) {
		const struct dc_elf_segment *s = &image->info.seg[i];

		if (text && s->prot != DC_SEG_RX)
			continue;
		if (addr - base >= s->vaddr &&
		    dc_range_within(addr - base - s->vaddr, size, s->memsz))
			return true;
	}
	return false;
}
