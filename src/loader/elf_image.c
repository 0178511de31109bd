// SPDX-License-Identifier: GPL-2.0
/*
 * Domain image validation and layout.  Every offset, size and count in the
 * image is untrusted: each is checked with overflow-safe arithmetic
 * (range.h) before it is used.  Errors carry an errno per kind of problem:
 *
 *   ENODATA     truncated: something points past the end of the file
 *   ENOEXEC     not an ELF64 x86-64 ET_DYN image, bad entry point, TLS/INTERP
 *   EINVAL      malformed tables, misaligned or overlapping segments
 *   EFBIG       absurd sizes (over the caps in elf_image.h)
 *   EACCES      a segment both writable and executable
 *   ENOENT      an undefined symbol
 *   ERANGE      a relocation or symbol pointing outside the image
 *   EOPNOTSUPP  a relocation type the loader does not handle
 *   EBADMSG     missing or malformed domain note
 *   EPROTO      ABI version mismatch
 *   EPROTONOSUPPORT  an implemented or needed interface unknown at that version
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/string.h>
#ifndef UINT64_MAX
#define UINT64_MAX U64_MAX
#endif
#else
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#endif
#ifndef SHF_COMPRESSED
#define SHF_COMPRESSED	(1 << 11)	/* not in <linux/elf.h> before 5.x */
#endif
#ifndef SHF_TLS
#define SHF_TLS		(1 << 10)	/* not in <linux/elf.h> */
#endif
#include "range.h"
#include "elf_image.h"
#include "domain/iface/all.h"

#define R_NONE		0	/* R_X86_64_NONE */
#define R_64		1	/* R_X86_64_64: S + A */
#define R_GLOB_DAT	6	/* R_X86_64_GLOB_DAT: S */
#define R_JUMP_SLOT	7	/* R_X86_64_JUMP_SLOT: S */
#define R_RELATIVE	8	/* R_X86_64_RELATIVE: B + A */

/*
 * Program and section headers, symbols and relocations are read in place
 * as arrays of structs, which is only defined behaviour if they are
 * aligned for them (the file buffer itself is at least this aligned).
 */
#define TABLE_ALIGN	8	/* alignof Elf64_Phdr, _Shdr, _Sym, _Rela */

struct parser {
	const unsigned char *file;
	size_t len;
	struct dc_elf_info *info;
	dc_elf_report_fn report;
	void *ctx;
	int err;		/* first error */
};

static const char *const rule_names[] = {
#define DC_RULE_NAME(id, name, summary)	[DC_RULE_##id] = name,
	DC_ELF_RULES(DC_RULE_NAME)
#undef DC_RULE_NAME
};

static const char *const rule_summaries[] = {
#define DC_RULE_SUMMARY(id, name, summary)	[DC_RULE_##id] = summary,
	DC_ELF_RULES(DC_RULE_SUMMARY)
#undef DC_RULE_SUMMARY
};

const char *dc_elf_rule_name(unsigned int rule)
{
	return rule < DC_NR_RULES ? rule_names[rule] : "?";
}

const char *dc_elf_rule_summary(unsigned int rule)
{
	return rule < DC_NR_RULES ? rule_summaries[rule] : "?";
}

int dc_elf_rule_find(const char *name)
{
	unsigned int i;

	for (i = 0; name && i < DC_NR_RULES; i++)
		if (!strcmp(rule_names[i], name))
			return (int)i;
	return -1;
}

