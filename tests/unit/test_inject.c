// SPDX-License-Identifier: GPL-2.0
/*
 * The fault injector (tests/inject/): its instruction decoder against
 * objdump on every image, determinism and replay, every kind of mutation
 * giving an image the loader accepts and changing only the instruction it
 * names, the way each kind rewrites it, scopes, signed inputs, and the
 * campaign's outcome rules.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "loader/image_sig.h"
#include "mutate.h"
#include "classify.h"

#define SEEDS	200

static struct image *imgs;
static int nr_imgs;

static const struct image *image_named(const char *name)
{
	for (int i = 0; i < nr_imgs; i++)
		if (!strcmp(imgs[i].name, name))
			return &imgs[i];
	return NULL;
}

/* ------------------------------------------------------------ decoder */

/*
 * objdump's instruction boundaries in .text: @len[a] is the length of the
 * instruction at address a, 0 where none starts.
 */
static unsigned char *objdump_lengths(const char *path, size_t size, char *why, size_t wsize)
{
	char cmd[1200], line[512];
	unsigned char *len = calloc(size ? size : 1, 1);
	FILE *p;
	int n = 0;

	if (!len)
		return NULL;
	snprintf(cmd, sizeof(cmd), "objdump -d --insn-width=16 -j .text '%s' 2>/dev/null", path);
	p = popen(cmd, "r");
	if (!p) {
		snprintf(why, wsize, "cannot run objdump");
		free(len);
		return NULL;
	}
	while (fgets(line, sizeof(line), p)) {
		unsigned long addr;
		char *tab = strchr(line, '\t'), *bytes;
		unsigned int nb = 0;

		/* "   1a0:\tf3 0f 1e fa          \tendbr64" */
		if (!tab || sscanf(line, " %lx:", &addr) != 1 || addr >= size)
			continue;
		bytes = tab + 1;
		for (char *c = bytes; *c && *c != '\t' && *c != '\n'; c++)
			if (c[0] != ' ' && (c[1] == ' ' || c[1] == '\t' || c[1] == '\n' || !c[1]) &&
			    c > bytes && c[-1] != ' ')
				nb++;
		if (nb) {
			len[addr] = (unsigned char)nb;
			n++;
		}
	}
	if (pclose(p) != 0 || !n) {
		snprintf(why, wsize, "objdump failed or listed nothing");
		free(len);
		return NULL;
	}
	return len;
}

static void t_decode(struct test *t, const void *arg)
{
	const struct image *im = arg;
	struct inj_image img;
	unsigned char *ref;
	char why[128] = "";
	unsigned int i, f, checked = 0;

	EXPECT(t, !inj_open(&img, im->data, im->len, NULL), "inj_open: %s", img.err);
	ref = objdump_lengths(im->path, img.text_vaddr + img.text_size, why, sizeof(why));
	if (!ref) {
		inj_close(&img);
		EXPECT(t, 0, "%s", why);
	}
	for (f = 0; f < img.nr_funcs; f++)
		if (img.funcs[f].undecodable) {
			test_fail(t, "%s: decoding stopped", img.funcs[f].name);
			goto out;
		}
	/* Every instruction we decode is objdump's, at the same length ... */
	for (i = 0; i < img.nr_insns; i++) {
		const struct inj_insn *in = &img.insns[i];

		if (ref[in->vaddr] != in->x.len) {
			test_fail(t, "at 0x%llx (%s): we decode %u bytes, objdump %u",
				  (unsigned long long)in->vaddr, img.funcs[in->func].name,
				  in->x.len, ref[in->vaddr]);
			goto out;
		}
		ref[in->vaddr] = 0;
		checked++;
	}
	/* ... and none of objdump's inside a function is missing. */
	for (f = 0; f < img.nr_funcs; f++)
		for (uint64_t a = img.funcs[f].vaddr; a < img.funcs[f].vaddr + img.funcs[f].size; a++)
			if (ref[a]) {
				test_fail(t, "objdump has an instruction at 0x%llx (%s) we skipped",
					  (unsigned long long)a, img.funcs[f].name);
				goto out;
			}
	if (checked < 500)
		test_fail(t, "only %u instructions", checked);
out:
	free(ref);
	inj_close(&img);
}

