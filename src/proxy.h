/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The proxy: every call into a domain goes through dc_proxy_call(), which
 * counts it, holds it while the domain is being replaced, moves object
 * ownership, and sets a recovery point so a fault in the domain unwinds
 * back here.
 */
#ifndef DC_PROXY_H
#define DC_PROXY_H

#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/irqflags.h>
#include "runtime.h"

/* A recovery point; the first fields are read by arch/x86/gate.S. */
struct dc_frame {
	u64 rbx, r12, r13, r14, r15, rsp;	/* saved by dc_gate_call */
	struct dc_frame *prev;			/* the frame this call nests in */
	struct dc_instance *inst;		/* whose code runs above it */
	unsigned long irq_flags;
	int preempt_count;
	int fault;				/* DC_FAULT_*, 0 if none */
	unsigned long fault_ip;			/* details in inst->fault_msg */
};

long dc_gate_call(struct dc_frame *frame, const void *fn, u64 a0, u64 a1,
		  u64 a2, u64 a3);
/*
 * Never returns; not declared __noreturn because objtool cannot see into
 * gate.S and would think its callers fall through.
 */
void dc_gate_unwind(struct dc_frame *frame, long ret);

/* Executes only a return; see gate.S. */
void dc_just_return(void);

/* The innermost recovery point on this CPU (calls run non-preemptible). */
DECLARE_PER_CPU(struct dc_frame *, dc_current_frame);

long dc_proxy_call(struct dc_domain *d, struct dc_owner *caller,
		   unsigned int method, u64 a0, u64 a1, u64 a2, u64 a3);

void dc_instance_call_faulted(struct dc_instance *inst, struct dc_frame *frame);

/*
 * Call @fn in @inst under a recovery point.  Preemption is disabled by the
 * caller.  Inline: it is on every call's path.
 */
static __always_inline long dc_instance_call(struct dc_instance *inst,
					     const void *fn, u64 a0, u64 a1,
					     u64 a2, u64 a3)
{
	struct dc_frame frame;
	long ret;

	frame.prev = this_cpu_read(dc_current_frame);
	frame.inst = inst;
	frame.fault = 0;
	frame.preempt_count = preempt_count();
	local_save_flags(frame.irq_flags);
	this_cpu_write(dc_current_frame, &frame);
	ret = dc_gate_call(&frame, fn, a0, a1, a2, a3);
	this_cpu_write(dc_current_frame, frame.prev);
	if (unlikely(frame.fault))
		dc_instance_call_faulted(inst, &frame);
	return ret;
}

/* Stop new calls and wait for those in flight; then let them go. */
void dc_hold(struct dc_domain *d, int why);
void dc_release(struct dc_domain *d);
long dc_inflight(struct dc_domain *d);
u64 dc_calls(struct dc_domain *d);

#endif
