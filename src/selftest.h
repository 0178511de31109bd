/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DC_SELFTEST_H
#define DC_SELFTEST_H

#include <linux/types.h>

/*
 * Run the named built-in self-test ("exec", "wx-refused", "bounds" or
 * "all").  Returns 0 on success; the result is also kept for sysfs.
 */
int dc_selftest_run(const char *name);
ssize_t dc_selftest_last(char *buf, size_t size);

#endif