/* Hand-picked encodings whose parts the mutations rely on. */
static void t_decode_parts(struct test *t, const void *arg)
{
	static const struct {
		const char *what;
		uint8_t bytes[16];
		unsigned int len, modrm_pos, imm_len;
	} cases[] = {
		{ "endbr64", { 0xf3, 0x0f, 0x1e, 0xfa }, 4, 3, 0 },
		{ "mov rax,[rdi+8]", { 0x48, 0x8b, 0x47, 0x08 }, 4, 2, 0 },
		{ "mov rax,[rsp+r12*8+0x100]", { 0x4a, 0x8b, 0x84, 0xe4, 0, 1, 0, 0 }, 8, 2, 0 },
		{ "mov rax,[rip+x]", { 0x48, 0x8b, 0x05, 1, 2, 3, 4 }, 7, 2, 0 },
		{ "movabs rax,imm64", { 0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8 }, 10, 0, 8 },
		{ "mov ax,imm16", { 0x66, 0xb8, 1, 2 }, 4, 0, 2 },
		{ "test byte [rdi],1", { 0xf6, 0x07, 0x01 }, 3, 1, 1 },
		{ "test dword [rdi],imm32", { 0xf7, 0x07, 1, 2, 3, 4 }, 6, 1, 4 },
		{ "neg dword [rdi]", { 0xf7, 0x1f }, 2, 1, 0 },
		{ "cs nopw 0(rax,rax)", { 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0 }, 10, 4, 0 },
		{ "je rel32", { 0x0f, 0x84, 1, 2, 3, 4 }, 6, 0, 4 },
		{ "jne rel8", { 0x75, 0x10 }, 2, 0, 1 },
		{ "enter", { 0xc8, 1, 2, 3 }, 4, 0, 3 },
		{ "lock cmpxchg [rdx],rcx", { 0xf0, 0x48, 0x0f, 0xb1, 0x0a }, 5, 4, 0 },
		{ "rep stosb", { 0xf3, 0xaa }, 2, 0, 0 },
		{ "shld eax,ebx,3", { 0x0f, 0xa4, 0xd8, 3 }, 4, 2, 1 },
		{ "vex vpxor", { 0xc5, 0xf1, 0xef, 0xc0 }, 4, 3, 0 },
		{ "vex3 pextrd", { 0xc4, 0xe3, 0x79, 0x16, 0xc0, 1 }, 6, 4, 1 },
	};
	unsigned int i;
	struct x86_insn x;

	(void)arg;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT(t, !x86_decode(cases[i].bytes, cases[i].len, &x), "%s: not decoded", cases[i].what);
		EXPECT(t, x.len == cases[i].len, "%s: length %u, not %u", cases[i].what, x.len,
		       cases[i].len);
		EXPECT(t, !cases[i].modrm_pos || (x.has_modrm && x.modrm_pos == cases[i].modrm_pos),
		       "%s: ModRM at %u", cases[i].what, x.modrm_pos);
		EXPECT(t, x.imm_len == cases[i].imm_len, "%s: immediate of %u bytes", cases[i].what,
		       x.imm_len);
		/* Cut short by a byte, it must not be decoded (no read past the end). */
		EXPECT(t, x86_decode(cases[i].bytes, cases[i].len - 1, &x), "%s: decoded when cut",
		       cases[i].what);
	}
	{
		/* Invalid in 64-bit mode, EVEX: refused. */
		static const uint8_t bad[][4] = { { 0x06 }, { 0x62, 0xf1, 0x7c, 0x48 }, { 0xd6 } };

		for (i = 0; i < 3; i++)
			EXPECT(t, x86_decode(bad[i], 4, &x), "bad encoding %u decoded", i);
	}
	{
		static const uint8_t load[] = { 0x4a, 0x8b, 0x44, 0xe5, 0x08 };	/* [rbp+r12*8+8] */

		EXPECT(t, !x86_decode(load, sizeof(load), &x) && x86_mem_base(&x) == 5,
		       "base of [rbp+r12*8+8] is %d", x86_mem_base(&x));
	}
}

