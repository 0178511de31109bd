// SPDX-License-Identifier: GPL-2.0
/*
 * Private heaps, the shared heap and locks: everything a domain can hold
 * is tracked by its owner, so all of it is reclaimed when the instance is
 * unloaded, replaced or fails, and charged to its domain's quota
 * (mem_max), past which allocations fail.
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
#include <linux/rcupdate.h>
#include <linux/xarray.h>

/* The most a single owner may hold in its private heap. */
#define DC_HEAP_MAX_BYTES	(512UL << 20)
/* The largest shared object. */
#define DC_OBJ_MAX_BYTES	(16UL << 20)
/* Locks one owner may make (svc->lock_new). */
#define DC_MAX_LOCKS		256

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
	struct rcu_head rcu;		/* dc_obj_free_deferred() */
	void *data;			/* inline_data, or whole pages */
	/*
	 * Said, not inferred from data != inline_data: a small struct can end
	 * exactly where the page allocator's next page begins.
	 */
	bool in_pages;
	u8 inline_data[] __aligned(16);
};

static DEFINE_XARRAY_FLAGS(dc_objects, XA_FLAGS_ALLOC1 | XA_FLAGS_LOCK_IRQ);
static u32 dc_obj_next;

/*
 * The page index: the owner of every page of domain memory that comes in
 * whole pages (private heap blocks, the data of objects of a page or
 * more), by virtual page number.  Services check buffers a domain hands
 * them against it (dc_heap_owns()).  Changed under its own lock, which
 * nests inside the objects' lock; read under RCU (calls are read-side).
 */
static DEFINE_XARRAY_FLAGS(dc_page_owner, XA_FLAGS_LOCK_IRQ);

static atomic_long_t total_heap_bytes;
static atomic_long_t total_objects;
static atomic_long_t total_object_bytes;

struct dc_owner dc_kernel_owner;

void dc_owner_init(struct dc_owner *owner, struct dc_quota *quota)
{
	spin_lock_init(&owner->lock);
	INIT_LIST_HEAD(&owner->pages);
	INIT_LIST_HEAD(&owner->objects);
	owner->quota = quota;
	owner->locks = NULL;
	owner->nr_locks = 0;
	atomic_long_set(&owner->heap_bytes, 0);
	atomic_long_set(&owner->shared_objects, 0);
	atomic_long_set(&owner->shared_bytes, 0);
}

/* Charge @bytes to @q; false (nothing charged) past its cap. */
static bool quota_charge(struct dc_quota *q, long bytes)
{
	if (!q)
		return true;
	if (atomic_long_add_return(bytes, &q->used) > q->max) {
		atomic_long_sub(bytes, &q->used);
		return false;
	}
	return true;
}

static void quota_uncharge(struct dc_quota *q, long bytes)
{
	if (q)
		atomic_long_sub(bytes, &q->used);
}

/* Record @owner (NULL: none) for the pages of [addr, addr + bytes). */
static int index_pages(void *addr, size_t bytes, struct dc_owner *owner)
{
	unsigned long first = (unsigned long)addr >> PAGE_SHIFT;
	unsigned long n = DIV_ROUND_UP(bytes, PAGE_SIZE), i;
	unsigned long flags;
	int err = 0;

	xa_lock_irqsave(&dc_page_owner, flags);
	for (i = 0; i < n && !err; i++)
		err = xa_err(__xa_store(&dc_page_owner, first + i, owner, GFP_ATOMIC));
	xa_unlock_irqrestore(&dc_page_owner, flags);
	return err;
}

void *dc_pages_alloc(struct dc_owner *owner, size_t npages)
{
	struct dc_heap_block *b;
	unsigned long flags;
	size_t bytes;

	if (!npages || npages > (DC_HEAP_MAX_BYTES >> PAGE_SHIFT))
		return NULL;
	bytes = PAGE_SIZE << get_order(npages << PAGE_SHIFT);
	if (atomic_long_read(&owner->heap_bytes) + bytes > DC_HEAP_MAX_BYTES)
		return NULL;
	if (!quota_charge(owner->quota, bytes))
		return NULL;
	b = kmalloc(sizeof(*b), GFP_ATOMIC | __GFP_NOWARN);
	if (!b)
		goto out_quota;
	b->order = get_order(bytes);
	b->page = alloc_pages(GFP_ATOMIC | __GFP_NOWARN | __GFP_ZERO, b->order);
	if (!b->page)
		goto out_block;
	if (index_pages(page_address(b->page), bytes, owner))
		goto out_pages;
	spin_lock_irqsave(&owner->lock, flags);
	list_add(&b->node, &owner->pages);
	spin_unlock_irqrestore(&owner->lock, flags);
	atomic_long_add(bytes, &owner->heap_bytes);
	atomic_long_add(bytes, &total_heap_bytes);
	return page_address(b->page);

out_pages:
	index_pages(page_address(b->page), bytes, NULL);
	__free_pages(b->page, b->order);
out_block:
	kfree(b);
out_quota:
	quota_uncharge(owner->quota, bytes);
	return NULL;
}

