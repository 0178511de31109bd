// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "verify_rules.h"
#include "xalloc.h"

/*
 * List every problem, but not a flood: a file that is no domain at all can
 * have a hundred thousand bad relocations.  Past this many per rule, count.
 */
#define VERIFY_MAX_PER_RULE	1000

struct verify_rule {
	const char *name;
	const char *summary;
	verify_rule_fn *check;
	/* Later rules cannot run if this one fails (e.g. not an ELF64 file). */
	bool stop_on_failure;
};

/* Every check, in the order they run. */
static const struct verify_rule verify_rules[] = {
	{ "elf-file", "an ELF64 little-endian file, current ELF version", rule_elf_file, true },
	{ "file-size", "at most 64 MiB", rule_file_size, false },
	{ "elf-machine", "built for x86-64 (EM_X86_64)", rule_elf_machine, false },
	{ "elf-type", "position independent (ET_DYN)", rule_elf_type, false },
	{ "header-tables", "program and section header tables inside the file", rule_header_tables, true },
	{ "header-counts", "1 to 32 program headers, at most 128 sections", rule_header_counts, false },
	{ "section-headers", "has section headers", rule_section_headers, false },
	{ "segments-in-file", "every segment's bytes inside the file", rule_segments_in_file, false },
	{ "has-load", "1 to 8 PT_LOAD segments", rule_has_load, false },
	{ "load-alignment", "PT_LOADs page aligned (p_vaddr, p_offset)", rule_load_alignment, false },
	{ "load-sizes", "PT_LOAD p_filesz <= p_memsz, no address wrap", rule_load_sizes, false },
	{ "load-overlap", "PT_LOADs in address order, no two sharing a page", rule_load_overlap, false },
	{ "load-wx", "no PT_LOAD both writable and executable", rule_load_wx, false },
	{ "load-span", "PT_LOADs end within 64 MiB of address 0", rule_load_span, false },
	{ "entry", "entry point inside an executable PT_LOAD", rule_entry, false },
	{ "no-interp", "no PT_INTERP (program interpreter)", rule_no_interp, false },
	{ "no-tls", "no PT_TLS (thread-local storage)", rule_no_tls, false },
	{ "sections-in-file", "every section's bytes inside the file", rule_sections_in_file, false },
	{ "uncompressed-sections", "no SHF_COMPRESSED symbol, string, note or relocation section", rule_uncompressed_sections, false },
	{ "symbol-tables", "at most 2 well-formed symbol tables, symbols inside the image", rule_symbol_tables, false },
	{ "undefined-symbols", "no undefined symbols in .dynsym and .symtab", rule_undefined_symbols, false },
	{ "no-needed", "no DT_NEEDED shared libraries", rule_no_needed, false },
	{ "relocation-sections", "at most 8 RELA sections, no REL", rule_relocation_sections, false },
	{ "relocation-types", "relocations only NONE, 64, RELATIVE, GLOB_DAT, JUMP_SLOT", rule_relocation_types, false },
	{ "relocation-targets", "every relocated word, and the address it gets, inside the image", rule_relocation_targets, false },
	{ "relocation-symbols", "relocations only against existing, defined symbols", rule_relocation_symbols, false },
	{ "domain-note", "exactly one domain note of the right type and size", rule_domain_note, false },
	{ "note-abi", "note's abi_version is DC_ABI_VERSION", rule_note_abi, false },
	{ "note-strings", "note's name, iface, version NUL-terminated, not empty", rule_note_strings, false },
	{ "note-name", "note's name is [a-z0-9_-]{1,31}", rule_note_name, false },
	{ "note-iface", "note's interface known, with its version", rule_note_iface, false },
	{ "note-needs", "at most DC_MAX_NEEDS needs, each a known interface", rule_note_needs, false },
	{ "note-flags", "no unknown note flags", rule_note_flags, false },
};

#define NR_RULES	(sizeof(verify_rules) / sizeof(verify_rules[0]))

size_t image_rule_count(void) { return NR_RULES; }
const char *image_rule_name(size_t i) { return verify_rules[i].name; }
const char *image_rule_summary(size_t i) { return verify_rules[i].summary; }

void verify_problem(struct verify_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (ctx->rule_problems >= VERIFY_MAX_PER_RULE) {
		ctx->rule_suppressed++;
		return;
	}
	ctx->rule_problems++;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		xalloc_die();
	va_end(ap);
	diag_add(&ctx->out->problems, 0, ctx->rule, "%s", msg);
	free(msg);
}

