// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 instruction length decoder (see x86_insn.h).  The opcode tables
 * follow the Intel SDM's opcode maps (volume 2, appendix A) for 64-bit
 * mode: for each opcode, whether a ModRM byte follows and how large the
 * immediate is.
 */
#include <string.h>
#include "x86_insn.h"

/* Immediate sizes. */
enum imm {
	I_NONE,
	I_B,		/* 8 bits */
	I_W,		/* 16 bits */
	I_Z,		/* 16 with 66 (no REX.W), else 32 */
	I_V,		/* 16 with 66, 64 with REX.W, else 32 (B8..BF) */
	I_REL8,
	I_REL32,
	I_WB,		/* 16 + 8 (enter) */
	I_MOFFS,	/* 64, or 32 with 67 (A0..A3) */
	I_GRP3,		/* F6/F7: an immediate only for /0 and /1 (test) */
};

/* One-byte map: -1 invalid in 64-bit mode; else 1 if ModRM follows, 0 if not. */
static int one_modrm(uint8_t op)
{
	switch (op) {
	case 0x06: case 0x07: case 0x0e: case 0x16: case 0x17: case 0x1e:
	case 0x1f: case 0x27: case 0x2f: case 0x37: case 0x3f:
	case 0x60: case 0x61: case 0x62: case 0x82: case 0x9a: case 0xce:
	case 0xd4: case 0xd5: case 0xd6: case 0xea:
		return -1;
	}
	if (op < 0x40)
		return (op & 7) < 4;	/* ALU r/m forms; x4/x5 are AL/eAX, imm */
	switch (op) {
	case 0x63: case 0x69: case 0x6b:
	case 0xc0: case 0xc1: case 0xc6: case 0xc7:
	case 0xd0: case 0xd1: case 0xd2: case 0xd3:
	case 0xf6: case 0xf7: case 0xfe: case 0xff:
		return 1;
	}
	if (op >= 0x80 && op <= 0x8f)
		return 1;
	if (op >= 0xd8 && op <= 0xdf)	/* x87 */
		return 1;
	return 0;
}

static enum imm one_imm(uint8_t op)
{
	if (op < 0x40) {
		if ((op & 7) == 4)
			return I_B;
		if ((op & 7) == 5)
			return I_Z;
		return I_NONE;
	}
	if (op >= 0x70 && op <= 0x7f)
		return I_REL8;
	if (op >= 0xb0 && op <= 0xb7)
		return I_B;
	if (op >= 0xb8 && op <= 0xbf)
		return I_V;
	switch (op) {
	case 0x6a: case 0x6b: case 0x80: case 0x83: case 0xa8:
	case 0xc0: case 0xc1: case 0xc6: case 0xcd:
	case 0xe4: case 0xe5: case 0xe6: case 0xe7:
		return I_B;
	case 0x68: case 0x69: case 0x81: case 0xa9: case 0xc7:
		return I_Z;
	case 0xe0: case 0xe1: case 0xe2: case 0xe3: case 0xeb:
		return I_REL8;
	case 0xe8: case 0xe9:
		return I_REL32;
	case 0xc2: case 0xca:
		return I_W;
	case 0xc8:
		return I_WB;
	case 0xa0: case 0xa1: case 0xa2: case 0xa3:
		return I_MOFFS;
	case 0xf6: case 0xf7:
		return I_GRP3;
	}
	return I_NONE;
}

/* 0F map: -1 invalid (or not supported here), 1 ModRM, 0 none. */
static int twobyte_modrm(uint8_t op)
{
	switch (op) {
	case 0x04: case 0x0a: case 0x0c: case 0x0f:	/* 0F 0F: 3DNow! */
	case 0x24: case 0x25: case 0x26: case 0x27:
	case 0x36: case 0x39: case 0x3b: case 0x3c: case 0x3d: case 0x3e: case 0x3f:
		return -1;
	case 0x05: case 0x06: case 0x07: case 0x08: case 0x09: case 0x0b: case 0x0e:
	case 0x77: case 0xa0: case 0xa1: case 0xa2: case 0xa8: case 0xa9: case 0xaa:
		return 0;
	}
	if (op >= 0x30 && op <= 0x37)
		return 0;
	if (op >= 0x80 && op <= 0x8f)	/* Jcc rel32 */
		return 0;
	if (op >= 0xc8 && op <= 0xcf)	/* bswap */
		return 0;
	return 1;
}

static enum imm twobyte_imm(uint8_t op)
{
	if (op >= 0x80 && op <= 0x8f)
		return I_REL32;
	switch (op) {
	case 0x70: case 0x71: case 0x72: case 0x73:
	case 0xa4: case 0xac: case 0xba:
	case 0xc2: case 0xc4: case 0xc5: case 0xc6:
		return I_B;
	}
	return I_NONE;
}

int x86_mem_base(const struct x86_insn *x)
{
	unsigned int base;

	if (!x->has_modrm || x86_mod(x) == 3 || x86_rip_relative(x))
		return -1;
	if (x->has_sib) {
		base = x->sib & 7;
		if (base == 5 && x86_mod(x) == 0)
			return -1;	/* disp32 with no base */
	} else {
		base = x86_rm(x);
	}
	return (int)(base | ((x->rex & 1) ? 8 : 0));
}

