// SPDX-License-Identifier: GPL-2.0
/*
 * The interfaces the TCB knows, from the same X-macros the domains use
 * (domains/sdk/include/domain/iface/), each with the shim that faces the
 * kernel for it.  Resolved at build time: no call path compares names.
 */
#include "internal.h"
#include <linux/kernel.h>
#include <linux/string.h>

/* Which kernel-facing shim serves each interface: TCB policy, not ABI. */
#define DC_SHIM_log	(&dc_log_shim)
#define DC_SHIM_file	(&dc_file_shim)
#define DC_SHIM_block	(&dc_block_shim)
#define DC_SHIM_bench	NULL

#define DC_IFACE_TABLES(X)						\
	static const u8 X##_masks[] = { DC_IFACE_##X(DC_METHOD_MASK, X) }; \
	static const char *const X##_names[] = { DC_IFACE_##X(DC_METHOD_NAME, X) }; \
	static_assert(DC_NR_METHODS_##X <= DC_MAX_METHODS);
DC_ALL_IFACES(DC_IFACE_TABLES)

#define DC_IFACE_ENTRY(X)						\
	{ #X, DC_IFACE_##X##_VERSION, DC_NR_METHODS_##X, X##_masks, X##_names, \
	  DC_SHIM_##X },

static const struct dc_iface ifaces[] = {
	DC_ALL_IFACES(DC_IFACE_ENTRY)
};

/* For control.c, once per request: the interface an image's note names. */
const struct dc_iface *dc_iface_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ifaces); i++) {
		if (!strcmp(ifaces[i].name, name))
			return &ifaces[i];
	}
	return NULL;
}
