// SPDX-License-Identifier: GPL-2.0
/*
 * Image rules about the ELF file itself: header, program headers (the
 * segments the kernel maps) and section bounds.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "verify_rules.h"
#include "xalloc.h"

#define PAGE_MASK_4K	((uint64_t)PAGE_SIZE_4K - 1)

static uint64_t page_round_up(uint64_t x)
{
	return (x + PAGE_MASK_4K) & ~PAGE_MASK_4K;
}

static const char *segment_type_name(uint32_t type)
{
	switch (type) {
	case PT_LOAD: return "PT_LOAD";
	case PT_DYNAMIC: return "PT_DYNAMIC";
	case PT_INTERP: return "PT_INTERP";
	case PT_NOTE: return "PT_NOTE";
	case PT_PHDR: return "PT_PHDR";
	case PT_TLS: return "PT_TLS";
	case PT_GNU_EH_FRAME: return "PT_GNU_EH_FRAME";
	case PT_GNU_STACK: return "PT_GNU_STACK";
	case PT_GNU_RELRO: return "PT_GNU_RELRO";
	case PT_GNU_PROPERTY: return "PT_GNU_PROPERTY";
	}
	return "segment";
}

void rule_elf_file(struct verify_ctx *ctx)
{
	size_t ident_len;
	const char *ident;

	if (elf_kind(ctx->elf) != ELF_K_ELF) {
		if (ctx->file_size < sizeof(Elf64_Ehdr))
			verify_problem(ctx, "not an ELF file (image truncated: %" PRIu64 " bytes is smaller than an ELF header)",
				       (uint64_t)ctx->file_size);
		else
			verify_problem(ctx, "not an ELF file");
		return;
	}
	ident = elf_getident(ctx->elf, &ident_len);
	if (!ident || ident_len < EI_NIDENT) {
		verify_problem(ctx, "ELF identification unreadable");
		return;
	}
	if (ident[EI_CLASS] != ELFCLASS64)
		verify_problem(ctx, "not ELF64 (class %d); domains are 64-bit",
			       ident[EI_CLASS]);
	if (ident[EI_DATA] != ELFDATA2LSB)
		verify_problem(ctx, "not little endian (data encoding %d)",
			       ident[EI_DATA]);
	if (ident[EI_VERSION] != EV_CURRENT)
		verify_problem(ctx, "unknown ELF version %d", ident[EI_VERSION]);
	if (ctx->rule_problems)
		return;
	if (!gelf_getehdr(ctx->elf, &ctx->ehdr)) {
		verify_problem(ctx, "ELF header unreadable: %s", elf_errmsg(-1));
		return;
	}
	if (ctx->ehdr.e_version != EV_CURRENT)
		verify_problem(ctx, "unknown ELF version %" PRIu32,
			       (uint32_t)ctx->ehdr.e_version);
	if (ctx->ehdr.e_ehsize != sizeof(Elf64_Ehdr))
		verify_problem(ctx, "ELF header size %u, expected %zu",
			       ctx->ehdr.e_ehsize, sizeof(Elf64_Ehdr));
}

void rule_file_size(struct verify_ctx *ctx)
{
	if (ctx->file_size > IMAGE_MAX_FILE)
		verify_problem(ctx, "the file has %" PRIu64 " bytes; the kernel takes images of at most %llu MiB",
			       ctx->file_size, IMAGE_MAX_FILE >> 20);
}

void rule_elf_machine(struct verify_ctx *ctx)
{
	if (ctx->ehdr.e_machine != EM_X86_64)
		verify_problem(ctx, "machine %u is not x86-64 (EM_X86_64)",
			       ctx->ehdr.e_machine);
}

void rule_elf_type(struct verify_ctx *ctx)
{
	switch (ctx->ehdr.e_type) {
	case ET_DYN:
		return;
	case ET_REL:
		verify_problem(ctx, "relocatable object (ET_REL), not an image: link it with the domain SDK");
		return;
	case ET_EXEC:
		verify_problem(ctx, "fixed-address executable (ET_EXEC), not position independent (ET_DYN)");
		return;
	default:
		verify_problem(ctx, "ELF type %u is not ET_DYN", ctx->ehdr.e_type);
	}
}

/*
 * libelf trusts e_phoff/e_shoff only so far; check the tables' bounds and
 * entry sizes ourselves, then read the program headers once for all rules.
 */
