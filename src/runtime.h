/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The domain runtime: domains (the proxy a caller holds on to), their
 * instances (one loaded image each), and the owners of heap memory.
 */
#ifndef DC_RUNTIME_H
#define DC_RUNTIME_H

#include <linux/types.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include <linux/workqueue.h>
#include "domain/abi.h"
#include "uapi/domain_core.h"
#include "loader/elf_image.h"

struct dc_iface;
struct dc_image;

/*
 * Anything that can own heap memory: an instance, a domain's state store,
 * or the kernel itself (objects made by shims).  Everything an owner holds
 * is on its lists and is freed by dc_owner_release().
 */
struct dc_owner {
	spinlock_t lock;		/* the lists below */
	struct list_head pages;		/* private heap allocations */
	struct list_head objects;	/* shared-heap objects */
	struct list_head locks;		/* struct dc_lock */
	atomic_long_t heap_bytes;
	atomic_long_t shared_objects;
	atomic_long_t shared_bytes;
};

/* One loaded image of a domain. */
struct dc_instance {
	struct dc_domain *dom;
	struct dc_image *image;
	const void *const *ops;		/* the interface's function table */
	long (*state_export)(dc_obj_t *state);
	long (*state_import)(dc_obj_t state);
	struct dc_owner owner;
	int failed;			/* faulted: set once, by dc_fault_recorded() */
	char fault_msg[DC_ERROR_MAX];	/* details of the last fault */
};

struct dc_domain_pcpu {
	u64 calls;
	long inflight;			/* calls in progress on this CPU */
};

#define DC_HELD_UPGRADE		1	/* brief: even atomic callers wait */
#define DC_HELD_RESTART		2	/* atomic callers fail with -EIO */

struct dc_domain {
	struct kobject kobj;		/* /sys/kernel/domain_core/domains/NAME */
	struct list_head node;		/* dc_domains, under dc_domains_lock */
	char name[DC_NAME_MAX];
	char params[DC_PARAMS_MAX];
	char version[DC_NAME_MAX];	/* of the running instance */
	const struct dc_iface *iface;
	struct dc_instance __rcu *inst;	/* NULL while down */
	struct dc_domain_pcpu __percpu *pcpu;
	/* Calls wait while set: DC_HELD_UPGRADE or DC_HELD_RESTART. */
	int held;
	wait_queue_head_t held_wq;
	unsigned int nr_imports;
	struct dc_domain *imports[DC_MAX_NEEDS];
	unsigned int users;		/* loaded domains importing this one */
	int state;			/* DC_STATE_* */
	u64 upgrades, restarts;
	atomic64_t faults;
	u64 fault_time_ns;		/* when the current failure happened */
	u64 last_pause_ns;
	char last_fault[DC_ERROR_MAX];
	/* The image file, kept to restart without reading the disk again. */
	void *file;
	size_t file_len;
	struct dc_owner store_owner;	/* owns the state store's objects */
	struct xarray store;		/* key -> struct dc_obj * */
	/* The device node, for domains whose interface has a shim. */
	struct miscdevice misc;
	char misc_name[DC_NAME_MAX + 8];
	bool misc_registered;
	struct dc_blk_shim *blk;	/* block devices, for "block" domains */
	spinlock_t open_lock;
	unsigned int open_count;
	bool dying;
	/* Restart policy and its bookkeeping (fault.c). */
	u32 restart_policy;		/* DC_RESTART_* */
	u32 restart_max;
	u32 restart_window_ms;
	u32 restart_backoff_ms;
	unsigned long window_start;	/* jiffies */
	u32 window_restarts;
	struct delayed_work restart_work;
	u64 last_recovery_ns;		/* fault to serving again */
};

extern struct mutex dc_domains_lock;
extern struct list_head dc_domains;

/* The owner that shims use for objects they create. */
extern struct dc_owner dc_kernel_owner;

/* heap.c */
void dc_owner_init(struct dc_owner *owner);
void dc_owner_release(struct dc_owner *owner);
void *dc_pages_alloc(struct dc_owner *owner, size_t npages);
void dc_pages_free(struct dc_owner *owner, void *addr);
dc_obj_t dc_obj_alloc(struct dc_owner *owner, u32 type, size_t size);
void *dc_obj_data(struct dc_owner *owner, dc_obj_t id, u32 type, size_t *size);
int dc_obj_free(struct dc_owner *owner, dc_obj_t id);
int dc_obj_give(dc_obj_t id, struct dc_owner *from, struct dc_owner *to);
struct dc_obj;
struct dc_obj *dc_obj_get_owned(struct dc_owner *owner, dc_obj_t id);
dc_obj_t dc_obj_id(const struct dc_obj *obj);
void *dc_obj_payload(const struct dc_obj *obj, size_t *size);
struct dc_lock *dc_lock_new(struct dc_owner *owner);
void dc_lock_acquire(struct dc_lock *lock);
void dc_lock_release(struct dc_lock *lock);
long dc_heap_total_bytes(void);
long dc_shared_total_objects(void);
long dc_shared_total_bytes(void);
int dc_heap_init(void);
void dc_heap_exit(void);

/* store.c */
int dc_store_put(struct dc_domain *d, struct dc_owner *from, u64 key, dc_obj_t obj);
dc_obj_t dc_store_get(struct dc_domain *d, struct dc_owner *to, u64 key);
void *dc_store_data(struct dc_domain *d, u64 key, size_t *size);
void dc_store_release(struct dc_domain *d);

/* image.c */
struct dc_image {
	struct dc_exec_mem *mem;
	struct dc_elf_info info;
	const void *file;		/* the domain's cached file, for symbols */
	size_t file_len;
};
int dc_image_load(const void *file, size_t len, struct dc_image **out,
		  char *err, size_t errlen);
void dc_image_free(struct dc_image *image);
bool dc_image_contains(const struct dc_image *image, unsigned long addr,
		       size_t size, bool text);

/* domain.c */
struct dc_instance *dc_instance_create(struct dc_domain *d, const void *file,
				       size_t len, const char *params,
				       char *err, size_t errlen);
void dc_instance_destroy(struct dc_instance *inst);
void dc_domain_swap(struct dc_domain *d, struct dc_instance *inst);
int dc_domain_load(struct dc_load *req, void *file, size_t len);
int dc_domain_unload(const char *name, char *err, size_t errlen);
int dc_domain_upgrade(struct dc_upgrade *req, void *file, size_t len);
int dc_domain_list(struct dc_domain_info *info, u32 capacity, u32 *count);
void dc_domain_info(struct dc_domain *d, struct dc_domain_info *info);
void dc_domains_unload_all(void);
const char *dc_state_name(int state);

/* services.c */
extern const struct dc_services dc_services;

#endif
