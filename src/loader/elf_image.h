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
#define DC_ELF_MAX_FILE		DC_IMAGE_MAX_BYTES	/* image file size cap */
#define DC_ELF_MAX_SPAN		DC_IMAGE_MAX_BYTES	/* loaded size cap */
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
	int has_note;		/* exactly one domain note of the right type and size */
	struct dc_note note;	/* if has_note; its fields are valid only if parsing returned 0 */
	uint64_t note_vaddr;	/* where its descriptor is mapped (the TCB fills in confinement) */
};

/*
 * The rules an image must follow, each with a stable id that names it in
 * every report (the kernel log, "domainctl verify", its --json output and
 * the SDK's build check), and a one-line summary.
 */
#define DC_ELF_RULES(R)							\
	R(ELF_FILE, "elf-file", "an ELF64 little-endian file of the current version") \
	R(FILE_SIZE, "file-size", "at most 64 MiB")			\
	R(ELF_MACHINE, "elf-machine", "built for this machine")	\
	R(ELF_TYPE, "elf-type", "position independent (ET_DYN)")	\
	R(HEADER_TABLES, "header-tables", "program and section header tables well formed and inside the file") \
	R(HEADER_COUNTS, "header-counts", "1 to 32 program headers, 1 to 128 sections") \
	R(SEGMENTS_IN_FILE, "segments-in-file", "every segment's bytes inside the file") \
	R(HAS_LOAD, "has-load", "1 to 8 loadable segments")		\
	R(LOAD_ALIGNMENT, "load-alignment", "loadable segments page aligned") \
	R(LOAD_SIZES, "load-sizes", "no segment's file size above its memory size") \
	R(LOAD_OVERLAP, "load-overlap", "segments in address order, no two sharing a page") \
	R(LOAD_WX, "load-wx", "no segment both writable and executable") \
	R(LOAD_SPAN, "load-span", "segments end within 64 MiB of address 0") \
	R(ENTRY, "entry", "the entry point inside an executable segment") \
	R(NO_INTERP, "no-interp", "no program interpreter")		\
	R(NO_TLS, "no-tls", "no thread-local storage")			\
	R(SECTIONS_IN_FILE, "sections-in-file", "every section's bytes inside the file") \
	R(UNCOMPRESSED_SECTIONS, "uncompressed-sections", "symbol, string, note and relocation sections not compressed") \
	R(SYMBOL_TABLES, "symbol-tables", "at most 2 well-formed symbol tables, symbols inside the image") \
	R(UNDEFINED_SYMBOLS, "undefined-symbols", "no undefined symbols") \
	R(RELOCATION_SECTIONS, "relocation-sections", "at most 8 well-formed RELA sections, no REL") \
	R(RELOCATION_TYPES, "relocation-types", "relocations only of the types the loader applies") \
	R(RELOCATION_TARGETS, "relocation-targets", "every relocated word, and the address it gets, inside the image") \
	R(RELOCATION_SYMBOLS, "relocation-symbols", "relocations only against existing, defined symbols") \
	R(DOMAIN_NOTE, "domain-note", "exactly one domain note of the right type and size") \
	R(NOTE_ABI, "note-abi", "the note's ABI version is this TCB's")	\
	R(NOTE_STRINGS, "note-strings", "the note's name, interface and version are non-empty strings") \
	R(NOTE_NAME, "note-name", "the note's name is [a-z0-9_-]{1,31}") \
	R(NOTE_IFACE, "note-iface", "the implemented interface known to this TCB, at its version") \
	R(NOTE_NEEDS, "note-needs", "at most 4 needs, each a known interface at its version") \
	R(NOTE_FLAGS, "note-flags", "no unknown note flags")		\
	R(NOTE_MAPPED, "note-mapped", "the domain note lies in a read-only loadable segment") \
	R(SIGNATURE, "signature", "an appended signature, if any, in the module format: PKCS#7 with the sign-file trailer")

enum dc_elf_rule {
#define DC_RULE_ENUM(id, name, summary)	DC_RULE_##id,
	DC_ELF_RULES(DC_RULE_ENUM)
#undef DC_RULE_ENUM
	DC_NR_RULES
};

const char *dc_elf_rule_name(unsigned int rule);
const char *dc_elf_rule_summary(unsigned int rule);
/* The number of the rule called @name, or -1 if there is none. */
int dc_elf_rule_find(const char *name);

/*
 * Called for every problem found, with a negative errno, the id of the
 * rule broken and a message.  The parser goes on where it safely can, so a
 * caller may list every problem; the return value is the first error.
 */
typedef void (*dc_elf_report_fn)(void *ctx, int err, const char *rule,
				 const char *msg);

int dc_elf_parse(const void *file, size_t len, struct dc_elf_info *info,
		 dc_elf_report_fn report, void *ctx);

/*
 * The file-size rule alone, for a caller that must not read a file over
 * the cap: 0, or -EFBIG (reported).  dc_elf_parse() applies it as well.
 */
int dc_elf_check_size(uint64_t len, dc_elf_report_fn report, void *ctx);

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
