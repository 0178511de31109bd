// SPDX-License-Identifier: GPL-2.0
/*
 * The log: the kernel log of the tests.  Domains' lines ("NAME: message")
 * and the library's reports ("domain-test: ...") are kept in one buffer
 * the test reads, and echoed as they come if asked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* Past this, the oldest half is dropped: a test reads what is recent. */
#define DT_LOG_KEEP	(4u << 20)

static char *text;
static size_t len, cap;
static FILE *echo;

void dt_logf(const char *fmt, ...)
{
	char line[1200];
	va_list ap;
	size_t n;
	int w;

	va_start(ap, fmt);
	w = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (w < 0)
		return;
	n = (size_t)w < sizeof(line) - 1 ? (size_t)w : sizeof(line) - 2;
	line[n++] = '\n';
	line[n] = '\0';
	if (echo) {
		fputs(line, echo);
		fflush(echo);
	}
	if (len + n >= DT_LOG_KEEP) {
		char *half = strchr(text + len / 2, '\n');
		size_t drop = half ? (size_t)(half + 1 - text) : len;

		memmove(text, text + drop, len - drop + 1);
		len -= drop;
	}
	if (len + n + 1 > cap) {
		size_t ncap = cap ? cap * 2 : 4096;
		char *t;

		while (ncap < len + n + 1)
			ncap *= 2;
		t = realloc(text, ncap);
		if (!t)
			return;
		text = t;
		cap = ncap;
	}
	memcpy(text + len, line, n + 1);
	len += n;
}

void dt_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

const char *dt_log_text(void)
{
	return text ? text : "";
}

void dt_log_clear(void)
{
	len = 0;
	if (text)
		text[0] = '\0';
}

void dt_log_echo(FILE *f)
{
	echo = f;
}
