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
#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <linux/sysfs.h>

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

/* Under dc_domains_lock, so @d stays. */
static int run(struct dc_domain *d, unsigned long n)
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

static int bench_call(const char *domain, unsigned long n)
{
	struct dc_domain *d;
	int rc;

	if (!n || n > DC_BENCH_MAX_ITER)
		return -EINVAL;
	mutex_lock(&bench_lock);
	mutex_lock(&dc_domains_lock);
	d = dc_domain_find(domain);
	if (!d)
		rc = -ENOENT;
	else if (strcmp(d->iface->name, "bench"))
		rc = -EPROTONOSUPPORT;
	else
		rc = run(d, n);
	mutex_unlock(&dc_domains_lock);
	mutex_unlock(&bench_lock);
	return rc;
}

static ssize_t bench_call_show(struct kobject *kobj, struct kobj_attribute *attr,
			       char *buf)
{
	ssize_t n;

	mutex_lock(&bench_lock);
	n = sysfs_emit(buf, "%s", bench_result);
	mutex_unlock(&bench_lock);
	return n;
}

/* "DOMAIN ITERATIONS" */
static ssize_t bench_call_store(struct kobject *kobj, struct kobj_attribute *attr,
				const char *buf, size_t count)
{
	char name[DC_NAME_MAX];
	unsigned long n;
	int err;

	/* It runs domain code on demand: as privileged as loading it. */
	if (!capable(CAP_SYS_MODULE))
		return -EPERM;
	if (sscanf(buf, "%31s %lu", name, &n) != 2)
		return -EINVAL;
	err = bench_call(name, n);
	return err ? err : count;
}

static struct kobj_attribute bench_call_attr = __ATTR(bench_call, 0600, bench_call_show,
						      bench_call_store);

int dc_bench_init(void)
{
	return sysfs_create_file(dc_sysfs_root(), &bench_call_attr.attr);
}

void dc_bench_exit(void)
{
	sysfs_remove_file(dc_sysfs_root(), &bench_call_attr.attr);
}
