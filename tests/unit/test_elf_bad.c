// SPDX-License-Identifier: GPL-2.0
/*
 * The parser on malformed images: each case damages a good image in memory
 * in one way and expects the exact errno elf_image.c documents for that
 * kind of problem, with a message.  Cases that elf_image.c must accept
 * (edges, and problems only the kernel can see) expect 0.
 *
 * Each case runs on log.dom with its own result line, then on every other
 * image with one result line per image, so that the cases stay generic.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"

/* A mutable image that a case may grow. */
struct buf {
	unsigned char *b;
	size_t len;
};

/* Append @size bytes (8-aligned, so tables stay aligned); their offset. */
static uint64_t append(struct buf *m, const void *data, size_t size)
{
	size_t off = (m->len + 7) & ~(size_t)7;

	m->b = realloc(m->b, off + size);
	if (!m->b) {
		perror("realloc");
		exit(2);
	}
	memset(m->b + m->len, 0, off - m->len);
	if (data)
		memcpy(m->b + off, data, size);
	else
		memset(m->b + off, 0, size);
	m->len = off + size;
	return off;
}

static Elf64_Ehdr *eh(struct buf *m)
{
	return elf_ehdr(m->b);
}

/* The @nth loadable segment's header, or NULL. */
static Elf64_Phdr *load(struct buf *m, unsigned int nth)
{
	int i = elf_find_load(m->b, nth);

	return i < 0 ? NULL : elf_phdr(m->b, i);
}

static Elf64_Phdr *load_with(struct buf *m, uint32_t flag)
{
	for (unsigned int n = 0; load(m, n); n++)
		if (load(m, n)->p_flags & flag)
			return load(m, n);
	return NULL;
}

static Elf64_Phdr *phdr_of_type(struct buf *m, uint32_t type)
{
	for (int i = 0; i < eh(m)->e_phnum; i++)
		if (elf_phdr(m->b, i)->p_type == type)
			return elf_phdr(m->b, i);
	return NULL;
}

static uint64_t page_up(uint64_t x)
{
	return (x + DC_ELF_PAGE_SIZE - 1) & ~(DC_ELF_PAGE_SIZE - 1);
}

static uint64_t span_of(struct buf *m)
{
	uint64_t span = 0;

	for (unsigned int n = 0; load(m, n); n++)
		span = page_up(load(m, n)->p_vaddr + load(m, n)->p_memsz);
	return span;
}

static Elf64_Shdr *section(struct buf *m, uint32_t type)
{
	int i = elf_find_section(m->b, type, 0);

	return i < 0 ? NULL : elf_shdr(m->b, i);
}

/* The first entry of the first RELA section, or NULL. */
static Elf64_Rela *first_rela(struct buf *m)
{
	Elf64_Shdr *sh = section(m, SHT_RELA);

	return sh && sh->sh_size >= sizeof(Elf64_Rela) ?
	       (Elf64_Rela *)(m->b + sh->sh_offset) : NULL;
}

static Elf64_Sym *entry_sym(struct buf *m)
{
	return elf_find_symbol(m->b, "dc_domain_entry");
}

static uint32_t sym_index(struct buf *m, const Elf64_Sym *sym)
{
	Elf64_Shdr *sh = section(m, SHT_SYMTAB);

	return (uint32_t)(sym - (const Elf64_Sym *)(m->b + sh->sh_offset));
}

static struct dc_note *note(struct buf *m)
{
	return elf_find_note(m->b, NULL);
}

static Elf64_Nhdr *note_hdr(struct buf *m)
{
	Elf64_Nhdr *nh = NULL;

	elf_find_note(m->b, &nh);
	return nh;
}

/* Move the section header table to the end of the file, with @extra more. */
static Elf64_Shdr *grow_shdrs(struct buf *m, unsigned int extra)
{
	size_t old = eh(m)->e_shnum * sizeof(Elf64_Shdr);
	uint64_t off = append(m, NULL, old + extra * sizeof(Elf64_Shdr));

	memcpy(m->b + off, m->b + eh(m)->e_shoff, old);
	eh(m)->e_shoff = off;
	eh(m)->e_shnum += extra;
	return (Elf64_Shdr *)(m->b + off);
}

/* Sets a field; returns -1 ("does not apply") when the target is absent. */
#define SET(ptr, field, value)					\
	do {							\
		if (!(ptr))					\
			return -1;				\
		(ptr)->field = (value);				\
	} while (0)

/* ---- the ELF header ---- */

static int bad_magic(struct buf *m)
{
	m->b[EI_MAG1] = 'X';
	return 0;
}

static int elf32_class(struct buf *m)
{
	m->b[EI_CLASS] = ELFCLASS32;
	return 0;
}

static int big_endian(struct buf *m)
{
	m->b[EI_DATA] = ELFDATA2MSB;
	return 0;
}

static int bad_version(struct buf *m)
{
	eh(m)->e_version = 2;
	return 0;
}

static int wrong_machine(struct buf *m)
{
	eh(m)->e_machine = EM_386;
	return 0;
}

static int et_exec(struct buf *m)
{
	eh(m)->e_type = ET_EXEC;
	return 0;
}

static int et_rel(struct buf *m)
{
	eh(m)->e_type = ET_REL;
	return 0;
}

static int bad_ehsize(struct buf *m)
{
	eh(m)->e_ehsize = 52;
	return 0;
}

static int bad_phentsize(struct buf *m)
{
	eh(m)->e_phentsize = 32;
	return 0;
}

static int no_phdrs(struct buf *m)
{
	eh(m)->e_phnum = 0;
	return 0;
}

static int too_many_phdrs(struct buf *m)
{
	eh(m)->e_phnum = DC_ELF_MAX_PHDRS + 1;
	return 0;
}

static int phdrs_past_end(struct buf *m)
{
	eh(m)->e_phoff = m->len - 8;
	return 0;
}

