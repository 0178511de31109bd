// SPDX-License-Identifier: GPL-2.0
/*
 * Calls into domain code: recovery frames, in-flight accounting, and the
 * hold that quiesces a domain for a stateful hand-over.
 *
 * Every call into a domain runs under a recovery frame (dc_instance_call(),
 * internal.h) with preemption disabled: the frame stack is per CPU and the
 * call is an RCU read-side section, which is what lets the lifecycle free a
 * replaced instance after synchronize_rcu().  A fault in domain code
 * unwinds to the innermost frame (arch/x86/trap.c rewrites the trapping
 * context; svc->panic unwinds directly), and dc_gate_call() returns -EIO.
 */
#include "internal.h"
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <linux/sched.h>

DEFINE_PER_CPU(struct dc_frame *, dc_current_frame);

static_assert(offsetof(struct dc_frame, rbx) == 0);
static_assert(offsetof(struct dc_frame, r12) == 8);
static_assert(offsetof(struct dc_frame, r15) == 32);
static_assert(offsetof(struct dc_frame, rsp) == 40);

/*
 * The slow path of dc_instance_call(): the call unwound from a fault.
 * Undo what the abandoned domain code left behind and fail the instance.
 * Of several calls faulting at once, the one that failed it reports.
 */
void dc_frame_unwound(struct dc_frame *frame)
{
	preempt_count_set(frame->preempt_count);
	if (!arch_irqs_disabled_flags(frame->irq_flags))
		local_irq_enable();
	/* Fully ordered: a caller that then sees failed waits for a new instance. */
	if (!cmpxchg(&frame->inst->failed, 0, 1))
		dc_instance_failed(frame->inst, frame);
}

void dc_frame_panic(struct dc_instance *inst, const char *msg, unsigned long ip)
{
	struct dc_frame *f = this_cpu_read(dc_current_frame);

	if (WARN_ON_ONCE(!f || f->inst != inst))
		return;		/* libdomain then traps, which is a fault too */
	/* libdomain prefixes its messages by the check that failed. */
	if (!strncmp(msg, "assert", 6))
		f->fault = DC_FAULT_ASSERT;
	else if (!strncmp(msg, "bounds", 6))
		f->fault = DC_FAULT_BOUNDS;
	else if (!strncmp(msg, "stack-protector", 15))
		f->fault = DC_FAULT_STACK;
	else
		f->fault = DC_FAULT_PANIC;
	f->fault_ip = ip;
	f->fault_addr = 0;
	strscpy(f->fault_msg, msg, sizeof(f->fault_msg));
	dc_gate_unwind(f, -EIO);
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

/*
 * Hold new calls and wait for those in flight to finish.  The proxy
 * increments its CPU's in-flight count, issues a full barrier, then reads
 * held; we set held, issue a full barrier, then read the counts.  So
 * either the caller sees held and backs out, or we see its count and wait
 * for it: no caller slips into the instance we are about to replace.
 * Calls in flight end in bounded time: they finish or fault.
 */
void dc_hold(struct dc_domain *d)
{
	WRITE_ONCE(d->held, 1);
	smp_mb();	/* pairs with dc_proxy_call() */
	while (dc_inflight(d))
		cpu_relax();
}

void dc_release(struct dc_domain *d)
{
	smp_store_release(&d->held, 0);
	wake_up_all(&d->wait);
}
