// SPDX-License-Identifier: GPL-2.0
/*
 * The fault injector's engine (see mutate.h).  The image is parsed and
 * checked by the loader's own code (src/loader/elf_image.c and
 * image_sig.c), linked in by whoever builds this file.
 */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "loader/elf_image.h"
#include "loader/image_sig.h"
#include "mutate.h"

static const char *const kind_names[] = {
#define INJ_KIND_NAME(id, name)	[INJ_##id] = name,
	INJ_KINDS(INJ_KIND_NAME)
#undef INJ_KIND_NAME
	[INJ_UD2] = "ud2",
};

const char *inj_kind_name(int kind)
{
	if (kind == INJ_ANY)
		return "any";
	return kind >= 0 && kind <= INJ_UD2 ? kind_names[kind] : "?";
}

int inj_kind_find(const char *name)
{
	int k;

	if (!strcmp(name, "any"))
		return INJ_ANY;
	for (k = 0; k <= INJ_UD2; k++)
		if (!strcmp(name, kind_names[k]))
			return k;
	return -2;
}

uint32_t inj_crc32(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t crc = 0xffffffffu;
	int b;

	while (len--) {
		crc ^= *p++;
		for (b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

/* splitmix64: small, good enough, and the same everywhere. */
static uint64_t rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rng_below(uint64_t *state, uint64_t n)
{
	return n ? rng_next(state) % n : 0;
}

/* ------------------------------------------------------------ opening */

struct report_ctx {
	char *buf;
	size_t size;
	bool got;
};

static void first_report(void *ctx, int err, const char *rule, const char *msg)
{
	struct report_ctx *r = ctx;

	(void)err;
	if (r->got)
		return;
	r->got = true;
	snprintf(r->buf, r->size, "[%s] %s", rule, msg);
}

static bool name_in_scope(const char *name, const char *scope)
{
	const char *p = scope, *end;
	size_t n;

	if (!scope || !*scope)
		return true;
	while (*p) {
		end = strchr(p, ',');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n && p[n - 1] == '*') {
			if (!strncmp(name, p, n - 1))
				return true;
		} else if (n && strlen(name) == n && !strncmp(name, p, n)) {
			return true;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return false;
}

static int cmp_func(const void *a, const void *b)
{
	const struct inj_func *x = a, *y = b;

	if (x->vaddr != y->vaddr)
		return x->vaddr < y->vaddr ? -1 : 1;
	if (x->size != y->size)		/* the longer first: it covers the alias */
		return x->size > y->size ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Is any relocated word of the image inside [vaddr, vaddr + len)? */
static bool relocated(const struct inj_image *img, const struct dc_elf_info *info,
		      uint64_t vaddr, uint64_t len)
{
	unsigned int r;
	uint64_t i;

	for (r = 0; r < info->nr_rela; r++) {
		const struct dc_elf_table *t = &info->rela[r].entries;

		for (i = 0; i < t->count; i++) {
			Elf64_Rela rela;

			memcpy(&rela, img->file + t->offset + i * sizeof(rela), sizeof(rela));
			if (rela.r_offset < vaddr + len && rela.r_offset + 8 > vaddr)
				return true;
		}
	}
	return false;
}

int inj_open(struct inj_image *img, const void *file, size_t len, const char *scope)
{
	struct report_ctx rc = { img->err, sizeof(img->err), false };
	struct dc_elf_info info;
	struct dc_sig sig;
	const struct dc_elf_symtab *st;
	unsigned int s, f, n, cap;
	uint64_t i;

	memset(img, 0, sizeof(*img));
	rc.buf = img->err;
	if (dc_sig_parse(file, len, &sig, first_report, &rc))
		return -1;
	img->was_signed = sig.present;
	img->len = sig.content_len;
	img->file = malloc(img->len ? img->len : 1);
	if (!img->file) {
		snprintf(img->err, sizeof(img->err), "out of memory");
		return -1;
	}
	memcpy(img->file, file, img->len);
	img->crc = inj_crc32(img->file, img->len);
	if (dc_elf_parse(img->file, img->len, &info, first_report, &rc))
		goto fail;
	for (s = 0; s < info.nr_segments; s++)
		if (info.seg[s].prot == DC_SEG_RX)
			break;
	if (s == info.nr_segments || info.full_symtab < 0) {
		snprintf(img->err, sizeof(img->err), "%s",
			 s == info.nr_segments ? "no executable segment" :
			 "no .symtab: functions cannot be named");
		goto fail;
	}
	img->text_vaddr = info.seg[s].vaddr;
	img->text_off = info.seg[s].offset;
	img->text_size = info.seg[s].filesz;

	/* The functions: sized STT_FUNC symbols inside the text's file bytes. */
	st = &info.symtabs[info.full_symtab];
	img->funcs = calloc(st->syms.count ? st->syms.count : 1, sizeof(*img->funcs));
	if (!img->funcs)
		goto oom;
	for (i = 0; i < st->syms.count; i++) {
		Elf64_Sym sym;
		const char *name;

		memcpy(&sym, img->file + st->syms.offset + i * sizeof(sym), sizeof(sym));
		if (ELF64_ST_TYPE(sym.st_info) != STT_FUNC || !sym.st_size ||
		    sym.st_value < img->text_vaddr ||
		    sym.st_value + sym.st_size > img->text_vaddr + img->text_size ||
		    sym.st_name >= st->str_size)
			continue;
		name = (const char *)img->file + st->str_offset + sym.st_name;
		if (strnlen(name, st->str_size - sym.st_name) == st->str_size - sym.st_name)
			continue;	/* unterminated */
		img->funcs[img->nr_funcs].name = name;
		img->funcs[img->nr_funcs].vaddr = sym.st_value;
		img->funcs[img->nr_funcs].size = sym.st_size;
		img->nr_funcs++;
	}
	qsort(img->funcs, img->nr_funcs, sizeof(*img->funcs), cmp_func);
	/* Aliases and overlaps: keep the first of each. */
	for (f = n = 0; f < img->nr_funcs; f++) {
		if (n && img->funcs[f].vaddr < img->funcs[n - 1].vaddr + img->funcs[n - 1].size)
			continue;
		img->funcs[n++] = img->funcs[f];
	}
	img->nr_funcs = n;

	/* Their instructions. */
	cap = 1024;
	img->insns = malloc(cap * sizeof(*img->insns));
	if (!img->insns)
		goto oom;
	for (f = 0; f < img->nr_funcs; f++) {
		struct inj_func *fn = &img->funcs[f];
		uint64_t at = fn->vaddr, end = fn->vaddr + fn->size;

		fn->in_scope = name_in_scope(fn->name, scope);
		while (at < end) {
			struct inj_insn *in;
			uint64_t off = img->text_off + (at - img->text_vaddr);

			if (img->nr_insns == cap) {
				struct inj_insn *more = realloc(img->insns, 2 * cap * sizeof(*more));

				if (!more)
					goto oom;
				img->insns = more;
				cap *= 2;
			}
			in = &img->insns[img->nr_insns];
			if (x86_decode(img->file + off, end - at, &in->x)) {
				fn->undecodable = true;
				break;
			}
			in->vaddr = at;
			in->off = off;
			in->func = f;
			at += in->x.len;
			/* Never an instruction holding a relocated word (none with -z text). */
			if (!relocated(img, &info, in->vaddr, in->x.len))
				img->nr_insns++;
		}
	}
	return 0;
oom:
	snprintf(img->err, sizeof(img->err), "out of memory");
fail:
	inj_close(img);
	return -1;
}

void inj_close(struct inj_image *img)
{
	free(img->file);
	free(img->funcs);
	free(img->insns);
	img->file = NULL;
	img->funcs = NULL;
	img->insns = NULL;
	img->nr_funcs = img->nr_insns = 0;
}

/* ------------------------------------------------------------ operands */

/* Where a register operand is encoded. */
enum field {
	F_NONE,
	F_REG,		/* ModRM.reg (REX.R) */
	F_RM,		/* ModRM.rm with mod 3 (REX.B) */
	F_OPREG,	/* the low 3 bits of the opcode (REX.B) */
};

static const char *const field_names[] = {
	[F_NONE] = "-", [F_REG] = "modrm.reg", [F_RM] = "modrm.rm", [F_OPREG] = "opcode",
};

/*
 * The register destination and sources of @x (up to two sources): F_RM
 * only when the r/m operand is a register.  Instructions not listed have
 * none (their registers are implicit, or they are not integer ones).
 */
static void reg_operands(const struct x86_insn *x, enum field *dst, enum field src[2])
{
	uint8_t op = x->opcode;
	unsigned int ext = x->has_modrm ? x86_reg(x) : 0;
	enum field rm = x->has_modrm && x86_mod(x) == 3 ? F_RM : F_NONE;

	*dst = F_NONE;
	src[0] = src[1] = F_NONE;
	if (x->vex)
		return;
	if (x->map == X86_MAP_ONE) {
		if (op < 0x40 && (op & 7) < 4) {	/* ALU op r/m, reg or reg, r/m */
			if ((op & 0x38) == 0x38) {	/* cmp: two sources */
				src[0] = F_REG;
				src[1] = rm;
			} else if (op & 2) {
				*dst = F_REG;
				src[0] = rm;
				src[1] = F_REG;
			} else {
				*dst = rm;
				src[0] = F_REG;
				src[1] = rm;
			}
			return;
		}
		switch (op) {
		case 0x63: case 0x69: case 0x6b: case 0x8a: case 0x8b:
			*dst = F_REG;
			src[0] = rm;
			return;
		case 0x8d:			/* lea: the address is no register source */
			*dst = F_REG;
			return;
		case 0x84: case 0x85:
			src[0] = F_REG;
			src[1] = rm;
			return;
		case 0x86: case 0x87:
			*dst = F_REG;
			src[0] = rm;
			return;
		case 0x88: case 0x89:
			*dst = rm;
			src[0] = F_REG;
			return;
		case 0x80: case 0x81: case 0x83:
			if (ext == 7)
				src[0] = rm;
			else
				*dst = rm;
			return;
		case 0xc0: case 0xc1: case 0xd0: case 0xd1: case 0xd2: case 0xd3:
			*dst = rm;
			return;
		case 0xc6: case 0xc7:
			if (ext == 0)
				*dst = rm;
			return;
		case 0xf6: case 0xf7:
			if (ext == 2 || ext == 3)
				*dst = rm;
			else
				src[0] = rm;
			return;
		case 0xfe: case 0xff:
			if (ext <= 1)
				*dst = rm;
			else if (ext == 2 || ext == 4 || ext == 6)
				src[0] = rm;
			return;
		}
		if (op >= 0x50 && op <= 0x57)
			src[0] = F_OPREG;
		else if ((op >= 0x58 && op <= 0x5f) || (op >= 0xb0 && op <= 0xbf) ||
			 (op >= 0x91 && op <= 0x97))
			*dst = F_OPREG;
		return;
	}
	if (x->map != X86_MAP_0F)
		return;
	if ((op >= 0x40 && op <= 0x4f) || op == 0xaf || op == 0xb6 || op == 0xb7 ||
	    op == 0xbe || op == 0xbf || op == 0xbc || op == 0xbd || op == 0xb8) {
		*dst = F_REG;
		src[0] = rm;
	} else if (op >= 0x90 && op <= 0x9f) {
		*dst = rm;
	} else if (op == 0xa3) {
		src[0] = F_REG;
		src[1] = rm;
	} else if (op == 0xab || op == 0xb3 || op == 0xbb || op == 0xb0 || op == 0xb1 ||
		   op == 0xc0 || op == 0xc1 || op == 0xa4 || op == 0xa5 || op == 0xac ||
		   op == 0xad) {
		*dst = rm;
		src[0] = F_REG;
	} else if (op == 0xba) {
		if (ext == 4)
			src[0] = rm;
		else if (ext >= 5)
			*dst = rm;
	} else if (op >= 0xc8 && op <= 0xcf) {
		*dst = F_OPREG;
	}
}

/* The register number a field names (REX applied), for the record. */
static unsigned int field_reg(const struct x86_insn *x, enum field f, uint8_t byte)
{
	switch (f) {
	case F_REG:
		return ((byte >> 3) & 7) | ((x->rex & 4) ? 8 : 0);
	case F_RM:
	case F_OPREG:
		return (byte & 7) | ((x->rex & 1) ? 8 : 0);
	default:
		return 0;
	}
}

static bool is_compare(const struct x86_insn *x)
{
	uint8_t op = x->opcode;

	if (x->vex || x->map != X86_MAP_ONE)
		return false;
	if (op >= 0x38 && op <= 0x3d)			/* cmp */
		return true;
	if (op == 0x84 || op == 0x85 || op == 0xa8 || op == 0xa9)	/* test */
		return true;
	if ((op == 0x80 || op == 0x81 || op == 0x83) && x86_reg(x) == 7)
		return true;
	if ((op == 0xf6 || op == 0xf7) && x86_reg(x) <= 1)
		return true;
	return false;
}

/* mov r64, [base + ...] with a base that is not the stack pointer. */
static bool is_heap_load(const struct x86_insn *x)
{
	int base = x86_mem_base(x);

	return !x->vex && x->map == X86_MAP_ONE && x->opcode == 0x8b && (x->rex & 8) &&
	       base >= 0 && base != 4 && !x->nr_prefixes;
}

/* The condition an off-by-one moves to: b<->be, ae<->a, l<->le, ge<->g. */
static int off_by_one(unsigned int cc)
{
	switch (cc) {
	case 0x2: return 0x6;
	case 0x6: return 0x2;
	case 0x3: return 0x7;
	case 0x7: return 0x3;
	case 0xc: return 0xe;
	case 0xe: return 0xc;
	case 0xd: return 0xf;
	case 0xf: return 0xd;
	}
	return -1;
}

static const char *const cc_names[16] = {
	"jo", "jno", "jb", "jae", "je", "jne", "jbe", "ja",
	"js", "jns", "jp", "jnp", "jl", "jge", "jle", "jg",
};

bool inj_site(const struct inj_image *img, unsigned int i, int kind)
{
	const struct inj_insn *in = &img->insns[i];
	const struct x86_insn *x = &in->x;
	enum field dst, src[2];

	if (!img->funcs[in->func].in_scope)
		return false;
	switch (kind) {
	case INJ_BITFLIP:
		return true;
	case INJ_NOP:
		/* Not one that is a NOP already (alignment inside a function). */
		return !(x->map == X86_MAP_ONE && x->opcode == 0x90 && !(x->rex & 1)) &&
		       !(x->map == X86_MAP_0F && x->opcode == 0x1f);
	case INJ_DST_REG:
		reg_operands(x, &dst, src);
		return dst != F_NONE;
	case INJ_SRC_REG:
		reg_operands(x, &dst, src);
		return src[0] != F_NONE || src[1] != F_NONE;
	case INJ_NO_CHECK:
		/* The compare must come right before, in the same function. */
		return x86_is_jcc(x) && i > 0 && img->insns[i - 1].func == in->func &&
		       img->insns[i - 1].vaddr + img->insns[i - 1].x.len == in->vaddr &&
		       is_compare(&img->insns[i - 1].x);
	case INJ_HEAP_PTR:
		return is_heap_load(x);
	case INJ_SWAP_COND:
		return x86_is_jcc(x);
	case INJ_UD2:
		/* The first instruction of at least 2 bytes after the endbr64. */
		return x->len >= 2 && in->vaddr != img->funcs[in->func].vaddr &&
		       (i == 0 || img->insns[i - 1].func != in->func ||
			img->insns[i - 1].vaddr == img->funcs[in->func].vaddr);
	}
	return false;
}

/* ------------------------------------------------------------ mutating */

static void apply(const struct inj_image *img, const struct inj_insn *in, int kind,
		  uint64_t *rng, uint8_t *p, char *detail, size_t dsize)
{
	const struct x86_insn *x = &in->x;
	unsigned int n;

	switch (kind) {
	case INJ_BITFLIP: {
		unsigned int byte = (unsigned int)rng_below(rng, x->len);
		unsigned int bit = (unsigned int)rng_below(rng, 8);

		p[byte] ^= (uint8_t)(1u << bit);
		snprintf(detail, dsize, "byte%u:bit%u", byte, bit);
		break;
	}
	case INJ_NOP:
		memset(p, 0x90, x->len);
		snprintf(detail, dsize, "nop%u", x->len);
		break;
	case INJ_DST_REG:
	case INJ_SRC_REG: {
		enum field dst, src[2], f;
		unsigned int delta = 1 + (unsigned int)rng_below(rng, 7), from, to;
		uint8_t *b;

		reg_operands(x, &dst, src);
		if (kind == INJ_DST_REG) {
			f = dst;
		} else {
			n = src[1] != F_NONE && src[0] != F_NONE ? 2 : 1;
			f = src[0] != F_NONE ? src[0] : src[1];
			if (n == 2 && rng_below(rng, 2))
				f = src[1];
		}
		b = f == F_OPREG ? &p[x->op_pos] : &p[x->modrm_pos];
		from = field_reg(x, f, *b);
		if (f == F_REG)
			*b ^= (uint8_t)(delta << 3);
		else
			*b ^= (uint8_t)delta;
		to = field_reg(x, f, *b);
		snprintf(detail, dsize, "%s:%s->%s", field_names[f], x86_reg_name(from),
			 x86_reg_name(to));
		break;
	}
	case INJ_NO_CHECK:
		if (rng_below(rng, 2)) {
			/* Always taken, same target: jmp rel8, or nop + jmp rel32. */
			if (x->map == X86_MAP_ONE) {
				p[x->op_pos] = 0xeb;
			} else {
				p[x->op_pos - 1] = 0x90;
				p[x->op_pos] = 0xe9;
			}
			snprintf(detail, dsize, "always:%s", cc_names[x->opcode & 15]);
		} else {
			memset(p, 0x90, x->len);
			snprintf(detail, dsize, "never:%s", cc_names[x->opcode & 15]);
		}
		break;
	case INJ_HEAP_PTR: {
		static const uint8_t ops[] = { 0x33, 0x03, 0x2b };
		static const char *const names[] = { "xor", "add", "sub" };
		unsigned int v = (unsigned int)rng_below(rng, 3);

		p[x->op_pos] = ops[v];
		snprintf(detail, dsize, "%s:%s<-[%s]", names[v],
			 x86_reg_name(field_reg(x, F_REG, x->modrm)),
			 x86_reg_name((unsigned int)x86_mem_base(x)));
		break;
	}
	case INJ_SWAP_COND: {
		unsigned int cc = x->opcode & 15;
		int obo = off_by_one(cc);

		if (obo >= 0 && rng_below(rng, 2)) {
			p[x->op_pos] = (uint8_t)((x->opcode & 0xf0) | (unsigned int)obo);
			snprintf(detail, dsize, "off-by-one:%s->%s", cc_names[cc], cc_names[obo]);
		} else {
			p[x->op_pos] ^= 1;
			snprintf(detail, dsize, "negate:%s->%s", cc_names[cc], cc_names[cc ^ 1]);
		}
		break;
	}
	case INJ_UD2:
		memset(p, 0x90, x->len);
		p[0] = 0x0f;
		p[1] = 0x0b;
		snprintf(detail, dsize, "ud2");
		break;
	}
	(void)img;
}

/*
 * Does @x (decoded from @bytes) write the stack pointer by name: a
 * register destination that is rsp/esp, pop rsp, leave?  (push, pop, call
 * and ret move it by their size, which keeps it on the stack.)
 */
static bool writes_rsp(const struct x86_insn *x, const uint8_t *bytes)
{
	enum field dst, src[2];

	if (x->vex)
		return false;
	reg_operands(x, &dst, src);
	if (dst != F_NONE &&
	    field_reg(x, dst, dst == F_OPREG ? bytes[x->op_pos] : bytes[x->modrm_pos]) == 4)
		return true;
	/* xchg writes its source too. */
	if (x->map == X86_MAP_ONE && (x->opcode == 0x86 || x->opcode == 0x87) &&
	    src[0] == F_RM && field_reg(x, F_RM, bytes[x->modrm_pos]) == 4)
		return true;
	return x->map == X86_MAP_ONE &&
	       (x->opcode == 0xc9 || (x->opcode == 0x5c && !(x->rex & 1)));
}

bool inj_writes_rsp(const uint8_t *bytes, unsigned int len)
{
	struct x86_insn x;

	return !x86_decode(bytes, len, &x) && x.len == len && writes_rsp(&x, bytes);
}

/*
 * An instruction that changes what the kernel assumes of the CPU state it
 * runs in: the flags wholesale (popf, iret: IF, DF, AC, TF), the direction
 * flag (std), interrupts (cli, sti), port I/O, hlt, and the system
 * instructions of the 0F map (descriptor tables, swapgs, control and debug
 * registers, MSRs, cache and TLB control, syscall and sysret).  Nothing
 * stops domain code from executing one (docs/testing.md, known limits).
 */
static bool privileged(const struct x86_insn *x)
{
	if (x->vex)
		return false;
	if (x->map == X86_MAP_ONE)
		switch (x->opcode) {
		case 0x6c: case 0x6d: case 0x6e: case 0x6f:	/* ins, outs */
		case 0x9d: case 0xcf:				/* popf, iret */
		case 0xe4: case 0xe5: case 0xe6: case 0xe7:	/* in, out */
		case 0xec: case 0xed: case 0xee: case 0xef:
		case 0xf4: case 0xfa: case 0xfb: case 0xfd:	/* hlt, cli, sti, std */
			return true;
		default:
			return false;
		}
	if (x->map == X86_MAP_0F)
		switch (x->opcode) {
		case 0x00: case 0x01: case 0x05: case 0x06: case 0x07:
		case 0x08: case 0x09: case 0x20: case 0x21: case 0x22:
		case 0x23: case 0x30: case 0x32: case 0x34: case 0x35:
			return true;
		default:
			return false;
		}
	return false;
}

bool inj_makes_privileged(const uint8_t *bytes, unsigned int len)
{
	struct x86_insn x;
	unsigned int off = 0;

	/* A mutant may decode as several instructions: each of them. */
	while (off < len && !x86_decode(bytes + off, len - off, &x)) {
		if (privileged(&x))
			return true;
		off += x.len;
	}
	return false;
}

/*
 * The keep-stack model: neither the original nor the mutant writes rsp by
 * name, and the mutant makes no privileged instruction.
 */
static bool stack_kept(const struct inj_image *img, const struct inj_insn *in,
		       const uint8_t *mutated)
{
	struct x86_insn x;

	if (writes_rsp(&in->x, img->file + in->off) ||
	    inj_makes_privileged(mutated, in->x.len))
		return false;
	return x86_decode(mutated, in->x.len, &x) || !writes_rsp(&x, mutated);
}

int inj_mutate(const struct inj_image *img, uint64_t seed, int kind,
	       uint8_t *out, struct inj_record *rec, char *err, size_t errlen)
{
	struct report_ctx rc = { err, errlen, false };
	struct dc_elf_info info;
	/*
	 * Two streams: the kind's draw does not move the site's, so that
	 * a record's seed and kind, forced, give the same mutant again.
	 */
	uint64_t krng = seed ^ 0x6b696e64ull, rng = seed, nsites, pick;
	unsigned int i = 0, tries, draws;
	const struct inj_insn *in = NULL;
	const struct inj_func *fn;
	uint8_t bytes[X86_MAX_INSN];
	char detail[sizeof(rec->detail)];

	memset(rec, 0, sizeof(*rec));
	rec->seed = seed;
	if (kind == INJ_ANY)
		kind = (int)rng_below(&krng, INJ_NR_KINDS);
	/*
	 * A kind with no site in scope (or, keeping the stack, none whose
	 * mutant keeps it in 32 draws) gives way to the next.
	 */
	for (tries = 0;; tries++) {
		for (nsites = 0, i = 0; i < img->nr_insns; i++)
			nsites += inj_site(img, i, kind);
		for (draws = 0; nsites && draws < 32; draws++) {
			pick = rng_below(&rng, nsites);
			for (i = 0; i < img->nr_insns; i++)
				if (inj_site(img, i, kind) && !pick--)
					break;
			in = &img->insns[i];
			memcpy(bytes, img->file + in->off, in->x.len);
			apply(img, in, kind, &rng, bytes, detail, sizeof(detail));
			if (!img->keep_stack || stack_kept(img, in, bytes))
				break;
		}
		if (nsites && draws < 32)
			break;
		if (kind == INJ_UD2 || tries + 1 >= INJ_NR_KINDS) {
			snprintf(err, errlen, "no instruction in scope where %s applies",
				 inj_kind_name(kind));
			return -1;
		}
		kind = (kind + 1) % INJ_NR_KINDS;
	}
	fn = &img->funcs[in->func];

	memcpy(out, img->file, img->len);
	memcpy(out + in->off, bytes, in->x.len);
	rec->kind = kind;
	rec->insn = i;
	rec->vaddr = in->vaddr;
	rec->off = in->off;
	rec->len = in->x.len;
	snprintf(rec->where, sizeof(rec->where), "%s+0x%llx", fn->name,
		 (unsigned long long)(in->vaddr - fn->vaddr));
	memcpy(rec->before, img->file + in->off, in->x.len);
	memcpy(rec->after, bytes, in->x.len);
	memcpy(rec->detail, detail, sizeof(detail));

	/* Our promise: the loader accepts every mutant.  Check it as it does. */
	if (dc_elf_parse(out, img->len, &info, first_report, &rc)) {
		if (!rc.got)
			snprintf(err, errlen, "the mutant fails validation");
		return -1;
	}
	return 0;
}

static void hex(char *buf, size_t size, const uint8_t *p, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n && 2 * i + 2 < size; i++)
		snprintf(buf + 2 * i, 3, "%02x", p[i]);
}

void inj_format(const struct inj_image *img, const struct inj_record *rec,
		char *buf, size_t size)
{
	char before[2 * X86_MAX_INSN + 1] = "", after[2 * X86_MAX_INSN + 1] = "";

	hex(before, sizeof(before), rec->before, rec->len);
	hex(after, sizeof(after), rec->after, rec->len);
	snprintf(buf, size, "seed=%llu kind=%s at=%s vaddr=0x%llx len=%u before=%s after=%s detail=%s crc=%08x%s",
		 (unsigned long long)rec->seed, inj_kind_name(rec->kind), rec->where,
		 (unsigned long long)rec->vaddr, rec->len, before, after, rec->detail,
		 img->crc, img->keep_stack ? " model=keep-stack" : "");
}
