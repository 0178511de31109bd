/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The call gate's recovery point, x86-64.
 *
 * dc_gate_call(frame, fn, a0, a1, a2, a3) saves the callee-saved registers
 * and the stack pointer in @frame (a setjmp), switches to the domain stack
 * the frame names (frame->stack, see call.c) and calls fn(a0..a3) there.
 * dc_gate_unwind(frame, ret) abandons whatever runs above @frame (domain
 * code that faulted, panicked or ran out of time) and makes dc_gate_call
 * return @ret (a longjmp).  The trap handlers enter dc_gate_unwind by
 * rewriting pt_regs.
 *
 * Domain code never sees the TCB's stack, so nothing it writes to its own
 * stack can reach the recovery path.  For the same reason a normal return
 * also restores the TCB's registers and stack pointer from the frame,
 * found again through the per-CPU dc_current_frame, never from anything
 * the domain could have overwritten.
 *
 * Frame layout: keep in sync with struct dc_frame (call.c checks it).
 */
#include <linux/linkage.h>
#include <asm/nospec-branch.h>
#include <asm/percpu.h>

#if __has_include(<linux/objtool.h>)
#include <linux/objtool.h>
#define DC_HAVE_OBJTOOL_H 1
#endif

#ifndef ANNOTATE_UNRET_SAFE
#define ANNOTATE_UNRET_SAFE
#endif

/*
 * A plain return.  objtool does not look inside these non-standard
 * functions, so it would not list a RET (jmp __x86_return_thunk) here among
 * the module's return sites; the unpatched thunk then warns on 6.12 and
 * later ("Unpatched return thunk in use").
 */
#define DC_RET	ANNOTATE_UNRET_SAFE; ret; int3

#define F_RBX	0
#define F_R12	8
#define F_R13	16
#define F_R14	24
#define F_R15	32
#define F_RSP	40
#define F_STACK	48

	.text
	.globl	dc_gate_call
	.type	dc_gate_call, @function
dc_gate_call:
	push	%rbp
	mov	%rsp, %rbp
	mov	%rbx, F_RBX(%rdi)
	mov	%r12, F_R12(%rdi)
	mov	%r13, F_R13(%rdi)
	mov	%r14, F_R14(%rdi)
	mov	%r15, F_R15(%rdi)
	mov	%rsp, F_RSP(%rdi)
	mov	F_STACK(%rdi), %rax	/* the top of this call's domain stack */
	mov	%rsi, %r11		/* fn */
	mov	%rdx, %rdi		/* a0..a3 into place */
	mov	%rcx, %rsi
	mov	%r8, %rdx
	mov	%r9, %rcx
	mov	%rax, %rsp
	CALL_NOSPEC r11			/* domain code: ENDBR64 at fn (IBT) */
	movq	PER_CPU_VAR(dc_current_frame), %rdi
	mov	%rax, %rsi
	jmp	dc_gate_unwind		/* the same way back as a fault's */
	.size	dc_gate_call, . - dc_gate_call

	.globl	dc_gate_unwind
	.type	dc_gate_unwind, @function
dc_gate_unwind:
	endbr64				/* C takes its address (IBT, objtool) */
	mov	%rsi, %rax
	mov	F_RBX(%rdi), %rbx
	mov	F_R12(%rdi), %r12
	mov	F_R13(%rdi), %r13
	mov	F_R14(%rdi), %r14
	mov	F_R15(%rdi), %r15
	mov	F_RSP(%rdi), %rsp
	pop	%rbp
	DC_RET
	.size	dc_gate_unwind, . - dc_gate_unwind
#ifdef DC_HAVE_OBJTOOL_H
	/* Both switch stacks. */
	STACK_FRAME_NON_STANDARD dc_gate_call
	STACK_FRAME_NON_STANDARD dc_gate_unwind
#endif

/*
 * Where a kprobe on a function entry resumes to make that function return
 * at once (the stack still holds its return address): how trap.c makes
 * fixup_exception() report a page fault in domain code as handled.
 */
	.globl	dc_just_return
	.type	dc_just_return, @function
dc_just_return:
	endbr64
	DC_RET
	.size	dc_just_return, . - dc_just_return
