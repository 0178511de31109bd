// SPDX-License-Identifier: GPL-2.0
/*
 * Catching faults in domain code on x86-64.  A fault whose instruction
 * lies in the text of the innermost domain being called on this CPU
 * unwinds to that call's recovery frame; nothing here knows what happens
 * to the domain afterwards (fault.c and restart.c do).
 *
 *   - General protection faults, invalid opcodes and divide errors reach
 *     our die notifier (DIE_GPF, DIE_TRAP) before the kernel reports
 *     anything.
 *   - Page faults would reach it (DIE_OOPS) only after the kernel has
 *     printed an oops report and tainted itself 'D'.  So kprobes on
 *     fixup_exception(), which every kernel-mode fault consults before any
 *     report, and page_fault_oops(), where 6.x sends SMAP violations such as
 *     a NULL store directly, catch them first and make the probed function
 *     return at once.  If they cannot be placed, the DIE_OOPS path remains.
 *
 * Each rewrites the trapping pt_regs so the exception returns into
 * dc_gate_unwind(frame, -EIO).  A fault anywhere else, including TCB code
 * called by a domain, is a real kernel bug and is left to the kernel; but
 * a fetch fault on this CPU's domain stacks is the domain's wild jump
 * (wild_jump_frame()).
 */
#include "internal.h"
#include <linux/kernel.h>
#include <linux/kdebug.h>
#include <linux/kprobes.h>
#include <linux/notifier.h>
#include <linux/ptrace.h>
#include <linux/sched/task_stack.h>
#include <asm/special_insns.h>
#include <asm/trap_pf.h>
#include <asm/trapnr.h>
#include "ksym/ksym.h"

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

/*
 * The innermost call on this CPU, for a trap in kernel mode.  A frame is
 * only trusted where frames live: on the current task's stack (the
 * outermost call's) or in this CPU's domain stacks (nested calls).
 */
static struct dc_frame *innermost_frame(struct pt_regs *regs)
{
	struct dc_frame *f = this_cpu_read(dc_current_frame);

	if (!f || user_mode(regs))
		return NULL;
	if (!object_is_on_stack(f) && !dc_on_domain_stack((unsigned long)f, sizeof(*f)))
		return NULL;
	return f;
}

/* The innermost call on this CPU, if the trap is in its instance's text. */
static struct dc_frame *domain_frame(struct pt_regs *regs)
{
	struct dc_frame *f = innermost_frame(regs);

	if (!f || !dc_image_contains(f->inst->image, regs->ip, 1, DC_IMAGE_TEXT))
		return NULL;
	return f;
}

/*
 * A jump to where nothing can be executed (a return address or a function
 * pointer the domain corrupted) faults on the fetch, with the instruction
 * pointer at the target, outside the domain's text.  It is the domain's
 * if the CPU is on this CPU's domain stacks: only domain code and the
 * services it calls run there (the shims and the proxy run on the task's
 * stack), and service code jumps nowhere but to kernel text, which can
 * be fetched.  (A wild jump that lands in kernel text runs kernel code:
 * that cannot be told apart, see docs/testing.md.)
 */
static struct dc_frame *wild_jump_frame(struct pt_regs *regs, unsigned long error_code)
{
	struct dc_frame *f = innermost_frame(regs);

	if (!f || !(error_code & X86_PF_INSTR) || !dc_on_domain_stack(regs->sp, 1))
		return NULL;
	return f;
}

/* Make the exception return into dc_gate_unwind(f, -EIO). */
static void unwind_on_return(struct pt_regs *regs, struct dc_frame *f, int kind,
			     unsigned long addr)
{
	f->fault = kind;
	f->fault_ip = regs->ip;
	f->fault_addr = addr;
	f->fault_msg[0] = '\0';
	/* Only wild_jump_frame() lets a fault outside the text get here. */
	if (!dc_image_contains(f->inst->image, regs->ip, 1, DC_IMAGE_TEXT))
		strscpy(f->fault_msg, "a jump out of its code", sizeof(f->fault_msg));
	regs->ip = (unsigned long)dc_gate_unwind;
	regs->di = (unsigned long)f;
	regs->si = (unsigned long)-EIO;
	regs->sp = f->rsp;
}

/*
 * The registers the current interrupt saved: get_irq_regs() reads a
 * per-CPU variable that is not exported, so it is found at load time
 * (__irq_regs, lib/irq_regs.c; x86's own irq_regs in older kernels).
 */
