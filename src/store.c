// SPDX-License-Identifier: GPL-2.0
/*
 * The state store: a key -> object map that belongs to the domain (the
 * proxy), not to an instance, so what a domain keeps there outlives both
 * upgrades and restarts.  Its objects are owned by d->store_owner; the map
 * holds the objects themselves so dc_store_data() is one lockless lookup
 * (calls run non-preemptible, which is an RCU read-side section).
 */
#include "internal.h"
#include <linux/kernel.h>
#include <linux/xarray.h>

int dc_store_put(struct dc_domain *d, struct dc_owner *from, u64 key,
		 dc_obj_t obj)
{
	struct dc_obj *o;
	void *old;
	int err;

	if (key > ULONG_MAX || !obj)
		return -EINVAL;
	err = dc_obj_give(obj, from, &d->store_owner);
	if (err)
		return err;
	o = dc_obj_get_owned(&d->store_owner, obj);
	old = xa_store(&d->store, key, o, GFP_ATOMIC | __GFP_NOWARN);
	if (xa_is_err(old)) {
		/* Give it back: the caller still owns what it tried to store. */
		dc_obj_give(obj, &d->store_owner, from);
		return xa_err(old);
	}
	/* Other CPUs may read it until their calls end: dc_obj_free() waits for that. */
	if (old)
		dc_obj_free(&d->store_owner, dc_obj_id(old));
	return 0;
}

dc_obj_t dc_store_get(struct dc_domain *d, struct dc_owner *to, u64 key)
{
	struct dc_obj *o = xa_erase(&d->store, key);

	if (!o || dc_obj_give(dc_obj_id(o), &d->store_owner, to))
		return 0;
	return dc_obj_id(o);
}

/* Valid until the key is replaced or taken, or the domain goes. */
void *dc_store_data(struct dc_domain *d, u64 key, size_t *size)
{
	struct dc_obj *o = xa_load(&d->store, key);

	if (!o) {
		if (size)
			*size = 0;
		return NULL;
	}
	return dc_obj_payload(o, size);
}

/* 0, or -ENOSPC: no owner id left for the store. */
int dc_store_init(struct dc_domain *d, struct dc_quota *quota)
{
	xa_init(&d->store);
	return dc_owner_init(&d->store_owner, quota, d->name);
}

void dc_store_release(struct dc_domain *d)
{
	xa_destroy(&d->store);
	dc_owner_release(&d->store_owner);
}
