// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the domain image parser (src/loader/elf_image.c)
 * and the signature trailer parser (src/loader/image_sig.c), the code the
 * kernel runs on every image it is handed, in the kernel's order: the
 * signature first, then the ELF rules on the content before it.  Built
 * with ASan and UBSan, so any out-of-bounds access or undefined behaviour
 * is a crash; besides, the harness aborts when a parser breaks its own
 * contract:
 *
 *   - dc_sig_parse() returns 0 with no report, or -EBADMSG with exactly
 *     one, under rule "signature"; unsigned, the content is the whole
 *     input; signed, the content, the PKCS#7 message and the 40-byte
 *     trailer are the whole input in that order, and the signer is a
 *     non-empty printable NUL-terminated string;
 *   - every report is a negative errno with a known rule id and a
 *     non-empty message, and the return value is the first one reported
 *     (0 only with no report);
 *   - an accepted image describes a layout that fits its span and file;
 *   - dc_elf_build() of an accepted image succeeds (the same checks ran);
 *   - dc_elf_symbolize() only returns NUL-terminated names inside the file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "loader/elf_image.h"
#include "loader/image_sig.h"

/* Where the kernel might map an image; any value works, this one is typical. */
#define FUZZ_BASE	0xffffffffc0000000ULL

struct reports {
	int count;
	int first;
	const char *first_rule;
};

static void report(void *ctx, int err, const char *rule, const char *msg)
{
	struct reports *r = ctx;

	/* fail() formats into 160 bytes: a longer string would be an overrun. */
	if (err >= 0 || dc_elf_rule_find(rule) < 0 || !msg || !msg[0] ||
	    strnlen(msg, 256) >= 160)
		abort();
	if (!r->count++) {
		r->first = err;
		r->first_rule = rule;
	}
}

static void check_layout(const struct dc_elf_info *info, size_t size)
{
	int entry_in_text = 0;

	if (!info->nr_segments || info->nr_segments > DC_ELF_MAX_SEGMENTS ||
	    !info->span || info->span > DC_ELF_MAX_SPAN || info->span % DC_ELF_PAGE_SIZE)
		abort();
	for (unsigned int i = 0; i < info->nr_segments; i++) {
		const struct dc_elf_segment *s = &info->seg[i];

		if (s->vaddr % DC_ELF_PAGE_SIZE || !s->memsz || s->filesz > s->memsz ||
		    s->vaddr > info->span || s->memsz > info->span - s->vaddr ||
		    s->offset > size || s->filesz > size - s->offset)
			abort();
		if (i && s->vaddr < info->seg[i - 1].vaddr + info->seg[i - 1].memsz)
			abort();
		if (s->prot == DC_SEG_RX && info->entry >= s->vaddr &&
		    info->entry - s->vaddr < s->memsz)
			entry_in_text = 1;
	}
	if (!entry_in_text || info->nr_rela > DC_ELF_MAX_RELA || info->nr_symtabs > 2)
		abort();
}

static void symbolize(const uint8_t *data, size_t size, const struct dc_elf_info *info,
		      uint64_t offset)
{
	uint64_t within = ~0ULL;
	const char *name = dc_elf_symbolize(data, size, info, offset, &within);

	if (!name)
		return;
	if ((const uint8_t *)name < data || (const uint8_t *)name >= data + size ||
	    !memchr(name, '\0', data + size - (const uint8_t *)name) || within > offset)
		abort();
}

/* The trailer: struct module_signature (12 bytes) and the magic (28). */
#define SIG_TRAILER	(12 + 28)

static void check_sig(const uint8_t *data, size_t size, const struct dc_sig *sig)
{
	size_t n;

	if (!sig->present) {
		if (sig->content_len != size || sig->pkcs7 || sig->pkcs7_len || sig->signer[0])
			abort();
		return;
	}
	if (!sig->pkcs7_len || sig->pkcs7 != data + sig->content_len ||
	    sig->content_len + sig->pkcs7_len + SIG_TRAILER != size)
		abort();
	n = strnlen(sig->signer, sizeof(sig->signer));
	if (!n || n == sizeof(sig->signer))
		abort();
	for (size_t i = 0; i < n; i++)
		if (sig->signer[i] < 0x20 || sig->signer[i] > 0x7e)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dc_elf_info info;
	struct reports r = { 0, 0, NULL };
	struct dc_sig sig;
	unsigned char *image;
	int err;

	err = dc_sig_parse(data, size, &sig, report, &r);
	if (err) {
		if (err != -EBADMSG || r.count != 1 || r.first != err || !sig.present ||
		    strcmp(r.first_rule, dc_elf_rule_name(DC_RULE_SIGNATURE)))
			abort();
		return 0;
	}
	if (r.count)
		abort();
	check_sig(data, size, &sig);
	/* The kernel parses the signed content only. */
	size = sig.content_len;

	err = dc_elf_parse(data, size, &info, report, &r);
	if (err) {
		if (!r.count || r.first != err)
			abort();
		return 0;
	}
	if (r.count)
		abort();
	check_layout(&info, size);

	/* calloc: the kernel hands dc_elf_build() a zeroed span as well. */
	image = calloc(1, info.span);
	if (!image)
		return 0;
	if (dc_elf_build(data, size, &info, image, FUZZ_BASE, report, &r) || r.count)
		abort();
	free(image);

	symbolize(data, size, &info, info.entry);
	symbolize(data, size, &info, 0);
	symbolize(data, size, &info, info.span - 1);
	symbolize(data, size, &info, ~0ULL);
	for (unsigned int i = 0; i < info.nr_segments; i++) {
		symbolize(data, size, &info, info.seg[i].vaddr);
		symbolize(data, size, &info, info.seg[i].vaddr + info.seg[i].memsz - 1);
	}
	return 0;
}
