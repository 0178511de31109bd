// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include "unit.h"

static bool any_failed;

void unit_fail(struct unit *u, const char *file, int line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	if (u->failed)
		return;
	u->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(u->reason, sizeof(u->reason), "%s:%d: %s", file, line, msg);
}

void unit_run(const char *name, unit_fn *fn)
{
	struct unit u = { 0 };

	fn(&u);
	if (u.failed) {
		any_failed = true;
		printf("FAIL unit/domainctl-%s: %s\n", name, u.reason);
	} else {
		printf("PASS unit/domainctl-%s\n", name);
	}
	fflush(stdout);
}

int unit_status(void)
{
	return any_failed ? 1 : 0;
}
