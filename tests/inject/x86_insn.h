/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86_insn: an x86-64 instruction length decoder that also says where the
 * parts of an instruction are (prefixes, REX, opcode, ModRM, SIB,
 * displacement, immediate), for the fault injector (mutate.c).
 *
 * Why a decoder of our own rather than objdump's listing: the injector
 * runs inside the test VM on the images the DKMS build made there, where
 * there is no binutils, and a mutant must be reproducible from the image
 * and the seed alone.  The unit tests (tests/unit/test_inject.c) check it
 * against objdump on every instruction of every image we build, so it
 * covers what gcc emits for domains; anything else is reported as
 * undecodable (the injector then skips the rest of that function).
 *
 * 64-bit mode only.  Legacy, 0F, 0F38, 0F3A and VEX-encoded instructions;
 * EVEX, XOP and 3DNow! are refused.
 */
#ifndef DC_X86_INSN_H
#define DC_X86_INSN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define X86_MAX_INSN	15

enum x86_map {
	X86_MAP_ONE,		/* one-byte opcodes */
	X86_MAP_0F,		/* 0F xx */
	X86_MAP_0F38,		/* 0F 38 xx */
	X86_MAP_0F3A,		/* 0F 3A xx */
};

struct x86_insn {
	uint8_t len;		/* bytes in all */
	uint8_t nr_prefixes;	/* legacy prefixes before REX/opcode */
	bool opsize;		/* 66 */
	bool addrsize;		/* 67 */
	bool rep;		/* F3 */
	bool repne;		/* F2 */
	bool lock;		/* F0 */
	uint8_t rex;		/* the REX byte, 0 if none */
	bool vex;		/* C4/C5 encoded */
	enum x86_map map;
	uint8_t opcode;		/* the last opcode byte */
	uint8_t op_pos;		/* its offset in the instruction */
	bool has_modrm;
	uint8_t modrm, modrm_pos;
	bool has_sib;
	uint8_t sib;
	uint8_t disp_pos, disp_len;	/* disp_len 0: none */
	uint8_t imm_pos, imm_len;	/* immediate or relative target; 0: none */
	bool rel;		/* the immediate is a branch displacement */
};

/*
 * Decode the instruction at @p (at most @avail bytes readable).  0 and
 * @out filled in, or -1 if it is not an instruction this decoder knows
 * (invalid in 64-bit mode, EVEX/XOP, or running past @avail).
 */
int x86_decode(const uint8_t *p, size_t avail, struct x86_insn *out);

/* ModRM fields. */
static inline unsigned int x86_mod(const struct x86_insn *x) { return x->modrm >> 6; }
static inline unsigned int x86_reg(const struct x86_insn *x) { return (x->modrm >> 3) & 7; }
static inline unsigned int x86_rm(const struct x86_insn *x) { return x->modrm & 7; }

/* A memory operand addressed relative to RIP (mod 00, rm 101). */
static inline bool x86_rip_relative(const struct x86_insn *x)
{
	return x->has_modrm && x86_mod(x) == 0 && x86_rm(x) == 5;
}

/*
 * The base register (0..15, REX.B applied) of a ModRM memory operand, or
 * -1 if there is none (register operand, RIP-relative, no base in SIB).
 */
int x86_mem_base(const struct x86_insn *x);

/* A conditional branch: Jcc rel8 (70..7F) or Jcc rel32 (0F 80..8F). */
static inline bool x86_is_jcc(const struct x86_insn *x)
{
	return !x->vex && ((x->map == X86_MAP_ONE && (x->opcode & 0xf0) == 0x70) ||
			   (x->map == X86_MAP_0F && (x->opcode & 0xf0) == 0x80));
}

/* Register names for records: 64-bit names, by number. */
const char *x86_reg_name(unsigned int reg);

#endif
