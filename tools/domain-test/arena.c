// SPDX-License-Identifier: GPL-2.0
/*
 * The arena, as src/arena.c keeps it: all the memory a domain can own
 * (private heap blocks, shared objects, state-store objects) comes from
 * one reserved range, with a shadow beside it that says, per 16-byte
 * granule (DC_SHADOW_GRANULE), who owns it: an owner id (heap.c gives
 * every owner one), DC_SHADOW_KERNEL (the test's objects),
 * DC_SHADOW_FREE, or DC_SHADOW_REDZONE after each small object.
 * Confined domain code checks every store against it (libdomain's
 * asan.c, through the note's struct dc_confinement), and the services
 * check the buffers domains hand them the same way (dt_arena_owned()).
 *
 * Layout.  Address space for the arena and its shadow is reserved
 * inaccessible when the first domain loads (or the test makes its first
 * object), with a first chunk accessible; the rest is made readable and writable
 * from the bottom up, DT_ARENA_CHUNK at a time, the shadow first, and
 * dt_arena.mapped (what the store check compares against before it reads
 * the shadow) says how far.  So only what is used costs memory, and a
 * system that does not overcommit is asked only for that.
 *
 * Allocation is simpler than the kernel's buddy and slab allocators, for
 * a short-lived test process: blocks of 2^order pages and slots of a size
 * class, each reused only for the same order or class, never merged or
 * split (the arena holds at most the high-water mark of each).  Free
 * blocks and slots wait in first-in first-out queues, so a freed one is
 * reused as late as possible and a stale pointer keeps hitting free
 * memory.  The bookkeeping lives outside the arena, where domain code
 * cannot store.
 *
 * Use after free.  A freed block's shadow is cleared at once, so checked
 * stores through stale pointers fail from then on; its memory goes back
 * to the queues only when the outermost call has ended (dt_arena_reap(),
 * from dt_heap_reap()), as the kernel waits for an RCU grace period:
 * until then a reader (a state-store object replaced under it) sees what
 * it saw.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "internal.h"

#define DT_ARENA_MAX_ORDER	12		/* 16 MiB blocks, as the kernel */
#define DT_ARENA_CHUNK		(2UL << 20)	/* made accessible at a time */
#define DT_ARENA_RESERVE	(64UL << 30)	/* address space tried first */
#define DT_ARENA_RESERVE_MIN	(1UL << 30)
#define DT_SLAB_MIN_SHIFT	5		/* 32-byte slots ... */
#define DT_SLAB_CLASSES		7		/* ... to 2 KiB, as the kernel */

struct dt_arena dt_arena;

/* Addresses waiting to be reused, oldest first: a growing ring. */
struct queue {
	uintptr_t *items;
	size_t head, len, cap;
};

static struct {
	uintptr_t next;			/* the first byte never handed out */
	struct queue pages[DT_ARENA_MAX_ORDER + 1];
	struct queue slots[DT_SLAB_CLASSES];
	/* Freed, reused after dt_arena_reap(): address and order or class. */
	struct pending {
		uintptr_t addr;
		int order;		/* >= 0: pages; < 0: -(class + 1) */
	} *pending;
	size_t nr_pending, cap_pending;
} arena;

static bool queue_push(struct queue *q, uintptr_t v)
{
	if (q->len == q->cap) {
		size_t cap = q->cap ? 2 * q->cap : 64, i;
		uintptr_t *items = malloc(cap * sizeof(*items));

		if (!items)
			return false;
		for (i = 0; i < q->len; i++)
			items[i] = q->items[(q->head + i) % q->cap];
		free(q->items);
		q->items = items;
		q->head = 0;
		q->cap = cap;
	}
	q->items[(q->head + q->len++) % q->cap] = v;
	return true;
}

static uintptr_t queue_pop(struct queue *q)
{
	uintptr_t v;

	if (!q->len)
		return 0;
	v = q->items[q->head];
	q->head = (q->head + 1) % q->cap;
	q->len--;
	return v;
}

