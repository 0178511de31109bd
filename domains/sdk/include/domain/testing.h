/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helpers for domains that exercise the TCB: faults on request,
 * memory held on purpose, commands written to a file domain.  Used by
 * domains/crash, domains/xfer and null_blk's fault_inject; not for
 * domains that do real work.
 *
 *	#include <domain/testing.h>
 */
#ifndef DOMAIN_TESTING_H
#define DOMAIN_TESTING_H

#include "domain.h"

#pragma GCC visibility push(hidden)

#define DOM_TEST_MAX_HOLD	100000	/* most dom_test_hold() takes at once */

/*
 * The confinement tests (crash's keep, relay's stray neighbour): pairs
 * of objects of this size that lie next to each other, and the read
 * offset at which crash hands out the first of the next pair.
 */
#define DOM_TEST_NEIGHBOUR_SIZE	200
#define DOM_TEST_PAIRS		128
#define DOM_TEST_PRED_OFF	(1ULL << 40)

/*
 * long dom_test_fault(const char *kind)
 *
 * Fails the instance the way @kind names:
 *
 *	null	load through a NULL pointer (page fault; a store would be
 *		caught before it happens, as a stray store)
 *	gpf	load from a non-canonical address (general protection fault)
 *	ud2	execute an invalid opcode
 *	div0	divide by zero (divide error)
 *	stack	overrun a stack buffer (stack-protector hit)
 *	panic	dom_panic()
 *	assert	a failing DOM_ASSERT()
 *	bounds	a failing dom_memcpy_checked()
 *	loop	never return (the call runs past its budget: hang)
 *	recurse	recurse through 64 KiB of stack (stack overflow)
 *	overrun	write 256 bytes past the caller's own frame, which is the
 *		outermost when the caller is the method the TCB called: a
 *		stray store once past it (unconfined, it returns, and the
 *		caller's stack protector catches it)
 *	badself	call a service with a garbage instance handle
 *	badlock	take a lock through a garbage pointer
 *	badlog	log a message from an unmapped address
 *
 * and does not return (but for overrun); returns -EINVAL for any other
 * @kind.  It is
 * inlined, so the faulting instruction is in the caller's function (the
 * one the TCB names in its fault report), and the assertion and bounds
 * messages name the caller's file and line.
 */
#define dom_test_fault(kind)	dom__test_fault(kind, __FILE__, __LINE__)

void dom__test_smash(size_t n);
int dom__test_recurse(int depth);

static inline __attribute__((always_inline))
long dom__test_fault(const char *kind, const char *file, int line)
{
	/* Opaque to the optimiser, so that each fault really happens. */
	static volatile uintptr_t zero;
	static volatile int sink __dom_unused;
	char tiny[4];

	if (!strcmp(kind, "null"))
		sink = *(volatile int *)zero;
	else if (!strcmp(kind, "gpf"))
		sink = *(volatile int *)(zero + 0x8000000000000000ull);
	else if (!strcmp(kind, "ud2"))
		__builtin_trap();
	else if (!strcmp(kind, "div0"))
		sink = (int)(zero + 100) / (int)zero;	/* not 1 / x: gcc folds that */
	else if (!strcmp(kind, "stack"))
		dom__test_smash(64 + zero);
	else if (!strcmp(kind, "panic"))
		dom_panic("panic on request");
	else if (!strcmp(kind, "assert"))
		DOM__ASSERT_AT(zero == 1, file, line);
	else if (!strcmp(kind, "bounds"))
		dom__memcpy_checked(tiny, sizeof(tiny), kind, sizeof(tiny) + 1 + zero,
				    file, line);
	else if (!strcmp(kind, "loop"))
		for (;;)
			sink = zero;
	else if (!strcmp(kind, "recurse"))
		sink = dom__test_recurse(256 + zero);
	else if (!strcmp(kind, "overrun")) {
		/* The frame's end: above the saved frame pointer and return address. */
		char *end = (char *)__builtin_frame_address(0) + 2 * sizeof(void *);

		for (char *p = tiny; p < end + 256 + zero; p++)
			*(volatile char *)p = 'A';
		return 0;
	} else if (!strcmp(kind, "badself"))
		sink = (int)dom_svc->obj_alloc((dc_self_t)(zero + 0x5a5a5a5a), DC_OBJ_BYTES, 8);
	else if (!strcmp(kind, "badlock"))
		dom_lock((struct dc_lock *)(zero + 0xffff8880deadbe00ull));
	else if (!strcmp(kind, "badlog"))
		dom_svc->log(dom_self, DC_LOG_INFO, (const char *)(zero + 0xffffc90000000000ull), 16);
	else
		return -EINVAL;
	return 0;	/* not reached: the instance has failed */
}

/*
 * Allocates @n heap blocks and @n shared objects and keeps them for the
 * life of the instance, so that a test can check that the TCB reclaims
 * them when the instance goes.  Safe on several CPUs.  Returns 0, -EINVAL
 * if @n > DOM_TEST_MAX_HOLD, or -ENOMEM (what was allocated stays held).
 */
int dom_test_hold(uint64_t n);
/* How many heap blocks and shared objects dom_test_hold() holds. */
void dom_test_held(uint64_t *blocks, uint64_t *objects);

/*
 * For file.write: takes the bytes written (@data, freed here) as a
 * command into @cmd, at most @size - 1 bytes, without trailing newlines
 * and spaces, NUL-terminated.  Returns the number of bytes written (what
 * the write returns on success), or -EINVAL if @data is not a non-empty
 * DC_OBJ_BYTES object of ours.
 */
long dom_test_command(dc_obj_t data, char *cmd, size_t size);

#pragma GCC visibility pop

#endif