static int phoff_overflow(struct buf *m)
{
	eh(m)->e_phoff = ~0ULL - 8;
	return 0;
}

static int bad_shentsize(struct buf *m)
{
	eh(m)->e_shentsize = 40;
	return 0;
}

static int no_shdrs(struct buf *m)
{
	eh(m)->e_shnum = 0;
	return 0;
}

static int too_many_shdrs(struct buf *m)
{
	eh(m)->e_shnum = DC_ELF_MAX_SECTIONS + 1;
	return 0;
}

static int shdrs_past_end(struct buf *m)
{
	eh(m)->e_shoff = m->len - 32;
	return 0;
}

static int shoff_overflow(struct buf *m)
{
	eh(m)->e_shoff = ~0ULL - 32;
	return 0;
}

/*
 * A copy of the table at @offset, 4 bytes past an aligned spot at the end:
 * in the file, but no longer aligned for its type.  Returns its offset.
 */
static uint64_t moved_by_4(struct buf *m, uint64_t offset, uint64_t size)
{
	uint64_t off = append(m, NULL, size + 4) + 4;

	memcpy(m->b + off, m->b + offset, size);
	return off;
}

static int phdrs_misaligned(struct buf *m)
{
	uint64_t off = moved_by_4(m, eh(m)->e_phoff, eh(m)->e_phnum * sizeof(Elf64_Phdr));

	eh(m)->e_phoff = off;
	return 0;
}

static int shdrs_misaligned(struct buf *m)
{
	uint64_t off = moved_by_4(m, eh(m)->e_shoff, eh(m)->e_shnum * sizeof(Elf64_Shdr));

	eh(m)->e_shoff = off;
	return 0;
}

static int section_misaligned(struct buf *m, uint32_t type)
{
	int i = elf_find_section(m->b, type, 0);
	uint64_t off;

	if (i < 0)
		return -1;
	off = moved_by_4(m, elf_shdr(m->b, i)->sh_offset, elf_shdr(m->b, i)->sh_size);
	elf_shdr(m->b, i)->sh_offset = off;
	return 0;
}

static int symtab_misaligned(struct buf *m)
{
	return section_misaligned(m, SHT_SYMTAB);
}

static int rela_misaligned(struct buf *m)
{
	return section_misaligned(m, SHT_RELA);
}

static int file_too_big(struct buf *m)
{
	append(m, NULL, DC_ELF_MAX_FILE + 1 - m->len);
	m->len = DC_ELF_MAX_FILE + 1;
	return 0;
}

/* ---- segments ---- */

static int wx_segment(struct buf *m)
{
	SET(load_with(m, PF_X), p_flags, PF_R | PF_W | PF_X);
	return 0;
}

static int misaligned_segment(struct buf *m)
{
	SET(load(m, 1), p_vaddr, load(m, 1)->p_vaddr + 16);
	return 0;
}

static int huge_memsz(struct buf *m)
{
	SET(load_with(m, PF_W), p_memsz, 1ULL << 30);
	return 0;
}

/* One byte past the span cap: the boundary itself is the next case. */
static int memsz_over_cap(struct buf *m)
{
	Elf64_Phdr *ph = load_with(m, PF_W);

	SET(ph, p_memsz, DC_ELF_MAX_SPAN - ph->p_vaddr + 1);
	return 0;
}

static int memsz_at_cap(struct buf *m)
{
	Elf64_Phdr *ph = load_with(m, PF_W);

	SET(ph, p_memsz, DC_ELF_MAX_SPAN - ph->p_vaddr);
	return 0;
}

static int vaddr_overflow(struct buf *m)
{
	SET(load_with(m, PF_W), p_vaddr, ~0ULL & ~4095ULL);
	return 0;
}

static int filesz_over_memsz(struct buf *m)
{
	SET(load_with(m, PF_W), p_filesz, load_with(m, PF_W)->p_memsz + 1);
	return 0;
}

static int segment_past_end(struct buf *m)
{
	SET(load(m, 0), p_offset, m->len);
	return 0;
}

static int segment_offset_overflow(struct buf *m)
{
	SET(load(m, 0), p_offset, ~0ULL - 16);
	return 0;
}

/* The second segment starts on the first one's last page. */
static int overlapping_segments(struct buf *m)
{
	Elf64_Phdr *a = load(m, 0), *b = load(m, 1);

	if (!a || !b)
		return -1;
	b->p_vaddr = (a->p_vaddr + a->p_memsz - 1) & ~4095ULL;
	return 0;
}

static int segments_out_of_order(struct buf *m)
{
	Elf64_Phdr *a = load(m, 0), *b = load(m, 1), tmp;

	if (!a || !b)
		return -1;
	tmp = *a;
	*a = *b;
	*b = tmp;
	return 0;
}

/* A new program header table: the old one plus enough empty-page loads. */
static int too_many_segments(struct buf *m)
{
	unsigned int n = eh(m)->e_phnum, loads = 0, extra;
	uint64_t span = span_of(m), off;
	Elf64_Phdr *ph;

	while (load(m, loads))
		loads++;
	extra = DC_ELF_MAX_SEGMENTS + 1 - loads;
	off = append(m, NULL, (n + extra) * sizeof(Elf64_Phdr));
	memcpy(m->b + off, m->b + eh(m)->e_phoff, n * sizeof(Elf64_Phdr));
	ph = (Elf64_Phdr *)(m->b + off);
	for (unsigned int i = 0; i < extra; i++) {
		ph[n + i].p_type = PT_LOAD;
		ph[n + i].p_flags = PF_R;
		ph[n + i].p_vaddr = span + i * DC_ELF_PAGE_SIZE;
		ph[n + i].p_memsz = DC_ELF_PAGE_SIZE;
	}
	eh(m)->e_phoff = off;
	eh(m)->e_phnum = n + extra;
	return 0;
}

