/* SPDX-License-Identifier: GPL-2.0 */
/* Module-wide declarations of domain_core, the domain TCB. */
#ifndef DC_DOMAIN_CORE_H
#define DC_DOMAIN_CORE_H

#include <linux/types.h>

#ifndef DC_MODULE_VERSION
#define DC_MODULE_VERSION "unknown"
#endif

int dc_sysfs_init(void);
void dc_sysfs_exit(void);
int dc_control_init(void);
int dc_bench_call(const char *domain, unsigned long n);
ssize_t dc_bench_result(char *buf, size_t size);
void dc_control_exit(void);

#endif