/* ------------------------------------------------------------ mutants */

static int mutant(const struct image *im, const char *scope, uint64_t seed, int kind,
		  uint8_t **out, struct inj_record *rec, struct inj_image *img, char *err,
		  size_t errlen)
{
	if (inj_open(img, im->data, im->len, scope)) {
		snprintf(err, errlen, "inj_open: %s", img->err);
		return -1;
	}
	*out = malloc(img->len);
	if (!*out || inj_mutate(img, seed, kind, *out, rec, err, errlen)) {
		free(*out);
		*out = NULL;
		inj_close(img);
		return -1;
	}
	return 0;
}

static void t_deterministic(struct test *t, const void *arg)
{
	const struct image *im = arg;
	char err[200], a[512], b[512];
	unsigned int distinct = 0;
	uint64_t seed;
	static uint64_t seen[SEEDS];

	for (seed = 1; seed <= SEEDS; seed++) {
		struct inj_image i1, i2;
		struct inj_record r1, r2;
		uint8_t *m1, *m2;
		unsigned int k;

		EXPECT(t, !mutant(im, NULL, seed, INJ_ANY, &m1, &r1, &i1, err, sizeof(err)),
		       "seed %llu: %s", (unsigned long long)seed, err);
		if (mutant(im, NULL, seed, INJ_ANY, &m2, &r2, &i2, err, sizeof(err))) {
			free(m1);
			inj_close(&i1);
			EXPECT(t, 0, "seed %llu again: %s", (unsigned long long)seed, err);
		}
		inj_format(&i1, &r1, a, sizeof(a));
		inj_format(&i2, &r2, b, sizeof(b));
		k = i1.len == i2.len && !memcmp(m1, m2, i1.len) && !strcmp(a, b);
		seen[seed - 1] = r1.off * 131 + r1.after[0] * 7 + r1.kind;
		for (uint64_t s = 0; s + 1 < seed; s++)
			if (seen[s] == seen[seed - 1])
				goto dup;
		distinct++;
dup:
		free(m1);
		free(m2);
		inj_close(&i1);
		inj_close(&i2);
		EXPECT(t, k, "seed %llu: two runs differ: '%s' / '%s'", (unsigned long long)seed, a, b);
	}
	/* Seeds spread: nearly every one a different mutant. */
	EXPECT(t, distinct > SEEDS * 9 / 10, "only %u distinct mutants of %d seeds", distinct, SEEDS);
}

/* The value of "key=" in a record line (up to the next space). */
static int field(const char *line, const char *key, char *val, size_t size)
{
	char k[32];
	const char *p;
	size_t n;

	snprintf(k, sizeof(k), " %s=", key);
	p = strstr(line, k);
	if (!p && !strncmp(line, k + 1, strlen(k + 1)))
		p = line - 1;
	if (!p)
		return -1;
	p += strlen(k);
	n = strcspn(p, " ");
	if (n >= size)
		return -1;
	memcpy(val, p, n);
	val[n] = '\0';
	return 0;
}