static struct pt_regs * __percpu *irq_regs_var;

bool dc_trap_unwind_irq(struct dc_frame *f, int kind)
{
	struct pt_regs *regs;

	if (!irq_regs_var)
		return false;
	regs = *this_cpu_ptr(irq_regs_var);
	if (!regs || domain_frame(regs) != f)
		return false;
	unwind_on_return(regs, f, kind, 0);
	return true;
}

/* kprobe on fixup_exception(regs, trapnr, error_code, fault_addr). */
static int dc_fixup_pre(struct kprobe *kp, struct pt_regs *kregs)
{
	struct pt_regs *regs = (struct pt_regs *)kregs->di;
	struct dc_frame *f;

	if ((int)kregs->si != X86_TRAP_PF)
		return 0;
	f = domain_frame(regs) ?: wild_jump_frame(regs, kregs->dx);
	if (!f)
		return 0;
	unwind_on_return(regs, f, DC_FAULT_PAGE, kregs->cx);
	/* fixup_exception() returns true (handled) without running. */
	kregs->ax = 1;
	kregs->ip = (unsigned long)dc_just_return;
	return 1;
}

/* kprobe on page_fault_oops(regs, error_code, address) (6.x). */
static int dc_pf_oops_pre(struct kprobe *kp, struct pt_regs *kregs)
{
	struct pt_regs *regs = (struct pt_regs *)kregs->di;
	struct dc_frame *f = domain_frame(regs) ?: wild_jump_frame(regs, kregs->si);

	if (!f)
		return 0;
	unwind_on_return(regs, f, DC_FAULT_PAGE, kregs->dx);
	kregs->ip = (unsigned long)dc_just_return;
	return 1;
}

static struct kprobe trap_kprobes[] = {
	{ .symbol_name = "fixup_exception", .pre_handler = dc_fixup_pre },
	{ .symbol_name = "page_fault_oops", .pre_handler = dc_pf_oops_pre },
};
static bool trap_kprobe_on[ARRAY_SIZE(trap_kprobes)];

/*
 * Quiet if every path to an oops is probed: fixup_exception() alone before
 * 5.13 (no_context() always consults it first), both after.
 */
bool dc_trap_quiet_page_faults(void)
{
	return trap_kprobe_on[0] &&
	       (trap_kprobe_on[1] || !dc_ksym("page_fault_oops"));
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
	if (!f && kind == DC_FAULT_PAGE)
		f = wild_jump_frame(regs, args->err);
	if (!f) {
		/*
		 * Not domain code: a real kernel bug, perhaps in TCB code
		 * inside a domain call.  The oops ends that task, so its calls
		 * never return: forget their frames, or the next fault on this
		 * CPU would be checked against a dead one.
		 */
		if (val == DIE_OOPS)
			this_cpu_write(dc_current_frame, NULL);
		return NOTIFY_DONE;
	}
	unwind_on_return(regs, f, kind, kind == DC_FAULT_PAGE ? read_cr2() : 0);
	return NOTIFY_STOP;
}

static struct notifier_block dc_die_nb = {
	.notifier_call = dc_die_notify,
	.priority = INT_MAX,	/* before anyone else reports it */
};

int dc_trap_init(void)
{
	unsigned int i;
	int err;

	err = register_die_notifier(&dc_die_nb);
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(trap_kprobes); i++)
		trap_kprobe_on[i] = !register_kprobe(&trap_kprobes[i]);
	if (!dc_trap_quiet_page_faults())
		pr_warn("cannot probe the page-fault path: page faults in domains will print an oops report\n");
	irq_regs_var = (struct pt_regs * __percpu *)dc_ksym("__irq_regs");
	if (!irq_regs_var)
		irq_regs_var = (struct pt_regs * __percpu *)dc_ksym("irq_regs");
	if (!irq_regs_var) {
		/* Without it a domain that never returns would lock a CPU up. */
		pr_err("cannot find __irq_regs: calls could not be stopped when they hang\n");
		dc_trap_exit();
		return -ENOENT;
	}
	return 0;
}

void dc_trap_exit(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(trap_kprobes); i++)
		if (trap_kprobe_on[i])
			unregister_kprobe(&trap_kprobes[i]);
	unregister_die_notifier(&dc_die_nb);
}
