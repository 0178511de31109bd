// SPDX-License-Identifier: GPL-2.0
/*
 * Fault containment.  Every call into a domain has a recovery point (see
 * proxy.c and arch/x86/gate.S).  A fault whose instruction lies in the text
 * of the innermost domain being called on this CPU unwinds to that point:
 *
 *   - dom_panic(), assertions, bounds and stack-protector checks call
 *     svc->panic, which unwinds directly;
 *   - general protection faults, invalid opcodes and divide errors reach
 *     our die notifier (DIE_GPF, DIE_TRAP) before the kernel reports
 *     anything;
 *   - page faults would reach it (DIE_OOPS) only after the kernel has
 *     printed an oops report and tainted itself 'D'.  So a kprobe on
 *     fixup_exception(), which every kernel-mode page fault consults before
 *     any report, catches them first and makes it return "handled".  If
 *     that kprobe cannot be placed, the DIE_OOPS path remains.
 *
 * Both rewrite pt_regs so the CPU returns into dc_gate_unwind.
 * A fault anywhere else, including TCB code called by a domain, is a real
 * kernel bug and is left to the kernel.
 *
 * After the unwind the instance is failed, new calls are held and a worker
 * starts a fresh instance from the cached image, as the restart policy
 * allows.
 */
#include <linux/kernel.h>
#include <linux/kdebug.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/notifier.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <asm/special_insns.h>
#include <asm/trapnr.h>
#include "compat/ksym.h"
#include "exec_mem.h"
#include "fault.h"
#include "proxy.h"
#include "runtime.h"

static const char *const fault_names[] = {
	[DC_FAULT_NONE] = "none",
	[DC_FAULT_PANIC] = "panic",
	[DC_FAULT_ASSERT] = "assertion failure",
	[DC_FAULT_BOUNDS] = "bounds check",
	[DC_FAULT_STACK] = "stack-protector hit",
	[DC_FAULT_PAGE] = "page fault",
	[DC_FAULT_GPF] = "general protection fault",
	[DC_FAULT_UD] = "invalid opcode",
	[DC_FAULT_DIV] = "divide error",
};

static struct workqueue_struct *dc_restart_wq;

const char *dc_fault_name(int kind)
{
	return kind >= 0 && kind < ARRAY_SIZE(fault_names) ? fault_names[kind] : "?";
}

/* libdomain prefixes its messages by the check that failed. */
static int classify_panic(const char *msg)
{
	if (!strncmp(msg, "assert", 6))
		return DC_FAULT_ASSERT;
	if (!strncmp(msg, "bounds", 6))
		return DC_FAULT_BOUNDS;
	if (!strncmp(msg, "stack-protector", 15))
		return DC_FAULT_STACK;
	return DC_FAULT_PANIC;
}

void dc_fault_panic(struct dc_instance *inst, const char *msg, unsigned long ip)
{
	struct dc_frame *f = this_cpu_read(dc_current_frame);

	if (WARN_ON_ONCE(!f || f->inst != inst))
		return;		/* libdomain then traps, which is a fault too */
	f->fault = classify_panic(msg);
	f->fault_ip = ip;
	strscpy(inst->fault_msg, msg, sizeof(inst->fault_msg));
	dc_gate_unwind(f, -EIO);
}

static int die_kind(unsigned long val, const struct die_args *args)
{
	switch (val) {
	case DIE_GPF:
		return DC_FAULT_GPF;
	case DIE_TRAP:
		if (args->trapnr == X86_TRAP_UD)
			return DC_FAULT_UD;
		if (args->trapnr == X86_TRAP_DE)
			return DC_FAULT_DIV;
		return DC_FAULT_NONE;
	case DIE_OOPS:
		/*
		 * The page-fault path reports with the title "Oops" and leaves
		 * trapnr stale; other oopses in domain text are traps we did
		 * not stop earlier.
		 */
		if (args->str && !strcmp(args->str, "Oops"))
			return DC_FAULT_PAGE;
		if (args->trapnr == X86_TRAP_UD)
			return DC_FAULT_UD;
		if (args->trapnr == X86_TRAP_DE)
			return DC_FAULT_DIV;
		return DC_FAULT_GPF;
	default:
		return DC_FAULT_NONE;
	}
}

/* The fault is in the text of the innermost domain called on this CPU. */
static struct dc_frame *domain_frame(struct pt_regs *regs)
{
	struct dc_frame *f = this_cpu_read(dc_current_frame);

	if (!f || user_mode(regs) ||
	    !dc_image_contains(f->inst->image, regs->ip, 1, true))
		return NULL;
	return f;
}

/* Make the exception return into dc_gate_unwind(f, -EIO). */
static void unwind_on_return(struct pt_regs *regs, struct dc_frame *f, int kind)
{
	f->fault = kind;
	f->fault_ip = regs->ip;
	regs->ip = (unsigned long)dc_gate_unwind;
	regs->di = (unsigned long)f;
	regs->si = (unsigned long)-EIO;
	regs->sp = f->rsp;
}

