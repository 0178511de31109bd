/* SPDX-License-Identifier: GPL-2.0 */
/* bench: the smallest possible method, to measure the cost of a call. */
#ifndef DOMAIN_IFACE_BENCH_H
#define DOMAIN_IFACE_BENCH_H

#include "../iface.h"

#define DC_IFACE_bench_VERSION	1
/* nop: returns @x + 1. */
#define DC_IFACE_bench(M, X)						\
	M(X, long, nop, 0, (uint64_t x), (x))

DC_DECLARE_IFACE(bench);

#endif