static int fail(struct parser *p, int err, enum dc_elf_rule rule,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(struct parser *p, int err, enum dc_elf_rule rule,
		const char *fmt, ...)
{
	char msg[DC_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!p->err)
		p->err = err;
	if (p->report)
		p->report(p->ctx, err, rule_names[rule], msg);
	return err;
}

/* A table of @count entries of @entsize bytes at @offset lies in the file. */
static int table_in_file(const struct parser *p, uint64_t offset,
			 uint64_t count, uint64_t entsize)
{
	if (count && entsize > UINT64_MAX / count)
		return 0;
	return dc_range_within(offset, count * entsize, p->len);
}

static uint64_t page_up(uint64_t x)
{
	return (x + DC_ELF_PAGE_SIZE - 1) & ~(DC_ELF_PAGE_SIZE - 1);
}

static int check_header(struct parser *p, const Elf64_Ehdr *eh)
{
	if (p->len < sizeof(*eh))
		return fail(p, -ENODATA, DC_RULE_ELF_FILE, "image truncated: %zu bytes is smaller than an ELF header",
			    p->len);
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return fail(p, -ENOEXEC, DC_RULE_ELF_FILE, "not an ELF file (bad magic)");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return fail(p, -ENOEXEC, DC_RULE_ELF_FILE, "not a 64-bit ELF file (class %u)",
			    eh->e_ident[EI_CLASS]);
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return fail(p, -ENOEXEC, DC_RULE_ELF_FILE, "not a little-endian ELF file");
	if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return fail(p, -ENOEXEC, DC_RULE_ELF_FILE, "unknown ELF version %u", eh->e_version);
	if (eh->e_machine != EM_X86_64)
		return fail(p, -ENOEXEC, DC_RULE_ELF_MACHINE, "wrong machine %u (want x86-64, %u)",
			    eh->e_machine, EM_X86_64);
	if (eh->e_type == ET_EXEC)
		return fail(p, -ENOEXEC, DC_RULE_ELF_TYPE,
			    "ET_EXEC image: domains must be position independent (ET_DYN)");
	if (eh->e_type != ET_DYN)
		return fail(p, -ENOEXEC, DC_RULE_ELF_TYPE, "ELF type %u is not ET_DYN", eh->e_type);
	if (eh->e_ehsize != sizeof(*eh))
		return fail(p, -EINVAL, DC_RULE_ELF_FILE, "bad ELF header size %u", eh->e_ehsize);
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return fail(p, -EINVAL, DC_RULE_HEADER_TABLES, "bad program header size %u", eh->e_phentsize);
	if (!eh->e_phnum || eh->e_phnum > DC_ELF_MAX_PHDRS)
		return fail(p, -EINVAL, DC_RULE_HEADER_COUNTS, "%u program headers (want 1..%u)",
			    eh->e_phnum, DC_ELF_MAX_PHDRS);
	if (!table_in_file(p, eh->e_phoff, eh->e_phnum, sizeof(Elf64_Phdr)))
		return fail(p, -ENODATA, DC_RULE_HEADER_TABLES, "image truncated: program headers at %llu past the end (%zu bytes)",
			    (unsigned long long)eh->e_phoff, p->len);
	if (eh->e_phoff % TABLE_ALIGN)
		return fail(p, -EINVAL, DC_RULE_HEADER_TABLES, "program headers at %llu are misaligned",
			    (unsigned long long)eh->e_phoff);
	if (eh->e_shentsize != sizeof(Elf64_Shdr))
		return fail(p, -EINVAL, DC_RULE_HEADER_TABLES, "bad section header size %u", eh->e_shentsize);
	if (!eh->e_shnum || eh->e_shnum > DC_ELF_MAX_SECTIONS)
		return fail(p, -EINVAL, DC_RULE_HEADER_COUNTS, "%u section headers (want 1..%u)",
			    eh->e_shnum, DC_ELF_MAX_SECTIONS);
	if (!table_in_file(p, eh->e_shoff, eh->e_shnum, sizeof(Elf64_Shdr)))
		return fail(p, -ENODATA, DC_RULE_HEADER_TABLES, "image truncated: section headers at %llu past the end (%zu bytes)",
			    (unsigned long long)eh->e_shoff, p->len);
	if (eh->e_shoff % TABLE_ALIGN)
		return fail(p, -EINVAL, DC_RULE_HEADER_TABLES, "section headers at %llu are misaligned",
			    (unsigned long long)eh->e_shoff);
	return 0;
}

static int add_segment(struct parser *p, unsigned int idx, const Elf64_Phdr *ph)
{
	struct dc_elf_info *info = p->info;
	struct dc_elf_segment *seg;

	if ((ph->p_flags & PF_W) && (ph->p_flags & PF_X))
		return fail(p, -EACCES, DC_RULE_LOAD_WX, "segment %u is writable and executable (W^X)", idx);
	if (ph->p_vaddr % DC_ELF_PAGE_SIZE)
		return fail(p, -EINVAL, DC_RULE_LOAD_ALIGNMENT, "segment %u at 0x%llx is not page aligned",
			    idx, (unsigned long long)ph->p_vaddr);
	if (ph->p_memsz > DC_ELF_MAX_SPAN ||
	    !dc_range_within(ph->p_vaddr, ph->p_memsz, DC_ELF_MAX_SPAN))
		return fail(p, -EFBIG, DC_RULE_LOAD_SPAN, "segment %u: 0x%llx bytes at 0x%llx exceeds the %lu MiB cap",
			    idx, (unsigned long long)ph->p_memsz,
			    (unsigned long long)ph->p_vaddr, DC_ELF_MAX_SPAN >> 20);
	if (ph->p_filesz > ph->p_memsz)
		return fail(p, -EINVAL, DC_RULE_LOAD_SIZES, "segment %u: file size 0x%llx exceeds memory size 0x%llx",
			    idx, (unsigned long long)ph->p_filesz,
			    (unsigned long long)ph->p_memsz);
	if (!dc_range_within(ph->p_offset, ph->p_filesz, p->len))
		return fail(p, -ENODATA, DC_RULE_SEGMENTS_IN_FILE, "image truncated: segment %u data at %llu+%llu past the end (%zu bytes)",
			    idx, (unsigned long long)ph->p_offset,
			    (unsigned long long)ph->p_filesz, p->len);
	if (!ph->p_memsz)
		return 0;
	if (info->nr_segments == DC_ELF_MAX_SEGMENTS)
		return fail(p, -EINVAL, DC_RULE_HAS_LOAD, "more than %u loadable segments", DC_ELF_MAX_SEGMENTS);
	if (info->nr_segments) {
		const struct dc_elf_segment *prev = &info->seg[info->nr_segments - 1];

		/* Permissions are per page, so segments may not share one. */
		if (ph->p_vaddr < page_up(prev->vaddr + prev->memsz))
			return fail(p, -EINVAL, DC_RULE_LOAD_OVERLAP, "segment %u at 0x%llx overlaps the one before it (or is out of order)",
				    idx, (unsigned long long)ph->p_vaddr);
	}
	seg = &info->seg[info->nr_segments++];
	seg->vaddr = ph->p_vaddr;
	seg->memsz = ph->p_memsz;
	seg->offset = ph->p_offset;
	seg->filesz = ph->p_filesz;
	seg->prot = (ph->p_flags & PF_X) ? DC_SEG_RX :
		    (ph->p_flags & PF_W) ? DC_SEG_RW : DC_SEG_RO;
	info->span = page_up(seg->vaddr + seg->memsz);
	return 0;
}

static void check_segments(struct parser *p, const Elf64_Ehdr *eh)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(p->file + eh->e_phoff);
	unsigned int i;
	int have_text = 0, entry_ok = 0;

	for (i = 0; i < eh->e_phnum; i++) {
		switch (ph[i].p_type) {
		case PT_LOAD:
			add_segment(p, i, &ph[i]);
			break;
		case PT_INTERP:
			fail(p, -ENOEXEC, DC_RULE_NO_INTERP, "segment %u: PT_INTERP (domains have no dynamic linker)", i);
			break;
		case PT_TLS:
			fail(p, -ENOEXEC, DC_RULE_NO_TLS, "segment %u: thread-local storage is not supported", i);
			break;
		default:
			break;	/* PT_DYNAMIC, PT_NOTE, PT_GNU_*: nothing to map */
		}
	}
	if (!p->info->nr_segments) {
		fail(p, -ENOEXEC, DC_RULE_HAS_LOAD, "no loadable segment");
		return;
	}
	for (i = 0; i < p->info->nr_segments; i++) {
		const struct dc_elf_segment *s = &p->info->seg[i];

		if (s->prot == DC_SEG_RX) {
			have_text = 1;
			/* A flag, not entry != 0: offset 0 is a valid entry point. */
			if (eh->e_entry >= s->vaddr && eh->e_entry - s->vaddr < s->memsz) {
				p->info->entry = eh->e_entry;
				entry_ok = 1;
			}
		}
	}
	if (!have_text)
		fail(p, -ENOEXEC, DC_RULE_ENTRY, "no executable segment");
	else if (!entry_ok)
		fail(p, -ENOEXEC, DC_RULE_ENTRY, "entry point 0x%llx is not in an executable segment",
		     (unsigned long long)eh->e_entry);
}

