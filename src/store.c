// SPDX-License-Identifier: GPL-2.0
/*
 * The state store: a key -> object map that belongs to the domain (the
 * proxy), not to an instance, so what a domain keeps there outlives both
 * upgrades and restarts.  Its objects are owned by d->store_owner.
 */
#include <linux/kernel.h>
#include <linux/xarray.h>
#include "runtime.h"

int dc_store_put(struct dc_domain *d, struct dc_owner *from, u64 key,
		 dc_obj_t obj)
{
	void *old;
	int err;

	if (key > ULONG_MAX || !obj)
		return -EINVAL;
	err = dc_obj_give(obj, from, &d->store_owner);
	if (err)
		return err;
	old = xa_store(&d->store, key, xa_mk_value(obj), GFP_ATOMIC | __GFP_NOWARN);
	if (xa_is_err(old)) {
		/* Give it back: the caller still owns what it tried to store. */
		dc_obj_give(obj, &d->store_owner, from);
		return xa_err(old);
	}
	if (old)
		dc_obj_free(&d->store_owner, xa_to_value(old));
	return 0;
}

dc_obj_t dc_store_get(struct dc_domain *d, struct dc_owner *to, u64 key)
{
	void *entry = xa_erase(&d->store, key);
	dc_obj_t obj;

	if (!entry)
		return 0;
	obj = xa_to_value(entry);
	if (dc_obj_give(obj, &d->store_owner, to))
		return 0;
	return obj;
}

void dc_store_release(struct dc_domain *d)
{
	xa_destroy(&d->store);
	dc_owner_release(&d->store_owner);
}
