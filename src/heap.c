// SPDX-License-Identifier: GPL-2.0
/*
 * Private heaps, the shared heap and locks: everything a domain can hold
 * is tracked by its owner, so all of it is reclaimed when the instance is
 * unloaded, replaced or fails, and charged to its domain's quota
 * (mem_max), past which allocations fail.
 *
 * All of it lives in the arena (arena.c), whose shadow says who owns
 * each 16-byte granule: every owner has an id (an IDA of 8-bit ids), and
 * giving an object away rewrites its shadow, so that confined domain
 * code, and the services, can check a store against it in a few
 * instructions.
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
	struct rcu_head rcu;		/* heap_block_free() */
	void *addr;			/* in the arena */
	size_t bytes;
};

/*
 * An object's data is in the arena: a slab slot followed by a red zone,
 * or, above DC_ARENA_SMALL_MAX, whole pages, so the disk contents of a
 * memory-backed block domain cost no more than the pages.
 */
struct dc_obj {
	u32 id;
	u32 type;
	size_t size;
	struct dc_owner *owner;
	struct list_head node;		/* owner->objects */
	struct rcu_head rcu;		/* obj_destroy() */
	void *data;
};

/*
 * Owners by shadow id, for stray-store reports.  An id is taken by
 * dc_owner_init() and given back by dc_owner_release(), once nothing in
 * the arena is marked with it; ids are handed out round robin so that a
 * stale mark would not name a new owner at once.
 */
static struct dc_owner *owners_by_id[DC_SHADOW_LAST_ID + 1];
static unsigned int owner_next_id = DC_SHADOW_FIRST_ID;
static DEFINE_SPINLOCK(owners_lock);

static DEFINE_XARRAY_FLAGS(dc_objects, XA_FLAGS_ALLOC1 | XA_FLAGS_LOCK_IRQ);
static u32 dc_obj_next;

static atomic_long_t total_heap_bytes;
static atomic_long_t total_objects;
static atomic_long_t total_object_bytes;

struct dc_owner dc_kernel_owner;

static void owner_lists_init(struct dc_owner *owner, struct dc_quota *quota,
			     const char *name)
{
	owner->name = name;
	owner->quota = quota;
	spin_lock_init(&owner->lock);
	INIT_LIST_HEAD(&owner->pages);
	INIT_LIST_HEAD(&owner->objects);
	owner->locks = NULL;
	owner->nr_locks = 0;
	atomic_long_set(&owner->heap_bytes, 0);
	atomic_long_set(&owner->shared_objects, 0);
	atomic_long_set(&owner->shared_bytes, 0);
}

static void dc_owner_init_kernel(struct dc_owner *owner)
{
	owner_lists_init(owner, NULL, "the kernel");
	owner->id = DC_SHADOW_KERNEL;
}

int dc_owner_init(struct dc_owner *owner, struct dc_quota *quota, const char *name)
{
	unsigned int i, id = 0;
	unsigned long flags;

	owner_lists_init(owner, quota, name);
	spin_lock_irqsave(&owners_lock, flags);
	for (i = 0; i <= DC_SHADOW_LAST_ID - DC_SHADOW_FIRST_ID && !id; i++) {
		unsigned int try = owner_next_id;

		owner_next_id = try == DC_SHADOW_LAST_ID ? DC_SHADOW_FIRST_ID : try + 1;
		if (!owners_by_id[try]) {
			owners_by_id[try] = owner;
			id = try;
		}
	}
	spin_unlock_irqrestore(&owners_lock, flags);
	if (!id)
		return -ENOSPC;
	owner->id = id;
	return 0;
}

/*
 * Once nothing in the arena is marked with @owner's id (its memory is
 * freed or given away), the id may go to a new owner.
 */
static void owner_id_put(struct dc_owner *owner)
{
	unsigned long flags;

	spin_lock_irqsave(&owners_lock, flags);
	if (owner->id >= DC_SHADOW_FIRST_ID && owner->id <= DC_SHADOW_LAST_ID &&
	    owners_by_id[owner->id] == owner)
		owners_by_id[owner->id] = NULL;
	spin_unlock_irqrestore(&owners_lock, flags);
	owner->id = DC_SHADOW_FREE;
}