/* The segment holding [addr, addr + size), or NULL. */
static const struct dc_elf_segment *segment_of(const struct dc_elf_info *info,
					       uint64_t addr, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < info->nr_segments; i++) {
		const struct dc_elf_segment *s = &info->seg[i];

		if (addr >= s->vaddr && dc_range_within(addr - s->vaddr, size, s->memsz))
			return s;
	}
	return NULL;
}

static int is_string_in(const unsigned char *s, uint64_t max)
{
	return max && memchr(s, '\0', max) != NULL;
}

/* The interfaces this TCB knows, from the SDK's one declaration of each. */
static const struct {
	const char *name;
	uint32_t version;
} known_ifaces[] = {
#define DC_KNOWN_IFACE(X)	{ #X, DC_IFACE_##X##_VERSION },
	DC_ALL_IFACES(DC_KNOWN_IFACE)
#undef DC_KNOWN_IFACE
};

/* 0 if this TCB knows interface @name at @version, else -EPROTONOSUPPORT. */
static int check_iface(struct parser *p, enum dc_elf_rule rule, const char *what,
		       const char *name, uint32_t version)
{
	unsigned int i;

	for (i = 0; i < sizeof(known_ifaces) / sizeof(known_ifaces[0]); i++) {
		if (strcmp(known_ifaces[i].name, name))
			continue;
		if (known_ifaces[i].version == version)
			return 0;
		return fail(p, -EPROTONOSUPPORT, rule, "%s interface '%s' v%u: this TCB serves v%u",
			    what, name, version, known_ifaces[i].version);
	}
	return fail(p, -EPROTONOSUPPORT, rule, "%s interface '%s' v%u is unknown to this TCB",
		    what, name, version);
}

