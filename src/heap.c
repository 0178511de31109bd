// SPDX-License-Identifier: GPL-2.0
/*
 * Private heaps, the shared heap and locks: everything a domain can hold
 * is tracked by its owner, so all of it is reclaimed when the instance is
 * unloaded, replaced or fails.
 *
 * Domain calls run with preemption disabled, so allocations here are
 * atomic.  Shared objects live in one xarray (id -> object); its lock
 * orders lookups, ownership changes and frees, so an object is
 * never used after it is freed by its owner on another CPU.
 */
#include "internal.h"
#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/xarray.h>

/* The most a single owner may hold in its private heap. */
#define DC_HEAP_MAX_BYTES	(512UL << 20)
/* The largest shared object. */
#define DC_OBJ_MAX_BYTES	(16UL << 20)

struct dc_heap_block {
	struct list_head node;
	struct page *page;
	unsigned int order;
};

/*
 * Objects of a page or more get whole pages for their data, so the disk
 * contents of a memory-backed block domain cost no more than the pages.
 */
struct dc_obj {
	u32 id;
	u32 type;
	size_t size;
	struct dc_owner *owner;
	struct list_head node;		/* owner->objects */
	void *data;			/* inline_data, or whole pages */
	u8 inline_data[] __aligned(16);
};

struct dc_lock {
	spinlock_t lock;
	unsigned long flags;		/* saved by the holder */
	struct list_head node;		/* owner->locks */
};

static DEFINE_XARRAY_FLAGS(dc_objects, XA_FLAGS_ALLOC1 | XA_FLAGS_LOCK_IRQ);
static u32 dc_obj_next;

static atomic_long_t total_heap_bytes;
static atomic_long_t total_objects;
static atomic_long_t total_object_bytes;

struct dc_owner dc_kernel_owner;

void dc_owner_init(struct dc_owner *owner)
{
	spin_lock_init(&owner->lock);
	INIT_LIST_HEAD(&owner->pages);
	INIT_LIST_HEAD(&owner->objects);
	INIT_LIST_HEAD(&owner->locks);
	atomic_long_set(&owner->heap_bytes, 0);
	atomic_long_set(&owner->shared_objects, 0);
	atomic_long_set(&owner->shared_bytes, 0);
}

void *dc_pages_alloc(struct dc_owner *owner, size_t npages)
{
	struct dc_heap_block *b;
	unsigned long flags;
	size_t bytes;

	if (!npages || npages > (DC_HEAP_MAX_BYTES >> PAGE_SHIFT))
		return NULL;
	bytes = npages << PAGE_SHIFT;
	if (atomic_long_read(&owner->heap_bytes) + (PAGE_SIZE << get_order(bytes)) >
	    DC_HEAP_MAX_BYTES)
		return NULL;
	b = kmalloc(sizeof(*b), GFP_ATOMIC | __GFP_NOWARN);
	if (!b)
		return NULL;
	b->order = get_order(bytes);
	b->page = alloc_pages(GFP_ATOMIC | __GFP_NOWARN | __GFP_ZERO, b->order);
	if (!b->page) {
		kfree(b);
		return NULL;
	}
	spin_lock_irqsave(&owner->lock, flags);
	list_add(&b->node, &owner->pages);
	spin_unlock_irqrestore(&owner->lock, flags);
	atomic_long_add(PAGE_SIZE << b->order, &owner->heap_bytes);
	atomic_long_add(PAGE_SIZE << b->order, &total_heap_bytes);
	return page_address(b->page);
}

static void heap_block_free(struct dc_owner *owner, struct dc_heap_block *b)
{
	atomic_long_sub(PAGE_SIZE << b->order, &owner->heap_bytes);
	atomic_long_sub(PAGE_SIZE << b->order, &total_heap_bytes);
	__free_pages(b->page, b->order);
	kfree(b);
}