static int interp(struct buf *m)
{
	SET(phdr_of_type(m, PT_NOTE), p_type, PT_INTERP);
	return 0;
}

static int tls(struct buf *m)
{
	SET(phdr_of_type(m, PT_NOTE), p_type, PT_TLS);
	return 0;
}

/* What the linker makes of __thread when there is no PT_TLS. */
static int tls_section(struct buf *m)
{
	SET(section(m, SHT_NOBITS), sh_flags, section(m, SHT_NOBITS)->sh_flags | SHF_TLS);
	return 0;
}

static int no_load(struct buf *m)
{
	Elf64_Phdr *ph;

	while ((ph = phdr_of_type(m, PT_LOAD)))
		ph->p_type = PT_NULL;
	return 0;
}

static int zero_size_loads(struct buf *m)
{
	for (int i = 0; i < eh(m)->e_phnum; i++)
		if (elf_phdr(m->b, i)->p_type == PT_LOAD)
			elf_phdr(m->b, i)->p_memsz = elf_phdr(m->b, i)->p_filesz = 0;
	return 0;
}

static int no_exec_segment(struct buf *m)
{
	SET(load_with(m, PF_X), p_flags, PF_R);
	return 0;
}

static int entry_outside_text(struct buf *m)
{
	Elf64_Phdr *ph = load(m, 1);

	if (!ph || ph->p_flags & PF_X)
		return -1;
	eh(m)->e_entry = ph->p_vaddr;
	return 0;
}

/* One past the text's last byte. */
static int entry_past_text(struct buf *m)
{
	Elf64_Phdr *ph = load_with(m, PF_X);

	if (!ph)
		return -1;
	eh(m)->e_entry = ph->p_vaddr + ph->p_memsz;
	return 0;
}

/* The text's first byte: a valid entry point, even though it is 0. */
static int entry_at_zero(struct buf *m)
{
	Elf64_Phdr *ph = load_with(m, PF_X);

	if (!ph || ph->p_vaddr)
		return -1;
	eh(m)->e_entry = 0;
	return 0;
}

/* ---- sections, symbols, relocations ---- */

static int section_past_end(struct buf *m)
{
	SET(section(m, SHT_SYMTAB), sh_offset, m->len);
	return 0;
}

static int section_size_overflow(struct buf *m)
{
	SET(section(m, SHT_SYMTAB), sh_size, ~0ULL);
	return 0;
}

static int symtab_bad_entsize(struct buf *m)
{
	SET(section(m, SHT_SYMTAB), sh_entsize, 16);
	return 0;
}

static int symtab_size_not_multiple(struct buf *m)
{
	SET(section(m, SHT_SYMTAB), sh_size, section(m, SHT_SYMTAB)->sh_size - 1);
	return 0;
}

static int symtab_no_strtab(struct buf *m)
{
	SET(section(m, SHT_SYMTAB), sh_link, 0);
	return 0;
}

static int symtab_link_out_of_range(struct buf *m)
{
	SET(section(m, SHT_SYMTAB), sh_link, 1000);
	return 0;
}

static int three_symtabs(struct buf *m)
{
	int i = elf_find_section(m->b, SHT_SYMTAB, 0);
	Elf64_Shdr *sh;

	if (i < 0 || elf_find_section(m->b, SHT_DYNSYM, 0) < 0)
		return -1;
	sh = grow_shdrs(m, 1);
	sh[eh(m)->e_shnum - 1] = sh[i];
	return 0;
}

static int symbol_name_outside(struct buf *m)
{
	SET(entry_sym(m), st_name, 0x7fffffff);
	return 0;
}

static int symbol_outside_image(struct buf *m)
{
	SET(entry_sym(m), st_value, span_of(m) + 0x1000);
	return 0;
}

static int symbol_at_span_end(struct buf *m)
{
	SET(entry_sym(m), st_value, span_of(m));
	return 0;
}

static int undefined_symbol(struct buf *m)
{
	SET(entry_sym(m), st_shndx, SHN_UNDEF);
	return 0;
}

static int rel_section(struct buf *m)
{
	SET(section(m, SHT_RELA), sh_type, SHT_REL);
	return 0;
}

static int rela_bad_entsize(struct buf *m)
{
	SET(section(m, SHT_RELA), sh_entsize, 16);
	return 0;
}

static int too_many_rela(struct buf *m)
{
	int i = elf_find_section(m->b, SHT_RELA, 0);
	Elf64_Shdr *sh;

	if (i < 0)
		return -1;
	sh = grow_shdrs(m, DC_ELF_MAX_RELA);
	for (unsigned int k = 0; k < DC_ELF_MAX_RELA; k++)
		sh[eh(m)->e_shnum - 1 - k] = sh[i];
	return 0;
}

static int reloc_out_of_range(struct buf *m)
{
	SET(first_rela(m), r_offset, span_of(m) + 0x10000);
	return 0;
}

/* An 8-byte word half inside the data segment, half past its end. */
static int reloc_straddles_end(struct buf *m)
{
	Elf64_Phdr *ph = load_with(m, PF_W);

	SET(first_rela(m), r_offset, ph ? ph->p_vaddr + ph->p_memsz - 4 : 0);
	return ph ? 0 : -1;
}

/* Between the text's last byte and the next segment: mapped, but no segment's. */
static int reloc_in_gap(struct buf *m)
{
	Elf64_Phdr *a = load(m, 0), *b = load(m, 1);
	uint64_t at;

	if (!a || !b)
		return -1;
	at = (a->p_vaddr + a->p_memsz + 7) & ~7ULL;
	if (at + 8 > b->p_vaddr)
		return -1;
	SET(first_rela(m), r_offset, at);
	return 0;
}

static int reloc_target_outside(struct buf *m)
{
	SET(first_rela(m), r_addend, (int64_t)span_of(m) + 1);
	return 0;
}

