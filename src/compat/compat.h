/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Backfills for older kernels: the TCB calls each kernel API by its newest
 * name; where a kernel lacks it, it is defined here in terms of what that
 * kernel has.  Kbuild probes the headers (DC_HAVE_*), one reason a line.
 */
#ifndef DC_COMPAT_H
#define DC_COMPAT_H

#include <linux/hrtimer.h>

#ifndef DC_HAVE_HRTIMER_SETUP
/* hrtimer_setup() replaced hrtimer_init() plus setting ->function in 6.13. */
static inline void hrtimer_setup(struct hrtimer *timer,
				 enum hrtimer_restart (*function)(struct hrtimer *),
				 clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}
#endif

/*
 * Kernels built with INIT_STACK_ALL_ZERO (gcc 12 and later) zero every
 * stack variable; __uninitialized__ (gcc 12) opts one out.  Older
 * compilers neither zero nor know the attribute.
 */
#if __has_attribute(__uninitialized__)
#define __dc_uninitialized	__attribute__((__uninitialized__))
#else
#define __dc_uninitialized
#endif

#endif
