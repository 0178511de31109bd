// SPDX-License-Identifier: GPL-2.0
/*
 * The parser on the real images the SDK builds: they must pass, and what
 * it reports (segments, span, entry, note) must match the file, checked
 * here with an independent walk of the ELF headers.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"

/* Two kernel-like load addresses; their difference is what relocation adds. */
#define BASE_A	0xffffffffa0000000ULL
#define BASE_B	0xffffffffc0123000ULL

static uint64_t page_up(uint64_t x)
{
	return (x + DC_ELF_PAGE_SIZE - 1) & ~(DC_ELF_PAGE_SIZE - 1);
}

static void good_parse(struct test *t, const void *arg)
{
	const struct image *img = arg;
	unsigned char *b = img->data;
	struct dc_elf_info info;
	struct reports r;
	unsigned int n = 0, i;
	int rx = 0, err;
	struct dc_note *note;

	err = parse_image(img->data, img->len, &info, &r);
	EXPECT(t, !err && !r.count, "parse returned %s, %d reports, first: %s",
	       errno_name(err), r.count, r.first_msg);
	EXPECT(t, info.nr_segments >= 1 && info.nr_segments <= DC_ELF_MAX_SEGMENTS,
	       "%u segments", info.nr_segments);

	/* Every PT_LOAD with bytes, in order, as the parser saw it. */
	for (i = 0; i < elf_ehdr(b)->e_phnum; i++) {
		const Elf64_Phdr *ph = elf_phdr(b, i);
		const struct dc_elf_segment *s = &info.seg[n];
		enum dc_seg_prot prot;

		if (ph->p_type != PT_LOAD || !ph->p_memsz)
			continue;
		EXPECT(t, n < info.nr_segments, "PT_LOAD %u not among the segments", i);
		prot = ph->p_flags & PF_X ? DC_SEG_RX : ph->p_flags & PF_W ? DC_SEG_RW : DC_SEG_RO;
		EXPECT(t, s->vaddr == ph->p_vaddr && s->memsz == ph->p_memsz &&
			  s->offset == ph->p_offset && s->filesz == ph->p_filesz,
		       "segment %u differs from PT_LOAD %u", n, i);
		EXPECT(t, s->prot == prot, "segment %u prot %d, flags 0x%x", n, s->prot,
		       ph->p_flags);
		EXPECT(t, s->vaddr % DC_ELF_PAGE_SIZE == 0, "segment %u misaligned", n);
		EXPECT(t, s->filesz <= s->memsz && s->offset + s->filesz <= img->len,
		       "segment %u sizes", n);
		if (n)
			EXPECT(t, s->vaddr >= page_up(info.seg[n - 1].vaddr + info.seg[n - 1].memsz),
			       "segment %u shares a page with the one before", n);
		if (s->prot == DC_SEG_RX && info.entry >= s->vaddr &&
		    info.entry < s->vaddr + s->memsz)
			rx = 1;
		n++;
	}
	EXPECT(t, n == info.nr_segments, "%u PT_LOADs, %u segments", n, info.nr_segments);
	EXPECT(t, info.span == page_up(info.seg[n - 1].vaddr + info.seg[n - 1].memsz),
	       "span 0x%llx, last segment ends at 0x%llx", (unsigned long long)info.span,
	       (unsigned long long)(info.seg[n - 1].vaddr + info.seg[n - 1].memsz));
	EXPECT(t, info.span <= DC_ELF_MAX_SPAN && info.span % DC_ELF_PAGE_SIZE == 0,
	       "span 0x%llx", (unsigned long long)info.span);
	EXPECT(t, info.entry == elf_ehdr(b)->e_entry && rx,
	       "entry 0x%llx (e_entry 0x%llx) not in a text segment",
	       (unsigned long long)info.entry, (unsigned long long)elf_ehdr(b)->e_entry);

	note = elf_find_note(b, NULL);
	EXPECT(t, note, "no note found by the test's own walk");
	EXPECT(t, !memcmp(note, &info.note, sizeof(info.note)), "parsed note differs from the file's");
	EXPECT(t, info.note.abi_version == DC_ABI_VERSION, "abi_version %u", info.note.abi_version);
	EXPECT(t, info.note.name[0] && info.note.iface[0] && info.note.version[0],
	       "empty note string");
	EXPECT(t, info.full_symtab >= 0, "no .symtab found (fault reports need it)");
	/* The SDK builds every image confined, but the variants named so. */
	EXPECT(t, !(info.note.flags & DC_NOTE_F_CONFINED) == !!strstr(img->name, "unconfined"),
	       "note flags 0x%x for %s", info.note.flags, img->name);
}