static int reloc_target_at_end(struct buf *m)
{
	SET(first_rela(m), r_addend, (int64_t)span_of(m));
	return 0;
}

static int reloc_negative_addend(struct buf *m)
{
	SET(first_rela(m), r_addend, -8);
	return 0;
}

static int reloc_unknown_type(struct buf *m)
{
	SET(first_rela(m), r_info, ELF64_R_INFO(0, R_X86_64_PC32));
	return 0;
}

static int reloc_none_ignored(struct buf *m)
{
	SET(first_rela(m), r_info, ELF64_R_INFO(0, R_X86_64_NONE));
	first_rela(m)->r_offset = ~0ULL;
	return 0;
}

static int reloc_symbol_zero(struct buf *m)
{
	SET(first_rela(m), r_info, ELF64_R_INFO(0, R_X86_64_64));
	return 0;
}

static int reloc_symbol_past_table(struct buf *m)
{
	SET(first_rela(m), r_info, ELF64_R_INFO(1000, R_X86_64_64));
	return 0;
}

static int reloc_no_symtab(struct buf *m)
{
	SET(section(m, SHT_RELA), sh_link, 0);
	first_rela(m)->r_info = ELF64_R_INFO(1, R_X86_64_64);
	return 0;
}

/* Point the first relocation at dc_domain_entry in .symtab, as @type. */
static int reloc_against_entry(struct buf *m, uint32_t type, int64_t addend)
{
	Elf64_Shdr *rela = section(m, SHT_RELA);
	Elf64_Sym *sym = entry_sym(m);

	if (!rela || !sym || !first_rela(m))
		return -1;
	rela->sh_link = elf_find_section(m->b, SHT_SYMTAB, 0);
	first_rela(m)->r_info = ELF64_R_INFO(sym_index(m, sym), type);
	first_rela(m)->r_addend = addend;
	return 0;
}

static int reloc_r64(struct buf *m)
{
	return reloc_against_entry(m, R_X86_64_64, 5);
}

static int reloc_glob_dat(struct buf *m)
{
	return reloc_against_entry(m, R_X86_64_GLOB_DAT, 5);
}

static int reloc_jump_slot(struct buf *m)
{
	return reloc_against_entry(m, R_X86_64_JUMP_SLOT, 0);
}

static int reloc_symbol_outside(struct buf *m)
{
	return reloc_against_entry(m, R_X86_64_64, (int64_t)span_of(m));
}

static int reloc_against_undefined(struct buf *m)
{
	if (reloc_against_entry(m, R_X86_64_64, 0))
		return -1;
	entry_sym(m)->st_shndx = SHN_UNDEF;
	return 0;
}

/* ---- the domain note ---- */

static int no_note(struct buf *m)
{
	Elf64_Nhdr *nh = note_hdr(m);

	if (!nh)
		return -1;
	((char *)(nh + 1))[0] = 'D';	/* owner "Domain" is someone else's */
	return 0;
}

static int no_note_section(struct buf *m)
{
	Elf64_Shdr *sh;

	while ((sh = section(m, SHT_NOTE)))
		sh->sh_type = SHT_PROGBITS;
	return 0;
}

static int note_wrong_type(struct buf *m)
{
	SET(note_hdr(m), n_type, DC_NOTE_TYPE + 1);
	return 0;
}

static int note_wrong_size(struct buf *m)
{
	SET(note_hdr(m), n_descsz, sizeof(struct dc_note) - 4);
	return 0;
}

static int note_desc_past_section(struct buf *m)
{
	SET(note_hdr(m), n_descsz, 0x10000);
	return 0;
}

static int note_namesz_huge(struct buf *m)
{
	SET(note_hdr(m), n_namesz, 0xffffffff);
	return 0;
}

static int note_descsz_huge(struct buf *m)
{
	SET(note_hdr(m), n_descsz, 0xfffffffc);
	return 0;
}

static int note_header_truncated(struct buf *m)
{
	SET(section(m, SHT_NOTE), sh_size, 8);
	return 0;
}

static int note_duplicate(struct buf *m)
{
	int i = elf_find_section(m->b, SHT_NOTE, 0);
	Elf64_Shdr *sh;

	if (i < 0)
		return -1;
	sh = grow_shdrs(m, 1);
	sh[eh(m)->e_shnum - 1] = sh[i];
	return 0;
}

static int abi_mismatch(struct buf *m)
{
	SET(note(m), abi_version, DC_ABI_VERSION + 1);
	return 0;
}

static int abi_zero(struct buf *m)
{
	SET(note(m), abi_version, 0);
	return 0;
}

static int note_empty_name(struct buf *m)
{
	SET(note(m), name[0], '\0');
	return 0;
}

static int note_empty_iface(struct buf *m)
{
	SET(note(m), iface[0], '\0');
	return 0;
}

static int note_empty_version(struct buf *m)
{
	SET(note(m), version[0], '\0');
	return 0;
}

static int note_unterminated_name(struct buf *m)
{
	if (!note(m))
		return -1;
	memset(note(m)->name, 'a', DC_NAME_MAX);
	return 0;
}

static int note_unterminated_version(struct buf *m)
{
	if (!note(m))
		return -1;
	memset(note(m)->version, '1', DC_NAME_MAX);
	return 0;
}

static int note_name_chars(struct buf *m)
{
	if (!note(m))
		return -1;
	strcpy(note(m)->name, "bad/name");
	return 0;
}

static int note_name_upper(struct buf *m)
{
	SET(note(m), name[0], 'L');
	return 0;
}

static int note_too_many_needs(struct buf *m)
{
	SET(note(m), nr_needs, DC_MAX_NEEDS + 1);
	return 0;
}

static int note_need_empty(struct buf *m)
{
	struct dc_note *n = note(m);

	if (!n || n->nr_needs >= DC_MAX_NEEDS)
		return -1;
	memset(&n->needs[n->nr_needs], 0, sizeof(n->needs[0]));
	n->nr_needs++;
	return 0;
}

