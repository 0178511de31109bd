// SPDX-License-Identifier: GPL-2.0
/*
 * The call gate.  A call into a domain:
 *
 *   1. disables preemption (domain code never sleeps, and the per-CPU
 *      counters and recovery frames below rely on staying on one CPU);
 *   2. announces itself in the per-CPU in-flight count, then (after a full
 *      barrier) checks d->held; a stateful upgrade or restart sets held,
 *      then (after a full barrier) waits for the in-flight counts to drain.
 *      Either the caller sees held and waits, or the upgrader sees the
 *      caller and waits for it: no grace-period gap between the two;
 *   3. reads the instance pointer (swapped by RCU on upgrade);
 *   4. passes object arguments to the callee, refusing objects the caller
 *      does not own;
 *   5. runs the method under a recovery point (arch/x86/gate.S);
 *   6. passes an object result back to the caller.
 */
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include "proxy.h"
#include "fault.h"
#include "iface_registry.h"

DEFINE_PER_CPU(struct dc_frame *, dc_current_frame);

static_assert(offsetof(struct dc_frame, rbx) == 0);
static_assert(offsetof(struct dc_frame, r12) == 8);
static_assert(offsetof(struct dc_frame, r15) == 32);
static_assert(offsetof(struct dc_frame, rsp) == 40);

/* The slow path of dc_instance_call(): the call unwound from a fault. */
void dc_instance_call_faulted(struct dc_instance *inst, struct dc_frame *frame)
{
	/* Undo what the abandoned domain code left behind. */
	preempt_count_set(frame->preempt_count);
	if (!arch_irqs_disabled_flags(frame->irq_flags))
		local_irq_enable();
	dc_fault_recorded(inst, frame);
}

static int wait_unheld(struct dc_domain *d)
{
	int held;

	if (preemptible()) {
		wait_event(d->held_wq, !smp_load_acquire(&d->held));
		return 0;
	}
	/*
	 * From inside another domain we cannot sleep: wait out an upgrade's
	 * brief hold, but not a restart, which takes milliseconds.
	 */
	while ((held = smp_load_acquire(&d->held))) {
		if (held == DC_HELD_RESTART)
			return -EIO;
		cpu_relax();
	}
	return 0;
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

long dc_proxy_call(struct dc_domain *d, struct dc_owner *caller,
		   unsigned int method, u64 a0, u64 a1, u64 a2, u64 a3)
{
	unsigned int mask = d->iface->masks[method];
	struct dc_instance *inst;
	long ret;

	for (;;) {
		preempt_disable();
		this_cpu_inc(d->pcpu->inflight);
		smp_mb();	/* pairs with dc_hold() */
		if (likely(!READ_ONCE(d->held)))
			break;
		this_cpu_dec(d->pcpu->inflight);
		preempt_enable();
		ret = wait_unheld(d);
		if (ret)
			return ret;
	}
	inst = rcu_dereference_sched(d->inst);
	if (unlikely(!inst || READ_ONCE(inst->failed))) {
		ret = inst ? -EIO : -ENODEV;
		goto out;
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
		pr_warn_ratelimited("domain_core: %s returned object %ld, which it does not own\n",
				    d->name, ret);
		ret = -EPROTO;
	}
out:
	this_cpu_dec(d->pcpu->inflight);
	preempt_enable();
	return ret;
}

long dc_inflight(struct dc_domain *d)
{
	long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(d->pcpu, cpu)->inflight);
	return sum;
}

u64 dc_calls(struct dc_domain *d)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(d->pcpu, cpu)->calls);
	return sum;
}

/* Hold new calls and wait for those in flight to finish. */
void dc_hold(struct dc_domain *d, int why)
{
	WRITE_ONCE(d->held, why);
	smp_mb();	/* pairs with dc_proxy_call() */
	while (dc_inflight(d))
		cpu_relax();
}

void dc_release(struct dc_domain *d)
{
	smp_store_release(&d->held, 0);
	wake_up_all(&d->held_wq);
}
