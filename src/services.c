// SPDX-License-Identifier: GPL-2.0
/*
 * The service table: the only way a domain reaches the kernel.  @self is
 * the calling instance (handed to the entry); calls run non-preemptible.
 */
#include "internal.h"
#include <linux/kernel.h>
#include <linux/random.h>
#include <linux/smp.h>
#include <linux/ktime.h>

#define SELF(s)		((struct dc_instance *)(s))

static void svc_log(dc_self_t self, int level, const char *msg, size_t len)
{
	static const char *const levels[] = {
		KERN_EMERG, KERN_ALERT, KERN_CRIT, KERN_ERR,
		KERN_WARNING, KERN_NOTICE, KERN_INFO, KERN_DEBUG,
	};

	if (level < 0 || level > 7)
		level = DC_LOG_INFO;
	printk("%s%s: %.*s\n", levels[level], SELF(self)->dom->name,
	       (int)min_t(size_t, len, 1024), msg);
}

static void *svc_pages_alloc(dc_self_t self, size_t npages)
{
	return dc_pages_alloc(&SELF(self)->owner, npages);
}

static void svc_pages_free(dc_self_t self, void *addr)
{
	dc_pages_free(&SELF(self)->owner, addr);
}

static dc_obj_t svc_obj_alloc(dc_self_t self, uint32_t type, size_t size)
{
	return dc_obj_alloc(&SELF(self)->owner, type, size);
}

static void *svc_obj_data(dc_self_t self, dc_obj_t obj, uint32_t type,
			  size_t *size)
{
	return dc_obj_data(&SELF(self)->owner, obj, type, size);
}

static int svc_obj_free(dc_self_t self, dc_obj_t obj)
{
	return dc_obj_free(&SELF(self)->owner, obj);
}

static uint64_t svc_time_ns(void)
{
	return ktime_get_ns();
}

static uint32_t svc_cpu_id(void)
{
	return raw_smp_processor_id();
}

static uint64_t svc_random_u64(void)
{
	return get_random_u64();
}

static struct dc_lock *svc_lock_new(dc_self_t self)
{
	return dc_lock_new(&SELF(self)->owner);
}

static long svc_call(dc_self_t self, uint32_t import, uint32_t method,
		     uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct dc_instance *inst = SELF(self);
	struct dc_domain *target;

	/* The instance's own imports: an upgrade may change the domain's. */
	if (import >= inst->nr_imports)
		return -ENOLINK;
	target = inst->imports[import];
	if (method >= target->iface->nr_methods)
		return -EOPNOTSUPP;
	return dc_proxy_call(target, &inst->owner, method, a0, a1, a2, a3);
}

static void svc_panic(dc_self_t self, const char *msg)
{
	char copy[DC_ERROR_MAX];

	/* The message lives in domain memory that is about to go away. */
	strscpy(copy, msg, sizeof(copy));
	dc_frame_panic(SELF(self), copy, (unsigned long)__builtin_return_address(0));
}

static int svc_store_put(dc_self_t self, uint64_t key, dc_obj_t obj)
{
	return dc_store_put(SELF(self)->dom, &SELF(self)->owner, key, obj);
}

static dc_obj_t svc_store_get(dc_self_t self, uint64_t key)
{
	return dc_store_get(SELF(self)->dom, &SELF(self)->owner, key);
}

static void *svc_store_data(dc_self_t self, uint64_t key, size_t *size)
{
	return dc_store_data(SELF(self)->dom, key, size);
}

static long svc_req_copy(dc_self_t self, uint64_t req, uint64_t offset,
			 void *buf, size_t len, int to_request)
{
	const struct dc_shim_ops *shim = SELF(self)->dom->iface->shim;

	if (!shim || !shim->req_copy)
		return -EOPNOTSUPP;
	return shim->req_copy(SELF(self), req, offset, buf, len, to_request);
}

const struct dc_services dc_services = {
	.abi_version = DC_ABI_VERSION,
	.size = sizeof(struct dc_services),
	.log = svc_log,
	.pages_alloc = svc_pages_alloc,
	.pages_free = svc_pages_free,
	.obj_alloc = svc_obj_alloc,
	.obj_data = svc_obj_data,
	.obj_free = svc_obj_free,
	.time_ns = svc_time_ns,
	.cpu_id = svc_cpu_id,
	.random_u64 = svc_random_u64,
	.lock_new = svc_lock_new,
	.lock = dc_lock_acquire,
	.unlock = dc_lock_release,
	.call = svc_call,
	.panic = svc_panic,
	.store_put = svc_store_put,
	.store_get = svc_store_get,
	.store_data = svc_store_data,
	.req_copy = svc_req_copy,
};
