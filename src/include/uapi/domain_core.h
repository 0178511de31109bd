/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The userspace interface of domain_core: ioctls on /dev/domain_core.
 * Every ioctl needs CAP_SYS_MODULE.
 */
#ifndef _UAPI_DOMAIN_CORE_H
#define _UAPI_DOMAIN_CORE_H

#include <linux/ioctl.h>
#include <linux/types.h>
#include <domain/limits.h>

#define DC_DEVICE_PATH		"/dev/domain_core"
#define DC_SYSFS_PATH		"/sys/kernel/domain_core"

/* Bumped whenever a structure below changes incompatibly. */
#define DC_UAPI_VERSION		3

struct dc_version {
	__u32 uapi_version;		/* DC_UAPI_VERSION of the module */
	__u32 reserved;
	char module_version[32];	/* e.g. "0.1.0" */
	char backend[32];		/* executable-memory backend in use */
};


/* Restart policy (fault recovery). */
#define DC_RESTART_ON_FAILURE	0	/* default */
#define DC_RESTART_ALWAYS	1
#define DC_RESTART_NEVER	2

/*
 * DC_IOC_LOAD: load the image read from @image_fd as domain @name.
 * On failure the ioctl returns -1 with errno set and @error says why, e.g.
 * "undefined symbol 'printk' (domains may only use the service table)".
 */
/*
 * Load and upgrade flags.  CONFINE_OFF: the image may be one built
 * without the SDK's store checks (its note lacks DC_NOTE_F_CONFINED);
 * without it such an image is refused with EPERM.
 */
#define DC_LOAD_F_CONFINE_OFF	0x1
/*
 * STANDBY_ON / STANDBY_OFF: keep (or not) a standby instance, prepared in
 * advance so that a restart after a fault maps no image; by default on
 * for a domain whose restart policy is not "never".  Both: EINVAL.
 */
#define DC_LOAD_F_STANDBY_ON	0x2
#define DC_LOAD_F_STANDBY_OFF	0x4
#define DC_LOAD_F_ALL		(DC_LOAD_F_CONFINE_OFF | DC_LOAD_F_STANDBY_ON | \
				 DC_LOAD_F_STANDBY_OFF)

struct dc_load {
	__s32 image_fd;
	__u32 flags;				/* DC_LOAD_F_* */
	char name[DC_NAME_MAX];			/* empty: the name in the note */
	char params[DC_PARAMS_MAX];
	__u32 restart_policy;			/* DC_RESTART_* */
	__u32 restart_max;			/* restarts allowed per window; 0 = 5 */
	__u32 restart_window_ms;		/* 0 = 60000 */
	__u32 restart_backoff_ms;		/* delay before a restart; 0 = none */
	__u32 call_budget_ms;			/* time one call may run; 0 = 200 */
	__u32 reserved;
	__u64 mem_max;				/* bytes it may hold; 0 = RAM / 4 */
	char error[DC_ERROR_MAX];		/* out */
};

/* DC_IOC_UNLOAD: unload domain @name; EBUSY while another domain imports it. */
struct dc_unload {
	char name[DC_NAME_MAX];
	__u32 flags;				/* none defined yet: 0 */
	__u32 reserved;
	char error[DC_ERROR_MAX];		/* out */
};

/* DC_IOC_UPGRADE: replace running domain @name by the image in @image_fd. */
struct dc_upgrade {
	__s32 image_fd;
	__u32 flags;				/* DC_LOAD_F_* */
	char name[DC_NAME_MAX];
	char params[DC_PARAMS_MAX];		/* empty: keep the current ones */
	char old_version[DC_NAME_MAX];		/* out */
	char new_version[DC_NAME_MAX];		/* out */
	__u64 pause_ns;				/* out: how long calls were held */
	char error[DC_ERROR_MAX];		/* out */
};

#define DC_STATE_RUNNING	0
#define DC_STATE_FAILED		1	/* faulted, restart pending */
#define DC_STATE_DOWN		2	/* faulted, not restarted (policy/limit) */
#define DC_STATE_UPGRADING	3

struct dc_domain_info {
	char name[DC_NAME_MAX];
	char iface[DC_NAME_MAX];
	char version[DC_NAME_MAX];
	char params[DC_PARAMS_MAX];
	__u32 iface_version;
	__u32 state;				/* DC_STATE_* */
	__u64 calls;
	__u64 faults;
	__u64 restarts;
	__u64 upgrades;
	__u64 heap_bytes;			/* private heap */
	__u64 shared_objects;			/* shared-heap objects owned */
	__u64 shared_bytes;
	__u64 last_pause_ns;			/* last upgrade */
	__u32 users;				/* domains importing this one */
	__u32 call_budget_ms;			/* time one call may run */
	__u64 mem_max;				/* bytes it may hold */
	__u64 mem_used;				/* bytes it holds */
	char last_fault[DC_ERROR_MAX];
	char signer[DC_SIGNER_MAX];		/* who signed its image; "" if unsigned */
	__u32 flags;				/* DC_INFO_F_* */
	__u32 reserved;
	__u64 standby_bytes;			/* memory its standby holds */
};

/* Its image was built confined: every store its code makes is checked. */
#define DC_INFO_F_CONFINED	0x1
/* It keeps a standby instance (see DC_LOAD_F_STANDBY_ON). */
#define DC_INFO_F_STANDBY	0x2

/*
 * DC_IOC_LIST: fill up to @capacity entries at @domains; @count says how
 * many domains exist (call again with a bigger buffer if count > capacity).
 */
struct dc_list {
	__u64 domains;				/* struct dc_domain_info * */
	__u32 capacity;
	__u32 count;				/* out */
};

#define DC_IOC_MAGIC		0xDC
#define DC_IOC_VERSION		_IOR(DC_IOC_MAGIC, 0x00, struct dc_version)
#define DC_IOC_LOAD		_IOWR(DC_IOC_MAGIC, 0x01, struct dc_load)
#define DC_IOC_UNLOAD		_IOWR(DC_IOC_MAGIC, 0x02, struct dc_unload)
#define DC_IOC_LIST		_IOWR(DC_IOC_MAGIC, 0x03, struct dc_list)
#define DC_IOC_UPGRADE		_IOWR(DC_IOC_MAGIC, 0x04, struct dc_upgrade)

#endif