/* A record line is enough to make the same bytes again. */
static void t_replay(struct test *t, const void *arg)
{
	const struct image *im = arg;
	char err[200], line[512], seed[32], kind[32], crc[16], at[96], again[512];

	for (uint64_t s = 1000; s < 1000 + SEEDS; s++) {
		struct inj_image i1, i2;
		struct inj_record r1, r2;
		uint8_t *m1, *m2;
		bool same;

		EXPECT(t, !mutant(im, NULL, s, INJ_ANY, &m1, &r1, &i1, err, sizeof(err)), "%s", err);
		inj_format(&i1, &r1, line, sizeof(line));
		if (field(line, "seed", seed, sizeof(seed)) || field(line, "kind", kind, sizeof(kind)) ||
		    field(line, "crc", crc, sizeof(crc)) || field(line, "at", at, sizeof(at))) {
			free(m1);
			inj_close(&i1);
			EXPECT(t, 0, "record without seed, kind, at or crc: '%s'", line);
		}
		if (mutant(im, NULL, strtoull(seed, NULL, 10), inj_kind_find(kind), &m2, &r2, &i2,
			   err, sizeof(err))) {
			free(m1);
			inj_close(&i1);
			EXPECT(t, 0, "replay of '%s': %s", line, err);
		}
		inj_format(&i2, &r2, again, sizeof(again));
		same = !memcmp(m1, m2, i1.len) && !strcmp(line, again) &&
		       strtoul(crc, NULL, 16) == i2.crc;
		free(m1);
		free(m2);
		inj_close(&i1);
		inj_close(&i2);
		EXPECT(t, same, "replay differs: '%s' / '%s'", line, again);
	}
}

struct kind_arg {
	const struct image *im;
	int kind;
};

/* Does @p decode to one instruction of exactly @len bytes? */
static bool one_insn(const uint8_t *p, unsigned int len, struct x86_insn *x)
{
	return !x86_decode(p, len, x) && x->len == len;
}