static void heap_block_free(struct dc_owner *owner, struct dc_heap_block *b)
{
	size_t bytes = PAGE_SIZE << b->order;

	index_pages(page_address(b->page), bytes, NULL);
	atomic_long_sub(bytes, &owner->heap_bytes);
	atomic_long_sub(bytes, &total_heap_bytes);
	quota_uncharge(owner->quota, bytes);
	__free_pages(b->page, b->order);
	kfree(b);
}

/* 0, or -EACCES if @addr is not a block @owner has. */
int dc_pages_free(struct dc_owner *owner, void *addr)
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
	if (!found)
		return -EACCES;
	heap_block_free(owner, found);
	return 0;
}

static size_t obj_pages_bytes(size_t size)
{
	return PAGE_SIZE << get_order(size);
}

static void obj_destroy(struct dc_obj *obj)
{
	atomic_long_dec(&total_objects);
	atomic_long_sub(obj->size, &total_object_bytes);
	if (obj->in_pages) {
		index_pages(obj->data, obj_pages_bytes(obj->size), NULL);
		free_pages((unsigned long)obj->data, get_order(obj->size));
	}
	kfree(obj);
}

dc_obj_t dc_obj_alloc(struct dc_owner *owner, u32 type, size_t size)
{
	struct dc_obj *obj;
	unsigned long flags;
	u32 id;

	if (size > DC_OBJ_MAX_BYTES || !quota_charge(owner->quota, size))
		return 0;
	if (size >= PAGE_SIZE) {
		struct page *page;

		obj = kzalloc(sizeof(*obj), GFP_ATOMIC | __GFP_NOWARN);
		page = obj ? alloc_pages(GFP_ATOMIC | __GFP_NOWARN | __GFP_ZERO,
					 get_order(size)) : NULL;
		if (!page) {
			kfree(obj);
			goto out_quota;
		}
		obj->data = page_address(page);
		obj->in_pages = true;
		if (index_pages(obj->data, obj_pages_bytes(size), owner)) {
			index_pages(obj->data, obj_pages_bytes(size), NULL);
			free_pages((unsigned long)obj->data, get_order(size));
			kfree(obj);
			goto out_quota;
		}
	} else {
		obj = kzalloc(struct_size(obj, inline_data, size),
			      GFP_ATOMIC | __GFP_NOWARN);
		if (!obj)
			goto out_quota;
		obj->data = obj->inline_data;
	}
	obj->type = type;
	obj->size = size;
	obj->owner = owner;
	atomic_long_inc(&total_objects);
	atomic_long_add(size, &total_object_bytes);
	xa_lock_irqsave(&dc_objects, flags);
	if (__xa_alloc_cyclic(&dc_objects, &id, obj, XA_LIMIT(1, INT_MAX),
			      &dc_obj_next, GFP_ATOMIC) < 0) {
		xa_unlock_irqrestore(&dc_objects, flags);
		obj_destroy(obj);
		goto out_quota;
	}
	obj->id = id;
	list_add(&obj->node, &owner->objects);
	xa_unlock_irqrestore(&dc_objects, flags);
	atomic_long_inc(&owner->shared_objects);
	atomic_long_add(size, &owner->shared_bytes);
	return id;

out_quota:
	quota_uncharge(owner->quota, size);
	return 0;
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
	quota_uncharge(owner->quota, obj->size);
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

/* Take @id away from @owner: NULL unless @owner owns it. */
static struct dc_obj *obj_unlink(struct dc_owner *owner, dc_obj_t id)
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
	if (obj)
		obj_account_out(owner, obj);
	return obj;
}

int dc_obj_free(struct dc_owner *owner, dc_obj_t id)
{
	struct dc_obj *obj = obj_unlink(owner, id);

	if (!obj)
		return -EACCES;
	obj_destroy(obj);
	return 0;
}

static void obj_destroy_rcu(struct rcu_head *head)
{
	obj_destroy(container_of(head, struct dc_obj, rcu));
}

/*
 * Free @id once no call can still be reading its data: for objects other
 * CPUs may have pointers into (the state store hands out its objects'
 * data), which they may use until their call ends.
 */
