// SPDX-License-Identifier: GPL-2.0
/*
 * The service table, as src/services.c: services run inside a domain call,
 * on the domain's stack, for the instance whose call is innermost.
 *
 * Nothing a domain passes is trusted.  The instance handle must be the
 * calling instance's, a lock one of its locks, a buffer memory the domain
 * holds (its stack above the service's frame, its image, its heap, its
 * objects and its store's: the arena's shadow says which), a request
 * number and range the current request's.  A bad argument fails the caller (kind "bad service
 * argument", the service named): the call unwinds from inside the
 * service, which holds nothing at that point.
 *
 * Built with frame pointers: DOMAIN_SP() is the domain's stack pointer
 * when it called the service.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/uio.h>
#include <unistd.h>
#include "internal.h"

#define RET_IP()	((uintptr_t)__builtin_return_address(0))
#define DOMAIN_SP()	((uintptr_t)__builtin_frame_address(0) + 2 * sizeof(long))

/* At most this much of a log message is printed, as in the kernel. */
#define DT_LOG_LINE_MAX	1024

/* The innermost call: domain code runs only inside calls. */
static struct dt_frame *current_call(const char *svc)
{
	struct dt_frame *f = dt_current_frame;

	if (!f) {
		fprintf(stderr, "domain-test: svc->%s called outside a domain call\n", svc);
		abort();
	}
	return f;
}

/* The frame of the calling instance, with @self checked against it. */
static struct dt_frame *caller(dc_self_t self, uintptr_t ip, const char *svc)
{
	struct dt_frame *f = current_call(svc);

	if (f->inst != (struct dt_instance *)self)
		dt_frame_fail(f, DT_FAULT_BAD_ARG, ip,
			      "svc->%s: %p is not the caller's instance handle", svc,
			      (void *)self);
	return f;
}

/*
 * May the caller of @f read (@write: write) [p, p + len)?  Its stack goes
 * from @sp up to the return address the gate pushed at the top of the
 * block, which it may not write: as libdomain's store check has it, so
 * that a service cannot be made to store where the domain itself may not.
 */
static bool domain_memory(const struct dt_frame *f, const void *ptr, size_t len,
			  bool write, uintptr_t sp)
{
	const struct dt_instance *inst = f->inst;
	uintptr_t p = (uintptr_t)ptr, top = f->stack - (write ? sizeof(void *) : 0);

	if (!len)
		return true;
	if (p >= sp && p < top && len <= top - p)
		return true;
	if (dt_mapping_contains(&inst->map, p, len, write ? DT_PART_RW : DT_PART_ANY))
		return true;
	return dt_heap_owns(&inst->owner, &inst->dom->store.owner, p, len);
}

static void check_memory(struct dt_frame *f, const void *ptr, size_t len,
			 bool write, uintptr_t sp, uintptr_t ip, const char *svc)
{
	if (!domain_memory(f, ptr, len, write, sp))
		dt_frame_fail(f, DT_FAULT_BAD_ARG, ip,
			      "svc->%s: %zu bytes at %p are not the domain's memory",
			      svc, len, ptr);
}

static void svc_log(dc_self_t self, int level, const char *msg, size_t len)
{
	struct dt_frame *f = caller(self, RET_IP(), "log");

	(void)level;
	if (len > DT_LOG_LINE_MAX)
		len = DT_LOG_LINE_MAX;
	check_memory(f, msg, len, false, DOMAIN_SP(), RET_IP(), "log");
	dt_logf("%s: %.*s", f->inst->dom->name, (int)len, msg);
}

static void *svc_pages_alloc(dc_self_t self, size_t npages)
{
	struct dt_frame *f = caller(self, RET_IP(), "pages_alloc");

	return dt_pages_alloc(&f->inst->owner, npages);
}

static void svc_pages_free(dc_self_t self, void *addr)
{
	struct dt_frame *f = caller(self, RET_IP(), "pages_free");

	if (dt_pages_free(&f->inst->owner, addr))
		dt_frame_fail(f, DT_FAULT_BAD_ARG, RET_IP(),
			      "svc->pages_free: %p is not a block of this instance's heap",
			      addr);
}

static dc_obj_t svc_obj_alloc(dc_self_t self, uint32_t type, size_t size)
{
	struct dt_frame *f = caller(self, RET_IP(), "obj_alloc");

	return dt_obj_alloc(&f->inst->owner, type, size);
}

