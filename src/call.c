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
#include <linux/vmalloc.h>
#include "range.h"

DEFINE_PER_CPU(struct dc_frame *, dc_current_frame);
DEFINE_PER_CPU(struct dc_stacks, dc_stacks);
static DEFINE_PER_CPU(void *, dc_stack_area);

static_assert(offsetof(struct dc_frame, rbx) == 0);
static_assert(offsetof(struct dc_frame, r12) == 8);
static_assert(offsetof(struct dc_frame, r15) == 32);
static_assert(offsetof(struct dc_frame, rsp) == 40);
static_assert(offsetof(struct dc_frame, stack) == 48);

/*
 * Each CPU gets one vmalloc area holding DC_STACK_LEVELS blocks of
 * DC_STACK_SIZE bytes, each aligned to its size (the area has room for
 * that), in order of depth: a call at depth k runs down from the top of
 * block k.  libdomain stops a domain that reaches the lower half of its
 * block (DC_STACK_RESERVE): what is below stays for the TCB and kernel
 * code it calls (services, exception entry).  A domain writing past the
 * top of its block lands in the next block, unused while it runs (calls
 * nest), or past the last one in the area's tail and guard page: never in
 * the TCB's stack, which holds its recovery frame.
 */
static_assert(DC_STACK_RESERVE * 2 == DC_STACK_SIZE);

static void stacks_free(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		vfree(per_cpu(dc_stack_area, cpu));
		per_cpu(dc_stack_area, cpu) = NULL;
	}
}

int dc_call_init(void)
{
	unsigned int k;
	int cpu;

	for_each_possible_cpu(cpu) {
		void *area = vmalloc_node((DC_STACK_LEVELS + 1) * DC_STACK_SIZE,
					  cpu_to_node(cpu));
		unsigned long base;

		if (!area) {
			stacks_free();
			return -ENOMEM;
		}
		per_cpu(dc_stack_area, cpu) = area;
		base = ALIGN((unsigned long)area, DC_STACK_SIZE);
		for (k = 0; k < DC_STACK_LEVELS; k++)
			per_cpu(dc_stacks, cpu).top[k] = base + (k + 1) * DC_STACK_SIZE;
	}
	return 0;
}

void dc_call_exit(void)
{
	stacks_free();
}

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

void dc_frame_fail(struct dc_frame *f, int kind, unsigned long ip, const char *fmt, ...)
{
	va_list ap;

	f->fault = kind;
	f->fault_ip = ip;
	f->fault_addr = 0;
	va_start(ap, fmt);
	vscnprintf(f->fault_msg, sizeof(f->fault_msg), fmt, ap);
	va_end(ap);
	dc_gate_unwind(f, -EIO);
}

void dc_frame_stray(struct dc_frame *f, unsigned long ip, unsigned long addr,
		    const char *fmt, ...)
{
	va_list ap;

	f->fault = DC_FAULT_STRAY;
	f->fault_ip = ip;
	f->fault_addr = addr;
	va_start(ap, fmt);
	vscnprintf(f->fault_msg, sizeof(f->fault_msg), fmt, ap);
	va_end(ap);
	dc_gate_unwind(f, -EIO);
}

void dc_frame_panic(struct dc_frame *f, const char *msg, unsigned long ip)
{
	int kind;

	/* libdomain prefixes its messages by the check that failed. */
	if (!strncmp(msg, "assert", 6))
		kind = DC_FAULT_ASSERT;
	else if (!strncmp(msg, "bounds", 6))
		kind = DC_FAULT_BOUNDS;
	else if (!strncmp(msg, "stack-protector", 15))
		kind = DC_FAULT_STACK;
	else if (!strncmp(msg, "stack overflow", 14))
		kind = DC_FAULT_STACK_OVERFLOW;
	else
		kind = DC_FAULT_PANIC;
	dc_frame_fail(f, kind, ip, "%s", msg);
}

bool dc_on_domain_stack(unsigned long addr, size_t size)
{
	unsigned long area = (unsigned long)this_cpu_read(dc_stack_area);

	return area && addr >= area &&
	       dc_range_within(addr - area, size, (DC_STACK_LEVELS + 1) * DC_STACK_SIZE);
}

/* The sum of a per-CPU counter of @d over the CPUs. */
#define PCPU_SUM(d, field) ({						\
	typeof(((struct dc_domain_pcpu *)0)->field) __sum = 0;		\
	int __cpu;							\
	for_each_possible_cpu(__cpu)					\
		__sum += READ_ONCE(per_cpu_ptr((d)->pcpu, __cpu)->field); \
	__sum;								\
})

long dc_inflight(struct dc_domain *d)
{
	return PCPU_SUM(d, inflight);
}

u64 dc_calls(struct dc_domain *d)
{
	return PCPU_SUM(d, calls);
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
