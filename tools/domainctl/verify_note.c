// SPDX-License-Identifier: GPL-2.0
/*
 * Image rules about the domain note (struct dc_note in section
 * .note.domain): what the image says it is and what it imports.
 */
#include <endian.h>
#include <inttypes.h>
#include <string.h>
#include "known_ifaces.h"
#include "names.h"
#include "verify_rules.h"

#define DC_NOTE_SECTION		".note.domain"

/* Owned by "domain": ours, whatever its type (a wrong one is a problem). */
static bool is_domain_owned(const GElf_Nhdr *nhdr, const char *name)
{
	return nhdr->n_namesz == sizeof(DC_NOTE_OWNER) &&
	       memcmp(name, DC_NOTE_OWNER, sizeof(DC_NOTE_OWNER)) == 0;
}

/* The note's numbers are little endian in the file, like the rest of it. */
static void note_from_le(struct dc_note *note)
{
	note->abi_version = le32toh(note->abi_version);
	note->iface_version = le32toh(note->iface_version);
	note->nr_needs = le32toh(note->nr_needs);
	note->flags = le32toh(note->flags);
	for (size_t i = 0; i < DC_MAX_NEEDS; i++)
		note->needs[i].version = le32toh(note->needs[i].version);
}

static void take_note(struct verify_ctx *ctx, const char *section,
		      const GElf_Nhdr *nhdr, const char *desc)
{
	if (nhdr->n_type != DC_NOTE_TYPE) {
		verify_problem(ctx, "note of owner \"%s\" in %s has type 0x%" PRIx32 ", expected 0x%x",
			       DC_NOTE_OWNER, section, (uint32_t)nhdr->n_type,
			       DC_NOTE_TYPE);
		return;
	}
	if (++ctx->nr_notes > 1)
		return;
	if (nhdr->n_descsz != sizeof(struct dc_note)) {
		verify_problem(ctx, "the domain note has %" PRIu32 " bytes, expected %zu (built with another SDK?)",
			       (uint32_t)nhdr->n_descsz, sizeof(struct dc_note));
		return;
	}
	memcpy(&ctx->raw_note, desc, sizeof(struct dc_note));
	note_from_le(&ctx->raw_note);
	ctx->note_size_ok = true;
}

void rule_domain_note(struct verify_ctx *ctx)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(ctx->elf, scn))) {
		GElf_Shdr shdr;
		Elf_Data *data;
		GElf_Nhdr nhdr;
		size_t offset = 0, name_off, desc_off;
		char section[64];

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_NOTE ||
		    !(data = section_data(ctx, scn, &shdr)))
			continue;
		section_name(ctx, elf_ndxscn(scn), &shdr, section,
			     sizeof(section));
		while (offset < data->d_size &&
		       (offset = gelf_getnote(data, offset, &nhdr, &name_off,
					      &desc_off)) > 0) {
			const char *buf = data->d_buf;

			if (is_domain_owned(&nhdr, buf + name_off))
				take_note(ctx, section, &nhdr, buf + desc_off);
		}
	}
	if (ctx->nr_notes == 0 && ctx->shnum && !ctx->rule_problems)
		verify_problem(ctx, "no domain note (section %s, owner \"%s\", type 0x%x): build the image with the domain SDK",
			       DC_NOTE_SECTION, DC_NOTE_OWNER, DC_NOTE_TYPE);
	else if (ctx->nr_notes > 1)
		verify_problem(ctx, "%u domain notes; exactly one is allowed",
			       ctx->nr_notes);
}

/* The note rules below look at the note only if there is exactly one. */
static const struct dc_note *the_note(const struct verify_ctx *ctx)
{
	return ctx->nr_notes == 1 && ctx->note_size_ok ? &ctx->raw_note : NULL;
}

void rule_note_abi(struct verify_ctx *ctx)
{
	const struct dc_note *note = the_note(ctx);

	if (note && note->abi_version != DC_ABI_VERSION)
		verify_problem(ctx, "note abi_version %" PRIu32 ", but this domain-core has ABI %d: rebuild the domain against this SDK",
			       note->abi_version, DC_ABI_VERSION);
}

static bool terminated(const char field[DC_NAME_MAX])
{
	return memchr(field, '\0', DC_NAME_MAX) != NULL;
}

static void check_string(struct verify_ctx *ctx, const char *what,
			 const char field[DC_NAME_MAX])
{
	if (!terminated(field))
		verify_problem(ctx, "note %s is not NUL-terminated within %d bytes",
			       what, DC_NAME_MAX);
	else if (!field[0])
		verify_problem(ctx, "note %s is empty", what);
}

void rule_note_strings(struct verify_ctx *ctx)
{
	const struct dc_note *note = the_note(ctx);

	if (!note)
		return;
	check_string(ctx, "name", note->name);
	check_string(ctx, "iface", note->iface);
	check_string(ctx, "version", note->version);
}

void rule_note_name(struct verify_ctx *ctx)
{
	const struct dc_note *note = the_note(ctx);
	char buf[DC_NAME_MAX];

	if (!note || !terminated(note->name) || !note->name[0])
		return;
	if (!domain_name_valid(note->name))
		verify_problem(ctx, "note name '%s' is not a valid domain name (%s)",
			       printable(note->name, buf, sizeof(buf)),
			       DOMAIN_NAME_RULE);
}

/* Is @iface (a note field) a known interface of version @version? */
static void check_iface(struct verify_ctx *ctx, const char *what,
			const char iface[DC_NAME_MAX], uint32_t version)
{
	char buf[DC_NAME_MAX];
	uint32_t known;

	if (!terminated(iface) || !iface[0])
		return;		/* reported by note-strings, or a bad need */
	known = known_iface_version(iface);
	if (!known)
		verify_problem(ctx, "%s '%s' is not a known interface (known: %s)",
			       what, printable(iface, buf, sizeof(buf)),
			       known_iface_names());
	else if (version != known)
		verify_problem(ctx, "%s '%s' has version %" PRIu32 ", but this domain-core has version %" PRIu32,
			       what, iface, version, known);
}

void rule_note_iface(struct verify_ctx *ctx)
{
	const struct dc_note *note = the_note(ctx);

	if (note)
		check_iface(ctx, "interface", note->iface, note->iface_version);
}

void rule_note_needs(struct verify_ctx *ctx)
{
	const struct dc_note *note = the_note(ctx);

	if (!note)
		return;
	if (note->nr_needs > DC_MAX_NEEDS) {
		verify_problem(ctx, "note lists %" PRIu32 " needs, at most %d allowed",
			       note->nr_needs, DC_MAX_NEEDS);
		return;
	}
	for (uint32_t i = 0; i < note->nr_needs; i++) {
		const struct dc_note_need *need = &note->needs[i];

		if (!terminated(need->iface))
			verify_problem(ctx, "need %" PRIu32 " is not NUL-terminated within %d bytes",
				       i, DC_NAME_MAX);
		else if (!need->iface[0])
			verify_problem(ctx, "need %" PRIu32 " names no interface", i);
		else
			check_iface(ctx, "needed interface", need->iface,
				    need->version);
	}
}

void rule_note_flags(struct verify_ctx *ctx)
{
	const struct dc_note *note = the_note(ctx);

	if (note && (note->flags & ~(uint32_t)DC_NOTE_F_STATEFUL))
		verify_problem(ctx, "unknown note flags 0x%" PRIx32,
			       note->flags & ~(uint32_t)DC_NOTE_F_STATEFUL);
}
