/* SPDX-License-Identifier: GPL-2.0 */
/* Private to libdomain. */
#ifndef DOMAIN_LIB_INTERNAL_H
#define DOMAIN_LIB_INTERNAL_H

/* libdomain defines memcpy and friends itself, so no builtin macros. */
#define DOM_NO_BUILTIN_MACROS
#include <domain/domain.h>

#pragma GCC visibility push(hidden)

/* Called by the entry point before dom_init(); 0 or -ENOMEM. */
int dom__heap_init(void);

#pragma GCC visibility pop

#endif
