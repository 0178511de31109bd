// SPDX-License-Identifier: GPL-2.0
/*
 * The call budget.  Domain calls run with preemption disabled, so a
 * domain that never returns would keep its CPU until the soft-lockup
 * detector panics the kernel.  Every call therefore has a deadline
 * (frame->deadline, from the domain's budget), and a per-CPU tick checks
 * the innermost call on its CPU: past the deadline, and with the CPU
 * interrupted in that call's own text, the call is unwound like a fault
 * (kind "hang").  Interrupted anywhere else (a service, the kernel), the
 * tick waits for the next one; TCB code returns to the domain or ends in
 * bounded time itself (svc->lock gives up, see heap.c).
 *
 * Why this is safe: the tick is an hrtimer in hard interrupt context, so
 * it interrupts domain code wherever it is, as long as interrupts are on;
 * domain code cannot turn them off (domain locks only disable bottom
 * halves).  Unwinding from an interrupt is the same as unwinding from a
 * trap: the interrupt's saved registers are rewritten so that returning
 * from it enters dc_gate_unwind(), and the abandoned domain code held no
 * TCB state.  dc_frame_unwound() then restores the preemption count and
 * interrupt state the call started with.
 *
 * The tick runs only while calls do: the call path arms it when it is off
 * (one per-CPU read), and it stops itself after a few idle periods.
 * Arming and stopping happen on the same CPU, so a compiler barrier
 * orders them: a call publishes its frame before it reads "armed", and the
 * tick stops only when it sees no frame.
 */
#include "internal.h"
#include <linux/hrtimer.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/percpu.h>
#include "compat/compat.h"

/* Ticks per budget at least: a hang is caught within 1.25 budgets. */
#define DC_WATCHDOG_PERIOD_MS	20
/* Idle periods before the tick stops. */
#define DC_WATCHDOG_IDLE_TICKS	10

struct dc_watchdog {
	struct hrtimer timer;
	unsigned int idle;
};

DEFINE_PER_CPU(bool, dc_watchdog_armed);
static DEFINE_PER_CPU(struct dc_watchdog, dc_watchdog);
static bool dc_watchdog_stopping;

static enum hrtimer_restart watchdog_tick(struct hrtimer *timer)
{
	struct dc_watchdog *wd = container_of(timer, struct dc_watchdog, timer);
	struct dc_frame *f = this_cpu_read(dc_current_frame);

	if (!f) {
		if (++wd->idle >= DC_WATCHDOG_IDLE_TICKS || READ_ONCE(dc_watchdog_stopping)) {
			this_cpu_write(dc_watchdog_armed, false);
			return HRTIMER_NORESTART;
		}
	} else {
		wd->idle = 0;
		if (time_after(jiffies, f->deadline))
			dc_trap_unwind_irq(f, DC_FAULT_HANG);
	}
	hrtimer_forward_now(timer, ms_to_ktime(DC_WATCHDOG_PERIOD_MS));
	return HRTIMER_RESTART;
}

/* From dc_instance_call(), preemption disabled: start this CPU's tick. */
void dc_watchdog_arm(void)
{
	struct dc_watchdog *wd = this_cpu_ptr(&dc_watchdog);

	if (READ_ONCE(dc_watchdog_stopping))
		return;
	this_cpu_write(dc_watchdog_armed, true);
	wd->idle = 0;
	/* Pinned: the tick must run on the CPU whose calls it watches. */
	hrtimer_start(&wd->timer, ms_to_ktime(DC_WATCHDOG_PERIOD_MS),
		      HRTIMER_MODE_REL_PINNED);
}

int dc_watchdog_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct dc_watchdog *wd = per_cpu_ptr(&dc_watchdog, cpu);

		hrtimer_setup(&wd->timer, watchdog_tick, CLOCK_MONOTONIC,
			      HRTIMER_MODE_REL_PINNED);
	}
	return 0;
}

/* After every domain is gone: no call can arm a tick again. */
void dc_watchdog_exit(void)
{
	int cpu;

	WRITE_ONCE(dc_watchdog_stopping, true);
	for_each_possible_cpu(cpu)
		hrtimer_cancel(&per_cpu_ptr(&dc_watchdog, cpu)->timer);
}
