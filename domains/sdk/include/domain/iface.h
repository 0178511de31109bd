/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interfaces are declared once, as X-macros in domain/iface/NAME.h:
 *
 *	#define DC_IFACE_log_VERSION 1
 *	#define DC_IFACE_log(M, X) \
 *		M(X, long, write, DC_ARG_OBJ(1), (int level, dc_obj_t rec), (level, rec))
 *	DC_DECLARE_IFACE(log)
 *
 * Each method: M(iface, return type, name, ownership mask, parameters,
 * arguments).  Every method has one to four integer, pointer or dc_obj_t
 * parameters and returns long (>= 0 on success, a negative errno on
 * failure).  The mask names the parameters that are shared-heap objects
 * (their ownership passes to the callee) and whether the result is one
 * (it passes to the caller).  From this one declaration come the function
 * table a domain fills in, the method numbers, the TCB's registry and
 * proxies (src/iface_registry.c) and the SDK's client stubs.
 */
#ifndef DOMAIN_IFACE_H
#define DOMAIN_IFACE_H

#include "types.h"

#define DC_MAX_ARGS		4
#define DC_ARG_OBJ(n)		(1u << (n))	/* parameter n (from 0) is an object */
#define DC_RET_OBJ		(1u << 4)	/* a positive result is an object id */

#define DC_UNPAREN(...)		__VA_ARGS__

/* Up to four arguments as uint64_t, padded with zeros. */
#define DC_NARGS_(_1, _2, _3, _4, n, ...)	n
#define DC_NARGS(...)		DC_NARGS_(__VA_ARGS__, 4, 3, 2, 1, 0)
#define DC_CAT_(a, b)		a##b
#define DC_CAT(a, b)		DC_CAT_(a, b)
#define DC_U64_1(a)		(uint64_t)(a), 0, 0, 0
#define DC_U64_2(a, b)		(uint64_t)(a), (uint64_t)(b), 0, 0
#define DC_U64_3(a, b, c)	(uint64_t)(a), (uint64_t)(b), (uint64_t)(c), 0
#define DC_U64_4(a, b, c, d)	(uint64_t)(a), (uint64_t)(b), (uint64_t)(c), (uint64_t)(d)
#define DC_U64_ARGS(...)	DC_CAT(DC_U64_, DC_NARGS(__VA_ARGS__))(__VA_ARGS__)

#define DC_OPS_MEMBER(X, ret, name, mask, params, args)	ret (*name) params;
#define DC_METHOD_ENUM(X, ret, name, mask, params, args)	DC_M_##X##_##name,
#define DC_METHOD_MASK(X, ret, name, mask, params, args)	(mask),
#define DC_METHOD_NAME(X, ret, name, mask, params, args)	#name,

/*
 * struct NAME_ops, the function table; DC_M_NAME_METHOD, the method
 * numbers; DC_NR_METHODS_NAME.
 */
#define DC_DECLARE_IFACE(X)						\
	struct X##_ops { DC_IFACE_##X(DC_OPS_MEMBER, X) };		\
	enum { DC_IFACE_##X(DC_METHOD_ENUM, X) DC_NR_METHODS_##X }

#endif
