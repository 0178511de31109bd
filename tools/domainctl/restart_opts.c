// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uapi/domain_core.h>
#include "restart_opts.h"

static const struct {
	const char *name;
	uint32_t policy;
} restart_policies[] = {
	{ "on-failure", DC_RESTART_ON_FAILURE },
	{ "always", DC_RESTART_ALWAYS },
	{ "never", DC_RESTART_NEVER },
};

static const char *const restart_config_keys[] = {
	[RESTART_POLICY] = "restart",
	[RESTART_MAX] = "max_restarts",
	[RESTART_WINDOW] = "restart_window",
	[RESTART_BACKOFF] = "backoff_ms",
};

int restart_setting_from_config_key(const char *key, size_t key_len)
{
	for (size_t i = 0; i < sizeof(restart_config_keys) / sizeof(restart_config_keys[0]); i++)
		if (strlen(restart_config_keys[i]) == key_len &&
		    memcmp(restart_config_keys[i], key, key_len) == 0)
			return (int)i;
	return -1;
}

const char *restart_policy_name(uint32_t policy)
{
	for (size_t i = 0; i < sizeof(restart_policies) / sizeof(restart_policies[0]); i++)
		if (restart_policies[i].policy == policy)
			return restart_policies[i].name;
	return "unknown";
}

/* A decimal number in [min, max], digits only (no sign, no spaces). */
static bool parse_u32_range(const char *s, uint32_t min, uint32_t max,
			    uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

bool restart_opts_set(struct restart_opts *opts, enum restart_setting setting,
		      const char *what, const char *value,
		      char *why, size_t why_len)
{
	uint32_t v;

	switch (setting) {
	case RESTART_POLICY:
		for (size_t i = 0; i < sizeof(restart_policies) / sizeof(restart_policies[0]); i++) {
			if (strcmp(value, restart_policies[i].name) == 0) {
				opts->policy = restart_policies[i].policy;
				return true;
			}
		}
		snprintf(why, why_len,
			 "%s '%s': must be always, on-failure or never",
			 what, value);
		return false;
	case RESTART_MAX:
		/* 0 would mean "the kernel's default", not "no restarts". */
		if (!parse_u32_range(value, 1, UINT32_MAX, &v)) {
			snprintf(why, why_len,
				 "%s '%s': must be a whole number from 1 (use restart=never for no restarts)",
				 what, value);
			return false;
		}
		opts->max = v;
		return true;
	case RESTART_WINDOW:
		/* Seconds here, milliseconds in struct dc_load. */
		if (!parse_u32_range(value, 1, UINT32_MAX / 1000, &v)) {
			snprintf(why, why_len,
				 "%s '%s': must be a whole number of seconds from 1 to %u",
				 what, value, UINT32_MAX / 1000);
			return false;
		}
		opts->window_ms = v * 1000;
		return true;
	case RESTART_BACKOFF:
		if (!parse_u32_range(value, 0, UINT32_MAX, &v)) {
			snprintf(why, why_len,
				 "%s '%s': must be a whole number of milliseconds",
				 what, value);
			return false;
		}
		opts->backoff_ms = v;
		return true;
	}
	snprintf(why, why_len, "%s: unknown setting", what);
	return false;
}
