// SPDX-License-Identifier: GPL-2.0
/*
 * The service table: the only way a domain reaches the kernel.  Services
 * run inside a domain call (non-preemptible, on the domain's stack), on
 * behalf of the instance whose call is innermost on this CPU.
 *
 * Nothing a domain passes is trusted.  Before a service uses an argument
 * it checks it: the instance handle must be the calling instance's, a
 * lock one of its locks, a buffer memory the domain holds (its stack
 * above the service's frame, its image, its heap, its objects and its
 * store's), a request number and range the current request's.  A bad
 * argument is a contained fault of the calling domain (kind "bad service
 * argument", the service named in the log line): the call unwinds from
 * inside the service, which holds nothing of the TCB's at that point.
 * Domain memory is only ever read with copy_from_kernel_nofault() or
 * written after the check, so no domain input can make TCB code fault.
 */
#include "internal.h"
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/smp.h>
#include <linux/uaccess.h>

/* The domain's stack pointer when it called the running service. */
#define DOMAIN_SP()	((unsigned long)__builtin_frame_address(0) + 2 * sizeof(long))

/*
 * The frame of the calling instance, with @self checked against it.  NULL
 * only if a service runs outside any domain call, which domain code
 * cannot arrange without forging a call: the service then does nothing.
 */
static struct dc_frame *caller(dc_self_t self, unsigned long ip, const char *svc)
{
	struct dc_frame *f = this_cpu_read(dc_current_frame);

	if (unlikely(!f)) {
		WARN_ONCE(1, "svc->%s called outside a domain call", svc);
		return NULL;
	}
	if (unlikely(f->inst != (struct dc_instance *)self))
		dc_frame_fail(f, DC_FAULT_BAD_ARG, ip, "svc->%s: %p is not the caller's instance handle",
			      svc, self);
	return f;
}

/* May the caller of @f read (@write: write) [p, p + len)? */
static bool domain_memory(struct dc_frame *f, const void *ptr, size_t len,
			  bool write, unsigned long sp)
{
	struct dc_instance *inst = f->inst;
	unsigned long p = (unsigned long)ptr;

	/* Never the gate's return address at the top of the stack block. */
	unsigned long top = f->stack - sizeof(void *);

	if (!len)
		return true;
	if (p >= sp && p < top && len <= top - p)
		return true;
	if (dc_image_contains(inst->image, p, len, write ? DC_IMAGE_RW : DC_IMAGE_ANY))
		return true;
	return dc_heap_owns(&inst->owner, &inst->dom->store_owner, p, len);
}

static void check_memory(struct dc_frame *f, const void *ptr, size_t len, bool write,
			 unsigned long sp, unsigned long ip, const char *svc)
{
	if (unlikely(!domain_memory(f, ptr, len, write, sp)))
		dc_frame_fail(f, DC_FAULT_BAD_ARG, ip, "svc->%s: %zu bytes at %p are not the domain's memory",
			      svc, len, ptr);
}

/* At most this much of a log message is printed. */
#define DC_LOG_LINE_MAX		1024

static void svc_log(dc_self_t self, int level, const char *msg, size_t len)
{
	static const char *const levels[] = {
		KERN_EMERG, KERN_ALERT, KERN_CRIT, KERN_ERR,
		KERN_WARNING, KERN_NOTICE, KERN_INFO, KERN_DEBUG,
	};
	struct dc_frame *f = caller(self, _RET_IP_, "log");
	char line[DC_LOG_LINE_MAX];

	if (!f)
		return;
	len = min_t(size_t, len, sizeof(line));
	check_memory(f, msg, len, false, DOMAIN_SP(), _RET_IP_, "log");
	/* Another CPU of the domain may free it meanwhile: copy it safely. */
	if (copy_from_kernel_nofault(line, msg, len))
		dc_frame_fail(f, DC_FAULT_BAD_ARG, _RET_IP_, "svc->log: message at %p unreadable", msg);
	if (level < 0 || level > 7)
		level = DC_LOG_INFO;
	printk("%s%s: %.*s\n", levels[level], f->inst->dom->name, (int)len, line);
}

static void *svc_pages_alloc(dc_self_t self, size_t npages)
{
	struct dc_frame *f = caller(self, _RET_IP_, "pages_alloc");

	return f ? dc_pages_alloc(&f->inst->owner, npages) : NULL;
}

static void svc_pages_free(dc_self_t self, void *addr)
{
	struct dc_frame *f = caller(self, _RET_IP_, "pages_free");

	if (f && dc_pages_free(&f->inst->owner, addr))
		dc_frame_fail(f, DC_FAULT_BAD_ARG, _RET_IP_,
			      "svc->pages_free: %p is not a block of this instance's heap", addr);
}