static void check_note_fields(struct parser *p, const struct dc_note *n)
{
	const char *c;
	uint32_t i;

	if (n->abi_version != DC_ABI_VERSION) {
		fail(p, -EPROTO, DC_RULE_NOTE_ABI, "domain ABI version %u, this TCB supports %u",
		     n->abi_version, DC_ABI_VERSION);
		return;
	}
	if (!is_string_in((const unsigned char *)n->name, sizeof(n->name)) || !n->name[0] ||
	    !is_string_in((const unsigned char *)n->iface, sizeof(n->iface)) || !n->iface[0] ||
	    !is_string_in((const unsigned char *)n->version, sizeof(n->version)) || !n->version[0]) {
		fail(p, -EBADMSG, DC_RULE_NOTE_STRINGS, "domain note: name, interface and version must be non-empty strings");
		return;
	}
	for (c = n->name; *c; c++) {
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		      *c == '_' || *c == '-')) {
			fail(p, -EBADMSG, DC_RULE_NOTE_NAME, "domain note: name may only contain a-z, 0-9, '_' and '-'");
			return;
		}
	}
	if (n->nr_needs > DC_MAX_NEEDS) {
		fail(p, -EBADMSG, DC_RULE_NOTE_NEEDS, "domain note: %u needed interfaces (at most %u)",
		     n->nr_needs, DC_MAX_NEEDS);
		return;
	}
	if (n->flags & ~DC_NOTE_F_KNOWN) {
		fail(p, -EBADMSG, DC_RULE_NOTE_FLAGS, "domain note: unknown flags 0x%x",
		     n->flags & ~DC_NOTE_F_KNOWN);
		return;
	}
	for (i = 0; i < n->nr_needs; i++) {
		if (!is_string_in((const unsigned char *)n->needs[i].iface,
				  sizeof(n->needs[i].iface)) || !n->needs[i].iface[0]) {
			fail(p, -EBADMSG, DC_RULE_NOTE_NEEDS, "domain note: needed interface %u has no name", i);
			return;
		}
	}
	if (check_iface(p, DC_RULE_NOTE_IFACE, "implements", n->iface, n->iface_version))
		return;
	for (i = 0; i < n->nr_needs; i++)
		if (check_iface(p, DC_RULE_NOTE_NEEDS, "needs", n->needs[i].iface,
				n->needs[i].version))
			return;
}