/* kprobe on fixup_exception(regs, trapnr, error_code, fault_addr). */
static int dc_fixup_pre(struct kprobe *kp, struct pt_regs *kregs)
{
	struct pt_regs *regs = (struct pt_regs *)kregs->di;
	struct dc_frame *f;

	if ((int)kregs->si != X86_TRAP_PF)
		return 0;
	f = domain_frame(regs);
	if (!f)
		return 0;
	scnprintf(f->inst->fault_msg, sizeof(f->inst->fault_msg), "address 0x%lx", kregs->cx);
	unwind_on_return(regs, f, DC_FAULT_PAGE);
	/* fixup_exception() returns true (handled) without running. */
	kregs->ax = 1;
	kregs->ip = (unsigned long)dc_just_return;
	return 1;
}

/*
 * kprobe on page_fault_oops(regs, error_code, address) (6.x): with SMAP,
 * a kernel access to a user address such as NULL goes straight there,
 * without consulting fixup_exception().
 */
static int dc_pf_oops_pre(struct kprobe *kp, struct pt_regs *kregs)
{
	struct pt_regs *regs = (struct pt_regs *)kregs->di;
	struct dc_frame *f = domain_frame(regs);

	if (!f)
		return 0;
	scnprintf(f->inst->fault_msg, sizeof(f->inst->fault_msg), "address 0x%lx", kregs->dx);
	unwind_on_return(regs, f, DC_FAULT_PAGE);
	kregs->ip = (unsigned long)dc_just_return;
	return 1;
}

static struct kprobe dc_fault_kprobes[] = {
	{ .symbol_name = "fixup_exception", .pre_handler = dc_fixup_pre },
	{ .symbol_name = "page_fault_oops", .pre_handler = dc_pf_oops_pre },
};
static bool dc_kprobe_on[ARRAY_SIZE(dc_fault_kprobes)];

/*
 * Quiet if every path to an oops is probed: fixup_exception() alone before
 * 5.13 (no_context() always consults it first), both after.
 */
bool dc_fault_quiet_page_faults(void)
{
	return dc_kprobe_on[0] &&
	       (dc_kprobe_on[1] || !dc_ksym("page_fault_oops"));
}

static int dc_die_notify(struct notifier_block *nb, unsigned long val, void *data)
{
	struct die_args *args = data;
	struct pt_regs *regs = args->regs;
	struct dc_frame *f;
	int kind;

	if (!regs)
		return NOTIFY_DONE;
	kind = die_kind(val, args);
	if (kind == DC_FAULT_NONE)
		return NOTIFY_DONE;
	f = domain_frame(regs);
	if (!f)
		return NOTIFY_DONE;	/* not domain code: a real kernel bug */
	if (kind == DC_FAULT_PAGE)
		scnprintf(f->inst->fault_msg, sizeof(f->inst->fault_msg), "address 0x%lx",
			  read_cr2());
	else
		f->inst->fault_msg[0] = '\0';
	unwind_on_return(regs, f, kind);
	return NOTIFY_STOP;
}

static struct notifier_block dc_die_nb = {
	.notifier_call = dc_die_notify,
	.priority = INT_MAX,	/* before anyone else reports it */
};

void dc_fault_recorded(struct dc_instance *inst, struct dc_frame *frame)
{
	struct dc_domain *d = inst->dom;
	const char *sym = NULL;
	unsigned long base;
	u64 within = 0;
	char where[64];

	if (cmpxchg(&inst->failed, 0, 1))
		return;		/* another CPU already failed this instance */
	if (rcu_access_pointer(d->inst) != inst) {
		/* Not published (initialisation, state hand-over): the caller fails. */
		pr_err("domain_core: %s.dom: %s while starting\n", d->name,
		       dc_fault_name(frame->fault));
		return;
	}
	d->fault_time_ns = ktime_get_ns();
	/* New calls wait for the fresh instance rather than fail. */
	WRITE_ONCE(d->held, DC_HELD_RESTART);
	d->state = DC_STATE_FAILED;
	atomic64_inc(&d->faults);

	base = (unsigned long)inst->image->mem->base;
	if (frame->fault_ip - base < inst->image->info.span)
		sym = dc_elf_symbolize(inst->image->file, inst->image->file_len,
				       &inst->image->info, frame->fault_ip - base, &within);
	if (sym)
		scnprintf(where, sizeof(where), "%s+0x%llx", sym, within);
	else
		scnprintf(where, sizeof(where), "0x%lx", frame->fault_ip - base);
	scnprintf(d->last_fault, sizeof(d->last_fault), "%s at %s%s%s",
		  dc_fault_name(frame->fault), where, inst->fault_msg[0] ? ": " : "",
		  inst->fault_msg);
	pr_err("domain_core: %s.dom: %s\n", d->name, d->last_fault);
	queue_delayed_work(dc_restart_wq, &d->restart_work,
			   msecs_to_jiffies(d->restart_backoff_ms));
}

