/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The call gate, for userspace: src/arch/x86/gate.S without the kernel's
 * annotations.
 *
 * dt_gate_call(frame, fn, a0, a1, a2, a3) saves the callee-saved
 * registers and the stack pointer in @frame, switches to the stack block
 * frame->stack names and calls fn(a0..a3) there.  dt_gate_unwind(frame,
 * ret) abandons whatever runs above @frame and makes dt_gate_call return
 * @ret; the signal handlers enter it by rewriting the saved context.
 *
 * A normal return also restores the test's registers from the frame,
 * found again through dt_current_frame, never from anything on the
 * domain's stack.  Frame layout: struct dt_frame (call.c checks it).
 */
#define F_RBX	0
#define F_R12	8
#define F_R13	16
#define F_R14	24
#define F_R15	32
#define F_RSP	40
#define F_STACK	48

	.text
	.globl	dt_gate_call
	.hidden	dt_gate_call
	.type	dt_gate_call, @function
dt_gate_call:
	push	%rbp
	mov	%rsp, %rbp
	mov	%rbx, F_RBX(%rdi)
	mov	%r12, F_R12(%rdi)
	mov	%r13, F_R13(%rdi)
	mov	%r14, F_R14(%rdi)
	mov	%r15, F_R15(%rdi)
	mov	%rsp, F_RSP(%rdi)
	mov	F_STACK(%rdi), %rax	/* the top of this call's stack block */
	mov	%rsi, %r11		/* fn */
	mov	%rdx, %rdi		/* a0..a3 into place */
	mov	%rcx, %rsi
	mov	%r8, %rdx
	mov	%r9, %rcx
	mov	%rax, %rsp
	call	*%r11			/* domain code: ENDBR64 at fn */
	mov	dt_current_frame(%rip), %rdi
	mov	%rax, %rsi
	jmp	dt_gate_unwind		/* the same way back as a fault's */
	.size	dt_gate_call, . - dt_gate_call

	.globl	dt_gate_unwind
	.hidden	dt_gate_unwind
	.type	dt_gate_unwind, @function
dt_gate_unwind:
	mov	%rsi, %rax
	mov	F_RBX(%rdi), %rbx
	mov	F_R12(%rdi), %r12
	mov	F_R13(%rdi), %r13
	mov	F_R14(%rdi), %r14
	mov	F_R15(%rdi), %r15
	mov	F_RSP(%rdi), %rsp
	pop	%rbp
	ret
	.size	dt_gate_unwind, . - dt_gate_unwind

	.section .note.GNU-stack, "", @progbits