bool range_within(uint64_t offset, uint64_t size, uint64_t limit)
{
	return offset <= limit && size <= limit - offset;
}

const char *printable(const char *s, char *buf, size_t buf_len)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < buf_len; i++)
		buf[i] = (s[i] >= ' ' && s[i] < 0x7f) ? s[i] : '?';
	buf[i] = '\0';
	return buf;
}

const char *section_name(struct verify_ctx *ctx, size_t index,
			 const GElf_Shdr *shdr, char *buf, size_t buf_len)
{
	const char *name = NULL;

	if (ctx->shstrndx)
		name = elf_strptr(ctx->elf, ctx->shstrndx, shdr->sh_name);
	if (name && *name)
		return printable(name, buf, buf_len);
	snprintf(buf, buf_len, "[%zu]", index);
	return buf;
}

Elf_Data *section_data(struct verify_ctx *ctx, Elf_Scn *scn,
		       const GElf_Shdr *shdr)
{
	if (shdr->sh_type == SHT_NOBITS ||
	    !range_within(shdr->sh_offset, shdr->sh_size, ctx->file_size))
		return NULL;
	return elf_getdata(scn, NULL);
}

static void run_rules(struct verify_ctx *ctx)
{
	for (size_t i = 0; i < NR_RULES; i++) {
		const struct verify_rule *rule = &verify_rules[i];

		ctx->rule = rule->name;
		ctx->rule_problems = 0;
		ctx->rule_suppressed = 0;
		rule->check(ctx);
		if (ctx->rule_suppressed)
			diag_add(&ctx->out->problems, 0, rule->name,
				 "... and %u more problems of this kind (%s)",
				 ctx->rule_suppressed, rule->name);
		if (ctx->rule_problems && rule->stop_on_failure)
			break;
	}
}

/* Copy a fixed-size note string, NUL-terminated whatever the image holds. */
static void note_string(char *dst, const char *src)
{
	memcpy(dst, src, DC_NAME_MAX);
	dst[DC_NAME_MAX - 1] = '\0';
}

static void export_note(const struct verify_ctx *ctx, struct image_check *check)
{
	const struct dc_note *raw = &ctx->raw_note;
	struct image_note *note = &check->note;

	check->has_note = ctx->nr_notes == 1 && ctx->note_size_ok;
	if (!check->has_note)
		return;
	note->abi_version = raw->abi_version;
	note->iface_version = raw->iface_version;
	note->flags = raw->flags;
	note->nr_needs = raw->nr_needs;
	note_string(note->name, raw->name);
	note_string(note->iface, raw->iface);
	note_string(note->version, raw->version);
	for (size_t i = 0; i < DC_MAX_NEEDS; i++) {
		note_string(note->needs[i].iface, raw->needs[i].iface);
		note->needs[i].version = raw->needs[i].version;
	}
}

size_t image_verify_fd(int fd, struct image_check *check)
{
	struct verify_ctx ctx = { .out = check };
	struct stat st;

	memset(check, 0, sizeof(*check));
	if (fstat(fd, &st) < 0) {
		diag_add(&check->problems, 0, "elf-file", "cannot stat: %s",
			 strerror(errno));
		return check->problems.count;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_add(&check->problems, 0, "elf-file", "not a regular file");
		return check->problems.count;
	}
	ctx.file_size = (uint64_t)st.st_size;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		diag_add(&check->problems, 0, "elf-file", "libelf is unusable: %s",
			 elf_errmsg(-1));
		return check->problems.count;
	}
	/* ELF_C_READ, not _MMAP: a file truncated meanwhile must not SIGBUS. */
	ctx.elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!ctx.elf) {
		diag_add(&check->problems, 0, "elf-file", "cannot read as ELF: %s",
			 elf_errmsg(-1));
		return check->problems.count;
	}
	run_rules(&ctx);
	export_note(&ctx, check);
	for (size_t i = 0; i < ctx.nr_undefined; i++)
		free(ctx.undefined[i]);
	free(ctx.undefined);
	free(ctx.phdrs);
	elf_end(ctx.elf);
	return check->problems.count;
}

size_t image_verify_path(const char *path, struct image_check *check)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n;

	if (fd < 0) {
		memset(check, 0, sizeof(*check));
		diag_add(&check->problems, 0, "elf-file", "%s", strerror(errno));
		return check->problems.count;
	}
	n = image_verify_fd(fd, check);
	close(fd);
	return n;
}

void image_check_free(struct image_check *check)
{
	diag_free(&check->problems);
}