/* The expected bytes of the image before relocation: segments, then zeros. */
static unsigned char *expected_layout(const struct image *img, const struct dc_elf_info *info)
{
	unsigned char *m = calloc(1, info->span);

	for (unsigned int i = 0; m && i < info->nr_segments; i++)
		memcpy(m + info->seg[i].vaddr, img->data + info->seg[i].offset,
		       info->seg[i].filesz);
	return m;
}

/* Are the @n bytes at @p all zero? */
static bool all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/*
 * Where the parser says the note is mapped (note_vaddr) is where the
 * TCB writes the confinement: a read-only segment, and the very bytes of
 * the note once the segments are laid out.
 */
static void good_note_mapped(struct test *t, const void *arg)
{
	const struct image *img = arg;
	const struct dc_elf_segment *seg = NULL;
	struct dc_elf_info info;
	struct reports r;
	unsigned char *layout;
	bool same;
	int err;

	err = parse_image(img->data, img->len, &info, &r);
	EXPECT(t, !err, "parse: %s %s", errno_name(err), r.first_msg);
	for (unsigned int i = 0; i < info.nr_segments; i++)
		if (info.note_vaddr >= info.seg[i].vaddr &&
		    info.note_vaddr + sizeof(struct dc_note) <= info.seg[i].vaddr + info.seg[i].memsz)
			seg = &info.seg[i];
	EXPECT(t, seg && seg->prot == DC_SEG_RO, "note at 0x%llx is not in a read-only segment",
	       (unsigned long long)info.note_vaddr);
	EXPECT(t, all_zero(&info.note.confinement, sizeof(info.note.confinement)),
	       "the file's note has a confinement filled in");
	layout = expected_layout(img, &info);
	EXPECT(t, layout, "out of memory");
	same = !memcmp(layout + info.note_vaddr, &info.note, sizeof(info.note));
	free(layout);
	EXPECT(t, same, "the bytes mapped at note_vaddr 0x%llx are not the note",
	       (unsigned long long)info.note_vaddr);
}

static void good_build(struct test *t, const void *arg)
{
	const struct image *img = arg;
	unsigned char *b = img->data, *a = NULL, *c = NULL, *want = NULL, *reloc = NULL;
	struct dc_elf_info info;
	struct reports r;
	unsigned int nr_relative = 0;
	int err;

	err = parse_image(img->data, img->len, &info, &r);
	EXPECT(t, !err, "parse: %s %s", errno_name(err), r.first_msg);
	a = calloc(1, info.span);
	c = calloc(1, info.span);
	want = expected_layout(img, &info);
	reloc = calloc(1, info.span);	/* bytes covered by a relocation */
	EXPECT(t, a && c && want && reloc, "out of memory");

	memset(&r, 0, sizeof(r));
	err = dc_elf_build(img->data, img->len, &info, a, BASE_A, reports_collect, &r);
	if (!err)
		err = dc_elf_build(img->data, img->len, &info, c, BASE_B, reports_collect, &r);
	if (err || r.count) {
		test_fail(t, "build: %s, %d reports: %s", errno_name(err), r.count, r.first_msg);
		goto out;
	}

	/* Every R_X86_64_RELATIVE word is base + addend, at both bases. */
	for (int s = elf_find_section(b, SHT_RELA, 0); s >= 0;
	     s = elf_find_section(b, SHT_RELA, s + 1)) {
		const Elf64_Shdr *sh = elf_shdr(b, s);
		const Elf64_Rela *rel = (const Elf64_Rela *)(b + sh->sh_offset);

		for (uint64_t i = 0; i < sh->sh_size / sizeof(*rel); i++) {
			uint64_t off = rel[i].r_offset, va, vc;

			if (ELF64_R_TYPE(rel[i].r_info) != R_X86_64_RELATIVE)
				continue;
			if (off + 8 > info.span) {
				test_fail(t, "relocation at 0x%llx outside the span",
					  (unsigned long long)off);
				goto out;
			}
			memcpy(&va, a + off, 8);
			memcpy(&vc, c + off, 8);
			if (va != BASE_A + rel[i].r_addend || vc - va != BASE_B - BASE_A) {
				test_fail(t, "RELATIVE at 0x%llx: 0x%llx at base A, 0x%llx at base B (addend 0x%llx)",
					  (unsigned long long)off, (unsigned long long)va,
					  (unsigned long long)vc, (unsigned long long)rel[i].r_addend);
				goto out;
			}
			memset(reloc + off, 1, 8);
			nr_relative++;
		}
	}
	if (!nr_relative && !strcmp(img->name, "log")) {
		test_fail(t, "log.dom has no RELATIVE relocation to check (its ops table)");
		goto out;
	}
	/* Everything else: the file's bytes, zeros for bss, same at both bases. */
	for (uint64_t i = 0; i < info.span; i++) {
		if (reloc[i])
			continue;
		if (a[i] != want[i] || c[i] != want[i]) {
			test_fail(t, "byte 0x%llx: 0x%02x/0x%02x, want 0x%02x (not relocated)",
				  (unsigned long long)i, a[i], c[i], want[i]);
			goto out;
		}
	}
out:
	free(a);
	free(c);
	free(want);
	free(reloc);
}

