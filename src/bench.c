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
#include "internal.h"
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/rcupdate.h>
#include <linux/string.h>

#define DC_BENCH_MAX_ITER	100000000UL

typedef long (*nop_fn)(u64 x);

/* Plain calls per trip through the gate: well inside a call's budget. */
#define DC_BENCH_CHUNK		1000

/*
 * The bare indirect calls, run through the gate in chunks: domain code
 * must run on a domain stack (its entry check reads the stack pointer),
 * and the gate's cost is spread over DC_BENCH_CHUNK calls.
 */
static long bench_direct(u64 fn, u64 n, u64 first, u64 unused)
{
	long sum = 0;
	u64 i;

	for (i = 0; i < n; i++)
		sum += ((nop_fn)fn)(first + i);
	return sum;
}

/* Picoseconds per iteration of @loop over @n calls. */
#define TIME_PS(n, loop) ({						\
	u64 __t0 = ktime_get_ns();					\
	loop;								\
	div64_u64((ktime_get_ns() - __t0) * 1000, (n));			\
})

/* Under dc_domains_lock, so @d stays. */
static int run(struct dc_domain *d, unsigned long n, char *result, size_t size)
{
	struct dc_instance *inst;
	u64 direct, gate, proxy, sum = 0;
	unsigned long i;
	nop_fn fn;

	preempt_disable();
	inst = rcu_dereference_sched(d->inst);
	if (!inst || READ_ONCE(inst->failed)) {
		preempt_enable();
		return -ENODEV;
	}
	fn = (nop_fn)inst->ops[DC_M_bench_nop];
	direct = TIME_PS(n, for (i = 0; i < n; i += DC_BENCH_CHUNK)
			 sum += dc_instance_call(inst, bench_direct, (u64)fn,
						 min_t(u64, DC_BENCH_CHUNK, n - i), i, 0));
	gate = TIME_PS(n, for (i = 0; i < n; i++)
		       sum += dc_instance_call(inst, fn, i, 0, 0, 0));
	preempt_enable();
	proxy = TIME_PS(n, for (i = 0; i < n; i++) sum += dc_call_bench_nop(d, i));

	scnprintf(result, size,
		  "iterations=%lu direct_ps=%llu gate_ps=%llu proxy_ps=%llu check=%llu\n",
		  n, direct, gate, proxy, sum);
	return 0;
}

/* "DOMAIN ITERATIONS" */
static int bench_call(const char *arg, char *result, size_t size)
{
	char name[DC_NAME_MAX];
	struct dc_domain *d;
	unsigned long n;
	int rc;

	if (sscanf(arg, "%31s %lu", name, &n) != 2 || !n || n > DC_BENCH_MAX_ITER)
		return -EINVAL;
	mutex_lock(&dc_domains_lock);
	d = dc_domain_find(name);
	if (!d)
		rc = -ENOENT;
	else if (strcmp(d->iface->name, "bench"))
		rc = -EPROTONOSUPPORT;
	else
		rc = run(d, n, result, size);
	mutex_unlock(&dc_domains_lock);
	return rc;
}

static struct dc_sysfs_cmd bench_cmd = DC_SYSFS_CMD(bench_call, bench_call);

int dc_bench_init(void)
{
	return dc_sysfs_cmd_add(&bench_cmd);
}

void dc_bench_exit(void)
{
	dc_sysfs_cmd_del(&bench_cmd);
}
