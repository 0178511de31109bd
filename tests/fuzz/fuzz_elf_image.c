// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the domain image parser (src/loader/elf_image.c),
 * the code the kernel runs on every image it is handed.  Built with ASan
 * and UBSan, so any out-of-bounds access or undefined behaviour is a crash;
 * besides, the harness aborts when the parser breaks its own contract:
 *
 *   - every report is a negative errno with a known rule id and a
 *     non-empty message, and the return value is the first one reported
 *     (0 only with no report);
 *   - an accepted image describes a layout that fits its span and file;
 *   - dc_elf_build() of an accepted image succeeds (the same checks ran);
 *   - dc_elf_symbolize() only returns NUL-terminated names inside the file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "loader/elf_image.h"

/* Where the kernel might map an image; any value works, this one is typical. */
#define FUZZ_BASE	0xffffffffc0000000ULL

struct reports {
	int count;
	int first;
};

static void report(void *ctx, int err, const char *rule, const char *msg)
{
	struct reports *r = ctx;

	/* fail() formats into 160 bytes: a longer string would be an overrun. */
	if (err >= 0 || dc_elf_rule_find(rule) < 0 || !msg || !msg[0] ||
	    strnlen(msg, 256) >= 160)
		abort();
	if (!r->count++)
		r->first = err;
}

static void check_layout(const struct dc_elf_info *info, size_t size)
{
	int entry_in_text = 0;

	if (!info->nr_segments || info->nr_segments > DC_ELF_MAX_SEGMENTS ||
	    !info->span || info->span > DC_ELF_MAX_SPAN || info->span % DC_ELF_PAGE_SIZE)
		abort();
	for (unsigned int i = 0; i < info->nr_segments; i++) {
		const struct dc_elf_segment *s = &info->seg[i];

		if (s->vaddr % DC_ELF_PAGE_SIZE || !s->memsz || s->filesz > s->memsz ||
		    s->vaddr > info->span || s->memsz > info->span - s->vaddr ||
		    s->offset > size || s->filesz > size - s->offset)
			abort();
		if (i && s->vaddr < info->seg[i - 1].vaddr + info->seg[i - 1].memsz)
			abort();
		if (s->prot == DC_SEG_RX && info->entry >= s->vaddr &&
		    info->entry - s->vaddr < s->memsz)
			entry_in_text = 1;
	}
	if (!entry_in_text || info->nr_rela > DC_ELF_MAX_RELA || info->nr_symtabs > 2)
		abort();
}

static void symbolize(const uint8_t *data, size_t size, const struct dc_elf_info *info,
		      uint64_t offset)
{
	uint64_t within = ~0ULL;
	const char *name = dc_elf_symbolize(data, size, info, offset, &within);

	if (!name)
		return;
	if ((const uint8_t *)name < data || (const uint8_t *)name >= data + size ||
	    !memchr(name, '\0', data + size - (const uint8_t *)name) || within > offset)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dc_elf_info info;
	struct reports r = { 0, 0 };
	unsigned char *image;
	int err;

	err = dc_elf_parse(data, size, &info, report, &r);
	if (err) {
		if (!r.count || r.first != err)
			abort();
		return 0;
	}
	if (r.count)
		abort();
	check_layout(&info, size);

	/* calloc: the kernel hands dc_elf_build() a zeroed span as well. */
	image = calloc(1, info.span);
	if (!image)
		return 0;
	if (dc_elf_build(data, size, &info, image, FUZZ_BASE, report, &r) || r.count)
		abort();
	free(image);

	symbolize(data, size, &info, info.entry);
	symbolize(data, size, &info, 0);
	symbolize(data, size, &info, info.span - 1);
	symbolize(data, size, &info, ~0ULL);
	for (unsigned int i = 0; i < info.nr_segments; i++) {
		symbolize(data, size, &info, info.seg[i].vaddr);
		symbolize(data, size, &info, info.seg[i].vaddr + info.seg[i].memsz - 1);
	}
	return 0;
}
