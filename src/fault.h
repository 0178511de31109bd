/* SPDX-License-Identifier: GPL-2.0 */
/* Fault containment and recovery of domains. */
#ifndef DC_FAULT_H
#define DC_FAULT_H

#include "runtime.h"

enum dc_fault_kind {
	DC_FAULT_NONE,
	DC_FAULT_PANIC,		/* dom_panic() */
	DC_FAULT_ASSERT,	/* DOM_ASSERT failed */
	DC_FAULT_BOUNDS,	/* a libdomain bounds check */
	DC_FAULT_STACK,		/* stack protector */
	DC_FAULT_PAGE,		/* page fault, e.g. NULL dereference */
	DC_FAULT_GPF,		/* general protection fault */
	DC_FAULT_UD,		/* invalid opcode */
	DC_FAULT_DIV,		/* divide error */
};

struct dc_frame;

const char *dc_fault_name(int kind);

/* svc->panic, called from domain code at @ip: unwind the call into @inst. */
void dc_fault_panic(struct dc_instance *inst, const char *msg, unsigned long ip);

/* After a call unwound: report it and start recovery. */
void dc_fault_recorded(struct dc_instance *inst, struct dc_frame *frame);

/* Restart policy from the load request; cancel pending restarts. */
void dc_fault_policy_init(struct dc_domain *d, const struct dc_load *req);
void dc_fault_cancel(struct dc_domain *d);

/* Page faults in domains are caught before the kernel reports them. */
bool dc_fault_quiet_page_faults(void);

int dc_fault_init(void);
void dc_fault_exit(void);

#endif
