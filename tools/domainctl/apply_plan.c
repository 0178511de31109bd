// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "apply_plan.h"
#include "xalloc.h"

#define NONE	SIZE_MAX

const char *plan_kind_name(enum plan_kind kind)
{
	switch (kind) {
	case PLAN_LOAD: return "load";
	case PLAN_UPGRADE: return "upgrade";
	case PLAN_UNLOAD: return "unload";
	}
	return "?";
}

static bool needs_iface(const char *const *needs, size_t nr_needs,
			const char *iface)
{
	for (size_t i = 0; i < nr_needs; i++)
		if (strcmp(needs[i], iface) == 0)
			return true;
	return false;
}

struct planner {
	struct plan *plan;
	const struct plan_desired *desired;
	size_t nr_desired;
	const struct plan_running *running;
	size_t nr_running;
	bool remove;
	size_t *running_of;	/* per desired: index in running[], or NONE */
	bool *configured;	/* per running: its name is in desired[] */
	bool *active;		/* per desired: usable and not blocked */
};

static void plan_add(struct planner *p, enum plan_kind kind, size_t desired,
		     size_t running, const char *reason)
{
	struct plan *plan = p->plan;
	struct plan_action *a;

	plan->actions = xreallocarray(plan->actions, plan->count + 1,
				      sizeof(*plan->actions));
	a = &plan->actions[plan->count++];
	a->kind = kind;
	a->desired = desired;
	a->running = running;
	snprintf(a->reason, sizeof(a->reason), "%s", reason);
}

static void match_names(struct planner *p)
{
	for (size_t d = 0; d < p->nr_desired; d++) {
		p->running_of[d] = NONE;
		for (size_t r = 0; r < p->nr_running; r++) {
			if (strcmp(p->desired[d].name, p->running[r].name) == 0) {
				p->running_of[d] = r;
				p->configured[r] = true;
			}
		}
		p->active[d] = p->desired[d].usable;
	}
}

/* The kernel cannot upgrade a domain to another interface. */
static void block_iface_changes(struct planner *p)
{
	for (size_t d = 0; d < p->nr_desired; d++) {
		const struct plan_desired *want = &p->desired[d];
		const struct plan_running *run;

		if (!p->active[d] || p->running_of[d] == NONE)
			continue;
		run = &p->running[p->running_of[d]];
		if (strcmp(run->iface, want->iface) == 0)
			continue;
		diag_add(&p->plan->problems, want->line, NULL,
			 "'%s' runs with interface '%s' but its image implements '%s': unload it first",
			 want->name, run->iface, want->iface);
		p->active[d] = false;
	}
}

/* Will some domain implement @iface once the plan has run? */
static bool iface_provided(const struct planner *p, const char *iface)
{
	for (size_t d = 0; d < p->nr_desired; d++)
		if (p->active[d] && strcmp(p->desired[d].iface, iface) == 0)
			return true;
	for (size_t r = 0; r < p->nr_running; r++) {
		const struct plan_running *run = &p->running[r];
		bool replaced = false;

		if (!p->configured[r] && p->remove)
			continue;	/* about to be unloaded */
		for (size_t d = 0; d < p->nr_desired; d++)
			if (p->running_of[d] == r && p->active[d])
				replaced = true;	/* counted above */
		if (!replaced && strcmp(run->iface, iface) == 0)
			return true;
	}
	return false;
}

/*
 * A domain whose imports nobody will implement cannot be loaded; that may
 * in turn strand domains importing it, so repeat until nothing changes.
 */
static void block_missing_needs(struct planner *p)
{
	bool changed = true;

	while (changed) {
		changed = false;
		for (size_t d = 0; d < p->nr_desired; d++) {
			const struct plan_desired *want = &p->desired[d];

			if (!p->active[d])
				continue;
			for (size_t i = 0; i < want->nr_needs; i++) {
				if (iface_provided(p, want->needs[i]))
					continue;
				diag_add(&p->plan->problems, want->line, NULL,
					 "'%s' needs interface '%s', which no configured or running domain implements",
					 want->name, want->needs[i]);
				p->active[d] = false;
				changed = true;
				break;
			}
		}
	}
}

/* Does desired[@user] import what desired[@provider] implements? */
static bool desired_imports(const struct planner *p, size_t user,
			    size_t provider)
{
	const struct plan_desired *u = &p->desired[user];

	return user != provider &&
	       needs_iface(u->needs, u->nr_needs, p->desired[provider].iface);
}

/*
 * Import order of the active desired domains (Kahn's algorithm, taking the
 * earliest line first so that unrelated domains keep the file's order).
 * Domains left over are on an import cycle, or depend on one.
 */
