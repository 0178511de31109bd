/* SPDX-License-Identifier: GPL-2.0 */
/* Output pieces several commands share. */
#ifndef DOMAINCTL_OUTPUT_H
#define DOMAINCTL_OUTPUT_H

#include "diag.h"
#include "image_check.h"
#include "json.h"

/* Each problem as "domainctl: COMMAND THING: [RULE: ]PROBLEM" on stderr. */
void report_problems(const char *command, const char *thing,
		     const struct diag_list *problems);

/* "problems": [{"rule": ..., "line": ..., "message": ...}, ...] */
void json_problems(struct json *j, const struct diag_list *problems);

/* The note's fields as members of the current object. */
void json_note_members(struct json *j, const struct dc_note *note);

#endif
