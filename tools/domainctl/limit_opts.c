// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uapi/domain_core.h>
#include "limit_opts.h"

static const char *const limit_config_keys[] = {
	[LIMIT_CALL_BUDGET] = "call_budget_ms",
	[LIMIT_MEM_MAX] = "mem_max",
	[LIMIT_CONFINE] = "confine",
	[LIMIT_STANDBY] = "standby",
};

uint32_t limit_opts_load_flags(const struct limit_opts *opts)
{
	return (opts->confine_off ? DC_LOAD_F_CONFINE_OFF : 0) |
	       (opts->standby > 0 ? DC_LOAD_F_STANDBY_ON : 0) |
	       (opts->standby < 0 ? DC_LOAD_F_STANDBY_OFF : 0);
}

int limit_setting_from_config_key(const char *key, size_t key_len)
{
	for (size_t i = 0; i < sizeof(limit_config_keys) / sizeof(limit_config_keys[0]); i++)
		if (strlen(limit_config_keys[i]) == key_len &&
		    memcmp(limit_config_keys[i], key, key_len) == 0)
			return (int)i;
	return -1;
}

/* Decimal digits only (no sign, no spaces); false on overflow too. */
static bool parse_digits(const char *s, char **end, uint64_t *out,
			 bool *overflow)
{
	unsigned long long v;

	*overflow = false;
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, end, 10);
	if (errno == ERANGE) {
		*overflow = true;
		return false;
	}
	if (errno)
		return false;
	*out = v;
	return true;
}

bool parse_size(const char *s, uint64_t *out, bool *overflow)
{
	unsigned shift = 0;
	uint64_t v;
	char *end;

	if (!parse_digits(s, &end, &v, overflow))
		return false;
	switch (*end) {
	case '\0':
		break;
	case 'K': case 'k':
		shift = 10;
		break;
	case 'M': case 'm':
		shift = 20;
		break;
	case 'G': case 'g':
		shift = 30;
		break;
	default:
		return false;
	}
	if (shift && end[1] != '\0')
		return false;
	if (v > UINT64_MAX >> shift) {
		*overflow = true;
		return false;
	}
	*out = v << shift;
	return true;
}

bool limit_opts_set(struct limit_opts *opts, enum limit_setting setting,
		    const char *what, const char *value,
		    char *why, size_t why_len)
{
	bool overflow;
	uint64_t v;
	char *end;

	switch (setting) {
	case LIMIT_CALL_BUDGET:
		if (!parse_digits(value, &end, &v, &overflow) || *end ||
		    v < 1 || v > CALL_BUDGET_MAX_MS) {
			snprintf(why, why_len,
				 "%s '%s': must be a whole number of milliseconds from 1 to %u",
				 what, value, CALL_BUDGET_MAX_MS);
			return false;
		}
		opts->call_budget_ms = (uint32_t)v;
		return true;
	case LIMIT_MEM_MAX:
		if (!parse_size(value, &v, &overflow)) {
			if (overflow)
				snprintf(why, why_len,
					 "%s '%s': too large (it cannot be more than the machine's memory)",
					 what, value);
			else
				snprintf(why, why_len,
					 "%s '%s': must be a number of bytes, optionally with a suffix K, M or G (powers of 1024)",
					 what, value);
			return false;
		}
		/* 0 would mean "the kernel's default", not "nothing". */
		if (v == 0) {
			snprintf(why, why_len,
				 "%s '%s': must be at least 1 byte (leave it out for the default, a quarter of RAM)",
				 what, value);
			return false;
		}
		opts->mem_max = v;
		return true;
	case LIMIT_CONFINE:
		/* "on" is the default, accepted so that a line can say so. */
		if (strcmp(value, "on") != 0 && strcmp(value, "off") != 0) {
			snprintf(why, why_len, "%s '%s': must be on or off", what, value);
			return false;
		}
		opts->confine_off = strcmp(value, "off") == 0;
		return true;
	case LIMIT_STANDBY:
		/* Unset, the kernel keeps one if the domain restarts. */
		if (strcmp(value, "on") != 0 && strcmp(value, "off") != 0) {
			snprintf(why, why_len, "%s '%s': must be on or off", what, value);
			return false;
		}
		opts->standby = strcmp(value, "on") == 0 ? 1 : -1;
		return true;
	}
	snprintf(why, why_len, "%s: unknown setting", what);
	return false;
}
