/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel internals that domain_core needs but the kernel does not export.
 *
 * Every address is found when the module loads (never at build time): a
 * kprobe on kallsyms_lookup_name yields its address without calling
 * anything, and kallsyms_lookup_name then yields the rest.  Every call to a
 * resolved function goes through dc_call_sealed() so that no indirect
 * branch ever lands on a sealed ENDBR (see compat/ibt_call.S).
 */
#ifndef DC_COMPAT_KSYM_H
#define DC_COMPAT_KSYM_H

#include <linux/types.h>

unsigned long dc_call_sealed(unsigned long fn, unsigned long a1,
			     unsigned long a2, unsigned long a3,
			     unsigned long a4, unsigned long a5);

#define DC_CALL0(fn)		dc_call_sealed((fn), 0, 0, 0, 0, 0)
#define DC_CALL1(fn, a)		dc_call_sealed((fn), (unsigned long)(a), 0, 0, 0, 0)
#define DC_CALL2(fn, a, b)	dc_call_sealed((fn), (unsigned long)(a), \
					       (unsigned long)(b), 0, 0, 0)

/* Resolve a kernel symbol; 0 if it does not exist.  Valid after dc_ksym_init(). */
unsigned long dc_ksym(const char *name);

int dc_ksym_init(void);

#endif