bool dc_owner_name(u8 id, char *buf, size_t len)
{
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&owners_lock, flags);
	if (id >= DC_SHADOW_FIRST_ID && id <= DC_SHADOW_LAST_ID && owners_by_id[id]) {
		strscpy(buf, owners_by_id[id]->name, len);
		found = true;
	}
	spin_unlock_irqrestore(&owners_lock, flags);
	return found;
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
	b->bytes = bytes;
	b->addr = dc_arena_alloc_pages(bytes, owner->id);
	if (!b->addr)
		goto out_block;
	spin_lock_irqsave(&owner->lock, flags);
	list_add(&b->node, &owner->pages);
	spin_unlock_irqrestore(&owner->lock, flags);
	atomic_long_add(bytes, &owner->heap_bytes);
	atomic_long_add(bytes, &total_heap_bytes);
	return b->addr;

out_block:
	kfree(b);
out_quota:
	quota_uncharge(owner->quota, bytes);
	return NULL;
}

static void heap_block_destroy(struct rcu_head *head)
{
	struct dc_heap_block *b = container_of(head, struct dc_heap_block, rcu);

	dc_arena_free_pages(b->addr, b->bytes);
	kfree(b);
}

/*
 * Unowned at once (stores through stale pointers fail from now on), back
 * to the arena after a grace period (arena.c explains why).
 */
static void heap_block_free(struct dc_owner *owner, struct dc_heap_block *b)
{
	dc_arena_set_owner(b->addr, b->bytes, DC_SHADOW_FREE);
	atomic_long_sub(b->bytes, &owner->heap_bytes);
	atomic_long_sub(b->bytes, &total_heap_bytes);
	quota_uncharge(owner->quota, b->bytes);
	call_rcu(&b->rcu, heap_block_destroy);
}

/* 0, or -EACCES if @addr is not a block @owner has. */
int dc_pages_free(struct dc_owner *owner, void *addr)
{
	struct dc_heap_block *b, *found = NULL;
	unsigned long flags;

	spin_lock_irqsave(&owner->lock, flags);
	list_for_each_entry(b, &owner->pages, node) {
		if (b->addr == addr) {
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

static void *obj_data_alloc(size_t size, u8 id)
{
	return size <= DC_ARENA_SMALL_MAX ? dc_arena_alloc_small(size, id) :
					    dc_arena_alloc_pages(size, id);
}

static void obj_destroy_rcu(struct rcu_head *head)
{
	struct dc_obj *obj = container_of(head, struct dc_obj, rcu);

	if (obj->size <= DC_ARENA_SMALL_MAX)
		dc_arena_free_small(obj->data, obj->size);
	else
		dc_arena_free_pages(obj->data, obj->size);
	kfree(obj);
}

/*
 * Unowned at once; its memory goes back to the arena after a grace
 * period: for the reason in arena.c, and because other CPUs may still
 * read the data of a state-store object (dc_store_data()) until their
 * call ends.
 */
static void obj_destroy(struct dc_obj *obj)
{
	dc_arena_set_owner(obj->data, obj->size ?: 1, DC_SHADOW_FREE);
	atomic_long_dec(&total_objects);
	atomic_long_sub(obj->size, &total_object_bytes);
	call_rcu(&obj->rcu, obj_destroy_rcu);
}

dc_obj_t dc_obj_alloc(struct dc_owner *owner, u32 type, size_t size)
{
	struct dc_obj *obj;
	unsigned long flags;
	u32 id;

	if (size > DC_OBJ_MAX_BYTES || !quota_charge(owner->quota, size))
		return 0;
	obj = kzalloc(sizeof(*obj), GFP_ATOMIC | __GFP_NOWARN);
	if (!obj)
		goto out_quota;
	obj->data = obj_data_alloc(size, owner->id);
	if (!obj->data) {
		kfree(obj);
		goto out_quota;
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
		/* From now on only the receiver's stores to it pass the checks. */
		dc_arena_set_owner(obj->data, obj->size ?: 1, to->id);
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

/* Does [addr, addr + len) lie in memory that @owner or @store holds? */
bool dc_heap_owns(struct dc_owner *owner, struct dc_owner *store,
		  unsigned long addr, size_t len)
{
	return dc_arena_owned(addr, len, owner->id, store ? store->id : owner->id);
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
	owner_id_put(owner);
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
	int err = dc_arena_init();

	if (err)
		return err;
	/* The kernel's objects have an id no domain ever has. */
	dc_owner_init_kernel(&dc_kernel_owner);
	return 0;
}

void dc_heap_exit(void)
{
	dc_owner_release(&dc_kernel_owner);
	/* Deferred frees call back into this module. */
	rcu_barrier();
	WARN_ON(!xa_empty(&dc_objects));
	dc_arena_exit();
}