static int note_need_unterminated(struct buf *m)
{
	struct dc_note *n = note(m);

	if (!n || n->nr_needs >= DC_MAX_NEEDS)
		return -1;
	memset(n->needs[n->nr_needs].iface, 'x', DC_NAME_MAX);
	n->nr_needs++;
	return 0;
}

static int note_max_needs(struct buf *m)
{
	struct dc_note *n = note(m);

	if (!n)
		return -1;
	for (unsigned int i = 0; i < DC_MAX_NEEDS; i++) {
		memset(&n->needs[i], 0, sizeof(n->needs[i]));
		strcpy(n->needs[i].iface, "log");
		n->needs[i].version = 1;
	}
	n->nr_needs = DC_MAX_NEEDS;
	return 0;
}

static int unknown_interface(struct buf *m)
{
	if (!note(m))
		return -1;
	memset(note(m)->iface, 0, DC_NAME_MAX);
	strcpy(note(m)->iface, "nosuch");
	return 0;
}

static int iface_version(struct buf *m)
{
	SET(note(m), iface_version, note(m)->iface_version + 1);
	return 0;
}

/* One more need, of @iface at @version; -1 if the note is full. */
static int add_need(struct buf *m, const char *iface, uint32_t version)
{
	struct dc_note *n = note(m);

	if (!n || n->nr_needs >= DC_MAX_NEEDS)
		return -1;
	memset(&n->needs[n->nr_needs], 0, sizeof(n->needs[0]));
	strcpy(n->needs[n->nr_needs].iface, iface);
	n->needs[n->nr_needs].version = version;
	n->nr_needs++;
	return 0;
}

static int need_unknown(struct buf *m)
{
	return add_need(m, "nosuch", 1);
}

/* relay does this: it implements file and forwards to another file domain. */
static int need_own_iface(struct buf *m)
{
	struct dc_note *n = note(m);

	return n ? add_need(m, n->iface, n->iface_version) : -1;
}

/* Only the kernel can refuse this one: the parser must pass it on. */
static int missing_need(struct buf *m)
{
	return add_need(m, "bench", 1);
}

static int unknown_flags(struct buf *m)
{
	SET(note(m), flags, note(m)->flags | 0x80000000u);
	return 0;
}

/* The note section (SHT_NOTE) whose bytes hold the domain note. */
static Elf64_Shdr *note_section(struct buf *m)
{
	uint64_t off = (uint64_t)((unsigned char *)note(m) - m->b);

	for (int i = 0; note(m) && (i = elf_find_section(m->b, SHT_NOTE, i)) >= 0; i++)
		if (off - elf_shdr(m->b, i)->sh_offset < elf_shdr(m->b, i)->sh_size)
			return elf_shdr(m->b, i);
	return NULL;
}

/* The loadable segment whose file bytes hold the domain note. */
static Elf64_Phdr *note_segment(struct buf *m)
{
	uint64_t off = (uint64_t)((unsigned char *)note(m) - m->b);

	for (unsigned int n = 0; note(m) && load(m, n); n++)
		if (off - load(m, n)->p_offset < load(m, n)->p_filesz)
			return load(m, n);
	return NULL;
}

/*
 * The TCB fills in the note's confinement and then write-protects it:
 * in a writable segment the domain could change what its store check
 * compares against.
 */
static int note_in_writable_segment(struct buf *m)
{
	SET(note_segment(m), p_flags, PF_R | PF_W);
	return 0;
}

/* In no loadable segment, the TCB would have nowhere to fill it in. */
static int note_outside_segments(struct buf *m)
{
	SET(note_section(m), sh_addr, span_of(m));
	return 0;
}

/* Nor in the text, which is never writable either, but not meant to hold data. */
static int note_in_text(struct buf *m)
{
	Elf64_Phdr *text = load_with(m, PF_X);

	SET(note_section(m), sh_addr, text ? text->p_vaddr : 0);
	return 0;
}

/* The tables are read in place: compressed, they would be garbage. */
static int compressed_symtab(struct buf *m)
{
	SET(section(m, SHT_SYMTAB), sh_flags, section(m, SHT_SYMTAB)->sh_flags | SHF_COMPRESSED);
	return 0;
}

/* Any other section may be compressed: the loader maps segments. */
static int compressed_progbits(struct buf *m)
{
	SET(section(m, SHT_PROGBITS), sh_flags,
	    section(m, SHT_PROGBITS)->sh_flags | SHF_COMPRESSED);
	return 0;
}

/* ---- checks after a successful parse ---- */

/* The relocated word must be what the relocation type says. */
static void check_entry_word(struct test *t, struct buf *m, const struct dc_elf_info *info,
			     uint64_t want_offset)
{
	const uint64_t base = 0xffffffffc0000000ULL;
	unsigned char *img = calloc(1, info->span);
	uint64_t word = 0, at = first_rela(m)->r_offset;
	int err;

	EXPECT(t, img, "out of memory");
	err = dc_elf_build(m->b, m->len, info, img, base, NULL, NULL);
	if (!err)
		memcpy(&word, img + at, 8);
	free(img);
	EXPECT(t, !err, "build failed: %s", errno_name(err));
	EXPECT(t, word == base + info->entry + want_offset,
	       "word at 0x%llx is 0x%llx, want base+entry+%llu", (unsigned long long)at,
	       (unsigned long long)word, (unsigned long long)want_offset);
}

static void after_r64(struct test *t, struct buf *m, const struct dc_elf_info *info)
{
	check_entry_word(t, m, info, 5);	/* S + A */
}

static void after_glob_dat(struct test *t, struct buf *m, const struct dc_elf_info *info)
{
	check_entry_word(t, m, info, 0);	/* S: the addend does not count */
}

