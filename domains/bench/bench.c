// SPDX-License-Identifier: GPL-2.0
/*
 * bench: the smallest method there is, to time the call path alone.
 * Built with -DBENCH_STORE (bench-store.dom), the method also stores to a
 * word of its heap: one store, checked when the image is confined.
 */
#include <domain/domain.h>

DOMAIN_DEFINE("bench", bench, "1.0.0");

#ifdef BENCH_STORE
static uint64_t *volatile slot;

static long bench_nop(uint64_t x)
{
	*slot = x;
	return x + 1;
}
#else
static long bench_nop(uint64_t x)
{
	return x + 1;
}
#endif

static const struct bench_ops bench_ops = {
	.nop = bench_nop,
};

long dom_init(const char *params, struct dc_entry_result *out)
{
	if (dom_params_allow(params, NULL))
		return -EINVAL;
#ifdef BENCH_STORE
	slot = dom_malloc(sizeof(*slot));
	if (!slot)
		return -ENOMEM;
#endif
	out->ops = &bench_ops;
	return 0;
}
