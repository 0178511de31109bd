/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interfaces the TCB knows, generated from the SDK's declarations
 * (domains/sdk/include/domain/iface/), and typed proxies for shims.
 */
#ifndef DC_IFACE_REGISTRY_H
#define DC_IFACE_REGISTRY_H

#include <linux/types.h>
#include "domain/abi.h"
#include "domain/iface/all.h"

enum dc_shim_kind {
	DC_SHIM_NONE,
	DC_SHIM_LOG,		/* /dev/domain/NAME, each write one record */
	DC_SHIM_FILE,		/* /dev/domain/NAME, read and write */
	DC_SHIM_BLOCK,		/* /dev/dNAMEn, block devices */
};

struct dc_iface {
	const char *name;
	u32 version;
	unsigned int nr_methods;
	const u8 *masks;		/* DC_ARG_OBJ / DC_RET_OBJ per method */
	const char *const *method_names;
};

const struct dc_iface *dc_iface_find(const char *name);
/* Which kernel-facing shim serves an interface: TCB policy, not ABI. */
enum dc_shim_kind dc_iface_shim(const struct dc_iface *iface);
/* "log v1, file v1, ..." for error messages. */
void dc_iface_list(char *buf, size_t size);

struct dc_domain;
struct dc_owner;
long dc_proxy_call(struct dc_domain *d, struct dc_owner *caller,
		   unsigned int method, u64 a0, u64 a1, u64 a2, u64 a3);
extern struct dc_owner dc_kernel_owner;

/* dc_call_IFACE_METHOD(d, args...): a call from the kernel (a shim). */
#define DC_KERNEL_STUB(X, ret, name, mask, params, args)		\
	static inline ret dc_call_##X##_##name(struct dc_domain *d,	\
					       DC_UNPAREN params)	\
	{								\
		return dc_proxy_call(d, &dc_kernel_owner,		\
				     DC_M_##X##_##name, DC_U64_ARGS args); \
	}
#define DC_KERNEL_STUBS(X)	DC_IFACE_##X(DC_KERNEL_STUB, X)
DC_ALL_IFACES(DC_KERNEL_STUBS)

#endif