static void after_entry_zero(struct test *t, struct buf *m, const struct dc_elf_info *info)
{
	(void)m;
	EXPECT(t, info->entry == 0, "entry 0x%llx", (unsigned long long)info->entry);
}

static void after_cap(struct test *t, struct buf *m, const struct dc_elf_info *info)
{
	(void)m;
	EXPECT(t, info->span == DC_ELF_MAX_SPAN, "span 0x%llx", (unsigned long long)info->span);
}

static void after_missing_need(struct test *t, struct buf *m, const struct dc_elf_info *info)
{
	(void)m;
	EXPECT(t, info->note.nr_needs >= 1 &&
		  !strcmp(info->note.needs[info->note.nr_needs - 1].iface, "bench"),
	       "needs %u", info->note.nr_needs);
}

struct bad_case {
	const char *name;
	int err;		/* expected errno, 0 = the parser accepts it */
	const char *rule;	/* the rule its first report names */
	int (*mutate)(struct buf *m);
	void (*after)(struct test *t, struct buf *m, const struct dc_elf_info *info);
};

static const struct bad_case cases[] = {
	{ "bad-magic", ENOEXEC, "elf-file", bad_magic, NULL },
	{ "elf32-class", ENOEXEC, "elf-file", elf32_class, NULL },
	{ "big-endian", ENOEXEC, "elf-file", big_endian, NULL },
	{ "bad-version", ENOEXEC, "elf-file", bad_version, NULL },
	{ "wrong-machine", ENOEXEC, "elf-machine", wrong_machine, NULL },
	{ "et-exec", ENOEXEC, "elf-type", et_exec, NULL },
	{ "et-rel", ENOEXEC, "elf-type", et_rel, NULL },
	{ "bad-ehsize", EINVAL, "elf-file", bad_ehsize, NULL },
	{ "bad-phentsize", EINVAL, "header-tables", bad_phentsize, NULL },
	{ "no-phdrs", EINVAL, "header-counts", no_phdrs, NULL },
	{ "too-many-phdrs", EINVAL, "header-counts", too_many_phdrs, NULL },
	{ "phdrs-past-end", ENODATA, "header-tables", phdrs_past_end, NULL },
	{ "phoff-overflow", ENODATA, "header-tables", phoff_overflow, NULL },
	{ "bad-shentsize", EINVAL, "header-tables", bad_shentsize, NULL },
	{ "no-shdrs", EINVAL, "header-counts", no_shdrs, NULL },
	{ "too-many-shdrs", EINVAL, "header-counts", too_many_shdrs, NULL },
	{ "shdrs-past-end", ENODATA, "header-tables", shdrs_past_end, NULL },
	{ "shoff-overflow", ENODATA, "header-tables", shoff_overflow, NULL },
	{ "phdrs-misaligned", EINVAL, "header-tables", phdrs_misaligned, NULL },
	{ "shdrs-misaligned", EINVAL, "header-tables", shdrs_misaligned, NULL },
	{ "file-too-big", EFBIG, "file-size", file_too_big, NULL },

	{ "wx-segment", EACCES, "load-wx", wx_segment, NULL },
	{ "misaligned-segment", EINVAL, "load-alignment", misaligned_segment, NULL },
	{ "huge-memsz", EFBIG, "load-span", huge_memsz, NULL },
	{ "memsz-over-cap", EFBIG, "load-span", memsz_over_cap, NULL },
	{ "memsz-at-cap", 0, NULL, memsz_at_cap, after_cap },
	{ "vaddr-overflow", EFBIG, "load-span", vaddr_overflow, NULL },
	{ "filesz-over-memsz", EINVAL, "load-sizes", filesz_over_memsz, NULL },
	{ "segment-past-end", ENODATA, "segments-in-file", segment_past_end, NULL },
	{ "segment-offset-overflow", ENODATA, "segments-in-file", segment_offset_overflow, NULL },
	{ "overlapping-segments", EINVAL, "load-overlap", overlapping_segments, NULL },
	{ "segments-out-of-order", EINVAL, "load-overlap", segments_out_of_order, NULL },
	{ "too-many-segments", EINVAL, "has-load", too_many_segments, NULL },
	{ "interp", ENOEXEC, "no-interp", interp, NULL },
	{ "tls", ENOEXEC, "no-tls", tls, NULL },
	{ "tls-section", ENOEXEC, "no-tls", tls_section, NULL },
	{ "no-load", ENOEXEC, "has-load", no_load, NULL },
	{ "zero-size-loads", ENOEXEC, "has-load", zero_size_loads, NULL },
	{ "no-exec-segment", ENOEXEC, "entry", no_exec_segment, NULL },
	{ "entry-outside-text", ENOEXEC, "entry", entry_outside_text, NULL },
	{ "entry-past-text", ENOEXEC, "entry", entry_past_text, NULL },
	{ "entry-at-zero", 0, NULL, entry_at_zero, after_entry_zero },

	{ "section-past-end", ENODATA, "sections-in-file", section_past_end, NULL },
	{ "section-size-overflow", ENODATA, "sections-in-file", section_size_overflow, NULL },
	{ "symtab-bad-entsize", EINVAL, "symbol-tables", symtab_bad_entsize, NULL },
	{ "symtab-size-not-multiple", EINVAL, "symbol-tables", symtab_size_not_multiple, NULL },
	{ "symtab-no-strtab", EINVAL, "symbol-tables", symtab_no_strtab, NULL },
	{ "symtab-link-out-of-range", EINVAL, "symbol-tables", symtab_link_out_of_range, NULL },
	{ "three-symtabs", EINVAL, "symbol-tables", three_symtabs, NULL },
	{ "symtab-misaligned", EINVAL, "symbol-tables", symtab_misaligned, NULL },
	{ "symbol-name-outside", ERANGE, "symbol-tables", symbol_name_outside, NULL },
	{ "symbol-outside-image", ERANGE, "symbol-tables", symbol_outside_image, NULL },
	{ "symbol-at-span-end", 0, NULL, symbol_at_span_end, NULL },
	{ "undefined-symbol", ENOENT, "undefined-symbols", undefined_symbol, NULL },
	{ "rel-section", EOPNOTSUPP, "relocation-sections", rel_section, NULL },
	{ "rela-bad-entsize", EINVAL, "relocation-sections", rela_bad_entsize, NULL },
	{ "rela-misaligned", EINVAL, "relocation-sections", rela_misaligned, NULL },
	{ "too-many-rela-sections", EINVAL, "relocation-sections", too_many_rela, NULL },
	{ "reloc-out-of-range", ERANGE, "relocation-targets", reloc_out_of_range, NULL },
	{ "reloc-straddles-end", ERANGE, "relocation-targets", reloc_straddles_end, NULL },
	{ "reloc-in-gap", ERANGE, "relocation-targets", reloc_in_gap, NULL },
	{ "reloc-target-outside", ERANGE, "relocation-targets", reloc_target_outside, NULL },
	{ "reloc-target-at-end", 0, NULL, reloc_target_at_end, NULL },
	{ "reloc-negative-addend", ERANGE, "relocation-targets", reloc_negative_addend, NULL },
	{ "reloc-unknown-type", EOPNOTSUPP, "relocation-types", reloc_unknown_type, NULL },
	{ "reloc-none-ignored", 0, NULL, reloc_none_ignored, NULL },
	{ "reloc-symbol-zero", ERANGE, "relocation-symbols", reloc_symbol_zero, NULL },
	{ "reloc-symbol-past-table", ERANGE, "relocation-symbols", reloc_symbol_past_table, NULL },
	{ "reloc-no-symtab", ERANGE, "relocation-symbols", reloc_no_symtab, NULL },
	{ "reloc-r64", 0, NULL, reloc_r64, after_r64 },
	{ "reloc-glob-dat", 0, NULL, reloc_glob_dat, after_glob_dat },
	{ "reloc-jump-slot", 0, NULL, reloc_jump_slot, after_glob_dat },
	{ "reloc-symbol-outside", ERANGE, "relocation-targets", reloc_symbol_outside, NULL },
	{ "reloc-against-undefined", ENOENT, "undefined-symbols", reloc_against_undefined, NULL },

	{ "no-note", EBADMSG, "domain-note", no_note, NULL },
	{ "no-note-section", EBADMSG, "domain-note", no_note_section, NULL },
	{ "note-wrong-type", EBADMSG, "domain-note", note_wrong_type, NULL },
	{ "note-wrong-size", EBADMSG, "domain-note", note_wrong_size, NULL },
	{ "note-desc-past-section", EBADMSG, "domain-note", note_desc_past_section, NULL },
	{ "note-namesz-huge", EBADMSG, "domain-note", note_namesz_huge, NULL },
	{ "note-descsz-huge", EBADMSG, "domain-note", note_descsz_huge, NULL },
	{ "note-header-truncated", EBADMSG, "domain-note", note_header_truncated, NULL },
	{ "note-duplicate", EBADMSG, "domain-note", note_duplicate, NULL },
	{ "abi-mismatch", EPROTO, "note-abi", abi_mismatch, NULL },
	{ "abi-zero", EPROTO, "note-abi", abi_zero, NULL },
	{ "note-empty-name", EBADMSG, "note-strings", note_empty_name, NULL },
	{ "note-empty-iface", EBADMSG, "note-strings", note_empty_iface, NULL },
	{ "note-empty-version", EBADMSG, "note-strings", note_empty_version, NULL },
	{ "note-unterminated-name", EBADMSG, "note-strings", note_unterminated_name, NULL },
	{ "note-unterminated-version", EBADMSG, "note-strings", note_unterminated_version, NULL },
	{ "note-name-chars", EBADMSG, "note-name", note_name_chars, NULL },
	{ "note-name-uppercase", EBADMSG, "note-name", note_name_upper, NULL },
	{ "note-too-many-needs", EBADMSG, "note-needs", note_too_many_needs, NULL },
	{ "note-need-empty", EBADMSG, "note-needs", note_need_empty, NULL },
	{ "note-need-unterminated", EBADMSG, "note-needs", note_need_unterminated, NULL },
	{ "note-max-needs", 0, NULL, note_max_needs, NULL },
	{ "unknown-interface", EPROTONOSUPPORT, "note-iface", unknown_interface, NULL },
	{ "iface-version", EPROTONOSUPPORT, "note-iface", iface_version, NULL },
	{ "note-need-unknown", EPROTONOSUPPORT, "note-needs", need_unknown, NULL },
	{ "note-need-own-iface", 0, NULL, need_own_iface, NULL },
	{ "note-unknown-flags", EBADMSG, "note-flags", unknown_flags, NULL },
	{ "note-in-writable-segment", EBADMSG, "note-mapped", note_in_writable_segment, NULL },
	{ "note-outside-segments", EBADMSG, "note-mapped", note_outside_segments, NULL },
	{ "note-in-text", EBADMSG, "note-mapped", note_in_text, NULL },
	{ "compressed-symtab", EINVAL, "uncompressed-sections", compressed_symtab, NULL },
	{ "compressed-progbits", 0, NULL, compressed_progbits, NULL },
	{ "missing-need", 0, NULL, missing_need, after_missing_need },
};
#define NR_CASES (sizeof(cases) / sizeof(cases[0]))