static uint8_t *shadow_of(uintptr_t addr)
{
	return dt_arena.shadow + (addr - dt_arena.base) / DC_SHADOW_GRANULE;
}

/* Make the arena accessible up to at least @end, with its shadow (zero: free). */
static int grow(uintptr_t end)
{
	uintptr_t from = dt_arena.base + dt_arena.mapped;
	uintptr_t to = dt_arena.base + (end - dt_arena.base + DT_ARENA_CHUNK - 1) /
		       DT_ARENA_CHUNK * DT_ARENA_CHUNK;

	if (to <= from)
		return 0;
	if (to - dt_arena.base > dt_arena.size)
		return -ENOMEM;
	/* The shadow first: whoever sees the new mapped may read it. */
	if (mprotect(shadow_of(from), (to - from) / DC_SHADOW_GRANULE,
		     PROT_READ | PROT_WRITE) ||
	    mprotect((void *)from, to - from, PROT_READ | PROT_WRITE))
		return -ENOMEM;
	__atomic_store_n(&dt_arena.mapped, to - dt_arena.base, __ATOMIC_RELEASE);
	return 0;
}

/*
 * Reserve the address space, inaccessible, and make a first chunk
 * accessible: the store check relies on mapped never being 0, and the
 * note of every instance names the arena.  Once; 0, or -ENOMEM.
 */
