// SPDX-License-Identifier: GPL-2.0
/*
 * Calls into domain code, as src/call.c and src/arch/x86/ make them:
 *
 * - Domain code runs on stack blocks of DC_STACK_SIZE bytes aligned to
 *   their size, one per nesting depth, so libdomain's __fentry__ check
 *   (domain/abi.h) works as in the kernel.  Below block 0 is a guard page;
 *   a domain writing past the top of its block lands in the next one,
 *   unused while it runs, never on the test's stack.
 * - Every call has a recovery frame on the test's stack.  gate.S saves the
 *   callee-saved registers and the stack pointer in it, switches stacks
 *   and calls; it returns through dt_gate_unwind(), which a fault reaches
 *   too.
 * - Traps (SIGSEGV, SIGBUS, SIGILL, SIGFPE) in the innermost call's text
 *   are faults of that instance: the handler (on its own signal stack)
 *   rewrites the saved context so that the signal returns into
 *   dt_gate_unwind(frame, -EIO), as the kernel rewrites pt_regs.  A trap
 *   anywhere else is a bug of the test or of this library: the default
 *   action (a core dump).
 * - The call budget: while calls run, a timer ticks every 10 ms; past
 *   the innermost call's deadline and interrupted in its text, the call
 *   is unwound like a trap (kind "hang").  The first tick that finds no
 *   call stops the timer, so back-to-back calls cost no system call.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <sys/mman.h>
#include "internal.h"

#define DT_TICK_NS		(10 * 1000 * 1000)
#define DT_TICK_SIGNAL		(SIGRTMIN + 2)
#define DT_ALTSTACK_SIZE	(64 << 10)

/* Read by gate.S and by the signal handlers. */
__attribute__((visibility("hidden"))) struct dt_frame *dt_current_frame;

_Static_assert(offsetof(struct dt_frame, rbx) == 0, "gate.S: F_RBX");
_Static_assert(offsetof(struct dt_frame, r15) == 32, "gate.S: F_R15");
_Static_assert(offsetof(struct dt_frame, rsp) == 40, "gate.S: F_RSP");
_Static_assert(offsetof(struct dt_frame, stack) == 48, "gate.S: F_STACK");

static uintptr_t stack_top[DT_STACK_LEVELS];
static uintptr_t stack_base;		/* of block 0 */
static timer_t tick_timer;
static volatile sig_atomic_t tick_running;

/* As src/fault.c names them. */
static const char *const fault_names[] = {
	[DT_FAULT_NONE] = "none",
	[DT_FAULT_PANIC] = "panic",
	[DT_FAULT_ASSERT] = "assertion failure",
	[DT_FAULT_BOUNDS] = "bounds check",
	[DT_FAULT_STACK] = "stack-protector hit",
	[DT_FAULT_STACK_OVERFLOW] = "stack overflow",
	[DT_FAULT_BAD_ARG] = "bad service argument",
	[DT_FAULT_PAGE] = "page fault",
	[DT_FAULT_GPF] = "general protection fault",
	[DT_FAULT_UD] = "invalid opcode",
	[DT_FAULT_DIV] = "divide error",
	[DT_FAULT_HANG] = "hang",
	[DT_FAULT_LOCK_HELD] = "returned holding a lock",
	[DT_FAULT_STRAY] = "stray store",
};

const char *dt_fault_name(int kind)
{
	return kind >= 0 && kind < (int)(sizeof(fault_names) / sizeof(fault_names[0])) ?
	       fault_names[kind] : "?";
}

uint64_t dt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* Make the interrupted context return into dt_gate_unwind(f, -EIO). */
static void unwind_from_signal(ucontext_t *uc, struct dt_frame *f)
{
	greg_t *r = uc->uc_mcontext.gregs;

	r[REG_RIP] = (greg_t)(uintptr_t)dt_gate_unwind;
	r[REG_RDI] = (greg_t)(uintptr_t)f;
	r[REG_RSI] = -EIO;
	r[REG_RSP] = (greg_t)f->rsp;
	r[REG_EFL] &= ~0x400;	/* the direction flag: C code expects it clear */
}

static void on_trap(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	struct dt_frame *f = dt_current_frame;
	uintptr_t ip = uc->uc_mcontext.gregs[REG_RIP];

	if (!f || !dt_mapping_contains(&f->inst->map, ip, 1, DT_PART_TEXT)) {
		/* Not domain code: the default action, once this handler returns. */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	f->fault_ip = ip;
	f->fault_addr = 0;
	f->fault_msg[0] = '\0';
	switch (sig) {
	case SIGSEGV:
		/* The kernel sends SI_KERNEL for a #GP (non-canonical address). */
		if (si->si_code == SI_KERNEL) {
			f->fault = DT_FAULT_GPF;
			break;
		}
		/* fall through */
	case SIGBUS:
		f->fault = DT_FAULT_PAGE;
		f->fault_addr = (uintptr_t)si->si_addr;
		break;
	case SIGILL:
		f->fault = DT_FAULT_UD;
		break;
	default:
		f->fault = DT_FAULT_DIV;
		break;
	}
	unwind_from_signal(uc, f);
}

static void tick_arm(bool on)
{
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };

	if (on)
		its.it_interval.tv_nsec = its.it_value.tv_nsec = DT_TICK_NS;
	timer_settime(tick_timer, 0, &its, NULL);
}

static void on_tick(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	struct dt_frame *f = dt_current_frame;
	uintptr_t ip = uc->uc_mcontext.gregs[REG_RIP];

	(void)sig;
	(void)si;
	if (!f) {
		tick_arm(false);	/* async-signal-safe */
		tick_running = 0;
		return;
	}
	/* In a service, the call is not stopped: it returns to domain code soon. */
	if (dt_now_ns() < f->deadline_ns ||
	    !dt_mapping_contains(&f->inst->map, ip, 1, DT_PART_TEXT))
		return;
	f->fault = DT_FAULT_HANG;
	f->fault_ip = ip;
	f->fault_addr = 0;
	f->fault_msg[0] = '\0';
	unwind_from_signal(uc, f);
}

