/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault-recovery settings of a domain, given to the kernel at load time
 * (struct dc_load).  The same four settings come from command-line options
 * of "load" and from keys of domains.conf, so both parse them here.
 */
#ifndef DOMAINCTL_RESTART_OPTS_H
#define DOMAINCTL_RESTART_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct restart_opts {
	uint32_t policy;	/* DC_RESTART_* */
	uint32_t max;		/* restarts per window; 0: kernel default */
	uint32_t window_ms;	/* 0: kernel default */
	uint32_t backoff_ms;	/* 0: restart at once */
};

enum restart_setting {
	RESTART_POLICY,		/* restart=, --restart= */
	RESTART_MAX,		/* max_restarts=, --max-restarts= */
	RESTART_WINDOW,		/* restart_window= (seconds), --restart-window= */
	RESTART_BACKOFF,	/* backoff_ms=, --backoff= */
};

/* The setting that domains.conf key @key (e.g. "max_restarts") names, or -1. */
int restart_setting_from_config_key(const char *key, size_t key_len);

/* Parse @value into @opts; on failure say why (naming @what) in @why. */
bool restart_opts_set(struct restart_opts *opts, enum restart_setting setting,
		      const char *what, const char *value,
		      char *why, size_t why_len);

/* "on-failure", "always", "never", or "unknown". */
const char *restart_policy_name(uint32_t policy);

#endif
