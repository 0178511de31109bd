/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The apply planner: from the wanted set (domains.conf with each image's
 * note) and the running set, the actions that make one match the other,
 * in an order the kernel accepts: a domain is loaded after the domains
 * whose interfaces it imports, and unloaded before them.  Pure, so that it
 * is tested without a kernel.
 */
#ifndef DOMAINCTL_APPLY_PLAN_H
#define DOMAINCTL_APPLY_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <domain/abi.h>
#include "diag.h"

struct plan_desired {
	const char *name;
	unsigned line;			/* in domains.conf, for problems */
	/* false: the line is bad; leave this domain as it is. */
	bool usable;
	/* The rest is only looked at when usable. */
	const char *iface;		/* from the image's note */
	const char *version;
	const char *params;
	uint64_t fingerprint;		/* of the image file's content */
	size_t nr_needs;
	const char *needs[DC_MAX_NEEDS];	/* interfaces it imports */
};

struct plan_running {
	const char *name;
	const char *iface;
	const char *version;
	const char *params;
	uint32_t users;			/* domains importing it */
	/* What domainctl recorded when it loaded it, if it did. */
	bool has_record;
	uint64_t fingerprint;
	size_t nr_needs;
	const char *needs[DC_MAX_NEEDS];
};

enum plan_kind {
	PLAN_LOAD,
	PLAN_UPGRADE,
	PLAN_UNLOAD,
};

struct plan_action {
	enum plan_kind kind;
	size_t desired;			/* LOAD, UPGRADE: index in desired[] */
	size_t running;			/* UPGRADE, UNLOAD: index in running[] */
	char reason[160];		/* e.g. "version 1.0.0 -> 1.1.0" */
};

struct plan {
	struct plan_action *actions;	/* in the order to run them */
	size_t count;
	/* Domains the plan cannot handle (line numbers from desired[]). */
	struct diag_list problems;
};

/*
 * Plan: load what is wanted but not running; upgrade what runs with a
 * different version, image content or parameters; with @remove, unload
 * what runs but is not wanted.  Unloads come first, in reverse import
 * order; loads and upgrades follow in import order.
 */
void plan_build(struct plan *plan,
		const struct plan_desired *desired, size_t nr_desired,
		const struct plan_running *running, size_t nr_running,
		bool remove);
void plan_free(struct plan *plan);

const char *plan_kind_name(enum plan_kind kind);

#endif
