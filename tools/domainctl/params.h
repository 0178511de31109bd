/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Domain parameters: "key=value" words joined by single spaces into the
 * string the kernel passes to the domain's entry (struct dc_load.params).
 * Checked here so that a typo gets a clear message instead of a domain
 * that refuses to start.
 */
#ifndef DOMAINCTL_PARAMS_H
#define DOMAINCTL_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <uapi/domain_core.h>

/*
 * Is @param "key=value" with key [a-z0-9_]+ and a value of printable
 * characters other than space?  If not, say why in @why.
 */
bool param_valid(const char *param, char *why, size_t why_len);

/*
 * Check @param and append it to @params (a DC_PARAMS_MAX buffer, "" to
 * start).  Refuses a key given twice and a result that would not fit.
 */
bool params_append(char params[DC_PARAMS_MAX], const char *param,
		   char *why, size_t why_len);

#endif
