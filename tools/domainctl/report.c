// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include "report.h"

static void report(const char *command, const char *thing, const char *kind,
		   const char *fmt, va_list ap)
{
	fprintf(stderr, "domainctl: %s%s%s: %s", command,
		thing && *thing ? " " : "", thing ? thing : "", kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void report_error(const char *command, const char *thing, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(command, thing, "", fmt, ap);
	va_end(ap);
}

void report_warning(const char *command, const char *thing,
		    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(command, thing, "warning: ", fmt, ap);
	va_end(ap);
}