/* Find our note among the notes of one SHT_NOTE section. */
static void check_notes(struct parser *p, const Elf64_Shdr *sh, int *found)
{
	uint64_t off = 0;

	while (off < sh->sh_size) {
		Elf64_Nhdr nh;
		uint64_t name_off, desc_off, next;

		if (!dc_range_within(off, sizeof(nh), sh->sh_size)) {
			fail(p, -EBADMSG, DC_RULE_DOMAIN_NOTE, "note section: truncated note header");
			return;
		}
		memcpy(&nh, p->file + sh->sh_offset + off, sizeof(nh));
		name_off = off + sizeof(nh);
		desc_off = name_off + ((nh.n_namesz + 3ULL) & ~3ULL);
		next = desc_off + ((nh.n_descsz + 3ULL) & ~3ULL);
		if (!dc_range_within(name_off, nh.n_namesz, sh->sh_size) ||
		    desc_off > sh->sh_size ||
		    !dc_range_within(desc_off, nh.n_descsz, sh->sh_size)) {
			fail(p, -EBADMSG, DC_RULE_DOMAIN_NOTE, "note section: note sizes run past the section");
			return;
		}
		if (nh.n_namesz == sizeof(DC_NOTE_OWNER) &&
		    !memcmp(p->file + sh->sh_offset + name_off, DC_NOTE_OWNER,
			    sizeof(DC_NOTE_OWNER))) {
			if (nh.n_type != DC_NOTE_TYPE) {
				fail(p, -EBADMSG, DC_RULE_DOMAIN_NOTE, "domain note has type 0x%x (want 0x%x)",
				     nh.n_type, DC_NOTE_TYPE);
			} else if (nh.n_descsz != sizeof(struct dc_note)) {
				fail(p, -EBADMSG, DC_RULE_DOMAIN_NOTE, "domain note is %u bytes (want %zu)",
				     nh.n_descsz, sizeof(struct dc_note));
			} else if ((*found)++) {
				fail(p, -EBADMSG, DC_RULE_DOMAIN_NOTE, "more than one domain note");
			} else {
				uint64_t va = sh->sh_addr + desc_off;
				const struct dc_elf_segment *seg =
					segment_of(p->info, va, sizeof(struct dc_note));

				memcpy(&p->info->note, p->file + sh->sh_offset + desc_off,
				       sizeof(struct dc_note));
				check_note_fields(p, &p->info->note);
				if (!seg || seg->prot != DC_SEG_RO || va < sh->sh_addr)
					fail(p, -EBADMSG, DC_RULE_NOTE_MAPPED,
					     "domain note at 0x%llx is not in a read-only loadable segment",
					     (unsigned long long)va);
				else
					p->info->note_vaddr = va;
			}
		}
		off = next;
	}
}

