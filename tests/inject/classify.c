// SPDX-License-Identifier: GPL-2.0
/* The campaign's outcome rules (see classify.h). */
#include <stdio.h>
#include <string.h>
#include "classify.h"

static const char *const outcome_names[] = {
	[INJ_NO_EFFECT] = "no-effect",
	[INJ_CONTAINED] = "contained",
	[INJ_CAUGHT] = "caught",
	[INJ_REFUSED] = "refused",
	[INJ_TIMEOUT] = "timeout",
	[INJ_ESCAPE] = "escape",
};

const char *inj_outcome_name(int outcome)
{
	return outcome >= 0 && outcome < INJ_NR_OUTCOMES ? outcome_names[outcome] : "?";
}

static void add(char *why, size_t size, bool cond, const char *reason)
{
	size_t n = strlen(why);

	if (cond && n + 1 < size)
		snprintf(why + n, size - n, "%s%s", n ? "," : "", reason);
}

enum inj_outcome inj_classify(const struct inj_signals *s, char *why, size_t size)
{
	if (size)
		why[0] = '\0';
	/*
	 * Escapes first: whatever else the domain did, harm outside it is
	 * what the campaign measures.
	 */
	add(why, size, s->kernel_reports, "kernel-report");
	add(why, size, s->tainted, "tainted");
	add(why, size, s->workload_stuck, "stuck-task");
	add(why, size, s->requeue_gave_up, "io-error-not-hidden");
	add(why, size, s->requeue_during_load, "io-error-during-load");
	add(why, size, s->victim_changed, "other-domain-memory");
	add(why, size, s->others_faulted, "other-domain-fault");
	add(why, size, s->leaked, "tcb-leak");
	add(why, size, s->unload_failed, "unload-failed");
	if (size && why[0])
		return INJ_ESCAPE;
	if (s->load_errno)
		return s->load_fault ? INJ_CONTAINED : INJ_REFUSED;
	/*
	 * A fault explains failed calls and even wrong data: the calls in
	 * flight fail, and the mutant itself may have written garbage before
	 * it faulted (its own data: the state store is the domain's).
	 */
	if (s->faults)
		return INJ_CONTAINED;
	if (s->workload_timeout)
		return INJ_TIMEOUT;
	if (s->wrong_data || s->failed_calls)
		return INJ_CAUGHT;
	return INJ_NO_EFFECT;
}
