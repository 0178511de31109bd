// SPDX-License-Identifier: GPL-2.0
/*
 * The arena: all the memory a domain can own (private heap blocks, shared
 * objects, state-store objects) comes from one range of kernel virtual
 * addresses, with a shadow map beside it that says, per 16-byte granule
 * (DC_SHADOW_GRANULE), who owns it: an owner id (heap.c gives every owner
 * one), DC_SHADOW_KERNEL, DC_SHADOW_FREE, or DC_SHADOW_REDZONE after
 * each small object.  A store by confined domain code is checked against
 * the shadow before it happens (libdomain's asan.c), and services check
 * the buffers domains hand them the same way (dc_arena_owned()).
 *
 * Layout.  The range is reserved when the module loads (get_vm_area), and
 * all page tables for it made then, in process context, so that mapping a
 * page later, in a domain call, is one PTE write: we keep a pointer to
 * each page table.  The arena is used from the bottom up: below
 * dc_arena.mapped its shadow is mapped (zeroed: free), above it nothing
 * is, and the check compares against dc_arena.mapped before it reads the
 * shadow.  It grows in DC_ARENA_CHUNK steps when the buddy allocator runs
 * out, and never shrinks while the module is loaded: arena pages stay
 * mapped once used, so a page can never be unmapped while another CPU
 * may still hold it in its TLB (that would take a cross-CPU flush, which
 * cannot be done from a domain call).  Memory freed by one domain is
 * reused by the next; the high-water mark is in sysfs (arena_bytes).
 *
 * Growing needs no TLB flush: new PTEs replace empty ones, which no CPU
 * caches.  dc_arena.mapped is published after the shadow pages it
 * covers are mapped (smp_store_release), so whoever sees it can read
 * their shadow.
 *
 * Pages are handed out by a small buddy allocator (orders 0 to
 * DC_ARENA_MAX_ORDER) whose bookkeeping lives outside the arena.  Small
 * objects come from slab pages of one size class each (32 bytes to
 * 2 KiB), each slot followed by at least one red-zone granule.
 *
 * Use after free.  A freed block's shadow is cleared at once, so checked
 * stores through stale pointers fail from then on; its memory goes back
 * to the allocator only after an RCU grace period (dc_arena_free_*() are
 * called from RCU callbacks or after synchronize_rcu(), see heap.c), so a
 * store checked just before the clear, on another CPU, lands in memory
 * nobody has been given yet.  Domain calls are RCU read-side sections.
 */
#include "internal.h"
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include "ksym/ksym.h"

#define DC_ARENA_MAX_ORDER	12		/* 16 MiB: the largest block */
#define DC_ARENA_CHUNK_ORDER	9		/* grows 2 MiB at a time */
#define DC_SLAB_MIN_SHIFT	5		/* 32-byte slots */
#define DC_SLAB_CLASSES		7		/* ... to 2 KiB */

#define NO_PAGE			U32_MAX

/* Per arena page: buddy free-list links, or the slab it is. */
struct arena_page {
	u32 next, prev;		/* free list of its order (head pages) */
	u32 slab_next;		/* next partial slab page of its class */
	u16 slab_first;		/* its first free slot, or SLAB_NONE */
	u16 slab_free;		/* free slots of a slab page */
	u8 free_order;		/* order + 1 when the head of a free block */
	u8 mapped;		/* its PTE is set */
	u8 slab_class;		/* class + 1 of a slab page */
};

#define SLAB_NONE		U16_MAX

struct dc_arena dc_arena;

static unsigned long arena_mb;
module_param(arena_mb, ulong, 0444);
MODULE_PARM_DESC(arena_mb, "address space for domain memory, in MiB (default: half the RAM, at most 8 GiB)");

static struct {
	struct vm_struct *area;
	unsigned long npages;		/* of the whole reservation */
	unsigned long limit;		/* pages below which the shadow is mapped */
	struct arena_page *pages;
	pte_t **tables;			/* per 2 MiB: its page table's entries */
	u32 free_head[DC_ARENA_MAX_ORDER + 1];
	u32 slab_partial[DC_SLAB_CLASSES];
	spinlock_t lock;
	atomic_long_t mapped_pages;	/* arena and shadow pages we allocated */
	struct mm_struct *init_mm;
} arena;

