/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Messages on stderr, always "domainctl: COMMAND THING: CAUSE", so that a
 * user (or a log) sees at once which command failed on what and why.
 */
#ifndef DOMAINCTL_REPORT_H
#define DOMAINCTL_REPORT_H

/* @thing may be NULL or "" for problems about the command as a whole. */
void report_error(const char *command, const char *thing, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void report_warning(const char *command, const char *thing,
		    const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