static void good_symbolize(struct test *t, const void *arg)
{
	const struct image *img = arg;
	unsigned char *b = img->data;
	struct dc_elf_info info;
	struct reports r;
	const char *name;
	uint64_t within = ~0ULL;
	int err, s, nr_funcs = 0;

	err = parse_image(img->data, img->len, &info, &r);
	EXPECT(t, !err, "parse: %s %s", errno_name(err), r.first_msg);

	name = dc_elf_symbolize(img->data, img->len, &info, info.entry, &within);
	EXPECT(t, name && !strcmp(name, "dc_domain_entry") && within == 0,
	       "entry 0x%llx is '%s'+%llu, want dc_domain_entry+0",
	       (unsigned long long)info.entry, name ? name : "(null)",
	       (unsigned long long)within);
	name = dc_elf_symbolize(img->data, img->len, &info, info.entry + 3, &within);
	EXPECT(t, name && !strcmp(name, "dc_domain_entry") && within == 3,
	       "entry+3 is '%s'+%llu", name ? name : "(null)", (unsigned long long)within);

	/* Every sized function, at its start, middle and last byte. */
	s = elf_find_section(b, SHT_SYMTAB, 0);
	EXPECT(t, s >= 0, "no .symtab");
	{
		const Elf64_Shdr *sh = elf_shdr(b, s);
		const Elf64_Sym *sym = (const Elf64_Sym *)(b + sh->sh_offset);

		for (uint64_t i = 1; i < sh->sh_size / sizeof(*sym); i++) {
			uint64_t at[3];

			if (ELF64_ST_TYPE(sym[i].st_info) != STT_FUNC || !sym[i].st_size)
				continue;
			nr_funcs++;
			at[0] = sym[i].st_value;
			at[1] = sym[i].st_value + sym[i].st_size / 2;
			at[2] = sym[i].st_value + sym[i].st_size - 1;
			for (int k = 0; k < 3; k++) {
				const Elf64_Sym *found;

				name = dc_elf_symbolize(img->data, img->len, &info, at[k], &within);
				EXPECT(t, name, "offset 0x%llx in a function: no name",
				       (unsigned long long)at[k]);
				EXPECT(t, (const unsigned char *)name > b &&
					  (const unsigned char *)name < b + img->len,
				       "name does not point into the file");
				/* Aliases may win, but the answer must be a real covering function. */
				found = elf_find_symbol(b, name);
				EXPECT(t, found && within <= at[k], "'%s' is not a symbol", name);
				/* The innermost covering function starts at or after this one. */
				EXPECT(t, at[k] - within >= sym[i].st_value,
				       "offset 0x%llx: '%s'+%llu starts before the function at 0x%llx",
				       (unsigned long long)at[k], name, (unsigned long long)within,
				       (unsigned long long)sym[i].st_value);
			}
		}
	}
	EXPECT(t, nr_funcs > 0, "no sized functions in .symtab");
}

static const struct image *find_image(const struct image *imgs, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(imgs[i].name, name))
			return &imgs[i];
	return NULL;
}

