/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A list of problems found while checking something (a config file, an
 * image, a plan).  Checks collect every problem instead of stopping at the
 * first, because the user wants to fix them all in one go.
 */
#ifndef DOMAINCTL_DIAG_H
#define DOMAINCTL_DIAG_H

#include <stddef.h>

struct diag {
	unsigned line;		/* config line, 0 if not about a line */
	const char *rule;	/* the check that failed, or NULL */
	char *message;
};

struct diag_list {
	struct diag *items;
	size_t count;
	size_t capacity;
};

/*
 * The rule of @d as a message prefix, for a "%s%s%s" format with the
 * message last: "RULE: MESSAGE", or just the message if no rule.
 */
#define DIAG_RULE_PREFIX(d)	((d)->rule ? (d)->rule : ""), ((d)->rule ? ": " : "")

/* Append a problem; exits on out-of-memory (nothing sensible to do). */
void diag_add(struct diag_list *list, unsigned line, const char *rule,
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void diag_free(struct diag_list *list);

/* Does some problem of @list concern @line? */
int diag_has_line(const struct diag_list *list, unsigned line);

#endif