void dc_pages_free(struct dc_owner *owner, void *addr)
{
	struct dc_heap_block *b, *found = NULL;
	unsigned long flags;

	spin_lock_irqsave(&owner->lock, flags);
	list_for_each_entry(b, &owner->pages, node) {
		if (page_address(b->page) == addr) {
			found = b;
			list_del(&b->node);
			break;
		}
	}
	spin_unlock_irqrestore(&owner->lock, flags);
	if (found)
		heap_block_free(owner, found);
	else
		pr_warn_ratelimited("pages_free of %px, which the caller does not own\n",
				    addr);
}

dc_obj_t dc_obj_alloc(struct dc_owner *owner, u32 type, size_t size)
{
	struct dc_obj *obj;
	unsigned long flags;
	u32 id;

	if (size > DC_OBJ_MAX_BYTES)
		return 0;
	if (size >= PAGE_SIZE) {
		struct page *page;

		obj = kzalloc(sizeof(*obj), GFP_ATOMIC | __GFP_NOWARN);
		page = obj ? alloc_pages(GFP_ATOMIC | __GFP_NOWARN | __GFP_ZERO,
					 get_order(size)) : NULL;
		if (!page) {
			kfree(obj);
			return 0;
		}
		obj->data = page_address(page);
	} else {
		obj = kzalloc(struct_size(obj, inline_data, size),
			      GFP_ATOMIC | __GFP_NOWARN);
		if (!obj)
			return 0;
		obj->data = obj->inline_data;
	}
	obj->type = type;
	obj->size = size;
	obj->owner = owner;
	xa_lock_irqsave(&dc_objects, flags);
	if (__xa_alloc_cyclic(&dc_objects, &id, obj, XA_LIMIT(1, INT_MAX),
			      &dc_obj_next, GFP_ATOMIC) < 0) {
		xa_unlock_irqrestore(&dc_objects, flags);
		if (obj->data != obj->inline_data)
			free_pages((unsigned long)obj->data, get_order(size));
		kfree(obj);
		return 0;
	}
	obj->id = id;
	list_add(&obj->node, &owner->objects);
	xa_unlock_irqrestore(&dc_objects, flags);
	atomic_long_inc(&owner->shared_objects);
	atomic_long_add(size, &owner->shared_bytes);
	atomic_long_inc(&total_objects);
	atomic_long_add(size, &total_object_bytes);
	return id;
}

/* Under the xarray's lock: the object if @owner owns it. */
static struct dc_obj *owned(struct dc_owner *owner, dc_obj_t id)
{
	struct dc_obj *obj;

	if (!id || id > INT_MAX)
		return NULL;
	obj = xa_load(&dc_objects, id);
	return obj && obj->owner == owner ? obj : NULL;
}

void *dc_obj_data(struct dc_owner *owner, dc_obj_t id, u32 type, size_t *size)
{
	struct dc_obj *obj;
	unsigned long flags;
	void *data = NULL;

	xa_lock_irqsave(&dc_objects, flags);
	obj = owned(owner, id);
	if (obj && (!type || obj->type == type)) {
		data = obj->data;
		if (size)
			*size = obj->size;
	} else if (size) {
		*size = 0;
	}
	xa_unlock_irqrestore(&dc_objects, flags);
	return data;
}

static void obj_account_out(struct dc_owner *owner, struct dc_obj *obj)
{
	atomic_long_dec(&owner->shared_objects);
	atomic_long_sub(obj->size, &owner->shared_bytes);
}

static void obj_destroy(struct dc_obj *obj)
{
	atomic_long_dec(&total_objects);
	atomic_long_sub(obj->size, &total_object_bytes);
	if (obj->data != obj->inline_data)
		free_pages((unsigned long)obj->data, get_order(obj->size));
	kfree(obj);
}

/*
 * The object itself, for holders that keep it owned (the state store);
 * it stays valid while @owner owns it.
 */
struct dc_obj *dc_obj_get_owned(struct dc_owner *owner, dc_obj_t id)
{
	struct dc_obj *obj;
	unsigned long flags;