int dt_arena_init(void)
{
	size_t size;

	if (dt_arena.base)
		return 0;
	for (size = DT_ARENA_RESERVE; size >= DT_ARENA_RESERVE_MIN; size /= 2) {
		size_t shadow = size / DC_SHADOW_GRANULE;
		void *p = mmap(NULL, size + shadow, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (p == MAP_FAILED)
			continue;
		dt_arena.base = (uintptr_t)p;
		dt_arena.size = size;
		dt_arena.shadow = (uint8_t *)p + size;
		dt_arena.mapped = 0;
		arena.next = dt_arena.base;
		if (!grow(dt_arena.base + DT_ARENA_CHUNK))
			return 0;
		munmap(p, size + shadow);
		dt_arena.base = 0;
	}
	return -ENOMEM;
}

/* A block of 2^@order pages, not yet zeroed; 0 if there is no room. */
static uintptr_t pages_get(unsigned int order)
{
	size_t bytes = DT_PAGE_SIZE << order;
	uintptr_t addr = queue_pop(&arena.pages[order]);

	if (addr)
		return addr;
	if (dt_arena_init())
		return 0;
	if (arena.next - dt_arena.base + bytes > dt_arena.size ||
	    grow(arena.next + bytes))
		return 0;
	addr = arena.next;
	arena.next += bytes;
	return addr;
}

static unsigned int order_of(size_t size)
{
	unsigned int order = 0;

	while ((DT_PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* The pages a block of @size bytes takes (what the kernel charges for a heap block). */
size_t dt_arena_block_bytes(size_t size)
{
	return DT_PAGE_SIZE << order_of(size);
}

void dt_arena_set_owner(void *addr, size_t size, uint8_t id)
{
	memset(shadow_of((uintptr_t)addr), id,
	       (size + DC_SHADOW_GRANULE - 1) / DC_SHADOW_GRANULE);
}

/*
 * @size bytes in whole pages, zeroed, owned by @id, the rest of the block
 * a red zone; NULL if the arena is full.
 */
void *dt_arena_alloc_pages(size_t size, uint8_t id)
{
	unsigned int order = order_of(size);
	void *addr;

	if (order > DT_ARENA_MAX_ORDER || !(addr = (void *)pages_get(order)))
		return NULL;
	/* Freed memory keeps what its last owner wrote. */
	memset(addr, 0, DT_PAGE_SIZE << order);
	dt_arena_set_owner(addr, DT_PAGE_SIZE << order, DC_SHADOW_REDZONE);
	dt_arena_set_owner(addr, size, id);
	return addr;
}

/* The smallest class whose slot holds @size bytes and a red-zone granule. */
static unsigned int slab_class(size_t size)
{
	unsigned int c = 0;

	while (((size_t)1 << (DT_SLAB_MIN_SHIFT + c)) - DC_SHADOW_GRANULE < size)
		c++;
	return c;
}

static size_t slot_size(unsigned int c)
{
	return (size_t)1 << (DT_SLAB_MIN_SHIFT + c);
}

/*
 * A small object: @size bytes (at most DT_ARENA_SMALL_MAX), zeroed, owned
 * by @id, the rest of its slot a red zone.
 */
void *dt_arena_alloc_small(size_t size, uint8_t id)
{
	unsigned int c = slab_class(size ? size : 1), i;
	struct queue *q = &arena.slots[c];
	uintptr_t page;
	void *addr;

	if (!q->len) {
		/* A new page of slots; its shadow is free until one is handed out. */
		page = pages_get(0);
		if (!page)
			return NULL;
		for (i = 0; i < DT_PAGE_SIZE / slot_size(c); i++)
			if (!queue_push(q, page + i * slot_size(c)))
				return NULL;	/* (what was queued stays usable) */
	}
	addr = (void *)queue_pop(q);
	memset(addr, 0, slot_size(c));
	dt_arena_set_owner(addr, slot_size(c), DC_SHADOW_REDZONE);
	dt_arena_set_owner(addr, size ? size : 1, id);
	return addr;
}

/* Unowned now; reused after dt_arena_reap().  @order: see struct pending. */
static void arena_free(void *addr, size_t bytes, int order)
{
	dt_arena_set_owner(addr, bytes, DC_SHADOW_FREE);
	if (arena.nr_pending == arena.cap_pending) {
		size_t cap = arena.cap_pending ? 2 * arena.cap_pending : 256;
		struct pending *p = realloc(arena.pending, cap * sizeof(*p));

		if (!p)
			return;		/* never reused: only memory lost */
		arena.pending = p;
		arena.cap_pending = cap;
	}
	arena.pending[arena.nr_pending].addr = (uintptr_t)addr;
	arena.pending[arena.nr_pending++].order = order;
}

void dt_arena_free_pages(void *addr, size_t size)
{
	unsigned int order = order_of(size);

	arena_free(addr, DT_PAGE_SIZE << order, (int)order);
}

void dt_arena_free_small(void *addr, size_t size)
{
	unsigned int c = slab_class(size ? size : 1);

	arena_free(addr, slot_size(c), -(int)c - 1);
}

void dt_arena_reap(void)
{
	size_t i;

	for (i = 0; i < arena.nr_pending; i++) {
		const struct pending *p = &arena.pending[i];

		/* Not queued (out of memory): that block is never reused. */
		if (p->order >= 0)
			queue_push(&arena.pages[p->order], p->addr);
		else
			queue_push(&arena.slots[-p->order - 1], p->addr);
	}
	arena.nr_pending = 0;
}

/* Is every granule of [addr, addr + len) in the arena owned by @a or @b? */
bool dt_arena_owned(uintptr_t addr, size_t len, uint8_t a, uint8_t b)
{
	uintptr_t off = addr - dt_arena.base, g, last;

	if (!len || off >= dt_arena.mapped || len > dt_arena.mapped - off)
		return false;
	last = (off + len - 1) / DC_SHADOW_GRANULE;
	for (g = off / DC_SHADOW_GRANULE; g <= last; g++)
		if (dt_arena.shadow[g] != a && dt_arena.shadow[g] != b)
			return false;
	return true;
}

/* Who owns @addr, for a stray store's report: a shadow value, or -1 outside the arena. */
int dt_arena_owner_of(uintptr_t addr)
{
	uintptr_t off = addr - dt_arena.base;

	if (!dt_arena.base || off >= dt_arena.size)
		return -1;
	if (off >= dt_arena.mapped)
		return DC_SHADOW_FREE;
	return dt_arena.shadow[off / DC_SHADOW_GRANULE];
}
