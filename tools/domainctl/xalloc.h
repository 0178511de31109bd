/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Allocation that cannot fail: a short-lived CLI has nothing better to do
 * on out-of-memory than to say so and exit.
 */
#ifndef DOMAINCTL_XALLOC_H
#define DOMAINCTL_XALLOC_H

#include <stddef.h>

_Noreturn void xalloc_die(void);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *ptr, size_t n, size_t size);
char *xstrdup(const char *s);

#endif
