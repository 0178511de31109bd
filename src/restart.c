// SPDX-License-Identifier: GPL-2.0
/*
 * What happens after a domain's instance fails: the restart policy and
 * the restart worker.  fault.c reports the failure and calls this file's
 * handler, which queues the worker; the worker applies the policy and asks
 * the lifecycle for a fresh instance, or keeps the domain down:
 *
 *   always      restart with no limit;
 *   on-failure  (the default) at most restart_max restarts per
 *               restart_window_ms;
 *   never       stay down.
 */
#include "internal.h"
#include <linux/kernel.h>
#include <linux/jiffies.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>

static struct workqueue_struct *restart_wq;

static bool restart_allowed(struct dc_domain *d, char *why)
{
	struct dc_domain_faults *f = &d->faults;
	unsigned long window = msecs_to_jiffies(f->policy.window_ms);

	if (f->policy.policy == DC_RESTART_NEVER) {
		scnprintf(why, DC_ERROR_MAX, "restart=never");
		return false;
	}
	if (time_after(jiffies, f->window_start + window)) {
		f->window_start = jiffies;
		f->window_restarts = 0;
	}
	if (f->policy.policy == DC_RESTART_ON_FAILURE &&
	    f->window_restarts >= f->policy.max) {
		scnprintf(why, DC_ERROR_MAX, "restart limit reached (%u in %u s)",
			  f->window_restarts, f->policy.window_ms / 1000);
		return false;
	}
	f->window_restarts++;
	return true;
}

static void restart_worker(struct work_struct *work)
{
	struct dc_domain *d = container_of(to_delayed_work(work), struct dc_domain,
					   faults.work);
	struct dc_instance *inst;
	char why[DC_ERROR_MAX];

	mutex_lock(&dc_domains_lock);
	inst = rcu_dereference_protected(d->inst, lockdep_is_held(&dc_domains_lock));
	/* Unloading, or an upgrade replaced the failed instance already. */
	if (d->dying || !inst || !inst->failed)
		goto out;
	why[0] = '\0';
	if (restart_allowed(d, why))
		dc_domain_restart(d, why);
	else
		dc_domain_stay_down(d, why);
out:
	mutex_unlock(&dc_domains_lock);
}

static void restart_init_domain(struct dc_domain *d)
{
	struct dc_restart_policy *p = &d->faults.policy;

	if (!p->max)
		p->max = 5;
	if (!p->window_ms)
		p->window_ms = 60000;
	d->faults.window_start = jiffies;
	INIT_DELAYED_WORK(&d->faults.work, restart_worker);
}

static void restart_queue(struct dc_domain *d)
{
	queue_delayed_work(restart_wq, &d->faults.work,
			   msecs_to_jiffies(d->faults.policy.backoff_ms));
}

/* Not under dc_domains_lock: the worker takes it. */
static void restart_cancel(struct dc_domain *d)
{
	cancel_delayed_work_sync(&d->faults.work);
}

static const struct dc_fault_handler restart_handler = {
	.init = restart_init_domain,
	.failed = restart_queue,
	.cancel = restart_cancel,
};

int dc_restart_init(void)
{
	/* High priority: a restart is what callers of a failed domain wait for. */
	restart_wq = alloc_workqueue("domain_core_restart", WQ_UNBOUND | WQ_HIGHPRI, 0);
	if (!restart_wq)
		return -ENOMEM;
	dc_fault_set_handler(&restart_handler);
	return 0;
}

/* After every domain is gone. */
void dc_restart_exit(void)
{
	dc_fault_set_handler(NULL);
	destroy_workqueue(restart_wq);
}