/* A private copy of @img damaged by @c; .b is NULL if the case does not apply. */
static struct buf damaged(const struct bad_case *c, const struct image *img)
{
	struct buf m = { image_copy(img, img->len), img->len };

	if (c->mutate(&m)) {
		free(m.b);
		return (struct buf){ NULL, 0 };
	}
	/* An exactly sized buffer again, so ASan catches any read past it. */
	m.b = realloc(m.b, m.len);
	if (!m.b) {
		perror("realloc");
		exit(2);
	}
	return m;
}

size_t elf_bad_case_count(void)
{
	return NR_CASES;
}

const char *elf_bad_case_name(size_t i)
{
	return cases[i].name;
}

unsigned char *elf_bad_case_apply(size_t i, const struct image *img, size_t *len)
{
	struct buf m = damaged(&cases[i], img);

	*len = m.len;
	return m.b;
}

/*
 * Apply @c to @img and check the outcome.  Returns -1 if the case does
 * not apply to this image (only a failure for log.dom).
 */
static int run_case(struct test *t, const struct bad_case *c, const struct image *img)
{
	struct buf m = damaged(c, img);
	struct dc_elf_info info;
	struct reports r;
	int err;

	if (!m.b)
		return -1;
	err = parse_image(m.b, m.len, &info, &r);
	if (err != -c->err) {
		test_fail(t, "%s: got %s (%s), want %s", img->name, errno_name(err),
			  r.count ? r.first_msg : "no message", errno_name(c->err));
	} else if (c->err && (!r.count || r.first_err != err || !reports_well_formed(&r))) {
		test_fail(t, "%s: returned %s but reported %d messages, first %s %s '%s'",
			  img->name, errno_name(err), r.count, errno_name(r.first_err),
			  r.first_rule ? r.first_rule : "(no rule)", r.first_msg);
	} else if (c->err && strcmp(r.first_rule, c->rule)) {
		test_fail(t, "%s: first report under rule %s, want %s: '%s'", img->name,
			  r.first_rule, c->rule, r.first_msg);
	} else if (!c->err && r.count) {
		test_fail(t, "%s: accepted but reported '%s'", img->name, r.first_msg);
	} else if (!c->err && c->after) {
		c->after(t, &m, &info);
	}
	free(m.b);
	return 0;
}

