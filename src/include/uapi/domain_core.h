/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The userspace interface of domain_core: ioctls on /dev/domain_core.
 * Every ioctl needs CAP_SYS_MODULE.
 */
#ifndef _UAPI_DOMAIN_CORE_H
#define _UAPI_DOMAIN_CORE_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define DC_DEVICE_PATH		"/dev/domain_core"
#define DC_SYSFS_PATH		"/sys/kernel/domain_core"

/* Bumped whenever a structure below changes incompatibly. */
#define DC_UAPI_VERSION		1

struct dc_version {
	__u32 uapi_version;		/* DC_UAPI_VERSION of the module */
	__u32 reserved;
	char module_version[32];	/* e.g. "0.1.0" */
	char backend[32];		/* executable-memory backend in use */
};

#define DC_IOC_MAGIC		0xDC
#define DC_IOC_VERSION		_IOR(DC_IOC_MAGIC, 0x00, struct dc_version)

#endif
