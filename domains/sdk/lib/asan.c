// SPDX-License-Identifier: GPL-2.0
/*
 * The store check.  The SDK compiles domain code with the compiler's
 * kernel address sanitizer in callback mode, stores only
 * (-fsanitize=kernel-address, flags.mk): before every store the compiler
 * calls __asan_storeN_noabort(addr) here.  A store passes if it lands in
 * memory the instance owns at that moment:
 *
 *   - the arena (everything the TCB allocates for domains: private heap
 *     blocks, shared objects, state-store objects), where the shadow
 *     must name the instance or its domain's state store for every
 *     granule the store touches;
 *   - its own stack, between the stack pointer and the top of the stack
 *     block the call runs on, less the return address the gate pushed
 *     there (the outermost frame ends below it);
 *   - its image's data and bss (__dom_data_start.. __dom_data_end,
 *     domain.lds).
 *
 * Anything else (the kernel, the TCB, another domain's memory, a freed
 * object, a red zone, an object given away) is a stray store: the TCB
 * unwinds the call and the instance fails, before the store happens.
 *
 * The arena's place and the instance's marks are in the image's note,
 * which the TCB fills in when it maps the image and which is read-only
 * to the domain: a stray store cannot change what the check compares
 * against.
 *
 * Loads are not checked (--param asan-instrument-reads=0): reads of
 * memory a domain does not own do not corrupt anything, and checking them
 * would double the cost for the much more frequent operation.  A read
 * that faults is contained like any fault.
 *
 * Built without instrumentation itself (Makefile).
 */
#include "internal.h"

#define DOM_NOINSTR	__attribute__((no_instrument_function, no_sanitize_address))

extern char __dom_data_start[] __attribute__((visibility("hidden")));
extern char __dom_data_end[] __attribute__((visibility("hidden")));

void dom__stray_store(uintptr_t addr, size_t size, uintptr_t ip)
	__attribute__((noreturn, noinline, cold)) DOM_NOINSTR;

void dom__stray_store(uintptr_t addr, size_t size, uintptr_t ip)
{
	dom_svc->stray_store(dom_self, addr, size, ip);
	for (;;)
		__builtin_trap();
}

static inline __attribute__((always_inline)) uintptr_t stack_pointer(void)
{
	uintptr_t sp;

	__asm__ volatile("mov %%rsp, %0" : "=r" (sp));
	return sp;
}

/* Does the instance own every granule of [off, off + size) of the arena? */
static int arena_owned(const struct dc_confinement *c, uintptr_t off, size_t size)
	__attribute__((noinline)) DOM_NOINSTR;

static int arena_owned(const struct dc_confinement *c, uintptr_t off, size_t size)
{
	const uint8_t *shadow = (const uint8_t *)c->shadow;
	uintptr_t g = off / DC_SHADOW_GRANULE, last = (off + size - 1) / DC_SHADOW_GRANULE;

	for (; g <= last; g++)
		if (shadow[g] != c->self_id && shadow[g] != c->store_id)
			return 0;
	return 1;
}

/* Outside the arena and its stack: its image's data and bss. */
static int own_data(uintptr_t addr, size_t size)
	__attribute__((noinline)) DOM_NOINSTR;

static int own_data(uintptr_t addr, size_t size)
{
	return addr >= (uintptr_t)__dom_data_start && addr <= (uintptr_t)__dom_data_end &&
	       size <= (uintptr_t)__dom_data_end - addr;
}

/*
 * May the instance store @size (> 0) bytes at @addr?  Inlined into each
 * callback, where @size is a constant, so the common case (the heap, one
 * or two granules of its own) is a subtraction, a compare, two shadow
 * loads and two compares.  The arena's mapped part is never smaller than
 * a chunk (arena.c grows it at load), so for a store of a granule or less
 * "mapped - size" cannot wrap; a larger one (memset) checks first.
 */
static inline __attribute__((always_inline)) int store_ok(uintptr_t addr, size_t size)
{
	const struct dc_confinement *c = &dom__note.desc.confinement;
	uintptr_t off = addr - c->arena_base;
	uintptr_t mapped = *(const volatile uintptr_t *)c->arena_mapped;
	uintptr_t sp, top;

	/* x86 keeps loads in order: the shadow read below sees what mapped covers. */
	if (__builtin_expect((size <= DC_SHADOW_GRANULE || size <= mapped) &&
			     off <= mapped - size, 1)) {
		const uint8_t *shadow = (const uint8_t *)c->shadow;
		uint8_t first = shadow[off / DC_SHADOW_GRANULE];

		if (__builtin_expect(size <= DC_SHADOW_GRANULE && first == c->self_id &&
				     shadow[(off + size - 1) / DC_SHADOW_GRANULE] == first, 1))
			return 1;
		return arena_owned(c, off, size);
	}
	/* Its own frames: from here up to below the gate's return address. */
	sp = stack_pointer();
	top = (sp | (DC_STACK_SIZE - 1)) + 1 - sizeof(void *);
	if (__builtin_expect(addr - sp <= top - sp && size <= top - addr, 1))
		return 1;
	return own_data(addr, size);
}

DOM_NOINSTR void dom__check_store(const void *dst, size_t size, uintptr_t ip)
{
	if (size && !store_ok((uintptr_t)dst, size))
		dom__stray_store((uintptr_t)dst, size, ip);
}

#define DOM_ASAN_STORE(n)						\
	void __asan_store##n##_noabort(uintptr_t addr) DOM_NOINSTR;	\
	void __asan_store##n##_noabort(uintptr_t addr)			\
	{								\
		if (__builtin_expect(!store_ok(addr, n), 0))		\
			dom__stray_store(addr, n,			\
				(uintptr_t)__builtin_return_address(0)); \
	}

DOM_ASAN_STORE(1)
DOM_ASAN_STORE(2)
DOM_ASAN_STORE(4)
DOM_ASAN_STORE(8)
DOM_ASAN_STORE(16)

void __asan_storeN_noabort(uintptr_t addr, size_t size) DOM_NOINSTR;

void __asan_storeN_noabort(uintptr_t addr, size_t size)
{
	if (size && !store_ok(addr, size))
		dom__stray_store(addr, size, (uintptr_t)__builtin_return_address(0));
}

/* Called before noreturn functions; there is no stack poisoning to undo. */
void __asan_handle_no_return(void) DOM_NOINSTR;

void __asan_handle_no_return(void)
{
}
