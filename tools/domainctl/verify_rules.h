/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the image verifier: the state the rules share and the rules
 * themselves.  The table that lists them in order is in image_verify.c.
 */
#ifndef DOMAINCTL_VERIFY_RULES_H
#define DOMAINCTL_VERIFY_RULES_H

#include <gelf.h>
#include <stdbool.h>
#include <stdint.h>
#include "image_verify.h"

/* The kernel loader's limits (src/loader/elf_image.h). */
#define PAGE_SIZE_4K		4096u
#define IMAGE_MAX_FILE		(64ull << 20)	/* image file size */
#define IMAGE_MAX_SPAN		(64ull << 20)	/* mapped, from address 0 */
#define IMAGE_MAX_LOADS		8		/* PT_LOADs with memory */
#define IMAGE_MAX_PHDRS		32
#define IMAGE_MAX_SECTIONS	128
#define IMAGE_MAX_RELA		8		/* relocation sections */
#define IMAGE_MAX_SYMTABS	2		/* .dynsym and .symtab */

struct verify_ctx {
	Elf *elf;
	uint64_t file_size;
	GElf_Ehdr ehdr;
	size_t phnum;
	GElf_Phdr *phdrs;		/* all program headers */
	size_t shnum;			/* 0: no section headers */
	size_t shstrndx;		/* 0: no section names */
	struct image_check *out;

	/* The rule running now: problems are filed under its name. */
	const char *rule;
	unsigned rule_problems;
	unsigned rule_suppressed;	/* past the per-rule limit */

	/*
	 * Undefined symbols already reported (sorted), so that relocations
	 * against them do not repeat each one.
	 */
	char **undefined;
	size_t nr_undefined;

	/* Found by the note rule, checked by the rules after it. */
	unsigned nr_notes;
	bool note_size_ok;
	struct dc_note raw_note;
};

/* Report a problem for the current rule. */
void verify_problem(struct verify_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Is [offset, offset + size) inside [0, limit), without overflow? */
bool range_within(uint64_t offset, uint64_t size, uint64_t limit);

/* A section's name, or "[N]" (in @buf) if it has none. */
const char *section_name(struct verify_ctx *ctx, size_t index,
			 const GElf_Shdr *shdr, char *buf, size_t buf_len);

/*
 * A section's data if its bytes are inside the file and libelf can read
 * them; NULL otherwise (the sections-in-file rule reports that).
 */
Elf_Data *section_data(struct verify_ctx *ctx, Elf_Scn *scn,
		       const GElf_Shdr *shdr);

/* Copy @s with non-printable bytes replaced by '?', for messages. */
const char *printable(const char *s, char *buf, size_t buf_len);

/* Each rule looks and reports every problem with verify_problem(). */
typedef void verify_rule_fn(struct verify_ctx *ctx);

/* The size the PT_LOADs span from address 0 (page aligned), 0 if none. */
uint64_t image_span(const struct verify_ctx *ctx);

/* verify_elf.c: the file, its headers and segments. */
verify_rule_fn rule_elf_file, rule_file_size, rule_elf_machine, rule_elf_type,
	rule_header_tables, rule_header_counts, rule_section_headers,
	rule_segments_in_file,
	rule_has_load, rule_load_alignment, rule_load_sizes, rule_load_overlap,
	rule_load_wx, rule_load_span, rule_entry, rule_no_interp, rule_no_tls,
	rule_sections_in_file, rule_uncompressed_sections;

/* verify_link.c: symbols, relocations, dynamic section. */
verify_rule_fn rule_symbol_tables, rule_undefined_symbols, rule_no_needed,
	rule_relocation_sections, rule_relocation_types,
	rule_relocation_targets, rule_relocation_symbols;

/* verify_note.c: the domain note. */
verify_rule_fn rule_domain_note, rule_note_abi, rule_note_strings,
	rule_note_name, rule_note_iface, rule_note_needs, rule_note_flags;

#endif
