// SPDX-License-Identifier: GPL-2.0
/*
 * The private heap, over pages from svc->pages_alloc.
 *
 * Small blocks (up to 2 KiB with their header) come in seven power-of-two
 * size classes, carved from 16 KiB arenas and recycled through one free
 * list per class; larger ones take whole pages of their own and give them
 * back on free.  Pages of small blocks are never returned: the TCB
 * reclaims everything when the instance goes.  Every block starts with a
 * 16-byte header, which keeps the data 16-byte aligned and lets free()
 * catch double frees and stray pointers.  One lock, made at entry,
 * serialises the small-block lists: calls may run on several CPUs at once.
 */
#include "internal.h"

#define HDR_SIZE	16
#define MIN_SHIFT	5			/* 32-byte blocks */
#define NR_CLASSES	7			/* 32 ... 2048 */
#define MAX_SMALL	((size_t)1 << (MIN_SHIFT + NR_CLASSES - 1))
#define ARENA_PAGES	4
#define CLASS_LARGE	0xffffu

#define MAGIC_USED	0xd0a110c8u
#define MAGIC_FREE	0xd0af4ee0u

struct hdr {
	uint32_t magic;
	uint32_t cls;		/* size class, or CLASS_LARGE */
	uint64_t cap;		/* usable bytes after the header */
};

_Static_assert(sizeof(struct hdr) == HDR_SIZE, "header keeps 16-byte alignment");

struct free_blk {
	struct hdr hdr;
	struct free_blk *next;
};

static struct dc_lock *heap_lock;
static struct free_blk *free_list[NR_CLASSES];
static char *arena_cur, *arena_end;

int dom__heap_init(void)
{
	heap_lock = dom_lock_new();
	return heap_lock ? 0 : -ENOMEM;
}

static void *large_alloc(size_t size)
{
	size_t npages;
	struct hdr *h;

	if (size > (size_t)-1 - HDR_SIZE - DOM_PAGE_SIZE)
		return NULL;
	npages = (size + HDR_SIZE + DOM_PAGE_SIZE - 1) / DOM_PAGE_SIZE;
	h = dom_svc->pages_alloc(dom_self, npages);
	if (!h)
		return NULL;
	h->magic = MAGIC_USED;
	h->cls = CLASS_LARGE;
	h->cap = npages * DOM_PAGE_SIZE - HDR_SIZE;
	return h + 1;
}

/* Called with heap_lock held. */
static struct hdr *small_alloc(unsigned int cls)
{
	size_t bsize = (size_t)1 << (MIN_SHIFT + cls);
	struct free_blk *b = free_list[cls];

	if (b) {
		free_list[cls] = b->next;
		return &b->hdr;
	}
	if ((size_t)(arena_end - arena_cur) < bsize) {
		/* The rest of the old arena (< 2 KiB) is simply abandoned. */
		char *a = dom_svc->pages_alloc(dom_self, ARENA_PAGES);

		if (!a)
			return NULL;
		arena_cur = a;
		arena_end = a + ARENA_PAGES * DOM_PAGE_SIZE;
	}
	b = (struct free_blk *)arena_cur;
	arena_cur += bsize;
	b->hdr.cls = cls;
	b->hdr.cap = bsize - HDR_SIZE;
	return &b->hdr;
}

void *dom_malloc(size_t size)
{
	unsigned int cls = 0;
	struct hdr *h;

	if (size > MAX_SMALL - HDR_SIZE)
		return large_alloc(size);
	while (((size_t)1 << (MIN_SHIFT + cls)) - HDR_SIZE < size)
		cls++;

	dom_lock(heap_lock);
	h = small_alloc(cls);
	if (h)
		h->magic = MAGIC_USED;
	dom_unlock(heap_lock);
	return h ? h + 1 : NULL;
}

static struct hdr *block_hdr(void *ptr, const char *what)
{
	struct hdr *h = (struct hdr *)ptr - 1;

	if ((uintptr_t)ptr & (HDR_SIZE - 1))
		dom_panic("%s: misaligned pointer %p", what, ptr);
	if (h->magic == MAGIC_FREE)
		dom_panic("%s: double free of %p", what, ptr);
	if (h->magic != MAGIC_USED ||
	    (h->cls >= NR_CLASSES && h->cls != CLASS_LARGE))
		dom_panic("%s: %p is not a heap block (corrupt header?)",
			  what, ptr);
	return h;
}

void dom_free(void *ptr)
{
	struct free_blk *b;
	struct hdr *h;

	if (!ptr)
		return;
	h = block_hdr(ptr, "dom_free");
	if (h->cls == CLASS_LARGE) {
		h->magic = MAGIC_FREE;
		dom_svc->pages_free(dom_self, h);
		return;
	}

	b = (struct free_blk *)h;
	dom_lock(heap_lock);
	/* Checked again under the lock: two CPUs may free the same block. */
	if (h->magic != MAGIC_USED) {
		dom_unlock(heap_lock);
		dom_panic("dom_free: double free of %p", ptr);
	}
	h->magic = MAGIC_FREE;
	b->next = free_list[h->cls];
	free_list[h->cls] = b;
	dom_unlock(heap_lock);
}

void *dom_calloc(size_t nmemb, size_t size)
{
	void *p;

	if (size && nmemb > (size_t)-1 / size)
		return NULL;
	p = dom_malloc(nmemb * size);
	if (p)
		memset(p, 0, nmemb * size);
	return p;
}

void *dom_realloc(void *ptr, size_t size)
{
	struct hdr *h;
	void *p;

	if (!ptr)
		return dom_malloc(size);
	if (!size) {
		dom_free(ptr);
		return NULL;
	}
	h = block_hdr(ptr, "dom_realloc");
	if (size <= h->cap)
		return ptr;
	p = dom_malloc(size);
	if (!p)
		return NULL;
	memcpy(p, ptr, h->cap);
	dom_free(ptr);
	return p;
}
