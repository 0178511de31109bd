/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The domain image parser: validates an untrusted ELF image and lays it out
 * in memory.  Pure C with no kernel dependencies, so the very same code is
 * built into domain_core.ko, the userspace unit tests and the fuzzer.
 */
#ifndef DC_ELF_IMAGE_H
#define DC_ELF_IMAGE_H

#include "domain/abi.h"

#define DC_ELF_PAGE_SIZE	4096UL
#define DC_ELF_MAX_FILE		(64UL << 20)	/* image file size cap */
#define DC_ELF_MAX_SPAN		(64UL << 20)	/* loaded size cap */
#define DC_ELF_MAX_SEGMENTS	8
#define DC_ELF_MAX_PHDRS	32
#define DC_ELF_MAX_SECTIONS	128
#define DC_ELF_MAX_RELA		8

enum dc_seg_prot {
	DC_SEG_RW,	/* data, bss */
	DC_SEG_RO,	/* rodata */
	DC_SEG_RX,	/* text */
};

struct dc_elf_segment {
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t offset;
	uint64_t filesz;
	enum dc_seg_prot prot;
};

struct dc_elf_table {		/* an array of fixed-size entries in the file */
	uint64_t offset;
	uint64_t count;
};

struct dc_elf_rela {
	struct dc_elf_table entries;
	int symtab;		/* index into dc_elf_info.symtabs, or -1 */
};

struct dc_elf_symtab {
	struct dc_elf_table syms;
	uint64_t str_offset;	/* its string table */
	uint64_t str_size;
	int is_dynsym;
};

struct dc_elf_info {
	uint64_t span;		/* bytes to map, from vaddr 0, page aligned */
	uint64_t entry;		/* offset of the entry point */
	unsigned int nr_segments;
	struct dc_elf_segment seg[DC_ELF_MAX_SEGMENTS];
	unsigned int nr_rela;
	struct dc_elf_rela rela[DC_ELF_MAX_RELA];
	unsigned int nr_symtabs;
	struct dc_elf_symtab symtabs[2];
	int full_symtab;	/* index of .symtab (for fault reports) or -1 */
	struct dc_note note;
};

/*
 * Called for every problem found, with a negative errno and a message.
 * The parser goes on where it safely can, so a caller may list every
 * problem; the return value is the first error.
 */
typedef void (*dc_elf_report_fn)(void *ctx, int err, const char *msg);

int dc_elf_parse(const void *file, size_t len, struct dc_elf_info *info,
		 dc_elf_report_fn report, void *ctx);

/*
 * Lay a parsed image out in @image (info->span bytes, zero-filled by the
 * caller): copy the segments and apply the relocations for load address
 * @base.  Returns 0 or the first error (and reports it).
 */
int dc_elf_build(const void *file, size_t len, const struct dc_elf_info *info,
		 void *image, uint64_t base, dc_elf_report_fn report, void *ctx);

/*
 * The function containing image offset @offset, from .symtab: its name
 * (pointing into @file) and the offset into it.  NULL if unknown.
 */
const char *dc_elf_symbolize(const void *file, size_t len,
			     const struct dc_elf_info *info, uint64_t offset,
			     uint64_t *within);

#endif