static unsigned long page_addr(u32 pg)
{
	return dc_arena.base + ((unsigned long)pg << PAGE_SHIFT);
}

static u32 page_of(unsigned long addr)
{
	return (addr - dc_arena.base) >> PAGE_SHIFT;
}

/* ------------------------------------------------------------------ */
/* Page tables and mapping */

#define PTES_PER_TABLE		(1UL << (PMD_SHIFT - PAGE_SHIFT))

/* apply_to_page_range() made the table down to @pte: remember where. */
static int note_table(pte_t *pte, unsigned long addr, void *data)
{
	unsigned long i = (addr - dc_arena.base) >> PAGE_SHIFT;

	if (i % PTES_PER_TABLE == 0 || !arena.tables[i / PTES_PER_TABLE])
		arena.tables[i / PTES_PER_TABLE] = pte - i % PTES_PER_TABLE;
	return 0;
}

static pte_t *pte_of(unsigned long addr)
{
	unsigned long i = (addr - dc_arena.base) >> PAGE_SHIFT;

	return arena.tables[i / PTES_PER_TABLE] + i % PTES_PER_TABLE;
}

/* Map a zeroed page at @addr, whose PTE is empty; atomic context. */
static int map_page(unsigned long addr)
{
	struct page *page = alloc_page(GFP_ATOMIC | __GFP_NOWARN | __GFP_ZERO);

	if (!page)
		return -ENOMEM;
	set_pte_at(arena.init_mm, addr, pte_of(addr), mk_pte(page, PAGE_KERNEL));
	atomic_long_inc(&arena.mapped_pages);
	return 0;
}

