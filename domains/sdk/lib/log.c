// SPDX-License-Identifier: GPL-2.0
/* Logging, panics and the stack protector's failure path. */
#include "internal.h"

/* Formats into @buf; a cut message ends in "..." so truncation shows. */
static size_t format_msg(char *buf, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, size, fmt, ap);
	size_t len;

	if (n < 0)
		n = 0;
	len = (size_t)n;
	if (len >= size) {
		len = size - 1;
		memcpy(buf + len - 3, "...", 3);
	}
	/* The TCB ends every message itself. */
	if (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return len;
}

void dom_vlog(int level, const char *fmt, va_list ap)
{
	char buf[DOM_LOG_MAX];
	size_t len = format_msg(buf, sizeof(buf), fmt, ap);

	dom_svc->log(dom_self, level, buf, len);
}

void dom_log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dom_vlog(level, fmt, ap);
	va_end(ap);
}

void dom_panic(const char *fmt, ...)
{
	char buf[DOM_LOG_MAX];
	va_list ap;

	va_start(ap, fmt);
	format_msg(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (dom_svc)
		dom_svc->panic(dom_self, buf);
	/* svc->panic must not return; if it does, fault rather than go on. */
	for (;;)
		__builtin_trap();
}

void __stack_chk_fail(void);

void __stack_chk_fail(void)
{
	dom_panic("stack-protector: stack smashed");
}
