// SPDX-License-Identifier: GPL-2.0
/*
 * What a domain can hold, as src/heap.c and src/store.c keep it: private
 * heap pages, shared objects (an id, an owner, a type, a size), locks in
 * a per-owner table, and the state store.  Every owner's holdings are on
 * its lists, so all of it is freed when the instance goes, and charged
 * to its domain's quota (mem_max).  One thread: no locking.
 *
 * Heap blocks and object data live in the arena (arena.c), whose shadow
 * says who owns each granule: every owner has an id, the test's objects
 * DC_SHADOW_KERNEL (the kernel's, in the TCB), and giving an object away
 * rewrites its shadow, so that confined domain code, and the services,
 * check a store against it as in the kernel.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define DT_HEAP_MAX_BYTES	(512UL << 20)	/* per owner, as the kernel */
#define DT_OBJ_MAX_BYTES	(16UL << 20)	/* the largest shared object */
#define DT_MAX_LOCKS		256		/* per owner */
#define DT_MAX_OBJ_ID		0x7fffffffu
#define DT_STORE_BUCKETS	4096

struct dt_block {
	struct dt_block *next;
	void *addr;
	size_t bytes;
};

struct dt_obj {
	uint32_t id, type;
	size_t size;
	struct dt_owner *owner;
	struct dt_obj *prev, *next;	/* the owner's list */
	void *data;
};

struct dt_store_entry {
	struct dt_store_entry *next;
	uint64_t key;
	struct dt_obj *obj;
};

/* The test's objects have the id no domain ever has, as the kernel's. */
struct dt_owner dt_test_owner = { .id = DC_SHADOW_KERNEL, .name = "the kernel" };

/* Objects by id, allocated cyclically like the kernel's xarray ids. */
static struct dt_obj **objects;
static uint32_t nr_slots, nr_live, next_id = 1;
static struct dt_totals totals;

/*
 * Owners by shadow id, for stray-store reports.  An id is taken by
 * dt_owner_init() and given back by dt_owner_release(), once nothing in
 * the arena is marked with it; ids are handed out round robin so that a
 * stale mark would not name a new owner at once.
 */
static struct dt_owner *owners_by_id[DC_SHADOW_LAST_ID + 1];
static unsigned int owner_next_id = DC_SHADOW_FIRST_ID;

int dt_owner_init(struct dt_owner *owner, struct dt_quota *quota, const char *name)
{
	unsigned int i, id = 0;

	memset(owner, 0, sizeof(*owner));
	owner->quota = quota;
	owner->name = name;
	for (i = 0; i <= DC_SHADOW_LAST_ID - DC_SHADOW_FIRST_ID && !id; i++) {
		unsigned int try = owner_next_id;

		owner_next_id = try == DC_SHADOW_LAST_ID ? DC_SHADOW_FIRST_ID : try + 1;
		if (!owners_by_id[try]) {
			owners_by_id[try] = owner;
			id = try;
		}
	}
	if (!id)
		return -ENOSPC;
	owner->id = id;
	return 0;
}

/* Nothing in the arena is marked with @owner's id any more: it may be reused. */
static void owner_id_put(struct dt_owner *owner)
{
	if (owner->id >= DC_SHADOW_FIRST_ID && owner->id <= DC_SHADOW_LAST_ID &&
	    owners_by_id[owner->id] == owner) {
		owners_by_id[owner->id] = NULL;
		owner->id = DC_SHADOW_FREE;
	}
}

const char *dt_owner_name(uint8_t id)
{
	return id >= DC_SHADOW_FIRST_ID && id <= DC_SHADOW_LAST_ID && owners_by_id[id] ?
	       owners_by_id[id]->name : NULL;
}

static bool quota_charge(struct dt_quota *q, uint64_t bytes)
{
	if (!q)
		return true;
	if (q->used + bytes > q->max)
		return false;
	q->used += bytes;
	return true;
}

static void quota_uncharge(struct dt_quota *q, uint64_t bytes)
{
	if (q)
		q->used -= bytes;
}

void *dt_pages_alloc(struct dt_owner *owner, size_t npages)
{
	struct dt_block *b;
	size_t bytes;

	if (!npages || npages > DT_HEAP_MAX_BYTES / DT_PAGE_SIZE)
		return NULL;
	/* A block of 2^order pages, all of it the owner's and charged, as in the kernel. */
	bytes = dt_arena_block_bytes(npages * DT_PAGE_SIZE);
	if (owner->heap_bytes + bytes > DT_HEAP_MAX_BYTES ||
	    !quota_charge(owner->quota, bytes))
		return NULL;
	b = malloc(sizeof(*b));
	if (b)
		b->addr = dt_arena_alloc_pages(bytes, owner->id);
	if (!b || !b->addr) {
		free(b);
		quota_uncharge(owner->quota, bytes);
		return NULL;
	}
	b->bytes = bytes;
	b->next = owner->blocks;
	owner->blocks = b;
	owner->heap_bytes += bytes;
	totals.heap_bytes += bytes;
	return b->addr;
}