/* Map the arena pages [pg, pg + n) that are not yet; under arena.lock. */
static int map_pages(u32 pg, u32 n)
{
	u32 i;
	int err;

	for (i = pg; i < pg + n; i++) {
		if (arena.pages[i].mapped)
			continue;
		err = map_page(page_addr(i));
		if (err)
			return err;
		arena.pages[i].mapped = 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Pages: a buddy allocator over the arena below arena.limit */

static void free_list_add(u32 pg, unsigned int order)
{
	struct arena_page *p = &arena.pages[pg];

	p->free_order = order + 1;
	p->prev = NO_PAGE;
	p->next = arena.free_head[order];
	if (p->next != NO_PAGE)
		arena.pages[p->next].prev = pg;
	arena.free_head[order] = pg;
}

static void free_list_del(u32 pg, unsigned int order)
{
	struct arena_page *p = &arena.pages[pg];

	if (p->prev != NO_PAGE)
		arena.pages[p->prev].next = p->next;
	else
		arena.free_head[order] = p->next;
	if (p->next != NO_PAGE)
		arena.pages[p->next].prev = p->prev;
	p->free_order = 0;
}

/* Under arena.lock. */
static void pages_put(u32 pg, unsigned int order)
{
	while (order < DC_ARENA_MAX_ORDER) {
		u32 buddy = pg ^ (1U << order);

		if (buddy >= arena.limit || arena.pages[buddy].free_order != order + 1)
			break;
		free_list_del(buddy, order);
		pg = min(pg, buddy);
		order++;
	}
	free_list_add(pg, order);
}

/*
 * Grow the arena by one free block of 2^@order pages (at least a chunk),
 * aligned to its size: map the shadow that covers it, then publish the
 * new limit.  Under arena.lock.
 */
static int grow(unsigned int order)
{
	unsigned long n = 1UL << max_t(unsigned int, order, DC_ARENA_CHUNK_ORDER);
	unsigned long start = ALIGN(arena.limit, n), s, s_end;
	u32 pg;

	if (start + n > arena.npages)
		return -ENOMEM;
	/* The shadow of [limit, start + n): the gap below start becomes free too. */
	s = (unsigned long)dc_shadow_of(page_addr(arena.limit));
	s_end = (unsigned long)dc_shadow_of(page_addr(start + n));
	for (s = PAGE_ALIGN(s); s < s_end; s += PAGE_SIZE)
		if (map_page(s))
			return -ENOMEM;	/* (those mapped stay: mapped is never undone) */
	pg = arena.limit;
	arena.limit = start + n;
	for (; pg < start; pg += 1U << DC_ARENA_CHUNK_ORDER)
		pages_put(pg, DC_ARENA_CHUNK_ORDER);
	pages_put(start, ilog2(n));
	/* The shadow it covers is mapped and zero (free) before anyone checks against it. */
	smp_store_release(&dc_arena.mapped, arena.limit << PAGE_SHIFT);
	return 0;
}

/* Under arena.lock: 2^order pages, mapped; NO_PAGE if there are none. */
static u32 pages_get(unsigned int order)
{
	unsigned int o;
	u32 pg;

	for (;;) {
		for (o = order; o <= DC_ARENA_MAX_ORDER; o++)
			if (arena.free_head[o] != NO_PAGE)
				break;
		if (o <= DC_ARENA_MAX_ORDER)
			break;
		if (grow(order))
			return NO_PAGE;
	}
	pg = arena.free_head[o];
	free_list_del(pg, o);
	while (o > order) {	/* split: the upper halves stay free */
		o--;
		free_list_add(pg + (1U << o), o);
	}
	if (map_pages(pg, 1U << order)) {
		pages_put(pg, order);
		return NO_PAGE;
	}
	return pg;
}

/*
 * @size bytes of arena in whole pages, zeroed, owned by @id, the rest of
 * the block a red zone; NULL if the arena is full or the kernel is out of
 * memory.
 */
void *dc_arena_alloc_pages(size_t size, u8 id)
{
	unsigned int order = get_order(size);
	unsigned long flags;
	void *addr;
	u32 pg;

	if (order > DC_ARENA_MAX_ORDER)
		return NULL;
	spin_lock_irqsave(&arena.lock, flags);
	pg = pages_get(order);
	spin_unlock_irqrestore(&arena.lock, flags);
	if (pg == NO_PAGE)
		return NULL;
	addr = (void *)page_addr(pg);
	/* Freed memory keeps what its last owner wrote. */
	memset(addr, 0, PAGE_SIZE << order);
	dc_arena_set_owner(addr, PAGE_SIZE << order, DC_SHADOW_REDZONE);
	dc_arena_set_owner(addr, size, id);
	return addr;
}

/* After a grace period since its shadow was cleared (see the top). */
void dc_arena_free_pages(void *addr, size_t size)
{
	unsigned long flags;

	dc_arena_set_owner(addr, PAGE_SIZE << get_order(size), DC_SHADOW_FREE);
	spin_lock_irqsave(&arena.lock, flags);
	pages_put(page_of((unsigned long)addr), get_order(size));
	spin_unlock_irqrestore(&arena.lock, flags);
}

/* ------------------------------------------------------------------ */
/* Small objects: slab pages of one size class each */

/* The smallest class whose slot holds @size bytes and a red-zone granule. */
static unsigned int slab_class(size_t size)
{
	unsigned int c = 0;

	while (((size_t)1 << (DC_SLAB_MIN_SHIFT + c)) - DC_SHADOW_GRANULE < size)
		c++;
	return c;
}

static size_t slot_size(unsigned int c)
{
	return (size_t)1 << (DC_SLAB_MIN_SHIFT + c);
}

/* A free slot holds the index of the next free one. */
static u16 *slot_link(u32 pg, unsigned int c, unsigned int slot)
{
	return (u16 *)(page_addr(pg) + slot * slot_size(c));
}

/* A new slab page of class @c, every slot free; under arena.lock. */
static u32 slab_new(unsigned int c)
{
	u32 pg = pages_get(0);
	unsigned int n = PAGE_SIZE / slot_size(c), i;
	struct arena_page *p;

	if (pg == NO_PAGE)
		return NO_PAGE;
	p = &arena.pages[pg];
	for (i = 0; i < n; i++)
		*slot_link(pg, c, i) = i + 1 < n ? i + 1 : SLAB_NONE;
	p->slab_class = c + 1;
	p->slab_free = n;
	p->slab_first = 0;
	p->slab_next = arena.slab_partial[c];
	arena.slab_partial[c] = pg;
	return pg;
}

/*
 * A small object: @size bytes (at most DC_ARENA_SMALL_MAX), zeroed, owned
 * by @id, the rest of its slot a red zone.
 */
void *dc_arena_alloc_small(size_t size, u8 id)
{
	unsigned int c = slab_class(size ?: 1), slot;
	unsigned long flags;
	struct arena_page *p;
	void *addr;
	u32 pg;

	spin_lock_irqsave(&arena.lock, flags);
	pg = arena.slab_partial[c];
	if (pg == NO_PAGE)
		pg = slab_new(c);
	if (pg == NO_PAGE) {
		spin_unlock_irqrestore(&arena.lock, flags);
		return NULL;
	}
	p = &arena.pages[pg];
	slot = p->slab_first;
	p->slab_first = *slot_link(pg, c, slot);
	if (!--p->slab_free)
		arena.slab_partial[c] = p->slab_next;	/* full: off the list */
	spin_unlock_irqrestore(&arena.lock, flags);

	addr = (void *)(page_addr(pg) + slot * slot_size(c));
	memset(addr, 0, slot_size(c));
	dc_arena_set_owner(addr, slot_size(c), DC_SHADOW_REDZONE);
	dc_arena_set_owner(addr, size ?: 1, id);
	return addr;
}

/* After a grace period since its shadow was cleared (see the top). */
void dc_arena_free_small(void *addr, size_t size)
{
	unsigned int c = slab_class(size ?: 1);
	u32 pg = page_of((unsigned long)addr);
	unsigned int slot = ((unsigned long)addr & ~PAGE_MASK) / slot_size(c);
	struct arena_page *p = &arena.pages[pg];
	unsigned long flags;

	dc_arena_set_owner(addr, slot_size(c), DC_SHADOW_FREE);
	spin_lock_irqsave(&arena.lock, flags);
	*slot_link(pg, c, slot) = p->slab_first;
	p->slab_first = slot;
	if (!p->slab_free++) {			/* was full: partial again */
		p->slab_next = arena.slab_partial[c];
		arena.slab_partial[c] = pg;
	}
	spin_unlock_irqrestore(&arena.lock, flags);
}

/* ------------------------------------------------------------------ */
/* Ownership */

/* Mark [addr, addr + size) (@addr granule-aligned) as @id's. */
void dc_arena_set_owner(void *addr, size_t size, u8 id)
{
	memset(dc_shadow_of((unsigned long)addr), id,
	       DIV_ROUND_UP(size, DC_SHADOW_GRANULE));
}

/* Is every granule of [addr, addr + len) in the arena owned by @a or @b? */
bool dc_arena_owned(unsigned long addr, size_t len, u8 a, u8 b)
{
	unsigned long off = addr - dc_arena.base, g, last;
	unsigned long mapped = smp_load_acquire(&dc_arena.mapped);
	const u64 ones = 0x0101010101010101ull;
	u64 w;
	u8 v;

	if (!len || off >= mapped || len > mapped - off)
		return false;
	last = (off + len - 1) / DC_SHADOW_GRANULE;
	g = off / DC_SHADOW_GRANULE;
	/*
	 * Eight granules (128 bytes) at a time where all eight are one of
	 * the two owners': a page handed to a service (req_copy) is 256
	 * granules, and one compare per byte cost about 2,000 instructions
	 * per page.  The shadow's base is page aligned, so the word read is
	 * aligned.  A word read racing with a free sees, byte by byte, the
	 * old or the new value, as the byte reads did.
	 */
	while (g <= last) {
		if (IS_ALIGNED(g, 8) && last - g >= 7) {
			w = READ_ONCE(*(const u64 *)&dc_arena.shadow[g]);
			if (w == a * ones || w == b * ones) {
				g += 8;
				continue;
			}
		}
		v = READ_ONCE(dc_arena.shadow[g]);
		if (v != a && v != b)
			return false;
		g++;
	}
	return true;
}

/* Who owns @addr, for a stray store's report: a shadow value, or -1 outside the arena. */
int dc_arena_owner_of(unsigned long addr)
{
	unsigned long off = addr - dc_arena.base;

	if (off >= dc_arena.size)
		return -1;
	if (off >= smp_load_acquire(&dc_arena.mapped))
		return DC_SHADOW_FREE;
	return READ_ONCE(dc_arena.shadow[off / DC_SHADOW_GRANULE]);
}

long dc_arena_mapped_bytes(void)
{
	return atomic_long_read(&arena.mapped_pages) << PAGE_SHIFT;
}

/* ------------------------------------------------------------------ */

/*
 * free_vm_area() clears the PTEs of @area and flushes the TLBs; only then
 * are the pages that were mapped there freed.
 */
static void unmap_and_free(struct vm_struct *area)
{
	unsigned long addr, end = dc_arena.base + dc_arena.size +
				  round_up(dc_arena.size / DC_SHADOW_GRANULE, PMD_SIZE);
	LIST_HEAD(pages);
	struct page *page, *next;

	for (addr = dc_arena.base; addr < end; addr += PAGE_SIZE) {
		pte_t pte;

		/* (Tables may be missing if making them failed half-way.) */
		if (!arena.tables[((addr - dc_arena.base) >> PAGE_SHIFT) / PTES_PER_TABLE])
			continue;
		pte = ptep_get(pte_of(addr));
		if (pte_present(pte))
			list_add(&pte_page(pte)->lru, &pages);
	}
	free_vm_area(area);
	list_for_each_entry_safe(page, next, &pages, lru)
		__free_page(page);
}

int dc_arena_init(void)
{
	unsigned long ram = totalram_pages() << PAGE_SHIFT;
	unsigned long size, shadow, vm_size, tables;
	void *(*get_vm_area)(unsigned long size, unsigned long flags);
	unsigned int o;
	int err;

	/* Address space and page tables only; pages are mapped as used. */
	size = arena_mb ? arena_mb << 20 : min(ram / 2, 8UL << 30);
	size = round_up(max(size, 64UL << 20), PAGE_SIZE << DC_ARENA_MAX_ORDER);
	shadow = round_up(size / DC_SHADOW_GRANULE, PMD_SIZE);
	vm_size = size + shadow;

	get_vm_area = (void *)dc_ksym("get_vm_area");
	arena.init_mm = (void *)dc_ksym("init_mm");
	if (!get_vm_area || !arena.init_mm) {
		pr_err("arena: cannot find get_vm_area or init_mm\n");
		return -ENOENT;
	}
	arena.npages = size >> PAGE_SHIFT;
	tables = vm_size / PMD_SIZE;
	arena.tables = kvcalloc(tables, sizeof(*arena.tables), GFP_KERNEL);
	arena.pages = kvcalloc(arena.npages, sizeof(*arena.pages), GFP_KERNEL);
	err = -ENOMEM;
	if (!arena.tables || !arena.pages)
		goto out_free;
	/* + PMD_SIZE: room to align the start, so that each table is ours alone. */
	arena.area = (struct vm_struct *)DC_CALL2((unsigned long)get_vm_area,
						  vm_size + PMD_SIZE, VM_ALLOC);
	if (!arena.area) {
		pr_err("arena: cannot reserve %lu MiB of address space\n", vm_size >> 20);
		goto out_free;
	}
	dc_arena.base = ALIGN((unsigned long)arena.area->addr, PMD_SIZE);
	dc_arena.size = size;
	dc_arena.shadow = (u8 *)(dc_arena.base + size);
	dc_arena.mapped = 0;
	err = apply_to_page_range(arena.init_mm, dc_arena.base, vm_size, note_table, NULL);
	if (err) {
		pr_err("arena: cannot make page tables (%d)\n", err);
		goto out_area;
	}
	spin_lock_init(&arena.lock);
	arena.limit = 0;
	atomic_long_set(&arena.mapped_pages, 0);
	for (o = 0; o <= DC_ARENA_MAX_ORDER; o++)
		arena.free_head[o] = NO_PAGE;
	for (o = 0; o < DC_SLAB_CLASSES; o++)
		arena.slab_partial[o] = NO_PAGE;
	/* A first chunk: the store check relies on mapped never being 0. */
	spin_lock_irq(&arena.lock);
	err = grow(0);
	spin_unlock_irq(&arena.lock);
	if (err)
		goto out_area;
	pr_info("arena: %lu MiB of address space for domain memory\n", size >> 20);
	return 0;

out_area:
	unmap_and_free(arena.area);
out_free:
	kvfree(arena.pages);
	kvfree(arena.tables);
	return err;
}

/* After every domain is gone. */
void dc_arena_exit(void)
{
	unmap_and_free(arena.area);
	kvfree(arena.pages);
	kvfree(arena.tables);
}