static void check_symtab(struct parser *p, const Elf64_Shdr *shdrs,
			 unsigned int shnum, unsigned int idx)
{
	const Elf64_Shdr *sh = &shdrs[idx];
	const Elf64_Shdr *str;
	struct dc_elf_symtab *t;
	const Elf64_Sym *sym;
	uint64_t i, count;

	if (sh->sh_entsize != sizeof(Elf64_Sym) || sh->sh_size % sizeof(Elf64_Sym)) {
		fail(p, -EINVAL, DC_RULE_SYMBOL_TABLES, "section %u: bad symbol table entry size", idx);
		return;
	}
	if (sh->sh_offset % TABLE_ALIGN) {
		fail(p, -EINVAL, DC_RULE_SYMBOL_TABLES, "section %u: misaligned symbol table", idx);
		return;
	}
	if (sh->sh_link >= shnum || shdrs[sh->sh_link].sh_type != SHT_STRTAB) {
		fail(p, -EINVAL, DC_RULE_SYMBOL_TABLES, "section %u: symbol table without a string table", idx);
		return;
	}
	if (p->info->nr_symtabs == 2) {
		fail(p, -EINVAL, DC_RULE_SYMBOL_TABLES, "section %u: more than two symbol tables", idx);
		return;
	}
	str = &shdrs[sh->sh_link];
	count = sh->sh_size / sizeof(Elf64_Sym);
	sym = (const Elf64_Sym *)(p->file + sh->sh_offset);
	for (i = 1; i < count; i++) {
		const char *name = "?";

		if (sym[i].st_name < str->sh_size &&
		    is_string_in(p->file + str->sh_offset + sym[i].st_name,
				 str->sh_size - sym[i].st_name))
			name = (const char *)p->file + str->sh_offset + sym[i].st_name;
		else if (sym[i].st_name)
			fail(p, -ERANGE, DC_RULE_SYMBOL_TABLES, "symbol %llu: name outside the string table",
			     (unsigned long long)i);
		if (sym[i].st_shndx == SHN_UNDEF) {
			fail(p, -ENOENT, DC_RULE_UNDEFINED_SYMBOLS, "undefined symbol '%s' (domains may only use the service table)",
			     name);
			continue;
		}
		if (sym[i].st_shndx != SHN_ABS && sym[i].st_shndx < SHN_LORESERVE &&
		    ELF64_ST_TYPE(sym[i].st_info) != STT_SECTION &&
		    ELF64_ST_TYPE(sym[i].st_info) != STT_FILE &&
		    sym[i].st_value > p->info->span)
			fail(p, -ERANGE, DC_RULE_SYMBOL_TABLES, "symbol '%s' at 0x%llx is outside the image", name,
			     (unsigned long long)sym[i].st_value);
	}
	t = &p->info->symtabs[p->info->nr_symtabs];
	t->syms.offset = sh->sh_offset;
	t->syms.count = count;
	t->str_offset = str->sh_offset;
	t->str_size = str->sh_size;
	t->is_dynsym = sh->sh_type == SHT_DYNSYM;
	if (sh->sh_type == SHT_SYMTAB)
		p->info->full_symtab = p->info->nr_symtabs;
	p->info->nr_symtabs++;
}

static int symtab_for_section(const struct dc_elf_info *info,
			      const Elf64_Shdr *shdrs, unsigned int link)
{
	unsigned int i;

	for (i = 0; i < info->nr_symtabs; i++)
		if (info->symtabs[i].syms.offset == shdrs[link].sh_offset)
			return (int)i;
	return -1;
}

/*
 * Check the relocations (and apply them when @image is set).  One function
 * for both, so what is checked is exactly what is applied.
 */