void rule_header_tables(struct verify_ctx *ctx)
{
	const GElf_Ehdr *eh = &ctx->ehdr;

	/*
	 * libelf reports no headers at all for a table cut off by the end of
	 * the file; say what really happened, from the raw header counts.
	 */
	if (eh->e_phnum && eh->e_phentsize == sizeof(Elf64_Phdr) &&
	    !range_within(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr),
			  ctx->file_size)) {
		verify_problem(ctx, "image truncated: the program header table (offset 0x%" PRIx64 ", %u entries) extends past the end of the file (0x%" PRIx64 " bytes)",
			       (uint64_t)eh->e_phoff, eh->e_phnum, ctx->file_size);
		return;
	}
	if (eh->e_shnum && eh->e_shentsize == sizeof(Elf64_Shdr) &&
	    !range_within(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr),
			  ctx->file_size)) {
		verify_problem(ctx, "image truncated: the section header table (offset 0x%" PRIx64 ", %u entries) extends past the end of the file (0x%" PRIx64 " bytes)",
			       (uint64_t)eh->e_shoff, eh->e_shnum, ctx->file_size);
		return;
	}
	if (elf_getphdrnum(ctx->elf, &ctx->phnum) != 0) {
		verify_problem(ctx, "program header count unreadable: %s",
			       elf_errmsg(-1));
		return;
	}
	if (ctx->phnum && eh->e_phentsize != sizeof(Elf64_Phdr))
		verify_problem(ctx, "program header entry size %u, expected %zu",
			       eh->e_phentsize, sizeof(Elf64_Phdr));
	else if (ctx->phnum &&
		 (ctx->phnum > UINT64_MAX / sizeof(Elf64_Phdr) ||
		  !range_within(eh->e_phoff, ctx->phnum * sizeof(Elf64_Phdr),
				ctx->file_size)))
		verify_problem(ctx, "program header table (offset 0x%" PRIx64 ", %zu entries) extends past the end of the file",
			       (uint64_t)eh->e_phoff, ctx->phnum);

	if (elf_getshdrnum(ctx->elf, &ctx->shnum) != 0) {
		verify_problem(ctx, "section header count unreadable: %s",
			       elf_errmsg(-1));
		return;
	}
	if (eh->e_shoff && eh->e_shentsize != sizeof(Elf64_Shdr))
		verify_problem(ctx, "section header entry size %u, expected %zu",
			       eh->e_shentsize, sizeof(Elf64_Shdr));
	else if (ctx->shnum &&
		 (ctx->shnum > UINT64_MAX / sizeof(Elf64_Shdr) ||
		  !range_within(eh->e_shoff, ctx->shnum * sizeof(Elf64_Shdr),
				ctx->file_size)))
		verify_problem(ctx, "section header table (offset 0x%" PRIx64 ", %zu entries) extends past the end of the file",
			       (uint64_t)eh->e_shoff, ctx->shnum);
	if (ctx->rule_problems)
		return;

	if (ctx->shnum && elf_getshdrstrndx(ctx->elf, &ctx->shstrndx) != 0)
		ctx->shstrndx = 0;	/* sections are then named by index */
	if (ctx->shstrndx >= ctx->shnum)
		ctx->shstrndx = 0;

	ctx->phdrs = xcalloc(ctx->phnum, sizeof(*ctx->phdrs));
	for (size_t i = 0; i < ctx->phnum; i++) {
		if (!gelf_getphdr(ctx->elf, (int)i, &ctx->phdrs[i])) {
			verify_problem(ctx, "program header %zu unreadable: %s",
				       i, elf_errmsg(-1));
			return;
		}
	}
}

void rule_header_counts(struct verify_ctx *ctx)
{
	if (ctx->phnum == 0)
		verify_problem(ctx, "no program headers");
	else if (ctx->phnum > IMAGE_MAX_PHDRS)
		verify_problem(ctx, "%zu program headers; the kernel takes at most %d",
			       ctx->phnum, IMAGE_MAX_PHDRS);
	if (ctx->shnum > IMAGE_MAX_SECTIONS)
		verify_problem(ctx, "%zu sections; the kernel takes at most %d",
			       ctx->shnum, IMAGE_MAX_SECTIONS);
}

void rule_section_headers(struct verify_ctx *ctx)
{
	if (ctx->shnum == 0)
		verify_problem(ctx, "no section headers: symbols, relocations and the domain note cannot be found (do not strip them)");
}

void rule_segments_in_file(struct verify_ctx *ctx)
{
	for (size_t i = 0; i < ctx->phnum; i++) {
		const GElf_Phdr *ph = &ctx->phdrs[i];

		if (ph->p_filesz && !range_within(ph->p_offset, ph->p_filesz,
						  ctx->file_size))
			verify_problem(ctx, "%s [%zu] (offset 0x%" PRIx64 ", 0x%" PRIx64 " bytes) extends past the end of the file (0x%" PRIx64 " bytes)",
				       segment_type_name(ph->p_type), i,
				       (uint64_t)ph->p_offset,
				       (uint64_t)ph->p_filesz, ctx->file_size);
	}
}

