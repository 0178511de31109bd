// SPDX-License-Identifier: GPL-2.0
/*
 * Image rules about linking: a domain reaches the kernel only through the
 * service table, so it may not leave anything for a dynamic linker to
 * resolve, and the loader only knows the few relocation types that a
 * self-contained PIE needs.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "verify_rules.h"
#include "xalloc.h"

#define RELOCATED_WORD	8	/* every allowed type writes 64 bits */

/* Names, sorted and without duplicates when reported. */
struct name_list {
	char **names;
	size_t count;
};

static void name_list_add(struct name_list *list, const char *name)
{
	char buf[128];

	list->names = xreallocarray(list->names, list->count + 1,
				    sizeof(*list->names));
	list->names[list->count++] = xstrdup(printable(name, buf, sizeof(buf)));
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort @list and drop duplicates. */
static void name_list_unique(struct name_list *list)
{
	size_t kept = 0;

	if (!list->count)
		return;		/* names may be NULL, which qsort may not get */
	qsort(list->names, list->count, sizeof(*list->names), compare_names);
	for (size_t i = 0; i < list->count; i++) {
		if (kept && strcmp(list->names[i], list->names[kept - 1]) == 0)
			free(list->names[i]);
		else
			list->names[kept++] = list->names[i];
	}
	list->count = kept;
}

static void name_list_free(struct name_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->names[i]);
	free(list->names);
	list->names = NULL;
	list->count = 0;
}

static bool already_reported_undefined(const struct verify_ctx *ctx,
				       const char *name)
{
	return ctx->nr_undefined &&
	       bsearch(&name, ctx->undefined, ctx->nr_undefined,
		       sizeof(*ctx->undefined), compare_names);
}

/* A symbol table section, ready for gelf_getsym. */
struct symtab {
	size_t index;			/* section index */
	size_t strtab;			/* its string table's section index */
	Elf_Data *data;
	size_t count;
};

static bool is_symtab_type(uint32_t type)
{
	return type == SHT_SYMTAB || type == SHT_DYNSYM;
}

/* Open a symbol table the symbol-tables rule accepts; false if it does not. */
static bool symtab_open(struct verify_ctx *ctx, size_t index,
			struct symtab *tab)
{
	Elf_Scn *scn = elf_getscn(ctx->elf, index);
	GElf_Shdr shdr, str;
	Elf_Scn *str_scn;

	if (!scn || !gelf_getshdr(scn, &shdr) || !is_symtab_type(shdr.sh_type) ||
	    shdr.sh_entsize != sizeof(Elf64_Sym) ||
	    shdr.sh_size % sizeof(Elf64_Sym))
		return false;
	str_scn = elf_getscn(ctx->elf, shdr.sh_link);
	if (!str_scn || !gelf_getshdr(str_scn, &str) || str.sh_type != SHT_STRTAB)
		return false;
	tab->data = section_data(ctx, scn, &shdr);
	if (!tab->data)
		return false;
	tab->index = index;
	tab->strtab = shdr.sh_link;
	tab->count = shdr.sh_size / sizeof(Elf64_Sym);
	return true;
}

static const char *symbol_name(struct verify_ctx *ctx, const struct symtab *tab,
			       const GElf_Sym *sym)
{
	const char *name = elf_strptr(ctx->elf, tab->strtab, sym->st_name);

	return name && *name ? name : "(unnamed)";
}

/* A symbol whose value is an address in the image (so must be inside it). */
static bool symbol_is_address(const GElf_Sym *sym)
{
	return sym->st_shndx != SHN_UNDEF && sym->st_shndx != SHN_ABS &&
	       sym->st_shndx < SHN_LORESERVE &&
	       GELF_ST_TYPE(sym->st_info) != STT_SECTION &&
	       GELF_ST_TYPE(sym->st_info) != STT_FILE;
}