int dt_call_init(char *err)
{
	static const int traps[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE };
	size_t size = (DT_STACK_LEVELS + 2) * (size_t)DC_STACK_SIZE;
	struct sigevent sev = { 0 };
	struct sigaction sa = { 0 };
	stack_t ss = { 0 };
	unsigned char *area;
	uintptr_t base;
	unsigned int i;

	area = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		goto fail;
	/* Room for a guard page below block 0 and for the alignment. */
	base = ((uintptr_t)area + DT_PAGE_SIZE + DC_STACK_SIZE - 1) &
	       ~(uintptr_t)(DC_STACK_SIZE - 1);
	if (mprotect((void *)(base - DT_PAGE_SIZE), DT_PAGE_SIZE, PROT_NONE))
		goto fail;
	/*
	 * Aligned to their size: libdomain finds the top of the block it runs
	 * on from its stack pointer (the __fentry__ check, and the store
	 * check's bound of its own frames).
	 */
	stack_base = base;
	for (i = 0; i < DT_STACK_LEVELS; i++)
		stack_top[i] = base + (i + 1) * (uintptr_t)DC_STACK_SIZE;

	/* The handlers must run even when domain code has used up its stack. */
	ss.ss_sp = malloc(DT_ALTSTACK_SIZE);
	ss.ss_size = DT_ALTSTACK_SIZE;
	if (!ss.ss_sp || sigaltstack(&ss, NULL))
		goto fail;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	sa.sa_sigaction = on_trap;
	for (i = 0; i < sizeof(traps) / sizeof(traps[0]); i++)
		if (sigaction(traps[i], &sa, NULL))
			goto fail;
	sa.sa_flags |= SA_RESTART;
	sa.sa_sigaction = on_tick;
	if (sigaction(DT_TICK_SIGNAL, &sa, NULL))
		goto fail;
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = DT_TICK_SIGNAL;
	if (timer_create(CLOCK_MONOTONIC, &sev, &tick_timer))
		goto fail;
	return 0;
fail:
	snprintf(err, DT_ERROR_MAX, "cannot set up domain stacks and signals: %s",
		 strerror(errno));
	return -ENOMEM;
}

long dt_instance_call(struct dt_instance *inst, const void *fn, uint64_t a0,
		      uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct dt_frame frame;
	long ret;

	frame.prev = dt_current_frame;
	frame.depth = frame.prev ? frame.prev->depth + 1 : 0;
	if (frame.depth >= DT_STACK_LEVELS)
		return -ELOOP;
	frame.stack = stack_top[frame.depth];
	frame.inst = inst;
	frame.fault = 0;
	frame.deadline_ns = dt_now_ns() + inst->dom->budget_ms * 1000000ull;
	frame.locks_held = inst->owner.locks_held;
	dt_current_frame = &frame;
	/* After the frame is set: a tick that saw none has stopped the timer. */
	__asm__ volatile("" ::: "memory");
	if (!tick_running) {
		tick_running = 1;
		tick_arm(true);
	}
	ret = dt_gate_call(&frame, fn, a0, a1, a2, a3);
	dt_current_frame = frame.prev;
	if (inst->owner.locks_held != frame.locks_held && !frame.fault) {
		frame.fault = DT_FAULT_LOCK_HELD;
		frame.fault_ip = (uintptr_t)fn;
		frame.fault_msg[0] = '\0';
		ret = -EIO;
	}
	if (frame.fault && !inst->failed) {
		inst->failed = 1;
		dt_instance_failed(inst, &frame);
	}
	return ret;
}

void dt_frame_fail(struct dt_frame *f, int kind, uintptr_t ip, const char *fmt, ...)
{
	va_list ap;

	f->fault = kind;
	f->fault_ip = ip;
	f->fault_addr = 0;
	va_start(ap, fmt);
	vsnprintf(f->fault_msg, sizeof(f->fault_msg), fmt, ap);
	va_end(ap);
	dt_gate_unwind(f, -EIO);
}

void dt_frame_stray(struct dt_frame *f, uintptr_t ip, uintptr_t addr, const char *fmt, ...)
{
	va_list ap;

	f->fault = DT_FAULT_STRAY;
	f->fault_ip = ip;
	f->fault_addr = addr;
	va_start(ap, fmt);
	vsnprintf(f->fault_msg, sizeof(f->fault_msg), fmt, ap);
	va_end(ap);
	dt_gate_unwind(f, -EIO);
}

bool dt_on_domain_stack(uintptr_t addr, size_t size)
{
	uintptr_t end = stack_base + DT_STACK_LEVELS * (uintptr_t)DC_STACK_SIZE;

	return stack_base && addr >= stack_base && addr <= end && size <= end - addr;
}

void dt_frame_panic(struct dt_frame *f, const char *msg, uintptr_t ip)
{
	int kind;

	/* libdomain prefixes its messages by the check that failed. */
	if (!strncmp(msg, "assert", 6))
		kind = DT_FAULT_ASSERT;
	else if (!strncmp(msg, "bounds", 6))
		kind = DT_FAULT_BOUNDS;
	else if (!strncmp(msg, "stack-protector", 15))
		kind = DT_FAULT_STACK;
	else if (!strncmp(msg, "stack overflow", 14))
		kind = DT_FAULT_STACK_OVERFLOW;
	else
		kind = DT_FAULT_PANIC;
	dt_frame_fail(f, kind, ip, "%s", msg);
}