static void note_log(struct test *t, const void *arg)
{
	const struct image *img = arg;
	struct dc_elf_info info;
	struct reports r;

	EXPECT(t, img, "no log.dom");
	EXPECT(t, !parse_image(img->data, img->len, &info, &r), "parse: %s", r.first_msg);
	EXPECT(t, !strcmp(info.note.name, "log") && !strcmp(info.note.iface, "log") &&
		  !strcmp(info.note.version, "1.0.0"),
	       "note says %s/%s/%s, want log/log/1.0.0", info.note.name, info.note.iface,
	       info.note.version);
	EXPECT(t, info.note.iface_version == 1 && info.note.nr_needs == 0 &&
		  info.note.flags == DC_NOTE_F_CONFINED,
	       "iface_version %u, nr_needs %u, flags 0x%x (want confined only)",
	       info.note.iface_version, info.note.nr_needs, info.note.flags);
}

static void note_emptydev(struct test *t, const void *arg)
{
	const struct image *img = arg;
	struct dc_elf_info info;
	struct reports r;

	EXPECT(t, img, "no emptydev.dom");
	EXPECT(t, !parse_image(img->data, img->len, &info, &r), "parse: %s", r.first_msg);
	EXPECT(t, !strcmp(info.note.name, "emptydev") && !strcmp(info.note.iface, "file"),
	       "note says %s/%s, want emptydev/file", info.note.name, info.note.iface);
	EXPECT(t, info.note.flags & DC_NOTE_F_STATEFUL, "not flagged stateful");
	EXPECT(t, info.note.nr_needs == 1 && !strcmp(info.note.needs[0].iface, "log") &&
		  info.note.needs[0].version == 1,
	       "needs: %u, first '%s' v%u", info.note.nr_needs, info.note.needs[0].iface,
	       info.note.needs[0].version);
}

/* The SDK's layout: text, rodata, data+bss, in that order. */
static void segments_log(struct test *t, const void *arg)
{
	const struct image *img = arg;
	struct dc_elf_info info;
	struct reports r;

	EXPECT(t, img, "no log.dom");
	EXPECT(t, !parse_image(img->data, img->len, &info, &r), "parse: %s", r.first_msg);
	EXPECT(t, info.nr_segments == 3, "%u segments, want 3", info.nr_segments);
	EXPECT(t, info.seg[0].prot == DC_SEG_RX && info.seg[1].prot == DC_SEG_RO &&
		  info.seg[2].prot == DC_SEG_RW,
	       "protections %d %d %d, want RX RO RW", info.seg[0].prot, info.seg[1].prot,
	       info.seg[2].prot);
	EXPECT(t, info.seg[0].vaddr == 0, "text at 0x%llx", (unsigned long long)info.seg[0].vaddr);
	EXPECT(t, info.seg[2].memsz > info.seg[2].filesz, "data segment has no bss");
	EXPECT(t, info.entry >= info.seg[0].vaddr && info.entry < info.seg[0].memsz,
	       "entry outside text");
}

static void have_images(struct test *t, const void *arg)
{
	struct image *imgs;
	int n = images_in(arg, &imgs);

	for (int i = 0; i < n; i++)
		image_free(&imgs[i]);
	free(imgs);
	EXPECT(t, n > 0, "no *.dom in %s (make -C domains)", (const char *)arg);
}

void elf_good_tests(const char *dir)
{
	struct image *imgs;
	int n = images_in(dir, &imgs);

	test_run(have_images, dir, "elf-good-images");
	if (!n)
		return;
	for (int i = 0; i < n; i++) {
		test_run(good_parse, &imgs[i], "elf-good-%s", imgs[i].name);
		test_run(good_build, &imgs[i], "elf-build-%s", imgs[i].name);
		test_run(good_note_mapped, &imgs[i], "elf-note-mapped-%s", imgs[i].name);
		test_run(good_symbolize, &imgs[i], "elf-symbolize-%s", imgs[i].name);
	}
	test_run(note_log, find_image(imgs, n, "log"), "elf-note-log");
	test_run(note_emptydev, find_image(imgs, n, "emptydev"), "elf-note-emptydev");
	test_run(segments_log, find_image(imgs, n, "log"), "elf-segments-log");
	for (int i = 0; i < n; i++)
		image_free(&imgs[i]);
	free(imgs);
}