static dc_obj_t svc_obj_alloc(dc_self_t self, uint32_t type, size_t size)
{
	struct dc_frame *f = caller(self, _RET_IP_, "obj_alloc");

	return f ? dc_obj_alloc(&f->inst->owner, type, size) : 0;
}

static struct dc_span svc_obj_data(dc_self_t self, dc_obj_t obj, uint32_t type)
{
	struct dc_frame *f = caller(self, _RET_IP_, "obj_data");
	struct dc_span span = { NULL, 0 };

	if (f)
		span.data = dc_obj_data(&f->inst->owner, obj, type, &span.size);
	return span;
}

static int svc_obj_free(dc_self_t self, dc_obj_t obj)
{
	struct dc_frame *f = caller(self, _RET_IP_, "obj_free");

	return f ? dc_obj_free(&f->inst->owner, obj) : -EINVAL;
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
	struct dc_frame *f = caller(self, _RET_IP_, "lock_new");

	return f ? dc_lock_new(&f->inst->owner) : NULL;
}

static struct dc_frame *lock_caller(struct dc_lock *lock, unsigned long ip, const char *svc)
{
	struct dc_frame *f = this_cpu_read(dc_current_frame);

	if (unlikely(!f)) {
		WARN_ONCE(1, "svc->%s called outside a domain call", svc);
		return NULL;
	}
	if (unlikely(!dc_lock_valid(&f->inst->owner, lock)))
		dc_frame_fail(f, DC_FAULT_BAD_ARG, ip, "svc->%s: %p is not a lock of this instance",
			      svc, lock);
	return f;
}

/*
 * Domain locks disable bottom halves, not interrupts: the watchdog's tick
 * must still reach a domain that loops while holding one.  (Domain code
 * never runs in hard interrupt context.)  A waiter spins with trylock, so
 * that it notices when the lock's instance has failed, its holder
 * abandoned, and leaves with an error instead of spinning for ever; and
 * when its own call runs out of time.
 */
static void svc_lock(struct dc_lock *lock)
{
	struct dc_frame *f = lock_caller(lock, _RET_IP_, "lock");

	if (!f)
		return;
	local_bh_disable();
	while (!spin_trylock(&lock->lock)) {
		if (READ_ONCE(f->inst->failed))
			dc_frame_fail(f, DC_FAULT_ABANDONED, _RET_IP_,
				      "svc->lock: the instance failed while this call waited");
		if (time_after(jiffies, f->deadline))
			dc_frame_fail(f, DC_FAULT_HANG, _RET_IP_,
				      "svc->lock: waited for a lock past the call's budget");
		cpu_relax();
	}
	lock->holder = raw_smp_processor_id() + 1;
}

static void svc_unlock(struct dc_lock *lock)
{
	struct dc_frame *f = lock_caller(lock, _RET_IP_, "unlock");

	if (!f)
		return;
	if (unlikely(lock->holder != raw_smp_processor_id() + 1))
		dc_frame_fail(f, DC_FAULT_BAD_ARG, _RET_IP_, "svc->unlock: %p is not held by this call",
			      lock);
	lock->holder = 0;
	spin_unlock(&lock->lock);
	local_bh_enable();
}

static long svc_call(dc_self_t self, uint32_t import, uint32_t method,
		     uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct dc_frame *f = caller(self, _RET_IP_, "call");
	struct dc_instance *inst;
	struct dc_domain *target;

	if (!f)
		return -EINVAL;
	inst = f->inst;
	/* The instance's own imports: an upgrade may change the domain's. */
	if (import >= inst->nr_imports)
		dc_frame_fail(f, DC_FAULT_BAD_ARG, _RET_IP_, "svc->call: import %u of %u",
			      import, inst->nr_imports);
	target = inst->imports[import];
	if (method >= target->iface->nr_methods)
		dc_frame_fail(f, DC_FAULT_BAD_ARG, _RET_IP_, "svc->call: method %u of %s (%u methods)",
			      method, target->iface->name, target->iface->nr_methods);
	return dc_proxy_call(target, &inst->owner, 0, method, a0, a1, a2, a3);
}

/* Copy the string at @src, as much of it as is readable, into @dst. */
static void copy_string_nofault(char *dst, const char *src, size_t size)
{
	size_t i;

	for (i = 0; i + 1 < size; i++)
		if (copy_from_kernel_nofault(&dst[i], src + i, 1) || !dst[i])
			break;
	dst[i] = '\0';
}

static void svc_panic(dc_self_t self, const char *msg)
{
	struct dc_frame *f = caller(self, _RET_IP_, "panic");
	char copy[DC_ERROR_MAX];

	if (!f)
		return;
	/* Whatever it says, the instance fails: an unreadable message is no second fault. */
	copy_string_nofault(copy, msg, sizeof(copy));
	dc_frame_panic(f, copy, _RET_IP_);
}

