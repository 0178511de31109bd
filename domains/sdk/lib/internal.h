/* SPDX-License-Identifier: GPL-2.0 */
/* Private to libdomain. */
#ifndef DOMAIN_LIB_INTERNAL_H
#define DOMAIN_LIB_INTERNAL_H

/* libdomain defines memcpy and friends itself, so no builtin macros. */
#define DOM_NO_BUILTIN_MACROS
#include <domain/domain.h>

#pragma GCC visibility push(hidden)

/*
 * The store check (asan.c) for @size bytes at @dst, made by the code at
 * @ip: returns if the instance owns them, else the instance fails.
 */
void dom__check_store(const void *dst, size_t size, uintptr_t ip);

/* Called by the entry point before dom_init(); 0 or -ENOMEM. */
int dom__heap_init(void);

#pragma GCC visibility pop

#endif
