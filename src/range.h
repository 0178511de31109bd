/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Overflow-safe range checks, shared by the kernel module and the userspace
 * unit tests and fuzzers (so it includes nothing kernel-specific).
 */
#ifndef DC_RANGE_H
#define DC_RANGE_H

/* [offset, offset + len) lies inside [0, limit), without overflowing. */
static inline int dc_range_within(unsigned long offset, unsigned long len,
				  unsigned long limit)
{
	return offset <= limit && len <= limit - offset;
}

/* The two ranges share at least one byte. */
static inline int dc_range_overlap(unsigned long a, unsigned long alen,
				   unsigned long b, unsigned long blen)
{
	if (!alen || !blen)
		return 0;
	return a < b ? alen > b - a : blen > a - b;
}

#endif
