/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Resource limits of a domain, given to the kernel at load time (struct
 * dc_load): how long one call may run and how much memory the domain may
 * hold; and whether its image may be one built without the store checks
 * (confine=off, DC_LOAD_F_CONFINE_OFF, also at upgrades); and whether
 * it keeps a standby instance for fast restarts (standby=on|off).  Like the
 * restart settings, they come from options of "load" (the word
 * confine=off after its IMAGE) and from keys of domains.conf, so both
 * parse them here.
 */
#ifndef DOMAINCTL_LIMIT_OPTS_H
#define DOMAINCTL_LIMIT_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kernel's ceiling for call_budget_ms (it refuses more with EINVAL). */
#define CALL_BUDGET_MAX_MS	2000

struct limit_opts {
	uint32_t call_budget_ms;	/* 0: the kernel's default, 200 ms */
	uint64_t mem_max;		/* bytes; 0: the kernel's default, RAM / 4 */
	bool confine_off;		/* confine=off: unconfined images allowed */
	int standby;			/* standby=: 0 the kernel's default, 1 on, -1 off */
};

enum limit_setting {
	LIMIT_CALL_BUDGET,	/* call_budget_ms=, --call-budget-ms */
	LIMIT_MEM_MAX,		/* mem_max=, --mem-max */
	LIMIT_CONFINE,		/* confine=on|off (the same word for load) */
	LIMIT_STANDBY,		/* standby=on|off (the same word for load) */
};

/* DC_LOAD_F_* for struct dc_load and struct dc_upgrade. */
uint32_t limit_opts_load_flags(const struct limit_opts *opts);

/* The setting that domains.conf key @key (e.g. "mem_max") names, or -1. */
int limit_setting_from_config_key(const char *key, size_t key_len);

/*
 * Parse @value into @opts; on failure say why (naming @what) in @why.
 * Zero is refused: leaving the setting out gives the kernel's default.
 */
bool limit_opts_set(struct limit_opts *opts, enum limit_setting setting,
		    const char *what, const char *value,
		    char *why, size_t why_len);

/*
 * A size: decimal digits with an optional suffix K, M or G (also k, m,
 * g), powers of 1024.  False for anything else, or if it overflows
 * 64 bits (then *@overflow is set).
 */
bool parse_size(const char *s, uint64_t *out, bool *overflow);

#endif