static void block_free(struct dt_owner *owner, struct dt_block *b)
{
	owner->heap_bytes -= b->bytes;
	totals.heap_bytes -= b->bytes;
	quota_uncharge(owner->quota, b->bytes);
	/* Unowned at once: stores through stale pointers fail from now on. */
	dt_arena_free_pages(b->addr, b->bytes);
	free(b);
}

/* 0, or -EACCES if @addr is not a block @owner has. */
int dt_pages_free(struct dt_owner *owner, void *addr)
{
	struct dt_block **p, *b;

	for (p = &owner->blocks; (b = *p); p = &b->next) {
		if (b->addr == addr) {
			*p = b->next;
			block_free(owner, b);
			return 0;
		}
	}
	return -EACCES;
}

static void list_add(struct dt_owner *owner, struct dt_obj *obj)
{
	obj->owner = owner;
	obj->prev = NULL;
	obj->next = owner->objects;
	if (owner->objects)
		owner->objects->prev = obj;
	owner->objects = obj;
	owner->nr_objects++;
	owner->object_bytes += obj->size;
}

static void list_del(struct dt_obj *obj)
{
	struct dt_owner *owner = obj->owner;

	if (obj->prev)
		obj->prev->next = obj->next;
	else
		owner->objects = obj->next;
	if (obj->next)
		obj->next->prev = obj->prev;
	owner->nr_objects--;
	owner->object_bytes -= obj->size;
	quota_uncharge(owner->quota, obj->size);
}

/* A free id, the table grown to keep it at most half full. */
static uint32_t id_alloc(void)
{
	uint32_t i, id;

	if (nr_live * 2 >= nr_slots) {
		uint32_t n = nr_slots ? nr_slots * 2 : 1024;
		struct dt_obj **t;

		if (n > DT_MAX_OBJ_ID || !(t = realloc(objects, n * sizeof(*t))))
			return 0;
		memset(t + nr_slots, 0, (n - nr_slots) * sizeof(*t));
		objects = t;
		nr_slots = n;
	}
	for (i = 0; i < nr_slots; i++) {
		id = (next_id + i) % nr_slots;
		if (id && !objects[id]) {
			next_id = id + 1;
			return id;
		}
	}
	return 0;
}

static void *obj_data_alloc(size_t size, uint8_t id)
{
	return size <= DT_ARENA_SMALL_MAX ? dt_arena_alloc_small(size, id) :
					    dt_arena_alloc_pages(size, id);
}

/* Unowned at once; the memory is reused after the outermost call ends. */
static void obj_data_free(void *data, size_t size)
{
	if (size <= DT_ARENA_SMALL_MAX)
		dt_arena_free_small(data, size);
	else
		dt_arena_free_pages(data, size);
}

dc_obj_t dt_obj_alloc(struct dt_owner *owner, uint32_t type, size_t size)
{
	struct dt_obj *obj;
	void *data = NULL;
	uint32_t id = 0;

	if (size > DT_OBJ_MAX_BYTES || !quota_charge(owner->quota, size))
		return 0;
	obj = calloc(1, sizeof(*obj));
	/* A slot followed by a red zone, or above DT_ARENA_SMALL_MAX whole pages. */
	if (obj)
		data = obj_data_alloc(size, owner->id);
	if (data)
		id = id_alloc();
	if (!id) {
		if (data)
			obj_data_free(data, size);
		free(obj);
		quota_uncharge(owner->quota, size);
		return 0;
	}
	obj->data = data;
	obj->id = id;
	obj->type = type;
	obj->size = size;
	objects[id] = obj;
	nr_live++;
	/* list_add() counts it; the quota was charged above. */
	list_add(owner, obj);
	totals.objects++;
	totals.object_bytes += size;
	return id;
}

static struct dt_obj *owned(const struct dt_owner *owner, dc_obj_t id)
{
	struct dt_obj *obj = id && id < nr_slots ? objects[id] : NULL;

	return obj && obj->owner == owner ? obj : NULL;
}

void *dt_obj_data_of(struct dt_owner *owner, dc_obj_t id, uint32_t type,
		     size_t *size)
{
	struct dt_obj *obj = owned(owner, id);

	if (!obj || (type && obj->type != type)) {
		if (size)
			*size = 0;
		return NULL;
	}
	if (size)
		*size = obj->size;
	return obj->data;
}

/* Take @obj out of the id table and its owner's list. */
static void obj_unlink(struct dt_obj *obj)
{
	objects[obj->id] = NULL;
	nr_live--;
	list_del(obj);
}

static void obj_destroy(struct dt_obj *obj)
{
	totals.objects--;
	totals.object_bytes -= obj->size;
	obj_data_free(obj->data, obj->size);
	free(obj);
}

int dt_obj_free_of(struct dt_owner *owner, dc_obj_t id)
{
	struct dt_obj *obj = owned(owner, id);

	if (!obj)
		return -EACCES;
	obj_unlink(obj);
	obj_destroy(obj);
	return 0;
}