int dc_obj_free_deferred(struct dc_owner *owner, dc_obj_t id)
{
	struct dc_obj *obj = obj_unlink(owner, id);

	if (!obj)
		return -EACCES;
	call_rcu(&obj->rcu, obj_destroy_rcu);
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
		/* Cannot fail: the pages are indexed already. */
		if (obj->in_pages)
			index_pages(obj->data, obj_pages_bytes(obj->size), to);
	}
	xa_unlock_irqrestore(&dc_objects, flags);
	if (!obj)
		return -EACCES;
	obj_account_out(from, obj);
	/* The receiver did not ask for it: it is charged, never refused. */
	if (to->quota)
		atomic_long_add(obj->size, &to->quota->used);
	atomic_long_inc(&to->shared_objects);
	atomic_long_add(obj->size, &to->shared_bytes);
	return 0;
}

/*
 * Does [addr, addr + len) lie in memory that @owner or @store (may be
 * NULL) holds: a private heap block, or an object's data?  Pages come
 * from the page index; objects smaller than a page are looked for in the
 * two owners' lists.  Under RCU (a domain call).
 */
bool dc_heap_owns(struct dc_owner *owner, struct dc_owner *store,
		  unsigned long addr, size_t len)
{
	unsigned long vpn, last;
	struct dc_owner *owners[2] = { owner, store };
	unsigned long flags;
	struct dc_obj *obj;
	bool found = false;
	unsigned int i;

	if (!len || addr + len < addr)
		return false;
	last = (addr + len - 1) >> PAGE_SHIFT;
	for (vpn = addr >> PAGE_SHIFT; vpn <= last; vpn++) {
		void *o = xa_load(&dc_page_owner, vpn);

		if (!o || (o != owner && o != store))
			break;
	}
	if (vpn > last)
		return true;
	xa_lock_irqsave(&dc_objects, flags);
	for (i = 0; i < ARRAY_SIZE(owners) && owners[i] && !found; i++) {
		list_for_each_entry(obj, &owners[i]->objects, node) {
			unsigned long data = (unsigned long)obj->data;

			if (!obj->in_pages && addr >= data &&
			    addr - data < obj->size && len <= obj->size - (addr - data)) {
				found = true;
				break;
			}
		}
	}
	xa_unlock_irqrestore(&dc_objects, flags);
	return found;
}

/* A new lock of @owner; NULL at DC_MAX_LOCKS or out of memory. */
struct dc_lock *dc_lock_new(struct dc_owner *owner)
{
	struct dc_lock *table = NULL, *lock = NULL;
	unsigned long flags;

	if (!READ_ONCE(owner->locks))
		table = kcalloc(DC_MAX_LOCKS, sizeof(*table), GFP_ATOMIC | __GFP_NOWARN);
	spin_lock_irqsave(&owner->lock, flags);
	if (!owner->locks && table) {
		owner->locks = table;
		table = NULL;
	}
	if (owner->locks && owner->nr_locks < DC_MAX_LOCKS) {
		lock = &owner->locks[owner->nr_locks];
		spin_lock_init(&lock->lock);
		lock->holder = 0;
		/* Publishes the initialised lock to dc_lock_valid(). */
		smp_store_release(&owner->nr_locks, owner->nr_locks + 1);
	}
	spin_unlock_irqrestore(&owner->lock, flags);
	kfree(table);
	return lock;
}

/* Is @lock one that @owner made?  Checked before it is touched. */
bool dc_lock_valid(struct dc_owner *owner, const struct dc_lock *lock)
{
	unsigned long off = (unsigned long)lock - (unsigned long)READ_ONCE(owner->locks);

	return owner->locks && off % sizeof(*lock) == 0 &&
	       off / sizeof(*lock) < smp_load_acquire(&owner->nr_locks);
}

/* Free everything @owner holds.  Nobody may use it concurrently. */
void dc_owner_release(struct dc_owner *owner)
{
	struct dc_heap_block *b, *bn;
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
	kfree(owner->locks);
	owner->locks = NULL;
	owner->nr_locks = 0;
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
	dc_owner_init(&dc_kernel_owner, NULL);
	return 0;
}

void dc_heap_exit(void)
{
	dc_owner_release(&dc_kernel_owner);
	/* Deferred frees call back into this module. */
	rcu_barrier();
	WARN_ON(!xa_empty(&dc_objects));
	if (WARN_ON(!xa_empty(&dc_page_owner))) {
		unsigned long vpn, n = 0;
		void *owner;

		xa_for_each(&dc_page_owner, vpn, owner)
			if (n++ < 4)
				pr_err("page index: page %lx still recorded for owner %px\n",
				       vpn, owner);
		pr_err("page index: %lu pages still recorded\n", n);
		xa_destroy(&dc_page_owner);
	}
}
