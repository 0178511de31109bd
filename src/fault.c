// SPDX-License-Identifier: GPL-2.0
/*
 * An instance failed: a call into it unwound from a fault (caught by
 * arch/x86/trap.c or raised by svc->panic, see call.c).  Here the failure
 * is recorded and reported (one log line, a trace event, sysfs), and the
 * domain is handed to the fault handler, which decides what happens next.
 * The handler is restart.c's; it is registered at init rather than called
 * by name because restart.c sits above the lifecycle, which calls here.
 */
#include "internal.h"
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/rcupdate.h>
#include "trace.h"

static const char *const fault_names[] = {
	[DC_FAULT_NONE] = "none",
	[DC_FAULT_PANIC] = "panic",
	[DC_FAULT_ASSERT] = "assertion failure",
	[DC_FAULT_BOUNDS] = "bounds check",
	[DC_FAULT_STACK] = "stack-protector hit",
	[DC_FAULT_STACK_OVERFLOW] = "stack overflow",
	[DC_FAULT_BAD_ARG] = "bad service argument",
	[DC_FAULT_PAGE] = "page fault",
	[DC_FAULT_GPF] = "general protection fault",
	[DC_FAULT_UD] = "invalid opcode",
	[DC_FAULT_DIV] = "divide error",
	[DC_FAULT_HANG] = "hang",
	[DC_FAULT_LOCK_HELD] = "returned holding a lock",
	[DC_FAULT_ABANDONED] = "abandoned",
	[DC_FAULT_STRAY] = "stray store",
};

static const struct dc_fault_handler *handler;

const char *dc_fault_name(int kind)
{
	return kind >= 0 && kind < ARRAY_SIZE(fault_names) ? fault_names[kind] : "?";
}

void dc_fault_set_handler(const struct dc_fault_handler *h)
{
	handler = h;
}

void dc_fault_init_domain(struct dc_domain *d)
{
	atomic64_set(&d->faults.count, 0);
	if (handler)
		handler->init(d);
}

void dc_fault_cancel(struct dc_domain *d)
{
	if (handler)
		handler->cancel(d);
}

/*
 * "page fault at crash_write+0x114: address 0x0" into @buf; with @hashed,
 * addresses printed as %p prints them (for readers who are not root).
 */
static void describe(const struct dc_instance *inst, const struct dc_frame *frame,
		     char *buf, size_t size, bool hashed)
{
	char where[64];

	const char *sep = frame->fault_msg[0] ? ", " : "";

	dc_image_symbolize(inst->image, frame->fault_ip, where, sizeof(where));
	/* A stray store's message names what it hit, never a raw address. */
	if ((frame->fault == DC_FAULT_PAGE || frame->fault == DC_FAULT_STRAY) && hashed)
		scnprintf(buf, size, "%s at %s: address %p%s%s", dc_fault_name(frame->fault),
			  where, (void *)frame->fault_addr, sep, frame->fault_msg);
	else if (frame->fault == DC_FAULT_PAGE || frame->fault == DC_FAULT_STRAY)
		scnprintf(buf, size, "%s at %s: address 0x%lx%s%s", dc_fault_name(frame->fault),
			  where, frame->fault_addr, sep, frame->fault_msg);
	else if (frame->fault_msg[0] && !hashed)
		scnprintf(buf, size, "%s at %s: %s", dc_fault_name(frame->fault), where,
			  frame->fault_msg);
	else
		scnprintf(buf, size, "%s at %s", dc_fault_name(frame->fault), where);
}

/*
 * Called for the call that failed @inst (dc_frame_unwound() elected it),
 * with preemption disabled.  An instance that is not the
 * published one is being started or replaced under dc_domains_lock; that
 * caller sees inst->failed and handles it.
 */
void dc_instance_failed(struct dc_instance *inst, const struct dc_frame *frame)
{
	struct dc_domain *d = inst->dom;
	char what[DC_ERROR_MAX];
	char where[64];

	describe(inst, frame, what, sizeof(what), false);
	if (rcu_access_pointer(d->inst) != inst) {
		pr_err("%s.dom: %s (while starting or being replaced)\n", d->name, what);
		return;
	}
	d->faults.fault_time_ns = ktime_get_ns();
	atomic64_inc(&d->faults.count);
	/*
	 * last is read by sysfs without a lock: a reader racing a second
	 * failure may see a mix of two messages, never an unterminated one.
	 */
	strscpy(d->faults.last, what, sizeof(d->faults.last));
	describe(inst, frame, d->faults.last_hashed, sizeof(d->faults.last_hashed), true);
	WRITE_ONCE(d->state, DC_STATE_FAILED);
	pr_err("%s.dom: %s\n", d->name, what);
	dc_image_symbolize(inst->image, frame->fault_ip, where, sizeof(where));
	trace_domain_fault(d->name, dc_fault_name(frame->fault), where);
	if (handler)
		handler->failed(d);
}
