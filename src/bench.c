// SPDX-License-Identifier: GPL-2.0
/*
 * The call-cost benchmark (docs/performance.md): the same domain function
 * called N times three ways: by a plain indirect call, through the
 * recovery point alone (dc_instance_call), and through the whole proxy.
 * Under QEMU's -icount shift=0 guest nanoseconds count instructions.
 *
 * Write "DOMAIN N" to /sys/kernel/domain_core/bench_call (the domain must
 * implement "bench"); read the result back.
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include "domain_core.h"
#include "iface_registry.h"
#include "proxy.h"
#include "runtime.h"

#define DC_BENCH_MAX_ITER	100000000UL

static DEFINE_MUTEX(bench_lock);
static char bench_result[160] = "none\n";

typedef long (*nop_fn)(u64 x);

/* Picoseconds per iteration of @loop over @n calls. */
#define TIME_PS(n, loop) ({						\
	u64 __t0 = ktime_get_ns();					\
	loop;								\
	div64_u64((ktime_get_ns() - __t0) * 1000, (n));			\
})

static int run(struct dc_domain *d, unsigned long n)
{
	struct dc_instance *inst;
	u64 direct, gate, proxy, sum = 0;
	unsigned long i;
	nop_fn fn;

	preempt_disable();
	inst = rcu_dereference_sched(d->inst);
	if (!inst) {
		preempt_enable();
		return -ENODEV;
	}
	fn = (nop_fn)((const struct bench_ops *)inst->ops)->nop;
	direct = TIME_PS(n, for (i = 0; i < n; i++) sum += fn(i));
	gate = TIME_PS(n, for (i = 0; i < n; i++)
		       sum += dc_instance_call(inst, fn, i, 0, 0, 0));
	preempt_enable();
	proxy = TIME_PS(n, for (i = 0; i < n; i++) sum += dc_call_bench_nop(d, i));

	scnprintf(bench_result, sizeof(bench_result),
		  "iterations=%lu direct_ps=%llu gate_ps=%llu proxy_ps=%llu check=%llu\n",
		  n, direct, gate, proxy, sum);
	return 0;
}

int dc_bench_call(const char *domain, unsigned long n)
{
	struct dc_domain *d;
	int rc = -ENOENT;

	if (!n || n > DC_BENCH_MAX_ITER)
		return -EINVAL;
	mutex_lock(&bench_lock);
	mutex_lock(&dc_domains_lock);
	list_for_each_entry(d, &dc_domains, node) {
		if (strcmp(d->name, domain))
			continue;
		rc = strcmp(d->iface->name, "bench") ? -EPROTONOSUPPORT : run(d, n);
		break;
	}
	mutex_unlock(&dc_domains_lock);
	mutex_unlock(&bench_lock);
	return rc;
}

ssize_t dc_bench_result(char *buf, size_t size)
{
	ssize_t n;

	mutex_lock(&bench_lock);
	n = scnprintf(buf, size, "%s", bench_result);
	mutex_unlock(&bench_lock);
	return n;
}
