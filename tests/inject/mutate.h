/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fault injector's engine: mutate the code of a domain image the way
 * software-implemented fault injection (SWIFI) studies do (Rio, Nooks,
 * MINIX 3), reproducibly from a seed.
 *
 * Only bytes of instructions inside the functions of the image's text
 * change, within the instruction chosen: no instruction boundary moves, no
 * relocated word is touched, and the ELF structure is the original's, so
 * every mutant is an image the loader accepts (inj_mutate() checks it
 * with the loader's own validator, src/loader/elf_image.c).  A signed
 * image is mutated without its signature (which would no longer match):
 * the mutant is unsigned, as the test kernels accept when signatures are
 * not enforced (docs/testing.md, "Fault injection").
 *
 * The kinds (INJ_KINDS below):
 *
 *   bitflip    one bit of one byte of an instruction flipped
 *   nop        an instruction replaced by NOPs (0x90), as if left out
 *   dst-reg    the destination register of an instruction replaced by
 *              another (ModRM reg or r/m field, or the register in the
 *              opcode of push/pop/mov-immediate/xchg/bswap)
 *   src-reg    a source register replaced by another, likewise
 *   no-check   a conditional branch right after a cmp or test (a bounds
 *              or NULL check) made unconditional or removed: "always"
 *              takes it, "never" falls through; which way skips the
 *              check depends on how the compiler laid it out, so both are
 *              drawn
 *   heap-ptr   a 64-bit load through a pointer register (not the stack
 *              or RIP: an object in the heap, most often a pointer)
 *              turned into xor/add/sub of that memory into the register,
 *              so the register holds a corrupted pointer
 *   swap-cond  a conditional branch's condition inverted ("negate": je
 *              becomes jne) or moved by one ("off-by-one": jb becomes
 *              jbe, jl jle, and back)
 *
 * A seed picks the kind (unless one is forced), then an instruction among
 * those where that kind applies (uniformly over the functions in scope),
 * then the details; the kind is drawn from a stream of its own, so the
 * seed and the kind a record names give the same mutant whether the kind
 * was drawn or forced.  The same image, seed, kind and scope give the
 * same bytes; the record says where and what, to replay and to
 * investigate.  nop never picks an instruction that is a NOP already.
 */
#ifndef DC_INJECT_MUTATE_H
#define DC_INJECT_MUTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "x86_insn.h"

#define INJ_KINDS(K)				\
	K(BITFLIP, "bitflip")			\
	K(NOP, "nop")				\
	K(DST_REG, "dst-reg")			\
	K(SRC_REG, "src-reg")			\
	K(NO_CHECK, "no-check")			\
	K(HEAP_PTR, "heap-ptr")			\
	K(SWAP_COND, "swap-cond")

enum inj_kind {
#define INJ_KIND_ENUM(id, name)	INJ_##id,
	INJ_KINDS(INJ_KIND_ENUM)
#undef INJ_KIND_ENUM
	INJ_NR_KINDS,
	/*
	 * Not drawn at random: a ud2 at the start of a function (after its
	 * endbr64), for the campaign's control that a fault is classified
	 * as contained.
	 */
	INJ_UD2 = INJ_NR_KINDS,
	INJ_ANY = -1,
};

const char *inj_kind_name(int kind);
/* The kind called @name (also "ud2"), or -2 if none; "any" is INJ_ANY. */
int inj_kind_find(const char *name);

struct inj_func {
	const char *name;	/* in the image's string table */
	uint64_t vaddr, size;
	bool in_scope;
	bool undecodable;	/* decoding stopped before its end */
};

struct inj_insn {
	uint64_t vaddr;		/* in the image */
	uint64_t off;		/* in the file */
	unsigned int func;	/* index into funcs */
	struct x86_insn x;
};

struct inj_image {
	uint8_t *file;		/* the unsigned content, our own copy */
	size_t len;
	bool was_signed;
	uint32_t crc;		/* crc32 of the unsigned content: names the input */
	uint64_t text_vaddr, text_off, text_size;
	/*
	 * The keep-stack model (set by the caller after inj_open()): no
	 * mutant of an instruction that writes the stack pointer by name,
	 * and no mutant that makes one write it, or that makes a privileged
	 * instruction (popf, std, cli, system instructions).  A corrupted
	 * stack pointer can double-fault the kernel, and a privileged
	 * instruction breaks what the kernel assumes of every CPU
	 * (docs/testing.md, known limits); make check's short campaign uses
	 * this model, the long one does not.
	 */
	bool keep_stack;
	struct inj_func *funcs;
	unsigned int nr_funcs;
	struct inj_insn *insns;
	unsigned int nr_insns;
	char err[160];		/* why inj_open() failed */
};

/*
 * Read @len bytes of @file (a domain image, signed or not): validate it,
 * strip a signature, list the functions of its text (from .symtab) and
 * decode their instructions.  @scope: NULL or "" for every function, else
 * a comma-separated list of function names, each optionally ending in
 * '*' (a prefix).  0, or -1 with img->err set.
 */
int inj_open(struct inj_image *img, const void *file, size_t len, const char *scope);
void inj_close(struct inj_image *img);

/* Whether @kind applies to instruction @i (it is in scope). */
bool inj_site(const struct inj_image *img, unsigned int i, int kind);

struct inj_record {
	uint64_t seed;
	int kind;
	unsigned int insn;		/* index into img->insns */
	char where[96];			/* "nb_rw+0x1a3" */
	uint64_t vaddr, off;
	unsigned int len;		/* of the instruction */
	uint8_t before[X86_MAX_INSN], after[X86_MAX_INSN];
	char detail[64];		/* e.g. "reg rax->rcx", "bit 3 of byte 1" */
};

/*
 * Write the mutant of @img for @seed into @out (img->len bytes): the kind
 * is @kind, or drawn if INJ_ANY; a kind with no site in scope gives way
 * to the next.  Fills in @rec.  0, or -1 with @err (size @errlen) set:
 * no site for any kind, or (a bug of ours) the mutant fails validation.
 */
int inj_mutate(const struct inj_image *img, uint64_t seed, int kind,
	       uint8_t *out, struct inj_record *rec, char *err, size_t errlen);

/*
 * The record as one line of "key=value" words (no newline):
 * "seed=17 kind=dst-reg at=nb_rw+0x1a3 vaddr=0x813 len=3 before=4889c7
 * after=4889cf detail=reg:rdi->rdi crc=1234abcd".
 */
void inj_format(const struct inj_image *img, const struct inj_record *rec,
		char *buf, size_t size);
/* (With the keep-stack model, " model=keep-stack" at the end.) */

/*
 * Whether the @len bytes are one instruction that writes the stack
 * pointer by name (what the keep-stack model leaves out).
 */
bool inj_writes_rsp(const uint8_t *bytes, unsigned int len);
/* Does @bytes decode into a privileged instruction (mutate.c)? */
bool inj_makes_privileged(const uint8_t *bytes, unsigned int len);

/* crc32 (IEEE, as zlib's crc32()) of @len bytes. */
uint32_t inj_crc32(const void *data, size_t len);

#endif
