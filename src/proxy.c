// SPDX-License-Identifier: GPL-2.0
/*
 * The proxy: every call into a domain, from a shim or from another
 * domain, goes through dc_proxy_call().  It
 *
 *   1. disables preemption (domain code never sleeps, and the per-CPU
 *      counters and recovery frames rely on staying on one CPU);
 *   2. announces itself in the per-CPU in-flight count, then (after a full
 *      barrier) checks that no stateful hand-over holds calls (call.c,
 *      dc_hold(), has the other half of this argument);
 *   3. reads the instance pointer (replaced under RCU by the lifecycle)
 *      and waits while it is missing a replacement for a failed one;
 *   4. passes object arguments to the callee, refusing objects the caller
 *      does not own;
 *   5. runs the method under a recovery point;
 *   6. passes an object result back to the caller.
 */
#include "internal.h"
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/wait.h>

/* A caller that can sleep waits at most this long for a replacement. */
#define DC_WAIT_INSTANCE_MS	30000

/*
 * May a call go in now?  0 if so; -ENODEV if the domain is down; -EBUSY
 * while a stateful hand-over holds calls; -EAGAIN while a failed
 * instance awaits its replacement.
 */
static int instance_state(struct dc_domain *d)
{
	struct dc_instance *inst;
	int ret = 0;

	if (smp_load_acquire(&d->held))
		return -EBUSY;
	rcu_read_lock();
	inst = rcu_dereference(d->inst);
	if (!inst)
		ret = -ENODEV;
	else if (READ_ONCE(inst->failed))
		ret = -EAGAIN;
	rcu_read_unlock();
	return ret;
}

static int wait_for_instance(struct dc_domain *d, unsigned int flags)
{
	int ret;

	if (flags & DC_CALL_MAY_SLEEP) {
		/* Woken by dc_release() and by every replacement. */
		if (!wait_event_timeout(d->wait,
					(ret = instance_state(d)) != -EBUSY && ret != -EAGAIN,
					msecs_to_jiffies(DC_WAIT_INSTANCE_MS)))
			return -EIO;
		return ret;
	}
	/*
	 * A caller that cannot sleep (a shim's atomic path, another domain)
	 * waits out a hand-over's brief hold, but not a restart, which takes
	 * milliseconds: that costs it the call (-EIO).
	 */
	while ((ret = instance_state(d)) == -EBUSY)
		cpu_relax();
	return ret == -EAGAIN ? -EIO : ret;
}

/* Undo the moves of objects 0..n-1 after a refusal. */
static void give_back(const u64 *args, unsigned int mask, unsigned int n,
		      struct dc_owner *from, struct dc_owner *to)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (mask & DC_ARG_OBJ(i))
			dc_obj_give(args[i], from, to);
}

static int pass_objects(const u64 *args, unsigned int mask,
			struct dc_owner *caller, struct dc_owner *callee)
{
	unsigned int i;

	for (i = 0; i < DC_MAX_ARGS; i++) {
		if (!(mask & DC_ARG_OBJ(i)))
			continue;
		if (dc_obj_give(args[i], caller, callee)) {
			give_back(args, mask, i, callee, caller);
			return -EACCES;
		}
	}
	return 0;
}

long dc_proxy_call(struct dc_domain *d, struct dc_owner *caller, unsigned int flags,
		   unsigned int method, u64 a0, u64 a1, u64 a2, u64 a3)
{
	unsigned int mask = d->iface->masks[method];
	struct dc_instance *inst;
	long ret;

	for (;;) {
		preempt_disable();
		this_cpu_inc(d->pcpu->inflight);
		smp_mb();	/* pairs with dc_hold() */
		/*
		 * held before the instance, with acquire: a caller that sees
		 * the hold released also sees the instance published before
		 * the release (dc_release()), never the one handed over.
		 */
		if (likely(!smp_load_acquire(&d->held))) {
			inst = rcu_dereference_sched(d->inst);
			if (likely(inst && !READ_ONCE(inst->failed)))
				break;
		}
		this_cpu_dec(d->pcpu->inflight);
		preempt_enable();
		ret = wait_for_instance(d, flags);
		if (ret)
			return ret;
	}
	this_cpu_inc(d->pcpu->calls);
	if (mask & (DC_RET_OBJ - 1)) {
		u64 args[DC_MAX_ARGS] = { a0, a1, a2, a3 };

		ret = pass_objects(args, mask, caller, &inst->owner);
		if (ret)
			goto out;
	}
	ret = dc_instance_call(inst, inst->ops[method], a0, a1, a2, a3);
	if ((mask & DC_RET_OBJ) && ret > 0 &&
	    dc_obj_give(ret, &inst->owner, caller)) {
		pr_warn_ratelimited("%s returned object %ld, which it does not own\n",
				    d->name, ret);
		ret = -EPROTO;
	}
out:
	this_cpu_dec(d->pcpu->inflight);
	preempt_enable();
	return ret;
}