static void check_symbols(struct verify_ctx *ctx, const struct symtab *tab,
			  const char *section, uint64_t span)
{
	for (size_t i = 1; i < tab->count; i++) {
		GElf_Sym sym;
		char buf[128];

		if (!gelf_getsym(tab->data, (int)i, &sym))
			break;
		if (sym.st_name &&
		    !elf_strptr(ctx->elf, tab->strtab, sym.st_name)) {
			verify_problem(ctx, "symbol %zu of %s: name outside the string table",
				       i, section);
			continue;
		}
		if (symbol_is_address(&sym) && sym.st_value > span)
			verify_problem(ctx, "symbol '%s' at 0x%" PRIx64 " is outside the image (it ends at 0x%" PRIx64 ")",
				       printable(symbol_name(ctx, tab, &sym), buf,
						 sizeof(buf)),
				       (uint64_t)sym.st_value, span);
	}
}

void rule_symbol_tables(struct verify_ctx *ctx)
{
	uint64_t span = image_span(ctx);
	Elf_Scn *scn = NULL;
	size_t nr_tables = 0;

	while ((scn = elf_nextscn(ctx->elf, scn))) {
		GElf_Shdr shdr;
		struct symtab tab;
		char name[64];

		if (!gelf_getshdr(scn, &shdr) || !is_symtab_type(shdr.sh_type))
			continue;
		section_name(ctx, elf_ndxscn(scn), &shdr, name, sizeof(name));
		if (++nr_tables == IMAGE_MAX_SYMTABS + 1)
			verify_problem(ctx, "more than %d symbol tables (%s is one too many)",
				       IMAGE_MAX_SYMTABS, name);
		if (shdr.sh_entsize != sizeof(Elf64_Sym) ||
		    shdr.sh_size % sizeof(Elf64_Sym)) {
			verify_problem(ctx, "symbol table %s has entry size %" PRIu64 " and size %" PRIu64 "; entries are %zu bytes",
				       name, (uint64_t)shdr.sh_entsize,
				       (uint64_t)shdr.sh_size, sizeof(Elf64_Sym));
			continue;
		}
		if (!symtab_open(ctx, elf_ndxscn(scn), &tab)) {
			verify_problem(ctx, "symbol table %s has no readable string table (sh_link %" PRIu32 ")",
				       name, (uint32_t)shdr.sh_link);
			continue;
		}
		check_symbols(ctx, &tab, name, span);
	}
}

void rule_undefined_symbols(struct verify_ctx *ctx)
{
	struct name_list undefined = { 0 };
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(ctx->elf, scn))) {
		GElf_Shdr shdr;
		struct symtab tab;

		/* Broken tables are the symbol-tables rule's to report. */
		if (!gelf_getshdr(scn, &shdr) || !is_symtab_type(shdr.sh_type) ||
		    !symtab_open(ctx, elf_ndxscn(scn), &tab))
			continue;
		/* Index 0 is the null symbol, undefined by definition. */
		for (size_t i = 1; i < tab.count; i++) {
			GElf_Sym sym;

			if (gelf_getsym(tab.data, (int)i, &sym) &&
			    sym.st_shndx == SHN_UNDEF)
				name_list_add(&undefined,
					      symbol_name(ctx, &tab, &sym));
		}
	}
	name_list_unique(&undefined);
	for (size_t i = 0; i < undefined.count; i++)
		verify_problem(ctx, "undefined symbol '%s' (domains may only use the service table)",
			       undefined.names[i]);
	/* Kept for rule_relocation_symbols; image_verify_fd frees them. */
	ctx->undefined = undefined.names;
	ctx->nr_undefined = undefined.count;
}

