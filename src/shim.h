/* SPDX-License-Identifier: GPL-2.0 */
/* Shims: kernel-facing objects that forward to a domain's interface. */
#ifndef DC_SHIM_H
#define DC_SHIM_H

#include "runtime.h"

int dc_shim_add(struct dc_domain *d, char *err, size_t errlen);
/* Refuse (-EBUSY) while the device is open; else no new opens. */
int dc_shim_begin_removal(struct dc_domain *d);
void dc_shim_del(struct dc_domain *d);

/* Block shim (shim_block.c), called through the above. */
int dc_blk_shim_add(struct dc_domain *d, char *err, size_t errlen);
int dc_blk_shim_begin_removal(struct dc_domain *d);
void dc_blk_shim_del(struct dc_domain *d);
int dc_blk_shim_check(struct dc_domain *d, struct dc_instance *inst, char *err,
		      size_t errlen);
long dc_blk_req_copy(struct dc_instance *inst, u64 req, u64 offset, void *buf,
		     size_t len, int to_request);

/* A new instance (upgrade) must fit the shim's kernel objects. */
int dc_shim_check(struct dc_domain *d, struct dc_instance *inst, char *err,
		  size_t errlen);

/* sysfs.c */
void dc_domain_kobj_init(struct dc_domain *d);
int dc_domain_sysfs_add(struct dc_domain *d);
void dc_domain_sysfs_del(struct dc_domain *d);
void dc_domain_put(struct dc_domain *d);

#endif