/* Under dc_domains_lock: give up on @d until it is unloaded or upgraded. */
static void stay_down(struct dc_domain *d, struct dc_instance *failed,
		      const char *why)
{
	RCU_INIT_POINTER(d->inst, NULL);
	dc_release(d);		/* callers now get -ENODEV */
	d->state = DC_STATE_DOWN;
	synchronize_rcu();
	while (dc_inflight(d))
		cpu_relax();
	dc_instance_destroy(failed);
	pr_err("domain_core: %s stays down: %s\n", d->name, why);
}

static bool restart_allowed(struct dc_domain *d, char *why, size_t len)
{
	unsigned long window = msecs_to_jiffies(d->restart_window_ms);

	if (d->restart_policy == DC_RESTART_NEVER) {
		scnprintf(why, len, "restart=never");
		return false;
	}
	if (time_after(jiffies, d->window_start + window)) {
		d->window_start = jiffies;
		d->window_restarts = 0;
	}
	if (d->restart_policy == DC_RESTART_ON_FAILURE &&
	    d->window_restarts >= d->restart_max) {
		scnprintf(why, len, "restart limit reached (%u in %u s)",
			  d->window_restarts, d->restart_window_ms / 1000);
		return false;
	}
	d->window_restarts++;
	return true;
}

static void restart_worker(struct work_struct *work)
{
	struct dc_domain *d = container_of(to_delayed_work(work), struct dc_domain,
					   restart_work);
	struct dc_instance *old, *new;
	char err[DC_ERROR_MAX];

	/* Never block on the lock: unload cancels this work while holding it. */
	if (!mutex_trylock(&dc_domains_lock)) {
		queue_delayed_work(dc_restart_wq, &d->restart_work, 1);
		return;
	}
	old = rcu_dereference_protected(d->inst, lockdep_is_held(&dc_domains_lock));
	if (!old || !old->failed || d->dying)
		goto out;
	if (!restart_allowed(d, err, sizeof(err))) {
		stay_down(d, old, err);
		goto out;
	}
	err[0] = '\0';
	new = dc_instance_create(d, d->file, d->file_len, d->params, err, sizeof(err));
	if (IS_ERR(new)) {
		stay_down(d, old, err[0] ? err : "the new instance did not start");
		goto out;
	}
	/* Calls still running in the failed instance finish or fault. */
	dc_hold(d, DC_HELD_RESTART);
	rcu_assign_pointer(d->inst, new);
	d->state = DC_STATE_RUNNING;
	d->restarts++;
	d->last_recovery_ns = ktime_get_ns() - d->fault_time_ns;
	dc_release(d);
	synchronize_rcu();
	dc_instance_destroy(old);
	pr_info("domain_core: %s restarted (restart %llu, serving again %llu us after the fault)\n",
		d->name, d->restarts, d->last_recovery_ns / 1000);
out:
	mutex_unlock(&dc_domains_lock);
}

void dc_fault_policy_init(struct dc_domain *d, const struct dc_load *req)
{
	d->restart_policy = req->restart_policy;
	d->restart_max = req->restart_max ?: 5;
	d->restart_window_ms = req->restart_window_ms ?: 60000;
	d->restart_backoff_ms = req->restart_backoff_ms;
	d->window_start = jiffies;
	INIT_DELAYED_WORK(&d->restart_work, restart_worker);
}

void dc_fault_cancel(struct dc_domain *d)
{
	d->dying = true;
	cancel_delayed_work_sync(&d->restart_work);
}

int dc_fault_init(void)
{
	unsigned int i;
	int err;

	dc_restart_wq = alloc_workqueue("domain_core_restart", WQ_UNBOUND, 0);
	if (!dc_restart_wq)
		return -ENOMEM;
	err = register_die_notifier(&dc_die_nb);
	if (err) {
		destroy_workqueue(dc_restart_wq);
		return err;
	}
	for (i = 0; i < ARRAY_SIZE(dc_fault_kprobes); i++)
		dc_kprobe_on[i] = !register_kprobe(&dc_fault_kprobes[i]);
	if (!dc_fault_quiet_page_faults())
		pr_warn("domain_core: cannot probe the page-fault path: page faults in domains will print an oops report\n");
	return 0;
}

void dc_fault_exit(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dc_fault_kprobes); i++)
		if (dc_kprobe_on[i])
			unregister_kprobe(&dc_fault_kprobes[i]);
	unregister_die_notifier(&dc_die_nb);
	destroy_workqueue(dc_restart_wq);
}