struct case_arg {
	const struct bad_case *c;
	const struct image *img;
};

static void one_case(struct test *t, const void *arg)
{
	const struct case_arg *a = arg;

	if (run_case(t, a->c, a->img))
		test_fail(t, "%s: the case does not apply to this image", a->img->name);
}

static void all_cases(struct test *t, const void *arg)
{
	const struct image *img = arg;
	int applied = 0;

	for (size_t i = 0; i < NR_CASES && !t->failed; i++) {
		struct test one = { 0 };

		if (run_case(&one, &cases[i], img))
			continue;
		applied++;
		if (one.failed)
			test_fail(t, "%s: %s", cases[i].name, one.why);
	}
	EXPECT(t, applied > (int)NR_CASES / 2, "only %d of %zu cases apply", applied, NR_CASES);
}

/* A parser that stopped at the first problem would hide the others. */
static void reports_every_problem(struct test *t, const void *arg)
{
	const struct image *img = arg;
	struct buf m = { image_copy(img, img->len), img->len };
	struct dc_elf_info info;
	struct reports r;
	int err;

	wx_segment(&m);
	abi_mismatch(&m);
	err = parse_image(m.b, m.len, &info, &r);
	free(m.b);
	EXPECT(t, err == -EACCES, "got %s, want EACCES first", errno_name(err));
	EXPECT(t, r.count >= 2 && r.first_err == -EACCES && r.rules[DC_RULE_NOTE_ABI],
	       "%d reports, first %s: also the ABI problem (note-abi) expected", r.count,
	       errno_name(r.first_err));
}

static void null_report(struct test *t, const void *arg)
{
	const struct image *img = arg;
	struct buf m = { image_copy(img, img->len), img->len };
	struct dc_elf_info info;
	int err;

	wx_segment(&m);
	err = dc_elf_parse(m.b, m.len, &info, NULL, NULL);
	free(m.b);
	EXPECT(t, err == -EACCES, "got %s without a callback", errno_name(err));
}

/* Without .symtab the image still loads; faults just go unnamed. */
static void symbolize_without_symtab(struct test *t, const void *arg)
{
	const struct image *img = arg;
	struct buf m = { image_copy(img, img->len), img->len };
	struct dc_elf_info info;
	struct reports r;
	uint64_t within = 0;
	const char *name = NULL;
	int err;

	section(&m, SHT_SYMTAB)->sh_type = SHT_PROGBITS;
	err = parse_image(m.b, m.len, &info, &r);
	if (!err)
		name = dc_elf_symbolize(m.b, m.len, &info, info.entry, &within);
	free(m.b);
	EXPECT(t, !err, "parse: %s %s", errno_name(err), r.first_msg);
	EXPECT(t, info.full_symtab < 0 && !name, "symbolized '%s' without .symtab", name);
}

static void have_log(struct test *t, const void *arg)
{
	EXPECT(t, arg, "no log.dom to damage (make -C domains)");
}

void elf_bad_tests(const char *dir)
{
	struct image *imgs;
	const struct image *log = NULL;
	int n = images_in(dir, &imgs);

	for (int i = 0; i < n; i++)
		if (!strcmp(imgs[i].name, "log"))
			log = &imgs[i];
	test_run(have_log, log, "elf-bad-have-log");
	if (!log)
		return;
	for (size_t i = 0; i < NR_CASES; i++) {
		struct case_arg a = { &cases[i], log };

		test_run(one_case, &a, "elf-bad-%s", cases[i].name);
	}
	for (int i = 0; i < n; i++)
		if (&imgs[i] != log)
			test_run(all_cases, &imgs[i], "elf-bad-all-cases-%s", imgs[i].name);
	test_run(reports_every_problem, log, "elf-reports-every-problem");
	test_run(null_report, log, "elf-null-report");
	test_run(symbolize_without_symtab, log, "elf-symbolize-no-symtab");
	for (int i = 0; i < n; i++)
		image_free(&imgs[i]);
	free(imgs);
}