void rule_no_needed(struct verify_ctx *ctx)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(ctx->elf, scn))) {
		GElf_Shdr shdr;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_DYNAMIC ||
		    shdr.sh_entsize != sizeof(Elf64_Dyn) ||
		    !(data = section_data(ctx, scn, &shdr)))
			continue;
		for (size_t i = 0; i < shdr.sh_size / sizeof(Elf64_Dyn); i++) {
			GElf_Dyn dyn;
			const char *lib;
			char buf[128];

			if (!gelf_getdyn(data, (int)i, &dyn) || dyn.d_tag == DT_NULL)
				break;
			if (dyn.d_tag != DT_NEEDED)
				continue;
			lib = elf_strptr(ctx->elf, shdr.sh_link, dyn.d_un.d_val);
			verify_problem(ctx, "needs shared library '%s': domains must be self-contained",
				       lib ? printable(lib, buf, sizeof(buf)) : "?");
		}
	}
}

static bool rela_section_readable(const GElf_Shdr *shdr)
{
	return shdr->sh_entsize == sizeof(Elf64_Rela) &&
	       shdr->sh_size % sizeof(Elf64_Rela) == 0;
}

/*
 * The loader applies every RELA section (not only .rela.dyn), knows no
 * REL, and takes a bounded number of them.
 */
void rule_relocation_sections(struct verify_ctx *ctx)
{
	Elf_Scn *scn = NULL;
	size_t nr_rela = 0;

	while ((scn = elf_nextscn(ctx->elf, scn))) {
		GElf_Shdr shdr;
		char name[64];

		if (!gelf_getshdr(scn, &shdr))
			continue;
		section_name(ctx, elf_ndxscn(scn), &shdr, name, sizeof(name));
		if (shdr.sh_type == SHT_REL) {
			verify_problem(ctx, "section %s has REL relocations; the loader knows only RELA",
				       name);
			continue;
		}
		if (shdr.sh_type != SHT_RELA)
			continue;
		if (++nr_rela == IMAGE_MAX_RELA + 1)
			verify_problem(ctx, "more than %d relocation sections (%s is one too many)",
				       IMAGE_MAX_RELA, name);
		if (!rela_section_readable(&shdr))
			verify_problem(ctx, "relocation section %s has entry size %" PRIu64 " and size %" PRIu64 "; entries are %zu bytes",
				       name, (uint64_t)shdr.sh_entsize,
				       (uint64_t)shdr.sh_size, sizeof(Elf64_Rela));
	}
}

/* One relocation, with where it came from. */
struct rela_site {
	const char *section;		/* e.g. ".rela.dyn" */
	size_t index;			/* entry in that section */
	GElf_Rela rela;
	struct symtab *symtab;		/* NULL if the link is broken */
};

typedef void rela_visit_fn(struct verify_ctx *ctx, const struct rela_site *site,
			   void *arg);

/*
 * Visit every relocation of every well-formed RELA section, as the loader
 * applies them (broken sections are the relocation-sections rule's).
 */
static void for_each_rela(struct verify_ctx *ctx, rela_visit_fn *visit,
			  void *arg)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(ctx->elf, scn))) {
		struct rela_site site = { 0 };
		struct symtab tab;
		GElf_Shdr shdr;
		Elf_Data *data;
		char name[64];

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_RELA ||
		    !rela_section_readable(&shdr) ||
		    !(data = section_data(ctx, scn, &shdr)))
			continue;
		site.section = section_name(ctx, elf_ndxscn(scn), &shdr, name,
					    sizeof(name));
		if (shdr.sh_link && symtab_open(ctx, shdr.sh_link, &tab))
			site.symtab = &tab;
		for (size_t i = 0; i < shdr.sh_size / sizeof(Elf64_Rela); i++) {
			if (!gelf_getrela(data, (int)i, &site.rela))
				break;
			site.index = i;
			visit(ctx, &site, arg);
		}
	}
}

