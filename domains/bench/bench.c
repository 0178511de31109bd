// SPDX-License-Identifier: GPL-2.0
/* bench: the smallest method there is, to time the call path alone. */
#include <domain/domain.h>

DOMAIN_DEFINE("bench", bench, "1.0.0");

static long bench_nop(uint64_t x)
{
	return x + 1;
}

static const struct bench_ops bench_ops = {
	.nop = bench_nop,
};

long dom_init(const char *params, struct dc_entry_result *out)
{
	if (dom_params_allow(params, NULL))
		return -EINVAL;
	out->ops = &bench_ops;
	return 0;
}
