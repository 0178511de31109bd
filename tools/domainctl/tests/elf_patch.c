// SPDX-License-Identifier: GPL-2.0
/*
 * elf_patch IN OUT EDIT...: copy an ELF64 image with some fields changed,
 * to make the broken images the verify tests feed to domainctl.
 *
 *   ehdr.FIELD=V          class data version machine type entry
 *   phdr.N.FIELD=V        type flags vaddr offset filesz memsz
 *   note.FIELD=V          abi_version iface_version nr_needs flags type
 *                         descsz owner name iface version need0
 *                         need0_version (strings: text, or @fill for 32
 *                         bytes without a NUL)
 *   rela.N.FIELD=V        type sym offset (first SHT_RELA section)
 *   sym.NAME.shndx=V      in every symbol table
 *   truncate=BYTES
 *
 * A test helper: it trusts its input image (one the tests just built).
 */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <domain/abi.h>

static unsigned char *image;
static size_t image_len;

static _Noreturn void die(const char *what, const char *arg)
{
	fprintf(stderr, "elf_patch: %s: %s\n", what, arg);
	exit(2);
}

static uint64_t number(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 0);

	if (*end)
		die("not a number", s);
	return v;
}

static Elf64_Ehdr *ehdr(void) { return (Elf64_Ehdr *)image; }
static Elf64_Phdr *phdr(size_t i) { return (Elf64_Phdr *)(image + ehdr()->e_phoff) + i; }
static Elf64_Shdr *shdr(size_t i) { return (Elf64_Shdr *)(image + ehdr()->e_shoff) + i; }

static Elf64_Shdr *section_of_type(uint32_t type, size_t nth)
{
	for (size_t i = 0; i < ehdr()->e_shnum; i++)
		if (shdr(i)->sh_type == type && nth-- == 0)
			return shdr(i);
	return NULL;
}

/* The first note of the first SHT_NOTE section. */
static Elf64_Nhdr *note_header(void)
{
	Elf64_Shdr *sh = section_of_type(SHT_NOTE, 0);

	if (!sh)
		die("no note section", "");
	return (Elf64_Nhdr *)(image + sh->sh_offset);
}

static struct dc_note *note(void)
{
	Elf64_Nhdr *nh = note_header();

	return (struct dc_note *)((unsigned char *)(nh + 1) +
				  ((nh->n_namesz + 3) & ~3u));
}

static void set_string(char field[DC_NAME_MAX], const char *value)
{
	if (strcmp(value, "@fill") == 0)
		memset(field, 'a', DC_NAME_MAX);
	else
		snprintf(field, DC_NAME_MAX, "%s", value);
}

static void edit_ehdr(const char *field, const char *value)
{
	uint64_t v = number(value);

	if (!strcmp(field, "class")) ehdr()->e_ident[EI_CLASS] = (unsigned char)v;
	else if (!strcmp(field, "data")) ehdr()->e_ident[EI_DATA] = (unsigned char)v;
	else if (!strcmp(field, "version")) ehdr()->e_version = (uint32_t)v;
	else if (!strcmp(field, "machine")) ehdr()->e_machine = (uint16_t)v;
	else if (!strcmp(field, "type")) ehdr()->e_type = (uint16_t)v;
	else if (!strcmp(field, "entry")) ehdr()->e_entry = v;
	else die("unknown ehdr field", field);
}

static void edit_phdr(size_t i, const char *field, const char *value)
{
	Elf64_Phdr *ph = phdr(i);
	uint64_t v = number(value);

	if (i >= ehdr()->e_phnum) die("no such program header", value);
	if (!strcmp(field, "type")) ph->p_type = (uint32_t)v;
	else if (!strcmp(field, "flags")) ph->p_flags = (uint32_t)v;
	else if (!strcmp(field, "vaddr")) ph->p_vaddr = v;
	else if (!strcmp(field, "offset")) ph->p_offset = v;
	else if (!strcmp(field, "filesz")) ph->p_filesz = v;
	else if (!strcmp(field, "memsz")) ph->p_memsz = v;
	else die("unknown phdr field", field);
}