#define RELOC_NAME(t)	[R_X86_64_##t] = "R_X86_64_" #t
static const char *const reloc_names[R_X86_64_NUM] = {
	RELOC_NAME(NONE), RELOC_NAME(64), RELOC_NAME(PC32), RELOC_NAME(GOT32),
	RELOC_NAME(PLT32), RELOC_NAME(COPY), RELOC_NAME(GLOB_DAT),
	RELOC_NAME(JUMP_SLOT), RELOC_NAME(RELATIVE), RELOC_NAME(GOTPCREL),
	RELOC_NAME(32), RELOC_NAME(32S), RELOC_NAME(16), RELOC_NAME(PC16),
	RELOC_NAME(8), RELOC_NAME(PC8), RELOC_NAME(DTPMOD64),
	RELOC_NAME(DTPOFF64), RELOC_NAME(TPOFF64), RELOC_NAME(TLSGD),
	RELOC_NAME(TLSLD), RELOC_NAME(DTPOFF32), RELOC_NAME(GOTTPOFF),
	RELOC_NAME(TPOFF32), RELOC_NAME(PC64), RELOC_NAME(GOTOFF64),
	RELOC_NAME(GOTPC32), RELOC_NAME(GOT64), RELOC_NAME(GOTPCREL64),
	RELOC_NAME(GOTPC64), RELOC_NAME(GOTPLT64), RELOC_NAME(PLTOFF64),
	RELOC_NAME(SIZE32), RELOC_NAME(SIZE64), RELOC_NAME(GOTPC32_TLSDESC),
	RELOC_NAME(TLSDESC_CALL), RELOC_NAME(TLSDESC), RELOC_NAME(IRELATIVE),
	RELOC_NAME(RELATIVE64), RELOC_NAME(GOTPCRELX),
	RELOC_NAME(REX_GOTPCRELX),
};

static bool reloc_type_allowed(uint32_t type)
{
	switch (type) {
	case R_X86_64_NONE:
	case R_X86_64_64:
	case R_X86_64_RELATIVE:
	case R_X86_64_GLOB_DAT:
	case R_X86_64_JUMP_SLOT:
		return true;
	}
	return false;
}

/* Bad relocation types of one section, counted to report each type once. */
struct type_tally {
	char section[64];
	uint32_t types[16];
	size_t counts[16];
	size_t nr_types;
};

static void tally_flush(struct verify_ctx *ctx, struct type_tally *t)
{
	for (size_t i = 0; i < t->nr_types; i++) {
		uint32_t type = t->types[i];
		char unknown[32];
		const char *name = type < R_X86_64_NUM ? reloc_names[type] : NULL;

		if (!name) {
			snprintf(unknown, sizeof(unknown), "%" PRIu32, type);
			name = unknown;
		}
		verify_problem(ctx, "relocation type %s not allowed (%zu in %s); only R_X86_64_NONE, _64, _RELATIVE, _GLOB_DAT and _JUMP_SLOT",
			       name, t->counts[i], t->section);
	}
	t->nr_types = 0;
}

static void visit_type(struct verify_ctx *ctx, const struct rela_site *site,
		       void *arg)
{
	struct type_tally *t = arg;
	uint32_t type = (uint32_t)GELF_R_TYPE(site->rela.r_info);
	size_t i;

	if (site->index == 0) {		/* a new section */
		tally_flush(ctx, t);
		snprintf(t->section, sizeof(t->section), "%s", site->section);
	}
	if (reloc_type_allowed(type))
		return;
	for (i = 0; i < t->nr_types; i++)
		if (t->types[i] == type)
			break;
	if (i == t->nr_types) {
		if (t->nr_types == sizeof(t->types) / sizeof(t->types[0]))
			tally_flush(ctx, t);
		i = t->nr_types++;
		t->types[i] = type;
		t->counts[i] = 0;
	}
	t->counts[i]++;
}

void rule_relocation_types(struct verify_ctx *ctx)
{
	struct type_tally tally = { 0 };

	for_each_rela(ctx, visit_type, &tally);
	tally_flush(ctx, &tally);
}