static void t_kind(struct test *t, const void *arg)
{
	const struct kind_arg *ka = arg;
	char err[200], line[512];
	unsigned int variants = 0;
	char seen[8][24];

	for (uint64_t seed = 1; seed <= 100; seed++) {
		struct inj_image img;
		struct inj_record rec;
		struct dc_elf_info info;
		struct reports r;
		struct x86_insn xb, xa;
		uint8_t *m;
		const uint8_t *orig;
		size_t i, first = (size_t)-1, last = 0;
		uint64_t within = 0;
		const char *fn;
		char v[24];

		EXPECT(t, !mutant(ka->im, NULL, seed, ka->kind, &m, &rec, &img, err, sizeof(err)),
		       "seed %llu: %s", (unsigned long long)seed, err);
		orig = img.file;
		inj_format(&img, &rec, line, sizeof(line));
		/* The loader accepts it, as it is. */
		if (parse_image(m, img.len, &info, &r) || r.count)
			test_fail(t, "%s: the loader refuses it: %s", line, r.first_msg);
		for (i = 0; i < img.len; i++)
			if (m[i] != orig[i]) {
				if (first == (size_t)-1)
					first = i;
				last = i;
			}
		if (rec.kind != ka->kind)
			test_fail(t, "%s: kind %s asked for", line, inj_kind_name(ka->kind));
		/* Something changed, and only inside the instruction named. */
		else if (first == (size_t)-1)
			test_fail(t, "%s: no byte changed", line);
		else if (first < rec.off || last >= rec.off + rec.len)
			test_fail(t, "%s: bytes 0x%zx..0x%zx changed", line, first, last);
		else if (memcmp(rec.before, orig + rec.off, rec.len) ||
			 memcmp(rec.after, m + rec.off, rec.len))
			test_fail(t, "%s: before/after are not the file's", line);
		else if (rec.off < img.text_off || rec.off + rec.len > img.text_off + img.text_size)
			test_fail(t, "%s: outside the text", line);
		fn = dc_elf_symbolize(img.file, img.len, &info, rec.vaddr, &within);
		if (!fn || strncmp(rec.where, fn, strlen(fn)) || rec.where[strlen(fn)] != '+' ||
		    strtoull(rec.where + strlen(fn) + 1, NULL, 16) != within)
			test_fail(t, "%s: the loader's symbolizer says %s+0x%llx", line, fn ? fn : "?",
				  (unsigned long long)within);
		if (!one_insn(orig + rec.off, rec.len, &xb))
			test_fail(t, "%s: the original is not one instruction", line);
		/* What each kind does to the instruction. */
		switch (ka->kind) {
		case INJ_BITFLIP: {
			unsigned int bits = 0;

			for (i = 0; i < rec.len; i++)
				bits += (unsigned int)__builtin_popcount(rec.before[i] ^ rec.after[i]);
			if (bits != 1)
				test_fail(t, "%s: %u bits flipped", line, bits);
			break;
		}
		case INJ_NOP:
			for (i = 0; i < rec.len; i++)
				if (rec.after[i] != 0x90)
					test_fail(t, "%s: not all NOPs", line);
			break;
		case INJ_DST_REG:
		case INJ_SRC_REG:
			/* Same length, only the register changed. */
			/* Same length, only the register changed (in ModRM or the opcode). */
			if (!one_insn(rec.after, rec.len, &xa) || xa.map != xb.map ||
			    xa.has_modrm != xb.has_modrm ||
			    (xb.has_modrm ? xa.opcode != xb.opcode : (xa.opcode ^ xb.opcode) & ~7))
				test_fail(t, "%s: not the same instruction with another register", line);
			else if (xb.has_modrm && (xa.modrm == xb.modrm ||
						  (xa.modrm & 0xc0) != (xb.modrm & 0xc0)))
				test_fail(t, "%s: ModRM 0x%02x -> 0x%02x", line, xb.modrm, xa.modrm);
			break;
		case INJ_NO_CHECK:
			if (!x86_is_jcc(&xb) || !rec.insn)
				test_fail(t, "%s: not a conditional branch after an instruction", line);
			else if (!one_insn(rec.after, rec.len, &xa) && rec.after[0] != 0x90)
				test_fail(t, "%s: not one instruction", line);
			else if (!((rec.len == 2 && rec.after[0] == 0xeb && rec.after[1] == rec.before[1]) ||
				   (rec.len == 6 && rec.after[0] == 0x90 && rec.after[1] == 0xe9 &&
				    !memcmp(rec.after + 2, rec.before + 2, 4)) ||
				   (rec.after[0] == 0x90 && rec.after[rec.len - 1] == 0x90)))
				test_fail(t, "%s: neither jmp to the same target nor NOPs", line);
			break;
		case INJ_HEAP_PTR:
			if (rec.before[xb.op_pos] != 0x8b || !(xb.rex & 8) ||
			    (rec.after[xb.op_pos] != 0x33 && rec.after[xb.op_pos] != 0x03 &&
			     rec.after[xb.op_pos] != 0x2b) || x86_mem_base(&xb) < 0 ||
			    x86_mem_base(&xb) == 4)
				test_fail(t, "%s: not a 64-bit load through a pointer made xor/add/sub", line);
			break;
		case INJ_SWAP_COND:
			if (!x86_is_jcc(&xb) || !one_insn(rec.after, rec.len, &xa) || !x86_is_jcc(&xa) ||
			    (xa.opcode & 15) == (xb.opcode & 15) || xa.imm_pos != xb.imm_pos ||
			    memcmp(rec.after + xa.imm_pos, rec.before + xb.imm_pos, xb.imm_len))
				test_fail(t, "%s: not the same branch with another condition", line);
			break;
		case INJ_UD2:
			if (rec.after[0] != 0x0f || rec.after[1] != 0x0b)
				test_fail(t, "%s: no ud2", line);
			break;
		}
		/* Count the variants drawn (the detail's word before ':'). */
		snprintf(v, sizeof(v), "%.*s", (int)strcspn(rec.detail, ":"), rec.detail);
		for (i = 0; i < variants; i++)
			if (!strcmp(seen[i], v))
				break;
		if (i == variants && variants < 8)
			snprintf(seen[variants++], sizeof(seen[0]), "%s", v);
		free(m);
		inj_close(&img);
		if (t->failed)
			return;
	}
	/* The kinds with variants drew each of them. */
	if (ka->kind == INJ_NO_CHECK || ka->kind == INJ_SWAP_COND)
		EXPECT(t, variants == 2, "%u variant(s) drawn in 100 seeds", variants);
	if (ka->kind == INJ_HEAP_PTR)
		EXPECT(t, variants == 3, "%u variant(s) drawn in 100 seeds", variants);
	if (ka->kind == INJ_DST_REG || ka->kind == INJ_SRC_REG)
		EXPECT(t, variants >= 2, "only the %s field was ever changed", seen[0]);
}

