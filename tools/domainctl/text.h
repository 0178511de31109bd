/* SPDX-License-Identifier: GPL-2.0 */
/* Bounded formatting where cutting a long message short is intended. */
#ifndef DOMAINCTL_TEXT_H
#define DOMAINCTL_TEXT_H

#include <stddef.h>

/*
 * snprintf() into @buf (@len > 0), truncating silently: for messages and
 * names already known to fit, where GCC cannot prove it.
 */
void format_text(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
