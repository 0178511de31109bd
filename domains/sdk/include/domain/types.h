/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-width types shared by the TCB (kernel) and domains (freestanding).
 */
#ifndef DOMAIN_TYPES_H
#define DOMAIN_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

/* A shared-heap object; 0 is "no object".  Ids fit in a positive long. */
typedef uint64_t dc_obj_t;

#endif