/* Is [addr, addr + RELOCATED_WORD) inside the memory of a PT_LOAD? */
static bool address_loaded(const struct verify_ctx *ctx, uint64_t addr)
{
	for (size_t i = 0; i < ctx->phnum; i++) {
		const GElf_Phdr *ph = &ctx->phdrs[i];

		if (ph->p_type == PT_LOAD && addr >= ph->p_vaddr &&
		    range_within(addr - ph->p_vaddr, RELOCATED_WORD, ph->p_memsz))
			return true;
	}
	return false;
}

/* The symbol a relocation names, if it exists; NULL otherwise. */
static bool rela_symbol(const struct rela_site *site, GElf_Sym *sym)
{
	size_t index = GELF_R_SYM(site->rela.r_info);

	return index && site->symtab && index < site->symtab->count &&
	       gelf_getsym(site->symtab->data, (int)index, sym);
}

static void visit_target(struct verify_ctx *ctx, const struct rela_site *site,
			 void *arg)
{
	const uint64_t *span = arg;
	uint32_t type = (uint32_t)GELF_R_TYPE(site->rela.r_info);
	uint64_t value;
	GElf_Sym sym;

	if (type == R_X86_64_NONE || !reloc_type_allowed(type))
		return;
	if (!address_loaded(ctx, site->rela.r_offset))
		verify_problem(ctx, "relocation %s[%zu] writes 8 bytes at 0x%" PRIx64 ", outside every loaded segment",
			       site->section, site->index,
			       (uint64_t)site->rela.r_offset);
	if (type == R_X86_64_RELATIVE)
		value = (uint64_t)site->rela.r_addend;
	else if (rela_symbol(site, &sym) && sym.st_shndx != SHN_UNDEF)
		value = sym.st_value +
			(type == R_X86_64_64 ? (uint64_t)site->rela.r_addend : 0);
	else
		return;		/* the relocation-symbols rule's */
	/* A pointer may point just past the image's end, not beyond. */
	if (value > *span)
		verify_problem(ctx, "relocation %s[%zu] at 0x%" PRIx64 " points at 0x%" PRIx64 ", outside the image (it ends at 0x%" PRIx64 ")",
			       site->section, site->index,
			       (uint64_t)site->rela.r_offset, value, *span);
}

void rule_relocation_targets(struct verify_ctx *ctx)
{
	uint64_t span = image_span(ctx);

	for_each_rela(ctx, visit_target, &span);
}

static void visit_symbol(struct verify_ctx *ctx, const struct rela_site *site,
			 void *arg)
{
	struct name_list *undefined = arg;
	uint32_t type = (uint32_t)GELF_R_TYPE(site->rela.r_info);
	size_t sym_index = GELF_R_SYM(site->rela.r_info);
	GElf_Sym sym;

	/* These two take no symbol; the others need one. */
	if (type == R_X86_64_NONE || type == R_X86_64_RELATIVE ||
	    !reloc_type_allowed(type))
		return;
	if (sym_index == 0) {
		verify_problem(ctx, "relocation %s[%zu] (%s) names no symbol",
			       site->section, site->index, reloc_names[type]);
		return;
	}
	if (!site->symtab) {
		verify_problem(ctx, "relocation %s[%zu] refers to symbol %zu but %s is linked to no readable symbol table",
			       site->section, site->index, sym_index,
			       site->section);
		return;
	}
	if (!rela_symbol(site, &sym)) {
		verify_problem(ctx, "relocation %s[%zu] refers to symbol %zu, past the end of its symbol table",
			       site->section, site->index, sym_index);
		return;
	}
	if (sym.st_shndx == SHN_UNDEF)
		name_list_add(undefined, symbol_name(ctx, site->symtab, &sym));
}

void rule_relocation_symbols(struct verify_ctx *ctx)
{
	struct name_list undefined = { 0 };

	for_each_rela(ctx, visit_symbol, &undefined);
	name_list_unique(&undefined);
	for (size_t i = 0; i < undefined.count; i++)
		if (!already_reported_undefined(ctx, undefined.names[i]))
			verify_problem(ctx, "relocation against undefined symbol '%s'",
				       undefined.names[i]);
	name_list_free(&undefined);
}