/* Scope: only the functions named are mutated; prefixes work. */
static void t_scope(struct test *t, const void *arg)
{
	const struct image *im = arg;
	char err[200];
	unsigned int ud2 = 0;

	for (uint64_t seed = 1; seed <= 100; seed++) {
		struct inj_image img;
		struct inj_record rec;
		uint8_t *m;
		bool ok;

		EXPECT(t, !mutant(im, "nb_rw,nb_page*", seed, INJ_ANY, &m, &rec, &img, err, sizeof(err)),
		       "%s", err);
		ok = !strncmp(rec.where, "nb_rw+", 6) || !strncmp(rec.where, "nb_page", 7);
		free(m);
		inj_close(&img);
		EXPECT(t, ok, "seed %llu mutated %s", (unsigned long long)seed, rec.where);
	}
	/* The ud2 control: right after the function's first instruction. */
	{
		struct inj_image img;
		struct inj_record rec;
		uint8_t *m;

		EXPECT(t, !mutant(im, "nb_rw", 1, INJ_UD2, &m, &rec, &img, err, sizeof(err)), "%s", err);
		ud2 = rec.after[0] == 0x0f && rec.after[1] == 0x0b && !strcmp(rec.where, "nb_rw+0x4");
		free(m);
		inj_close(&img);
		EXPECT(t, ud2, "the ud2 control went to %s", rec.where);
	}
	{
		struct inj_image img;
		struct inj_record rec;
		uint8_t *m = NULL;

		EXPECT(t, mutant(im, "no_such_function", 1, INJ_ANY, &m, &rec, &img, err, sizeof(err)),
		       "a scope naming no function gave a mutant");
	}
}

/*
 * The keep-stack model: no mutant touches an instruction that writes the
 * stack pointer by name, nor makes one; without the model, some do.
 */