static int relocate(struct parser *p, unsigned char *image, uint64_t base)
{
	const struct dc_elf_info *info = p->info;
	unsigned int t;

	for (t = 0; t < info->nr_rela; t++) {
		const struct dc_elf_rela *r = &info->rela[t];
		const Elf64_Rela *rela = (const Elf64_Rela *)(p->file + r->entries.offset);
		const struct dc_elf_symtab *st = r->symtab >= 0 ? &info->symtabs[r->symtab] : NULL;
		uint64_t i;

		for (i = 0; i < r->entries.count; i++) {
			uint32_t type = ELF64_R_TYPE(rela[i].r_info);
			uint32_t symi = ELF64_R_SYM(rela[i].r_info);
			uint64_t off = rela[i].r_offset, value;
			int64_t addend = rela[i].r_addend;
			const Elf64_Sym *sym;

			if (type == R_NONE)
				continue;
			if (type != R_64 && type != R_GLOB_DAT && type != R_JUMP_SLOT &&
			    type != R_RELATIVE)
				return fail(p, -EOPNOTSUPP, DC_RULE_RELOCATION_TYPES, "relocation %llu: unsupported type %u",
					    (unsigned long long)i, type);
			if (!segment_of(info, off, sizeof(uint64_t)))
				return fail(p, -ERANGE, DC_RULE_RELOCATION_TARGETS, "relocation %llu at 0x%llx is outside the image",
					    (unsigned long long)i, (unsigned long long)off);
			if (type == R_RELATIVE) {
				value = (uint64_t)addend;
			} else {
				if (!st || !symi || symi >= st->syms.count)
					return fail(p, -ERANGE, DC_RULE_RELOCATION_SYMBOLS, "relocation %llu: symbol %u does not exist",
						    (unsigned long long)i, symi);
				sym = (const Elf64_Sym *)(p->file + st->syms.offset) + symi;
				if (sym->st_shndx == SHN_UNDEF)
					return fail(p, -ENOENT, DC_RULE_RELOCATION_SYMBOLS, "relocation %llu: against an undefined symbol",
						    (unsigned long long)i);
				value = sym->st_value + (type == R_64 ? (uint64_t)addend : 0);
			}
			/* A pointer may point at the end of the image but not past it. */
			if (value > info->span)
				return fail(p, -ERANGE, DC_RULE_RELOCATION_TARGETS, "relocation %llu at 0x%llx: target 0x%llx is outside the image",
					    (unsigned long long)i, (unsigned long long)off,
					    (unsigned long long)value);
			if (image) {
				value += base;
				memcpy(image + off, &value, sizeof(value));
			}
		}
	}
	return 0;
}

static void check_sections(struct parser *p, const Elf64_Ehdr *eh, int *notes)
{
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(p->file + eh->e_shoff);
	unsigned int i;

	/* Tables first: every section's bytes must be in the file. */
	for (i = 0; i < eh->e_shnum; i++) {
		/*
		 * Without PT_TLS the linker still emits TLS sections, and the
		 * code reaches them through %fs: in the kernel, a user's.
		 */
		if (sh[i].sh_flags & SHF_TLS)
			fail(p, -ENOEXEC, DC_RULE_NO_TLS, "section %u: thread-local storage is not supported", i);
		if (sh[i].sh_type == SHT_NOBITS || sh[i].sh_type == SHT_NULL)
			continue;
		/* The tables below are read in place: they must be stored plainly. */
		if ((sh[i].sh_flags & SHF_COMPRESSED) &&
		    (sh[i].sh_type == SHT_SYMTAB || sh[i].sh_type == SHT_DYNSYM ||
		     sh[i].sh_type == SHT_STRTAB || sh[i].sh_type == SHT_NOTE ||
		     sh[i].sh_type == SHT_RELA || sh[i].sh_type == SHT_REL)) {
			fail(p, -EINVAL, DC_RULE_UNCOMPRESSED_SECTIONS, "section %u is compressed (SHF_COMPRESSED)", i);
			return;
		}
		if (!dc_range_within(sh[i].sh_offset, sh[i].sh_size, p->len)) {
			fail(p, -ENODATA, DC_RULE_SECTIONS_IN_FILE, "image truncated: section %u at %llu+%llu past the end (%zu bytes)",
			     i, (unsigned long long)sh[i].sh_offset,
			     (unsigned long long)sh[i].sh_size, p->len);
			return;
		}
	}
	for (i = 0; i < eh->e_shnum; i++) {
		switch (sh[i].sh_type) {
		case SHT_SYMTAB:
		case SHT_DYNSYM:
			check_symtab(p, sh, eh->e_shnum, i);
			break;
		case SHT_NOTE:
			check_notes(p, &sh[i], notes);
			break;
		case SHT_REL:
			fail(p, -EOPNOTSUPP, DC_RULE_RELOCATION_SECTIONS, "section %u: REL relocations are not supported (only RELA)", i);
			break;
		default:
			break;
		}
	}
	for (i = 0; i < eh->e_shnum; i++) {
		struct dc_elf_rela *r;

		if (sh[i].sh_type != SHT_RELA)
			continue;
		if (sh[i].sh_entsize != sizeof(Elf64_Rela) ||
		    sh[i].sh_size % sizeof(Elf64_Rela)) {
			fail(p, -EINVAL, DC_RULE_RELOCATION_SECTIONS, "section %u: bad relocation entry size", i);
			continue;
		}
		if (sh[i].sh_offset % TABLE_ALIGN) {
			fail(p, -EINVAL, DC_RULE_RELOCATION_SECTIONS, "section %u: misaligned relocations", i);
			continue;
		}
		if (p->info->nr_rela == DC_ELF_MAX_RELA) {
			fail(p, -EINVAL, DC_RULE_RELOCATION_SECTIONS, "more than %u relocation sections", DC_ELF_MAX_RELA);
			return;
		}
		r = &p->info->rela[p->info->nr_rela++];
		r->entries.offset = sh[i].sh_offset;
		r->entries.count = sh[i].sh_size / sizeof(Elf64_Rela);
		r->symtab = sh[i].sh_link && sh[i].sh_link < eh->e_shnum ?
			    symtab_for_section(p->info, sh, sh[i].sh_link) : -1;
	}
}