const char *x86_reg_name(unsigned int reg)
{
	static const char *const names[16] = {
		"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	};

	return reg < 16 ? names[reg] : "?";
}

int x86_decode(const uint8_t *p, size_t avail, struct x86_insn *out)
{
	struct x86_insn x;
	size_t i = 0, lim = avail < X86_MAX_INSN ? avail : X86_MAX_INSN;
	bool rex_w;
	int modrm;
	enum imm imm;

	memset(&x, 0, sizeof(x));
#define NEED(n)	do { if (i + (n) > lim) return -1; } while (0)
	/* Legacy prefixes, any order. */
	for (;;) {
		NEED(1);
		switch (p[i]) {
		case 0x66: x.opsize = true; break;
		case 0x67: x.addrsize = true; break;
		case 0xf3: x.rep = true; break;
		case 0xf2: x.repne = true; break;
		case 0xf0: x.lock = true; break;
		case 0x2e: case 0x36: case 0x3e: case 0x26: case 0x64: case 0x65:
			break;
		default:
			goto prefixes_done;
		}
		i++;
	}
prefixes_done:
	x.nr_prefixes = (uint8_t)i;
	NEED(1);
	if ((p[i] & 0xf0) == 0x40) {
		x.rex = p[i++];
		NEED(1);
	}
	if (p[i] == 0xc4 || p[i] == 0xc5) {
		/* VEX (in 64-bit mode C4/C5 are always VEX); no REX before it. */
		unsigned int mmmmm;

		if (x.rex)
			return -1;
		x.vex = true;
		if (p[i] == 0xc5) {
			NEED(3);
			mmmmm = 1;
			i += 2;
		} else {
			NEED(4);
			mmmmm = p[i + 1] & 0x1f;
			/* Keep REX.W/B equivalents for the base register. */
			x.rex = 0x40 | ((p[i + 2] & 0x80) ? 8 : 0) | ((~p[i + 1] >> 5) & 1);
			i += 3;
		}
		if (mmmmm < 1 || mmmmm > 3)
			return -1;
		x.map = (enum x86_map)mmmmm;
		x.op_pos = (uint8_t)i;
		x.opcode = p[i++];
		modrm = !(x.map == X86_MAP_0F && x.opcode == 0x77);	/* vzeroupper/all */
		imm = x.map == X86_MAP_0F3A ? I_B : I_NONE;
		if (x.map == X86_MAP_0F && x.opcode >= 0x70 && x.opcode <= 0x73)
			imm = I_B;
		if (x.map == X86_MAP_0F && (x.opcode == 0xc2 || x.opcode == 0xc4 ||
					    x.opcode == 0xc5 || x.opcode == 0xc6))
			imm = I_B;
	} else if (p[i] == 0x0f) {
		i++;
		NEED(1);
		if (p[i] == 0x38 || p[i] == 0x3a) {
			x.map = p[i] == 0x38 ? X86_MAP_0F38 : X86_MAP_0F3A;
			i++;
			NEED(1);
			x.op_pos = (uint8_t)i;
			x.opcode = p[i++];
			modrm = 1;
			imm = x.map == X86_MAP_0F3A ? I_B : I_NONE;
		} else {
			x.map = X86_MAP_0F;
			x.op_pos = (uint8_t)i;
			x.opcode = p[i++];
			modrm = twobyte_modrm(x.opcode);
			imm = twobyte_imm(x.opcode);
		}
	} else {
		x.map = X86_MAP_ONE;
		x.op_pos = (uint8_t)i;
		x.opcode = p[i++];
		modrm = one_modrm(x.opcode);
		imm = one_imm(x.opcode);
		/* 8F with ModRM.reg != 0 is XOP. */
		if (x.opcode == 0x8f) {
			NEED(1);
			if ((p[i] >> 3) & 7)
				return -1;
		}
	}
	if (modrm < 0)
		return -1;
	rex_w = (x.rex & 8) != 0;

	if (modrm) {
		unsigned int mod, rm;

		NEED(1);
		x.has_modrm = true;
		x.modrm_pos = (uint8_t)i;
		x.modrm = p[i++];
		mod = x.modrm >> 6;
		rm = x.modrm & 7;
		if (mod != 3 && rm == 4) {
			NEED(1);
			x.has_sib = true;
			x.sib = p[i++];
		}
		if (mod == 1)
			x.disp_len = 1;
		else if (mod == 2)
			x.disp_len = 4;
		else if (mod == 0 && (rm == 5 || (x.has_sib && (x.sib & 7) == 5)))
			x.disp_len = 4;
		if (x.disp_len) {
			NEED(x.disp_len);
			x.disp_pos = (uint8_t)i;
			i += x.disp_len;
		}
	}

	switch (imm) {
	case I_NONE:
		break;
	case I_B:
		x.imm_len = 1;
		break;
	case I_W:
		x.imm_len = 2;
		break;
	case I_Z:
		x.imm_len = x.opsize && !rex_w ? 2 : 4;
		break;
	case I_V:
		x.imm_len = rex_w ? 8 : x.opsize ? 2 : 4;
		break;
	case I_REL8:
		x.imm_len = 1;
		x.rel = true;
		break;
	case I_REL32:
		x.imm_len = 4;
		x.rel = true;
		break;
	case I_WB:
		x.imm_len = 3;
		break;
	case I_MOFFS:
		x.imm_len = x.addrsize ? 4 : 8;
		break;
	case I_GRP3:
		if (x86_reg(&x) <= 1)
			x.imm_len = x.opcode == 0xf6 ? 1 : (x.opsize && !rex_w ? 2 : 4);
		break;
	}
	if (x.imm_len) {
		NEED(x.imm_len);
		x.imm_pos = (uint8_t)i;
		i += x.imm_len;
	}
#undef NEED
	x.len = (uint8_t)i;
	*out = x;
	return 0;
}