	xa_lock_irqsave(&dc_objects, flags);
	obj = owned(owner, id);
	xa_unlock_irqrestore(&dc_objects, flags);
	return obj;
}

dc_obj_t dc_obj_id(const struct dc_obj *obj)
{
	return obj->id;
}

void *dc_obj_payload(const struct dc_obj *obj, size_t *size)
{
	if (size)
		*size = obj->size;
	return obj->data;
}

int dc_obj_free(struct dc_owner *owner, dc_obj_t id)
{
	struct dc_obj *obj;
	unsigned long flags;

	xa_lock_irqsave(&dc_objects, flags);
	obj = owned(owner, id);
	if (obj) {
		__xa_erase(&dc_objects, obj->id);
		list_del(&obj->node);
	}
	xa_unlock_irqrestore(&dc_objects, flags);
	if (!obj)
		return -EACCES;
	obj_account_out(owner, obj);
	obj_destroy(obj);
	return 0;
}

/* Move an object from @from to @to; -EACCES unless @from owns it. */
int dc_obj_give(dc_obj_t id, struct dc_owner *from, struct dc_owner *to)
{
	struct dc_obj *obj;
	unsigned long flags;

	xa_lock_irqsave(&dc_objects, flags);
	obj = owned(from, id);
	if (obj) {
		list_move(&obj->node, &to->objects);
		obj->owner = to;
	}
	xa_unlock_irqrestore(&dc_objects, flags);
	if (!obj)
		return -EACCES;
	obj_account_out(from, obj);
	atomic_long_inc(&to->shared_objects);
	atomic_long_add(obj->size, &to->shared_bytes);
	return 0;
}

struct dc_lock *dc_lock_new(struct dc_owner *owner)
{
	struct dc_lock *lock = kzalloc(sizeof(*lock), GFP_ATOMIC | __GFP_NOWARN);
	unsigned long flags;

	if (!lock)
		return NULL;
	spin_lock_init(&lock->lock);
	spin_lock_irqsave(&owner->lock, flags);
	list_add(&lock->node, &owner->locks);
	spin_unlock_irqrestore(&owner->lock, flags);
	return lock;
}

void dc_lock_acquire(struct dc_lock *lock)
{
	unsigned long flags;

	spin_lock_irqsave(&lock->lock, flags);
	lock->flags = flags;
}

void dc_lock_release(struct dc_lock *lock)
{
	spin_unlock_irqrestore(&lock->lock, lock->flags);
}

/* Free everything @owner holds.  Nobody may use it concurrently. */
void dc_owner_release(struct dc_owner *owner)
{
	struct dc_heap_block *b, *bn;
	struct dc_lock *l, *ln;
	struct dc_obj *obj;
	unsigned long flags;

	for (;;) {
		xa_lock_irqsave(&dc_objects, flags);
		obj = list_first_entry_or_null(&owner->objects, struct dc_obj, node);
		if (obj) {
			__xa_erase(&dc_objects, obj->id);
			list_del(&obj->node);
		}
		xa_unlock_irqrestore(&dc_objects, flags);
		if (!obj)
			break;
		obj_account_out(owner, obj);
		obj_destroy(obj);
	}
	list_for_each_entry_safe(b, bn, &owner->pages, node) {
		list_del(&b->node);
		heap_block_free(owner, b);
	}
	list_for_each_entry_safe(l, ln, &owner->locks, node) {
		list_del(&l->node);
		kfree(l);
	}
}

long dc_heap_total_bytes(void)
{
	return atomic_long_read(&total_heap_bytes);
}

long dc_shared_total_objects(void)
{
	return atomic_long_read(&total_objects);
}

long dc_shared_total_bytes(void)
{
	return atomic_long_read(&total_object_bytes);
}

int dc_heap_init(void)
{
	dc_owner_init(&dc_kernel_owner);
	return 0;
}

void dc_heap_exit(void)
{
	dc_owner_release(&dc_kernel_owner);
	WARN_ON(!xa_empty(&dc_objects));
}