int dc_elf_check_size(uint64_t len, dc_elf_report_fn report, void *ctx)
{
	struct parser p = { NULL, 0, NULL, report, ctx, 0 };

	if (len > DC_ELF_MAX_FILE)
		return fail(&p, -EFBIG, DC_RULE_FILE_SIZE, "image is %llu bytes (cap %lu MiB)",
			    (unsigned long long)len, DC_ELF_MAX_FILE >> 20);
	return 0;
}

int dc_elf_parse(const void *file, size_t len, struct dc_elf_info *info,
		 dc_elf_report_fn report, void *ctx)
{
	struct parser p = { file, len, info, report, ctx, 0 };
	const Elf64_Ehdr *eh = file;
	int notes = 0;

	memset(info, 0, sizeof(*info));
	info->full_symtab = -1;
	if (dc_elf_check_size(len, report, ctx))
		return -EFBIG;
	if (check_header(&p, eh))
		return p.err;
	check_segments(&p, eh);
	if (!info->nr_segments)
		return p.err;
	check_sections(&p, eh, &notes);
	info->has_note = notes == 1;
	if (!notes)
		fail(&p, -EBADMSG, DC_RULE_DOMAIN_NOTE, "no domain note (section .note.domain): not built with the domain SDK?");
	relocate(&p, NULL, 0);
	return p.err;
}

int dc_elf_build(const void *file, size_t len, const struct dc_elf_info *info,
		 void *image, uint64_t base, dc_elf_report_fn report, void *ctx)
{
	struct parser p = { file, len, (struct dc_elf_info *)info, report, ctx, 0 };
	unsigned int i;

	for (i = 0; i < info->nr_segments; i++) {
		const struct dc_elf_segment *s = &info->seg[i];

		/* Parsed already: in the file and inside the span.  bss stays zero. */
		memcpy((unsigned char *)image + s->vaddr, p.file + s->offset, s->filesz);
	}
	return relocate(&p, image, base);
}

const char *dc_elf_symbolize(const void *file, size_t len,
			     const struct dc_elf_info *info, uint64_t offset,
			     uint64_t *within)
{
	const struct dc_elf_symtab *t;
	const Elf64_Sym *sym, *best = NULL;
	const unsigned char *f = file;
	uint64_t i;

	if (info->full_symtab < 0)
		return NULL;
	t = &info->symtabs[info->full_symtab];
	sym = (const Elf64_Sym *)(f + t->syms.offset);
	for (i = 1; i < t->syms.count; i++) {
		if (ELF64_ST_TYPE(sym[i].st_info) != STT_FUNC ||
		    sym[i].st_value > offset)
			continue;
		if (sym[i].st_size && offset - sym[i].st_value >= sym[i].st_size)
			continue;
		if (!best || sym[i].st_value > best->st_value)
			best = &sym[i];
	}
	if (!best || best->st_name >= t->str_size ||
	    !memchr(f + t->str_offset + best->st_name, '\0', t->str_size - best->st_name))
		return NULL;
	(void)len;
	*within = offset - best->st_value;
	return (const char *)f + t->str_offset + best->st_name;
}