static struct dc_span svc_obj_data(dc_self_t self, dc_obj_t obj, uint32_t type)
{
	struct dt_frame *f = caller(self, RET_IP(), "obj_data");
	struct dc_span span;

	span.data = dt_obj_data_of(&f->inst->owner, obj, type, &span.size);
	return span;
}

static int svc_obj_free(dc_self_t self, dc_obj_t obj)
{
	struct dt_frame *f = caller(self, RET_IP(), "obj_free");

	return dt_obj_free_of(&f->inst->owner, obj);
}

static uint64_t svc_time_ns(void)
{
	return dt_now_ns();
}

/* Calls run one at a time, on the test's thread: one CPU. */
static uint32_t svc_cpu_id(void)
{
	return 0;
}

static uint64_t svc_random_u64(void)
{
	uint64_t v = 0;

	if (getrandom(&v, sizeof(v), 0) != sizeof(v))
		v = dt_now_ns() * 0x9e3779b97f4a7c15ull;
	return v;
}

static struct dc_lock *svc_lock_new(dc_self_t self)
{
	struct dt_frame *f = caller(self, RET_IP(), "lock_new");

	return dt_lock_new(&f->inst->owner);
}

static struct dt_frame *lock_caller(struct dc_lock *lock, uintptr_t ip, const char *svc)
{
	struct dt_frame *f = current_call(svc);

	if (!dt_lock_valid(&f->inst->owner, lock))
		dt_frame_fail(f, DT_FAULT_BAD_ARG, ip, "svc->%s: %p is not a lock of this instance",
			      svc, (void *)lock);
	return f;
}

static void svc_lock(struct dc_lock *lock)
{
	struct dt_frame *f = lock_caller(lock, RET_IP(), "lock");

	/*
	 * One thread: the holder is this call or one it nests in, so the
	 * kernel's waiter would spin until the call's budget ran out.
	 */
	if (lock->held)
		dt_frame_fail(f, DT_FAULT_HANG, RET_IP(),
			      "svc->lock: waited for a lock past the call's budget (held by this call)");
	lock->held = 1;
	f->inst->owner.locks_held++;
}

static void svc_unlock(struct dc_lock *lock)
{
	struct dt_frame *f = lock_caller(lock, RET_IP(), "unlock");

	if (!lock->held)
		dt_frame_fail(f, DT_FAULT_BAD_ARG, RET_IP(),
			      "svc->unlock: %p is not held by this call", (void *)lock);
	lock->held = 0;
	f->inst->owner.locks_held--;
}

static long svc_call(dc_self_t self, uint32_t import, uint32_t method,
		     uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct dt_frame *f = caller(self, RET_IP(), "call");
	struct dt_instance *inst = f->inst;
	struct dt_domain *target;

	/* The instance's own imports: an upgrade may change the domain's. */
	if (import >= inst->nr_imports)
		dt_frame_fail(f, DT_FAULT_BAD_ARG, RET_IP(), "svc->call: import %u of %u",
			      import, inst->nr_imports);
	target = inst->imports[import];
	if (method >= target->iface->nr_methods)
		dt_frame_fail(f, DT_FAULT_BAD_ARG, RET_IP(),
			      "svc->call: method %u of %s (%u methods)", method,
			      target->iface->name, target->iface->nr_methods);
	return dt_proxy_call(target, &inst->owner, method, a0, a1, a2, a3);
}

/*
 * The string at @src, as much of it as is readable, without faulting:
 * process_vm_readv() on ourselves is userspace's copy_from_kernel_nofault().
 */
static void copy_string_nofault(char *dst, const char *src, size_t size)
{
	size_t i;

	for (i = 0; i + 1 < size; i++) {
		struct iovec local = { &dst[i], 1 }, remote = { (void *)(src + i), 1 };

		if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) != 1 || !dst[i])
			break;
	}
	dst[i] = '\0';
}

static void svc_panic(dc_self_t self, const char *msg)
{
	struct dt_frame *f = caller(self, RET_IP(), "panic");
	char copy[DT_ERROR_MAX];

	/* Whatever it says, the instance fails: an unreadable message is no second fault. */
	copy_string_nofault(copy, msg, sizeof(copy));
	dt_frame_panic(f, copy, RET_IP());
}

static int svc_store_put(dc_self_t self, uint64_t key, dc_obj_t obj)
{
	struct dt_frame *f = caller(self, RET_IP(), "store_put");

	return dt_store_put(&f->inst->dom->store, &f->inst->owner, key, obj);
}

