// SPDX-License-Identifier: GPL-2.0
/*
 * The stack check at every function entry.  The SDK builds domains with
 * -pg -mfentry, so each function starts with a call to __fentry__, before
 * it allocates its frame.  Domain code runs on a stack block of
 * DC_STACK_SIZE bytes aligned to its size (domain/abi.h), so how much of
 * it is still free is the stack pointer's offset in the block: no memory
 * is read.  Below DC_STACK_RESERVE plus the largest frame a function may
 * have (DOM_FRAME_MAX, enforced by -Wframe-larger-than), the instance
 * fails with a stack overflow instead of running into the TCB's reserve
 * and the kernel's guard page (a double fault).
 *
 * __fentry__ is called at a point where every argument register of the
 * function is live, so it touches only %r11 and the flags.  Its return
 * goes through the same inline return thunk gcc emits for domain code.
 */
#include "internal.h"

#define DOM_STACK_LIMIT	(DC_STACK_RESERVE + DOM_FRAME_MAX)

_Static_assert(DOM_STACK_LIMIT < DC_STACK_SIZE, "no stack left for domain code");
_Static_assert((DC_STACK_SIZE & (DC_STACK_SIZE - 1)) == 0, "stack blocks are a power of two");

/*
 * Never returns: the instance fails and the call unwinds.  Not
 * instrumented, and it calls nothing that is (dom_panic() would enter
 * __fentry__ again, still out of stack): straight to the TCB.
 */
void dom__stack_overflow(void) __attribute__((noreturn, used, no_instrument_function));

void dom__stack_overflow(void)
{
	dom_svc->panic(dom_self, "stack overflow: the call used up its domain stack");
	for (;;)
		__builtin_trap();
}

#define DOM_STR_(x)	#x
#define DOM_STR(x)	DOM_STR_(x)

__asm__(
	"	.text\n"
	"	.globl	__fentry__\n"
	"	.hidden	__fentry__\n"
	"	.type	__fentry__, @function\n"
	"__fentry__:\n"
	"	mov	%rsp, %r11\n"
	"	and	$(" DOM_STR(DC_STACK_SIZE) " - 1), %r11\n"
	"	cmp	$" DOM_STR(DOM_STACK_LIMIT) ", %r11\n"
	"	jb	dom__stack_overflow\n"
	"	call	1f\n"
	"2:	pause\n"
	"	lfence\n"
	"	jmp	2b\n"
	"1:	lea	8(%rsp), %rsp\n"
	"	ret\n"
	"	.size	__fentry__, . - __fentry__\n");