static void edit_note(const char *field, const char *value)
{
	struct dc_note *n = note();

	if (!strcmp(field, "name")) set_string(n->name, value);
	else if (!strcmp(field, "iface")) set_string(n->iface, value);
	else if (!strcmp(field, "version")) set_string(n->version, value);
	else if (!strcmp(field, "need0")) set_string(n->needs[0].iface, value);
	else if (!strcmp(field, "owner")) memcpy(note_header() + 1, value, strlen(value));
	else if (!strcmp(field, "abi_version")) n->abi_version = (uint32_t)number(value);
	else if (!strcmp(field, "iface_version")) n->iface_version = (uint32_t)number(value);
	else if (!strcmp(field, "nr_needs")) n->nr_needs = (uint32_t)number(value);
	else if (!strcmp(field, "flags")) n->flags = (uint32_t)number(value);
	else if (!strcmp(field, "need0_version")) n->needs[0].version = (uint32_t)number(value);
	else if (!strcmp(field, "type")) note_header()->n_type = (uint32_t)number(value);
	else if (!strcmp(field, "descsz")) note_header()->n_descsz = (uint32_t)number(value);
	else die("unknown note field", field);
}

static void edit_rela(size_t i, const char *field, const char *value)
{
	Elf64_Shdr *sh = section_of_type(SHT_RELA, 0);
	Elf64_Rela *r;
	uint64_t v = number(value);

	if (!sh || i >= sh->sh_size / sizeof(*r))
		die("no such relocation", value);
	r = (Elf64_Rela *)(image + sh->sh_offset) + i;
	if (!strcmp(field, "type"))
		r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), v);
	else if (!strcmp(field, "sym"))
		r->r_info = ELF64_R_INFO(v, ELF64_R_TYPE(r->r_info));
	else if (!strcmp(field, "offset"))
		r->r_offset = v;
	else
		die("unknown rela field", field);
}

static void edit_symbol(const char *name, const char *field, const char *value)
{
	int found = 0;

	if (strcmp(field, "shndx"))
		die("unknown symbol field", field);
	for (size_t s = 0; s < ehdr()->e_shnum; s++) {
		Elf64_Shdr *sh = shdr(s);
		Elf64_Sym *syms = (Elf64_Sym *)(image + sh->sh_offset);
		const char *strtab;

		if (sh->sh_type != SHT_SYMTAB && sh->sh_type != SHT_DYNSYM)
			continue;
		strtab = (const char *)image + shdr(sh->sh_link)->sh_offset;
		for (size_t i = 1; i < sh->sh_size / sizeof(Elf64_Sym); i++) {
			if (strcmp(strtab + syms[i].st_name, name) == 0) {
				syms[i].st_shndx = (uint16_t)number(value);
				found = 1;
			}
		}
	}
	if (!found)
		die("no such symbol", name);
}

static void edit(char *spec)
{
	char *eq = strchr(spec, '=');
	char *dot, *field;

	if (!eq)
		die("not WHAT=VALUE", spec);
	*eq = '\0';
	if (!strcmp(spec, "truncate")) {
		size_t n = number(eq + 1);

		image_len = n < image_len ? n : image_len;
		return;
	}
	dot = strchr(spec, '.');
	if (!dot)
		die("bad edit", spec);
	*dot = '\0';
	field = dot + 1;
	if (!strcmp(spec, "ehdr")) {
		edit_ehdr(field, eq + 1);
	} else if (!strcmp(spec, "note")) {
		edit_note(field, eq + 1);
	} else {
		char *sub = strchr(field, '.');

		if (!sub)
			die("bad edit", field);
		*sub = '\0';
		if (!strcmp(spec, "phdr"))
			edit_phdr(number(field), sub + 1, eq + 1);
		else if (!strcmp(spec, "rela"))
			edit_rela(number(field), sub + 1, eq + 1);
		else if (!strcmp(spec, "sym"))
			edit_symbol(field, sub + 1, eq + 1);
		else
			die("bad edit", spec);
	}
}

int main(int argc, char **argv)
{
	FILE *in, *out;
	long len;

	if (argc < 3)
		die("usage", "elf_patch IN OUT EDIT...");
	in = fopen(argv[1], "rb");
	if (!in || fseek(in, 0, SEEK_END) || (len = ftell(in)) < 0)
		die("cannot read", argv[1]);
	rewind(in);
	image_len = (size_t)len;
	image = malloc(image_len);
	if (!image || fread(image, 1, image_len, in) != image_len)
		die("cannot read", argv[1]);
	fclose(in);
	for (int i = 3; i < argc; i++)
		edit(argv[i]);
	out = fopen(argv[2], "wb");
	if (!out || fwrite(image, 1, image_len, out) != image_len || fclose(out))
		die("cannot write", argv[2]);
	free(image);
	return 0;
}