static dc_obj_t svc_store_get(dc_self_t self, uint64_t key)
{
	struct dt_frame *f = caller(self, RET_IP(), "store_get");

	return dt_store_get(&f->inst->dom->store, &f->inst->owner, key);
}

static struct dc_span svc_store_data(dc_self_t self, uint64_t key)
{
	struct dt_frame *f = caller(self, RET_IP(), "store_data");
	struct dc_span span;

	span.data = dt_store_data(&f->inst->dom->store, key, &span.size);
	return span;
}

static long svc_req_copy(dc_self_t self, uint64_t req, uint64_t offset,
			 void *buf, size_t len, int to_request)
{
	struct dt_frame *f = caller(self, RET_IP(), "req_copy");
	long ret;

	if (f->inst->dom->iface != dt_iface_find("block"))
		return -EOPNOTSUPP;
	/* From the request into the domain is a write to domain memory. */
	check_memory(f, buf, len, !to_request, DOMAIN_SP(), RET_IP(), "req_copy");
	ret = dt_block_req_copy(f->inst, req, offset, buf, len, to_request);
	if (ret == -EINVAL)
		dt_frame_fail(f, DT_FAULT_BAD_ARG, RET_IP(),
			      "svc->req_copy: request %llu, %zu bytes at offset %llu: not the current request or outside it",
			      (unsigned long long)req, len, (unsigned long long)offset);
	return ret;
}

/* The executable that links libdomaintest: the test program, the TCB's stand-in. */
extern const char __executable_start[], _end[];

/*
 * What @addr belongs to, for the report of a stray store of @size bytes
 * there by @f's instance: the first granule it does not own.  As
 * src/services.c says it, with the test process in the kernel's place.
 */
static void stray_target(const struct dt_frame *f, uintptr_t addr, size_t size,
			 char *buf, size_t len)
{
	const struct dt_instance *inst = f->inst;
	uint8_t self = inst->owner.id, store = inst->dom->store.owner.id;
	uintptr_t a = addr, end = addr + size;
	const struct dt_domain *d;
	const char *name;
	int owner = -1;

	for (; a < end || a == addr; a = (a & ~(uintptr_t)(DC_SHADOW_GRANULE - 1)) + DC_SHADOW_GRANULE) {
		owner = dt_arena_owner_of(a);
		if (owner != self && owner != store)
			break;
	}
	if (owner == DC_SHADOW_FREE) {
		dt_fmt(buf, len, "freed or unallocated domain memory");
	} else if (owner == DC_SHADOW_REDZONE) {
		dt_fmt(buf, len, "a red zone (past the end of an object)");
	} else if (owner == DC_SHADOW_KERNEL) {
		dt_fmt(buf, len, "an object the kernel holds");
	} else if (owner >= 0 && (name = dt_owner_name(owner))) {
		dt_fmt(buf, len, "memory of domain %s", name);
	} else if (owner >= 0) {
		dt_fmt(buf, len, "domain memory of a departed owner");
	} else if (dt_on_domain_stack(addr, 1)) {
		dt_fmt(buf, len, "a domain stack, outside the call's frames");
	} else if (dt_mapping_contains(&inst->map, addr, 1, DT_PART_ANY)) {
		dt_fmt(buf, len, "its own read-only image");
	} else {
		for (d = dt_first_domain(); d; d = d->next)
			if (d->inst && dt_mapping_contains(&d->inst->map, addr, 1, DT_PART_ANY))
				break;
		if (d)
			dt_fmt(buf, len, "the image of domain %s", d->name);
		else if (addr >= (uintptr_t)__executable_start && addr < (uintptr_t)_end)
			dt_fmt(buf, len, "the test program (the TCB)");
		else if (addr < 0x10000)
			dt_fmt(buf, len, "unmapped low memory");
		else
			dt_fmt(buf, len, "the test process (its heap, a library, or nothing mapped)");
	}
}

static void svc_stray_store(dc_self_t self, uintptr_t addr, size_t size, uintptr_t ip)
{
	struct dt_frame *f = caller(self, RET_IP(), "stray_store");
	char what[128];

	/* @ip is the domain's word: report it only if it is in its code. */
	if (!dt_mapping_contains(&f->inst->map, ip, 1, DT_PART_TEXT))
		ip = RET_IP();
	stray_target(f, addr, size, what, sizeof(what));
	dt_frame_stray(f, ip, addr, "%zu byte%s into %s", size, size == 1 ? "" : "s", what);
}

const struct dc_services dt_services = {
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
