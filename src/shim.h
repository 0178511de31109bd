/* SPDX-License-Identifier: GPL-2.0 */
/* Shims: kernel-facing objects that forward to a domain's interface. */
#ifndef DC_SHIM_H
#define DC_SHIM_H

#include "runtime.h"

int dc_shim_add(struct dc_domain *d);
/* Refuse (-EBUSY) while the device is open; else no new opens. */
int dc_shim_begin_removal(struct dc_domain *d);
void dc_shim_del(struct dc_domain *d);

/* sysfs.c */
void dc_domain_kobj_init(struct dc_domain *d);
int dc_domain_sysfs_add(struct dc_domain *d);
void dc_domain_sysfs_del(struct dc_domain *d);
void dc_domain_put(struct dc_domain *d);

#endif