static int svc_store_put(dc_self_t self, uint64_t key, dc_obj_t obj)
{
	struct dc_frame *f = caller(self, _RET_IP_, "store_put");

	return f ? dc_store_put(f->inst->dom, &f->inst->owner, key, obj) : -EINVAL;
}

static dc_obj_t svc_store_get(dc_self_t self, uint64_t key)
{
	struct dc_frame *f = caller(self, _RET_IP_, "store_get");

	return f ? dc_store_get(f->inst->dom, &f->inst->owner, key) : 0;
}

static struct dc_span svc_store_data(dc_self_t self, uint64_t key)
{
	struct dc_frame *f = caller(self, _RET_IP_, "store_data");
	struct dc_span span = { NULL, 0 };

	if (f)
		span.data = dc_store_data(f->inst->dom, key, &span.size);
	return span;
}

static long svc_req_copy(dc_self_t self, uint64_t req, uint64_t offset,
			 void *buf, size_t len, int to_request)
{
	struct dc_frame *f = caller(self, _RET_IP_, "req_copy");
	const struct dc_shim_ops *shim;
	long ret;

	if (!f)
		return -EINVAL;
	shim = f->inst->dom->iface->shim;
	if (!shim || !shim->req_copy)
		return -EOPNOTSUPP;
	/* From the request into the domain is a write to domain memory. */
	check_memory(f, buf, len, !to_request, DOMAIN_SP(), _RET_IP_, "req_copy");
	ret = shim->req_copy(f->inst, req, offset, buf, len, to_request);
	if (ret == -EINVAL)
		dc_frame_fail(f, DC_FAULT_BAD_ARG, _RET_IP_,
			      "svc->req_copy: request %llu, %zu bytes at offset %llu: not the current request or outside it",
			      req, len, offset);
	return ret;
}

/*
 * What @addr belongs to, for the report of a stray store of @size bytes
 * there by @f's instance: the first granule it does not own.
 */
static void stray_target(struct dc_frame *f, unsigned long addr, size_t size,
			 char *buf, size_t len)
{
	struct dc_owner *self = &f->inst->owner, *store = &f->inst->dom->store_owner;
	unsigned long a = addr, end = addr + size;
	char name[DC_NAME_MAX], sym[KSYM_SYMBOL_LEN];
	int owner = -1;

	for (; a < end || a == addr; a = round_down(a, DC_SHADOW_GRANULE) + DC_SHADOW_GRANULE) {
		owner = dc_arena_owner_of(a);
		if (owner != self->id && owner != store->id)
			break;
	}
	if (owner == DC_SHADOW_FREE)
		scnprintf(buf, len, "freed or unallocated domain memory");
	else if (owner == DC_SHADOW_REDZONE)
		scnprintf(buf, len, "a red zone (past the end of an object)");
	else if (owner == DC_SHADOW_KERNEL)
		scnprintf(buf, len, "an object the kernel holds");
	else if (owner >= 0 && dc_owner_name(owner, name, sizeof(name)))
		scnprintf(buf, len, "memory of domain %s", name);
	else if (owner >= 0)
		scnprintf(buf, len, "domain memory of a departed owner");
	else if (dc_on_domain_stack(addr, 1))
		scnprintf(buf, len, "a domain stack, outside the call's frames");
	else if (dc_image_contains(f->inst->image, addr, 1, DC_IMAGE_ANY))
		scnprintf(buf, len, "its own read-only image");
	else if (within_module(addr, THIS_MODULE))
		scnprintf(buf, len, "the TCB (domain_core)");
	else if (addr < TASK_SIZE_MAX)
		scnprintf(buf, len, "user or unmapped low memory");
	else {
		/* Name a kernel symbol, never print a raw kernel address here. */
		scnprintf(sym, sizeof(sym), "%pS", (void *)addr);
		if (strncmp(sym, "0x", 2))
			scnprintf(buf, len, "the kernel (%s)", sym);
		else
			scnprintf(buf, len, "the kernel");
	}
}

static void svc_stray_store(dc_self_t self, uintptr_t addr, size_t size, uintptr_t ip)
{
	struct dc_frame *f = caller(self, _RET_IP_, "stray_store");
	char what[128];

	if (!f)
		return;
	/* @ip is the domain's word: report it only if it is in its code. */
	if (!dc_image_contains(f->inst->image, ip, 1, DC_IMAGE_TEXT))
		ip = _RET_IP_;
	stray_target(f, addr, size, what, sizeof(what));
	dc_frame_stray(f, ip, addr, "%zu byte%s into %s", size, size == 1 ? "" : "s", what);
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
	.lock = svc_lock,
	.unlock = svc_unlock,
	.call = svc_call,
	.panic = svc_panic,
	.store_put = svc_store_put,
	.store_get = svc_store_get,
	.store_data = svc_store_data,
	.req_copy = svc_req_copy,
	.stray_store = svc_stray_store,
};