/* A PT_LOAD the loader maps (it skips empty ones). */
static bool is_mapped_load(const GElf_Phdr *ph)
{
	return ph->p_type == PT_LOAD && ph->p_memsz;
}

void rule_has_load(struct verify_ctx *ctx)
{
	size_t n = 0;

	for (size_t i = 0; i < ctx->phnum; i++)
		if (is_mapped_load(&ctx->phdrs[i]))
			n++;
	if (n == 0)
		verify_problem(ctx, "no PT_LOAD segment with contents: nothing to load");
	else if (n > IMAGE_MAX_LOADS)
		verify_problem(ctx, "%zu PT_LOAD segments; the kernel takes at most %d",
			       n, IMAGE_MAX_LOADS);
}

void rule_load_alignment(struct verify_ctx *ctx)
{
	for (size_t i = 0; i < ctx->phnum; i++) {
		const GElf_Phdr *ph = &ctx->phdrs[i];

		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_vaddr & PAGE_MASK_4K)
			verify_problem(ctx, "PT_LOAD [%zu] starts at 0x%" PRIx64 ", not on a page boundary",
				       i, (uint64_t)ph->p_vaddr);
		if ((ph->p_vaddr & PAGE_MASK_4K) != (ph->p_offset & PAGE_MASK_4K))
			verify_problem(ctx, "PT_LOAD [%zu]: file offset 0x%" PRIx64 " and address 0x%" PRIx64 " differ modulo the page size",
				       i, (uint64_t)ph->p_offset,
				       (uint64_t)ph->p_vaddr);
	}
}

void rule_load_sizes(struct verify_ctx *ctx)
{
	for (size_t i = 0; i < ctx->phnum; i++) {
		const GElf_Phdr *ph = &ctx->phdrs[i];

		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_filesz > ph->p_memsz)
			verify_problem(ctx, "PT_LOAD [%zu]: file size 0x%" PRIx64 " exceeds memory size 0x%" PRIx64,
				       i, (uint64_t)ph->p_filesz,
				       (uint64_t)ph->p_memsz);
		if (ph->p_memsz > UINT64_MAX - PAGE_MASK_4K - ph->p_vaddr)
			verify_problem(ctx, "PT_LOAD [%zu]: 0x%" PRIx64 " + 0x%" PRIx64 " wraps around the address space",
				       i, (uint64_t)ph->p_vaddr,
				       (uint64_t)ph->p_memsz);
	}
}

static bool load_segment_sane(const GElf_Phdr *ph)
{
	return is_mapped_load(ph) &&
	       ph->p_memsz <= UINT64_MAX - PAGE_MASK_4K - ph->p_vaddr;
}

/*
 * Segments are mapped whole pages at a time with their own permissions,
 * so two that share a page overlap as far as the loader is concerned; and
 * the loader wants them in address order, as linkers write them.
 */
void rule_load_overlap(struct verify_ctx *ctx)
{
	const GElf_Phdr *prev = NULL;

	for (size_t i = 0; i < ctx->phnum; i++) {
		const GElf_Phdr *ph = &ctx->phdrs[i];
		uint64_t prev_end;

		if (!load_segment_sane(ph))
			continue;
		if (prev) {
			prev_end = page_round_up(prev->p_vaddr + prev->p_memsz);
			if (ph->p_vaddr < prev->p_vaddr)
				verify_problem(ctx, "PT_LOAD [%zu] at 0x%" PRIx64 " comes after PT_LOAD [%td] at 0x%" PRIx64 ": PT_LOADs must be in address order",
					       i, (uint64_t)ph->p_vaddr,
					       prev - ctx->phdrs,
					       (uint64_t)prev->p_vaddr);
			else if (ph->p_vaddr < prev_end)
				verify_problem(ctx, "PT_LOAD [%zu] at 0x%" PRIx64 " overlaps PT_LOAD [%td] (0x%" PRIx64 "-0x%" PRIx64 ", rounded to pages)",
					       i, (uint64_t)ph->p_vaddr,
					       prev - ctx->phdrs,
					       (uint64_t)prev->p_vaddr, prev_end);
		}
		prev = ph;
	}
}