static size_t order_loads(struct planner *p, size_t *order)
{
	bool *placed = xcalloc(p->nr_desired, sizeof(*placed));
	size_t n = 0;
	bool progress = true;

	while (progress) {
		progress = false;
		for (size_t d = 0; d < p->nr_desired; d++) {
			bool ready = p->active[d] && !placed[d];

			for (size_t q = 0; ready && q < p->nr_desired; q++)
				if (p->active[q] && !placed[q] &&
				    desired_imports(p, d, q))
					ready = false;
			if (!ready)
				continue;
			placed[d] = true;
			order[n++] = d;
			progress = true;
			break;	/* restart: keep the earliest-line-first rule */
		}
	}
	for (size_t d = 0; d < p->nr_desired; d++) {
		if (!p->active[d] || placed[d])
			continue;
		diag_add(&p->plan->problems, p->desired[d].line, NULL,
			 "'%s' cannot be ordered: its imports form a cycle",
			 p->desired[d].name);
		p->active[d] = false;
	}
	free(placed);
	return n;
}

static void plan_load_or_upgrade(struct planner *p, size_t d)
{
	const struct plan_desired *want = &p->desired[d];
	const struct plan_running *run;
	char reason[160] = "";
	size_t len = 0;

	if (p->running_of[d] == NONE) {
		plan_add(p, PLAN_LOAD, d, NONE, "not running");
		return;
	}
	run = &p->running[p->running_of[d]];
	if (strcmp(run->params, want->params) != 0 && !want->params[0]) {
		/* An empty params string in DC_IOC_UPGRADE keeps the old ones. */
		diag_add(&p->plan->problems, want->line, NULL,
			 "'%s' runs with parameters '%s'; a live upgrade cannot clear them: unload and load it",
			 want->name, run->params);
		return;
	}
	if (strcmp(run->version, want->version) != 0)
		len += (size_t)snprintf(reason + len, sizeof(reason) - len,
					"%sversion %s -> %s", len ? ", " : "",
					run->version, want->version);
	else if (run->has_record && run->fingerprint != want->fingerprint)
		len += (size_t)snprintf(reason + len, sizeof(reason) - len,
					"%simage changed", len ? ", " : "");
	if (len < sizeof(reason) && strcmp(run->params, want->params) != 0)
		len += (size_t)snprintf(reason + len, sizeof(reason) - len,
					"%sparameters changed", len ? ", " : "");
	if (len)
		plan_add(p, PLAN_UPGRADE, d, p->running_of[d], reason);
}

/* Does running[@user] (by what domainctl recorded) import running[@provider]? */
static bool running_imports(const struct planner *p, size_t user,
			    size_t provider)
{
	const struct plan_running *u = &p->running[user];

	return user != provider &&
	       needs_iface(u->needs, u->nr_needs, p->running[provider].iface);
}

/*
 * Unload what is not configured, importers before what they import.  Where
 * the imports are unknown (not loaded by domainctl), unused domains go
 * first; the kernel refuses (EBUSY) to unload a domain that is in use.
 */
static void plan_unloads(struct planner *p)
{
	bool *done = xcalloc(p->nr_running, sizeof(*done));

	for (;;) {
		size_t best = NONE;

		for (size_t r = 0; r < p->nr_running; r++) {
			bool ready = !p->configured[r] && !done[r];

			for (size_t u = 0; ready && u < p->nr_running; u++)
				if (!p->configured[u] && !done[u] &&
				    running_imports(p, u, r))
					ready = false;
			if (ready && (best == NONE ||
				      p->running[r].users < p->running[best].users))
				best = r;
		}
		if (best == NONE) {
			/* Done, or an import cycle: take the rest as they come. */
			for (size_t r = 0; r < p->nr_running; r++)
				if (!p->configured[r] && !done[r])
					best = r;
			if (best == NONE)
				break;
		}
		done[best] = true;
		plan_add(p, PLAN_UNLOAD, NONE, best, "not in the configuration");
	}
	free(done);
}

void plan_build(struct plan *plan,
		const struct plan_desired *desired, size_t nr_desired,
		const struct plan_running *running, size_t nr_running,
		bool remove)
{
	struct planner p = {
		.plan = plan,
		.desired = desired,
		.nr_desired = nr_desired,
		.running = running,
		.nr_running = nr_running,
		.remove = remove,
		.running_of = xcalloc(nr_desired, sizeof(size_t)),
		.configured = xcalloc(nr_running, sizeof(bool)),
		.active = xcalloc(nr_desired, sizeof(bool)),
	};
	size_t *order = xcalloc(nr_desired, sizeof(size_t));
	size_t n;

	memset(plan, 0, sizeof(*plan));
	match_names(&p);
	block_iface_changes(&p);
	block_missing_needs(&p);
	n = order_loads(&p, order);
	if (remove)
		plan_unloads(&p);
	for (size_t i = 0; i < n; i++)
		if (p.active[order[i]])
			plan_load_or_upgrade(&p, order[i]);
	free(order);
	free(p.running_of);
	free(p.configured);
	free(p.active);
}

void plan_free(struct plan *plan)
{
	free(plan->actions);
	diag_free(&plan->problems);
	memset(plan, 0, sizeof(*plan));
}
