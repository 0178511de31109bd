/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What one mutant did, and the outcome class it falls in (the campaign's
 * rules, docs/testing.md "Fault injection").  Pure functions, so the unit
 * tests check the rules without a VM.
 */
#ifndef DC_INJECT_CLASSIFY_H
#define DC_INJECT_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>

/* What the campaign runner saw while the mutant ran and after it went. */
struct inj_signals {
	int load_errno;		/* 0: it loaded */
	bool load_fault;	/* a fault while its first instance started */
	unsigned long faults;	/* of the mutant's domain, before it was unloaded */
	bool down;		/* it stayed down (restart policy) */
	bool workload_timeout;	/* the load hit the time limit and was killed */
	bool workload_stuck;	/* ... and could not be killed (a task stuck in the kernel) */
	bool failed_calls;	/* I/O errors (fio) or failed calls (filestress) */
	bool wrong_data;	/* fio's verify or filestress's compare failed */
	/* Escapes, each on its own: */
	unsigned int kernel_reports;	/* oops, BUG, WARNING, lockup... lines in the kernel log */
	bool tainted;		/* the kernel's taint flags changed */
	bool requeue_gave_up;	/* the shim failed a request, and the domain ended serving */
	bool requeue_during_load;	/* ... one of the load's own (a partition scan) */
	bool victim_changed;	/* another domain's memory changed (its own check) */
	bool others_faulted;	/* another domain faulted, or stopped answering */
	bool leaked;		/* the TCB's totals did not come back after the unload */
	bool unload_failed;
};

enum inj_outcome {
	INJ_NO_EFFECT,	/* loaded, served the load correctly, never faulted */
	INJ_CONTAINED,	/* faulted (under load or in its init); restarted or down */
	INJ_CAUGHT,	/* no fault, but wrong data or failed calls seen by the load */
	INJ_REFUSED,	/* the load failed without a fault: init or shim said no */
	INJ_TIMEOUT,	/* no fault, kernel fine, but the load did not finish in time */
	INJ_ESCAPE,	/* the kernel or something outside the domain was harmed */
	INJ_NR_OUTCOMES
};

const char *inj_outcome_name(int outcome);

/*
 * The outcome; for an escape, @why (size @size) lists every reason
 * ("kernel-report,tainted"), else it is empty.
 */
enum inj_outcome inj_classify(const struct inj_signals *s, char *why, size_t size);

#endif