void rule_load_wx(struct verify_ctx *ctx)
{
	for (size_t i = 0; i < ctx->phnum; i++) {
		const GElf_Phdr *ph = &ctx->phdrs[i];

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_W) &&
		    (ph->p_flags & PF_X))
			verify_problem(ctx, "PT_LOAD [%zu] at 0x%" PRIx64 " is both writable and executable (W^X)",
				       i, (uint64_t)ph->p_vaddr);
	}
}

uint64_t image_span(const struct verify_ctx *ctx)
{
	uint64_t span = 0;

	for (size_t i = 0; i < ctx->phnum; i++) {
		const GElf_Phdr *ph = &ctx->phdrs[i];

		if (load_segment_sane(ph) &&
		    page_round_up(ph->p_vaddr + ph->p_memsz) > span)
			span = page_round_up(ph->p_vaddr + ph->p_memsz);
	}
	return span;
}

/* The image is mapped from address 0 up to the end of its last PT_LOAD. */
void rule_load_span(struct verify_ctx *ctx)
{
	uint64_t span = image_span(ctx);

	if (span > IMAGE_MAX_SPAN)
		verify_problem(ctx, "PT_LOADs end at 0x%" PRIx64 ", past the %llu MiB a domain may span",
			       span, IMAGE_MAX_SPAN >> 20);
}

void rule_entry(struct verify_ctx *ctx)
{
	uint64_t entry = ctx->ehdr.e_entry;
	bool has_text = false;

	for (size_t i = 0; i < ctx->phnum; i++) {
		const GElf_Phdr *ph = &ctx->phdrs[i];

		if (!is_mapped_load(ph) || !(ph->p_flags & PF_X))
			continue;
		has_text = true;
		if (entry >= ph->p_vaddr && entry - ph->p_vaddr < ph->p_memsz)
			return;
	}
	if (has_text)
		verify_problem(ctx, "entry point 0x%" PRIx64 " is not inside an executable PT_LOAD",
			       entry);
	else
		verify_problem(ctx, "no executable PT_LOAD (no code)");
}

static void forbid_segment(struct verify_ctx *ctx, uint32_t type,
			   const char *why)
{
	for (size_t i = 0; i < ctx->phnum; i++)
		if (ctx->phdrs[i].p_type == type)
			verify_problem(ctx, "has a %s segment: %s",
				       segment_type_name(type), why);
}

void rule_no_interp(struct verify_ctx *ctx)
{
	forbid_segment(ctx, PT_INTERP,
		       "a domain has no program interpreter (link with the domain SDK, -nostdlib)");
}

void rule_no_tls(struct verify_ctx *ctx)
{
	forbid_segment(ctx, PT_TLS, "domains cannot use thread-local storage");
}

void rule_sections_in_file(struct verify_ctx *ctx)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(ctx->elf, scn))) {
		GElf_Shdr shdr;
		char name[64];

		if (!gelf_getshdr(scn, &shdr)) {
			verify_problem(ctx, "section [%zu] header unreadable: %s",
				       elf_ndxscn(scn), elf_errmsg(-1));
			continue;
		}
		if (shdr.sh_type == SHT_NOBITS || shdr.sh_type == SHT_NULL)
			continue;
		if (!range_within(shdr.sh_offset, shdr.sh_size, ctx->file_size))
			verify_problem(ctx, "section %s (offset 0x%" PRIx64 ", 0x%" PRIx64 " bytes) extends past the end of the file",
				       section_name(ctx, elf_ndxscn(scn), &shdr,
						    name, sizeof(name)),
				       (uint64_t)shdr.sh_offset,
				       (uint64_t)shdr.sh_size);
	}
}

/*
 * The loader reads its tables raw; libelf would read a compressed one
 * compressed.  Either way a compressed table is not what the loader
 * expects.  (Compressed .debug_* sections are fine: nobody loads them.)
 */
void rule_uncompressed_sections(struct verify_ctx *ctx)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(ctx->elf, scn))) {
		GElf_Shdr shdr;
		char name[64];

		if (!gelf_getshdr(scn, &shdr) || !(shdr.sh_flags & SHF_COMPRESSED))
			continue;
		switch (shdr.sh_type) {
		case SHT_SYMTAB:
		case SHT_DYNSYM:
		case SHT_STRTAB:
		case SHT_NOTE:
		case SHT_RELA:
		case SHT_REL:
		case SHT_DYNAMIC:
			verify_problem(ctx, "section %s is compressed (SHF_COMPRESSED); the loader reads it as is",
				       section_name(ctx, elf_ndxscn(scn), &shdr,
						    name, sizeof(name)));
			break;
		default:
			break;
		}
	}
}