static void t_keep_stack(struct test *t, const void *arg)
{
	const struct image *im = arg;
	unsigned int free_model = 0;
	char err[200], line[512];

	for (uint64_t seed = 1; seed <= 1000; seed++) {
		struct inj_image img;
		struct inj_record rec;
		uint8_t *m;
		bool bad;

		EXPECT(t, !inj_open(&img, im->data, im->len, NULL), "%s", img.err);
		img.keep_stack = true;
		m = malloc(img.len);
		if (!m || inj_mutate(&img, seed, INJ_ANY, m, &rec, err, sizeof(err))) {
			free(m);
			inj_close(&img);
			EXPECT(t, 0, "seed %llu: %s", (unsigned long long)seed, err);
		}
		inj_format(&img, &rec, line, sizeof(line));
		bad = inj_writes_rsp(rec.before, rec.len) || inj_writes_rsp(rec.after, rec.len) ||
		      inj_makes_privileged(rec.after, rec.len) ||
		      !strstr(line, " model=keep-stack");
		img.keep_stack = false;
		if (!inj_mutate(&img, seed, INJ_ANY, m, &rec, err, sizeof(err)))
			free_model += inj_writes_rsp(rec.before, rec.len) ||
				      inj_writes_rsp(rec.after, rec.len);
		free(m);
		inj_close(&img);
		EXPECT(t, !bad, "seed %llu: '%s'", (unsigned long long)seed, line);
	}
	EXPECT(t, free_model, "without the model no mutant of 1000 writes rsp: the test shows nothing");
	{
		/* The decoder's view of what writes rsp. */
		static const uint8_t sub[] = { 0x48, 0x83, 0xec, 0x28 }, mov[] = { 0x8b, 0x64, 0x24, 0x20 },
				     pop[] = { 0x5c }, leave[] = { 0xc9 }, push[] = { 0x54 },
				     cmp[] = { 0x48, 0x39, 0xe0 }, movr[] = { 0x48, 0x89, 0xe0 };

		EXPECT(t, inj_writes_rsp(sub, 4) && inj_writes_rsp(mov, 4) && inj_writes_rsp(pop, 1) &&
		       inj_writes_rsp(leave, 1), "sub rsp, mov esp, pop rsp or leave not seen");
		EXPECT(t, !inj_writes_rsp(push, 1) && !inj_writes_rsp(cmp, 3) && !inj_writes_rsp(movr, 3),
		       "push rsp, cmp rax,rsp or mov rax,rsp taken for a write of rsp");
	}
	{
		/*
		 * Privileged instructions: the bit flip make check's campaign
		 * once drew (lea rbp,[rip+x] became popfq; sub eax,x), std,
		 * swapgs, a write of cr3; and what is not.
		 */
		static const uint8_t popf[] = { 0x48, 0x9d, 0x2d, 0x29, 0x54, 0x00, 0x00 },
				     lea[] = { 0x48, 0x8d, 0x2d, 0x29, 0x54, 0x00, 0x00 },
				     std[] = { 0xfd }, swapgs[] = { 0x0f, 0x01, 0xf8 },
				     movcr3[] = { 0x0f, 0x22, 0xd8 }, ud2[] = { 0x0f, 0x0b };

		EXPECT(t, inj_makes_privileged(popf, 7) && inj_makes_privileged(std, 1) &&
		       inj_makes_privileged(swapgs, 3) && inj_makes_privileged(movcr3, 3),
		       "popfq, std, swapgs or mov cr3 not seen as privileged");
		EXPECT(t, !inj_makes_privileged(lea, 7) && !inj_makes_privileged(ud2, 2),
		       "lea or ud2 taken for a privileged instruction");
	}
}

/* A signed image: mutated without its signature, and valid. */
static void t_signed(struct test *t, const void *arg)
{
	const struct sig_sample *samples;
	size_t n = sig_samples(&samples), i, done = 0;
	char err[200];

	(void)arg;
	for (i = 0; i < n; i++) {
		struct image im = { .data = samples[i].data, .len = samples[i].len };
		struct inj_image img;
		struct inj_record rec;
		struct dc_sig sig;
		struct dc_elf_info info;
		struct reports r;
		uint8_t *m;

		if (dc_sig_parse(im.data, im.len, &sig, NULL, NULL) || !sig.present ||
		    parse_image(im.data, sig.content_len, &info, &r))
			continue;	/* malformed samples: not what this is about */
		EXPECT(t, !mutant(&im, NULL, 7, INJ_ANY, &m, &rec, &img, err, sizeof(err)),
		       "%s: %s", samples[i].name, err);
		EXPECT(t, img.was_signed && img.len == sig.content_len,
		       "%s: mutant of %zu bytes, content %zu", samples[i].name, img.len, sig.content_len);
		EXPECT(t, !parse_image(m, img.len, &info, &r), "%s: mutant refused", samples[i].name);
		free(m);
		inj_close(&img);
		done++;
	}
	EXPECT(t, done, "no well-formed signed sample to mutate");
}

/* ------------------------------------------------------------ outcomes */