/* Move an object from @from to @to; -EACCES unless @from owns it. */
int dt_obj_give(dc_obj_t id, struct dt_owner *from, struct dt_owner *to)
{
	struct dt_obj *obj = owned(from, id);

	if (!obj)
		return -EACCES;
	list_del(obj);
	list_add(to, obj);
	/* From now on only the receiver's stores to it pass the checks. */
	dt_arena_set_owner(obj->data, obj->size ? obj->size : 1, to->id);
	/* The receiver did not ask for it: it is charged, never refused. */
	if (to->quota)
		to->quota->used += obj->size;
	return 0;
}

/* Does [addr, addr + len) lie in memory that @owner or @store holds? */
bool dt_heap_owns(const struct dt_owner *owner, const struct dt_owner *store,
		  uintptr_t addr, size_t len)
{
	return dt_arena_owned(addr, len, owner->id, store ? store->id : owner->id);
}

struct dc_lock *dt_lock_new(struct dt_owner *owner)
{
	if (!owner->locks) {
		owner->locks = calloc(DT_MAX_LOCKS, sizeof(*owner->locks));
		if (!owner->locks)
			return NULL;
		totals.locks++;
	}
	if (owner->nr_locks >= DT_MAX_LOCKS)
		return NULL;
	return &owner->locks[owner->nr_locks++];
}

/* Is @lock one that @owner made?  Checked before it is touched. */
bool dt_lock_valid(const struct dt_owner *owner, const struct dc_lock *lock)
{
	uintptr_t off = (uintptr_t)lock - (uintptr_t)owner->locks;

	return owner->locks && off % sizeof(*lock) == 0 &&
	       off / sizeof(*lock) < owner->nr_locks;
}

/* Free everything @owner holds. */
void dt_owner_release(struct dt_owner *owner)
{
	struct dt_block *b;

	while (owner->objects) {
		struct dt_obj *obj = owner->objects;

		obj_unlink(obj);
		obj_destroy(obj);
	}
	while ((b = owner->blocks)) {
		owner->blocks = b->next;
		block_free(owner, b);
	}
	if (owner->locks)
		totals.locks--;
	free(owner->locks);
	owner->locks = NULL;
	owner->nr_locks = 0;
	owner->locks_held = 0;
	owner_id_put(owner);
}

/*
 * Freed memory (an object replaced in a store included) stays as it was
 * until the outermost call ends, as the kernel reuses it only after a
 * grace period: a reader in the call sees what it saw.
 */
void dt_heap_reap(void)
{
	dt_arena_reap();
}

void dt_totals(struct dt_totals *t)
{
	*t = totals;
}

/* ------------------------------------------------------------------ */
/* The state store (src/store.c) */

int dt_store_init(struct dt_store *s, struct dt_quota *quota, const char *name)
{
	s->buckets = NULL;
	return dt_owner_init(&s->owner, quota, name);
}

static struct dt_store_entry **store_slot(struct dt_store *s, uint64_t key)
{
	struct dt_store_entry **p;

	if (!s->buckets)
		return NULL;
	p = &s->buckets[(key ^ (key >> 29) ^ (key >> 48)) % DT_STORE_BUCKETS];
	while (*p && (*p)->key != key)
		p = &(*p)->next;
	return p;
}

int dt_store_put(struct dt_store *s, struct dt_owner *from, uint64_t key,
		 dc_obj_t obj)
{
	struct dt_store_entry **p, *e;
	int err;

	if (!obj)
		return -EINVAL;
	if (!s->buckets && !(s->buckets = calloc(DT_STORE_BUCKETS, sizeof(*s->buckets))))
		return -ENOMEM;
	p = store_slot(s, key);
	if (!*p) {
		e = calloc(1, sizeof(*e));
		if (!e)
			return -ENOMEM;
		e->key = key;
		*p = e;
	}
	e = *p;
	err = dt_obj_give(obj, from, &s->owner);
	if (err) {
		if (!e->obj) {
			*p = e->next;
			free(e);
		}
		return err;
	}
	/* Readers in this call may still read it: its memory waits (dt_heap_reap()). */
	if (e->obj) {
		obj_unlink(e->obj);
		obj_destroy(e->obj);
	}
	e->obj = objects[obj];
	return 0;
}

dc_obj_t dt_store_get(struct dt_store *s, struct dt_owner *to, uint64_t key)
{
	struct dt_store_entry **p = store_slot(s, key), *e;
	dc_obj_t id;

	if (!p || !(e = *p))
		return 0;
	id = e->obj->id;
	*p = e->next;
	free(e);
	return dt_obj_give(id, &s->owner, to) ? 0 : id;
}

void *dt_store_data(struct dt_store *s, uint64_t key, size_t *size)
{
	struct dt_store_entry **p = store_slot(s, key);

	if (!p || !*p) {
		if (size)
			*size = 0;
		return NULL;
	}
	if (size)
		*size = (*p)->obj->size;
	return (*p)->obj->data;
}

void dt_store_release(struct dt_store *s)
{
	unsigned int i;

	for (i = 0; s->buckets && i < DT_STORE_BUCKETS; i++) {
		while (s->buckets[i]) {
			struct dt_store_entry *e = s->buckets[i];

			s->buckets[i] = e->next;
			free(e);
		}
	}
	free(s->buckets);
	s->buckets = NULL;
	dt_owner_release(&s->owner);
}
