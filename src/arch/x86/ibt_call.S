/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dc_call_sealed(fn, a1, a2, a3, a4, a5) - call a kernel function that the
 * kernel itself never calls through a pointer.
 *
 * Why: with CONFIG_X86_KERNEL_IBT (Debian 6.12 and 7.x) objtool lists every
 * function whose address is never taken, and at boot the kernel overwrites
 * ("seals") their ENDBR64.  An indirect CALL/JMP to such a function raises #CP
 * on CPUs that enforce IBT and the machine dies.  Everything we resolve at
 * load time (kallsyms_lookup_name, module_alloc, execmem_*, set_memory_*) is
 * such a function.  IBT tracks only indirect CALL and JMP, not RET, so we
 * push the return address and the target and RET into it: the target runs
 * as if called directly and returns to us.  QEMU does not emulate IBT, so
 * no test here can catch a mistake; keep every call to a resolved kernel
 * function going through this trampoline (see compat/ksym.h).
 *
 * objtool would reject the unbalanced stack around the RET, so the function
 * is marked non-standard (and the object, for kernels that check objects
 * one by one), and it returns with a plain ret (see DC_RET below).
 */
#include <linux/linkage.h>
#include <asm/nospec-branch.h>

/*
 * Kernels that run objtool on the linked module (6.x) need the annotations;
 * 5.10 has no <linux/objtool.h> and honours OBJECT_FILES_NON_STANDARD.
 */
#if __has_include(<linux/objtool.h>)
#include <linux/objtool.h>
#define DC_HAVE_OBJTOOL_H 1
#endif
#ifndef ANNOTATE_INTRA_FUNCTION_CALL
#define ANNOTATE_INTRA_FUNCTION_CALL
#endif
#ifndef ANNOTATE_UNRET_SAFE
#define ANNOTATE_UNRET_SAFE
#endif

/* Kernels from before the retbleed work (5.10.133) have no RET macro. */

/*
 * A plain return.  objtool does not look inside these non-standard
 * functions, so it would not list a RET (jmp __x86_return_thunk) here among
 * the module's return sites; the unpatched thunk then warns on 6.12 and
 * later ("Unpatched return thunk in use").
 */
#define DC_RET	ANNOTATE_UNRET_SAFE; ret; int3

	.text
	.globl	dc_call_sealed
	.type	dc_call_sealed, @function
dc_call_sealed:
	push	%rbp
	mov	%rsp, %rbp
	mov	%rdi, %rax		/* fn */
	mov	%rsi, %rdi		/* shift a1..a5 into place */
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %rcx
	mov	%r9, %r8
	ANNOTATE_INTRA_FUNCTION_CALL
	call	.Ldc_enter_target	/* pushes our return address */
	pop	%rbp
	DC_RET
.Ldc_enter_target:
	push	%rax
	ANNOTATE_UNRET_SAFE
	ret				/* "return" into fn, which returns to us */
	int3
	.size	dc_call_sealed, . - dc_call_sealed
#ifdef DC_HAVE_OBJTOOL_H
	STACK_FRAME_NON_STANDARD dc_call_sealed
#endif