static void t_classify(struct test *t, const void *arg)
{
	static const struct {
		const char *what;
		struct inj_signals s;
		enum inj_outcome want;
		const char *why;
	} cases[] = {
		{ "nothing happened", { 0 }, INJ_NO_EFFECT, "" },
		{ "a fault", { .faults = 1 }, INJ_CONTAINED, "" },
		{ "faults, down, failed I/O", { .faults = 4, .down = true, .failed_calls = true },
		  INJ_CONTAINED, "" },
		{ "a fault and wrong data", { .faults = 1, .wrong_data = true }, INJ_CONTAINED, "" },
		{ "a fault in init", { .load_errno = EIO, .load_fault = true }, INJ_CONTAINED, "" },
		{ "init refused", { .load_errno = EINVAL }, INJ_REFUSED, "" },
		{ "wrong data, no fault", { .wrong_data = true }, INJ_CAUGHT, "" },
		{ "failed calls, no fault", { .failed_calls = true }, INJ_CAUGHT, "" },
		{ "too slow", { .workload_timeout = true }, INJ_TIMEOUT, "" },
		{ "an oops", { .faults = 1, .kernel_reports = 2 }, INJ_ESCAPE, "kernel-report" },
		{ "taint", { .tainted = true }, INJ_ESCAPE, "tainted" },
		{ "stuck", { .workload_stuck = true, .workload_timeout = true }, INJ_ESCAPE, "stuck-task" },
		{ "requeue gave up", { .faults = 1, .requeue_gave_up = true, .failed_calls = true },
		  INJ_ESCAPE, "io-error-not-hidden" },
		{ "requeue gave up in the load", { .requeue_during_load = true }, INJ_ESCAPE,
		  "io-error-during-load" },
		{ "victim", { .victim_changed = true }, INJ_ESCAPE, "other-domain-memory" },
		{ "neighbour faulted", { .others_faulted = true }, INJ_ESCAPE, "other-domain-fault" },
		{ "leak", { .leaked = true, .faults = 2 }, INJ_ESCAPE, "tcb-leak" },
		{ "unload", { .unload_failed = true }, INJ_ESCAPE, "unload-failed" },
		{ "all at once", { .kernel_reports = 1, .tainted = true, .leaked = true }, INJ_ESCAPE,
		  "kernel-report,tainted,tcb-leak" },
	};
	char why[160];

	(void)arg;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum inj_outcome o = inj_classify(&cases[i].s, why, sizeof(why));

		EXPECT(t, o == cases[i].want && !strcmp(why, cases[i].why), "%s: %s (%s), want %s (%s)",
		       cases[i].what, inj_outcome_name(o), why, inj_outcome_name(cases[i].want),
		       cases[i].why);
	}
	EXPECT(t, !strcmp(inj_outcome_name(INJ_NR_OUTCOMES), "?"), "outcome names");
}

void inject_tests(const char *dir)
{
	const struct image *nb, *ed;
	static struct kind_arg ka[2][INJ_NR_KINDS + 1];

	nr_imgs = images_in(dir, &imgs);
	test_run(t_decode_parts, NULL, "inject-decode-encodings");
	for (int i = 0; i < nr_imgs; i++)
		test_run(t_decode, &imgs[i], "inject-decode-%s", imgs[i].name);
	nb = image_named("null_blk");
	ed = image_named("emptydev");
	if (!nb || !ed) {
		test_skip("no null_blk.dom or emptydev.dom in the images", "inject-mutants");
	} else {
		const struct image *both[2] = { nb, ed };

		for (int b = 0; b < 2; b++) {
			test_run(t_deterministic, both[b], "inject-deterministic-%s", both[b]->name);
			test_run(t_replay, both[b], "inject-replay-%s", both[b]->name);
			for (int k = 0; k <= INJ_UD2; k++) {
				ka[b][k].im = both[b];
				ka[b][k].kind = k;
				test_run(t_kind, &ka[b][k], "inject-kind-%s-%s", inj_kind_name(k),
					 both[b]->name);
			}
		}
		test_run(t_scope, nb, "inject-scope");
		test_run(t_keep_stack, nb, "inject-keep-stack-null_blk");
		test_run(t_keep_stack, ed, "inject-keep-stack-emptydev");
	}
	test_run(t_signed, NULL, "inject-signed-input");
	test_run(t_classify, NULL, "inject-classify");
	for (int i = 0; i < nr_imgs; i++)
		image_free(&imgs[i]);
	free(imgs);
}
