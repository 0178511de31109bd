/* SPDX-License-Identifier: GPL-2.0 */
/*
 * domain_core's private header: the structures the TCB's files share and
 * the functions they call in each other, grouped by concern.  Every .c
 * file of the module includes it first.
 *
 * Who calls whom.  A file calls only files below it in this list, so the
 * files form no loop (tests/vm/check-layering checks the built objects).
 * The one way up is the fault handler restart.c registers with fault.c.
 *
 *   main.c         module init and exit
 *   control.c      /dev/domain_core: each ioctl -> a struct dc_load_info
 *   restart.c      restart policy and the restart worker
 *   bench.c, selftest.c   the call benchmark and self-tests (sysfs files)
 *   lifecycle.c    load, upgrade, restart, down, unload: the one place
 *                  that replaces a domain's instance
 *   services.c     the service table handed to every domain
 *   iface_registry.c, shim_file.c, shim_block.c
 *                  interfaces, and the shims that face the kernel for them
 *   proxy.c        every call into a domain: hold, wait, ownership
 *   sysfs.c        /sys/kernel/domain_core
 *   call.c         recovery frames, in-flight accounting, hold and drain
 *   fault.c        an instance failed: record, report, hand to the handler
 *   arch/x86/      trap.c catches faults; gate.S is the recovery point;
 *                  ibt_call.S calls sealed kernel functions
 *   image.c, exec_mem.c, compat/, ksym/, loader/, heap.c, store.c, trace.c
 *                  mapping images, executable memory, kernel symbols,
 *                  the image validator, heaps, the state store, tracing
 */
#ifndef DC_INTERNAL_H
#define DC_INTERNAL_H

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/types.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/irqflags.h>
#include <linux/jiffies.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include "compat/compat.h"
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include "domain/abi.h"
#include "domain/iface/all.h"
#include "uapi/domain_core.h"
#include "loader/elf_image.h"
#include "loader/image_sig.h"
#include "compat/exec_mem_backend.h"

#ifndef DC_MODULE_VERSION
#define DC_MODULE_VERSION "unknown"
#endif

struct dc_domain;
struct dc_instance;

/* ------------------------------------------------------------------ */
/* Heap memory and its owners (heap.c, store.c) */

/* What a domain may hold in all (mem_max): its instances' and its store's. */
struct dc_quota {
	atomic_long_t used;		/* bytes */
	long max;
};

/*
 * Anything that can own heap memory: an instance, a domain's state store,
 * or the kernel itself (objects made by shims).  Everything an owner holds
 * is on its lists or in its lock table and is freed by dc_owner_release().
 */
struct dc_owner {
	u8 id;				/* its mark in the arena's shadow */
	const char *name;		/* for stray-store reports: the domain's */
	spinlock_t lock;		/* pages, and adding locks */
	struct list_head pages;		/* private heap blocks */
	struct list_head objects;	/* shared-heap objects (under the objects' lock) */
	struct dc_quota *quota;		/* NULL: the kernel's, not capped */
	struct dc_lock *locks;		/* svc->lock_new's table, made on first use */
	unsigned int nr_locks;
	atomic_long_t heap_bytes;
	atomic_long_t shared_objects;
	atomic_long_t shared_bytes;
};

struct dc_obj;

/* A domain's lock: a slot of its owner's table, so a pointer is checkable. */
struct dc_lock {
	spinlock_t lock;
	int holder;			/* CPU + 1 while held */
};

/* The owner that shims use for objects they create. */
extern struct dc_owner dc_kernel_owner;

/* 0, or -ENOSPC when every owner id (DC_SHADOW_FIRST_ID..LAST_ID) is taken. */
int dc_owner_init(struct dc_owner *owner, struct dc_quota *quota, const char *name);
void dc_owner_release(struct dc_owner *owner);
void *dc_pages_alloc(struct dc_owner *owner, size_t npages);
int dc_pages_free(struct dc_owner *owner, void *addr);
dc_obj_t dc_obj_alloc(struct dc_owner *owner, u32 type, size_t size);
void *dc_obj_data(struct dc_owner *owner, dc_obj_t id, u32 type, size_t *size);
/* The memory is reused only after a grace period: readers in calls are safe. */
int dc_obj_free(struct dc_owner *owner, dc_obj_t id);
int dc_obj_give(dc_obj_t id, struct dc_owner *from, struct dc_owner *to);
struct dc_obj *dc_obj_get_owned(struct dc_owner *owner, dc_obj_t id);
dc_obj_t dc_obj_id(const struct dc_obj *obj);
void *dc_obj_payload(const struct dc_obj *obj, size_t *size);
bool dc_heap_owns(struct dc_owner *owner, struct dc_owner *store,
		  unsigned long addr, size_t len);
struct dc_lock *dc_lock_new(struct dc_owner *owner);
bool dc_lock_valid(struct dc_owner *owner, const struct dc_lock *lock);
long dc_heap_total_bytes(void);
long dc_shared_total_objects(void);
long dc_shared_total_bytes(void);
int dc_heap_init(void);
void dc_heap_exit(void);

/*
 * The arena (arena.c): every byte a domain can own, with a shadow byte per
 * DC_SHADOW_GRANULE bytes naming its owner.  The layout is part of the
 * ABI (domain/abi.h, struct dc_confinement): libdomain's store check
 * reads the shadow directly.
 */
struct dc_arena {
	unsigned long base;
	unsigned long size;		/* reserved */
	unsigned long mapped;		/* bytes from base whose shadow is mapped */
	u8 *shadow;			/* right after the arena */
};
extern struct dc_arena dc_arena;

static inline u8 *dc_shadow_of(unsigned long addr)
{
	return dc_arena.shadow + (addr - dc_arena.base) / DC_SHADOW_GRANULE;
}

/* Small objects share pages, a red zone after each; larger ones get pages. */
#define DC_ARENA_SMALL_MAX	(2048 - DC_SHADOW_GRANULE)

int dc_arena_init(void);
void dc_arena_exit(void);
void *dc_arena_alloc_pages(size_t size, u8 id);
void dc_arena_free_pages(void *addr, size_t size);
void *dc_arena_alloc_small(size_t size, u8 id);
void dc_arena_free_small(void *addr, size_t size);
void dc_arena_set_owner(void *addr, size_t size, u8 id);
bool dc_arena_owned(unsigned long addr, size_t len, u8 a, u8 b);
int dc_arena_owner_of(unsigned long addr);
long dc_arena_mapped_bytes(void);
/* The name of the owner with shadow id @id, into @buf; false if none. */
bool dc_owner_name(u8 id, char *buf, size_t len);

int dc_store_put(struct dc_domain *d, struct dc_owner *from, u64 key, dc_obj_t obj);
dc_obj_t dc_store_get(struct dc_domain *d, struct dc_owner *to, u64 key);
void *dc_store_data(struct dc_domain *d, u64 key, size_t *size);
int dc_store_init(struct dc_domain *d, struct dc_quota *quota);
void dc_store_release(struct dc_domain *d);

/* ------------------------------------------------------------------ */
/* Executable memory (exec_mem.c over compat/exec_mem_backend.c) */

/* A region is never bigger than the largest image it can hold. */
#define DC_EXEC_MAX_SIZE	DC_IMAGE_MAX_BYTES

/*
 * A region is allocated read-write and not executable, filled with
 * dc_exec_write(), then sealed with dc_exec_protect(), which sets the final
 * permissions per page range (W^X) and refuses all writes afterwards.
 */
struct dc_exec_mem {
	void *base;
	size_t size;		/* whole pages */
	bool sealed;		/* protected: no further writes */
};

struct dc_prot_range {
	size_t offset;		/* page aligned, relative to base */
	size_t size;		/* page aligned */
	enum dc_prot prot;
};

int dc_exec_init(void);
const char *dc_exec_backend(void);
struct dc_exec_mem *dc_exec_alloc(size_t size);
int dc_exec_write(struct dc_exec_mem *mem, size_t offset, const void *src,
		  size_t len);
int dc_exec_protect(struct dc_exec_mem *mem,
		    const struct dc_prot_range *ranges, unsigned int count);
void dc_exec_free(struct dc_exec_mem *mem);
long dc_exec_live_regions(void);
long dc_exec_live_pages(void);

/* ------------------------------------------------------------------ */
/* Images: what a load or upgrade request carries, parsed once */

/*
 * A load description (control.c makes it from an ioctl): the request and
 * the image file, validated once.  An instance is started from it; the
 * domain keeps the one its running instance came from, so a restart maps
 * the same file again without reading or parsing it again.
 */
struct dc_load_info {
	char name[DC_NAME_MAX];		/* the domain's name (note's if not given) */
	char params[DC_PARAMS_MAX];
	struct dc_restart_policy {
		u32 policy;		/* DC_RESTART_* */
		u32 max;		/* restarts per window (on-failure) */
		u32 window_ms;
		u32 backoff_ms;
	} restart;
	u32 flags;			/* DC_LOAD_F_* of the request */
	u32 call_budget_ms;		/* 0: the default */
	u64 mem_max;			/* bytes; 0: the default */
	void *file;			/* the image file (kvmalloc) */
	size_t len;
	struct dc_elf_info elf;		/* its validated layout and note */
	const struct dc_iface *iface;	/* the interface its note names */
	char signer[DC_SIGNER_MAX];	/* who signed it; "" if nobody trusted */
	char unsigned_why[DC_ERROR_MAX];	/* if so, why ("image not signed") */
	char err[DC_ERROR_MAX];		/* why a request failed */
};

/* sign.c: where an image comes from (signature, modules_disabled). */
int dc_sig_check(struct dc_load_info *info);
void dc_sig_note_unsigned(const struct dc_load_info *info);
int dc_sig_init(void);
void dc_sig_exit(void);

void dc_load_info_free(struct dc_load_info *info);
/* A dc_elf_report_fn: the first problem goes into @ctx, an empty DC_ERROR_MAX buffer. */
void dc_report_first(void *ctx, int err, const char *rule, const char *msg);

/* One image mapped into executable memory (image.c). */
struct dc_image {
	struct dc_exec_mem *mem;
	const struct dc_load_info *info;	/* what it was mapped from */
};

int dc_image_map(const struct dc_load_info *info, const struct dc_confinement *conf,
		 struct dc_image **out, char *err);
void dc_image_unmap(struct dc_image *image);

/* Which segments dc_image_contains() looks at. */
enum dc_image_part {
	DC_IMAGE_ANY,		/* any segment: readable */
	DC_IMAGE_RW,		/* data and bss */
	DC_IMAGE_TEXT,		/* code */
};
bool dc_image_contains(const struct dc_image *image, unsigned long addr,
		       size_t size, enum dc_image_part part);
/* "func+0x12", or the image offset if the image has no symbol there. */
void dc_image_symbolize(const struct dc_image *image, unsigned long addr,
			char *buf, size_t size);

/* ------------------------------------------------------------------ */
/* Interfaces and the shims that face the kernel for them */

struct dc_shim_ops;

/* An interface the TCB knows (iface_registry.c), from the SDK's X-macros. */
struct dc_iface {
	const char *name;
	u32 version;
	unsigned int nr_methods;
	const u8 *masks;		/* DC_ARG_OBJ / DC_RET_OBJ per method */
	const char *const *method_names;
	const struct dc_shim_ops *shim;	/* NULL: no kernel-facing object */
};

const struct dc_iface *dc_iface_find(const char *name);

/*
 * A shim owns the kernel-facing objects of a domain (a misc device, block
 * devices) and forwards their callbacks as interface calls.  Its state
 * lives in its own struct, at d->shim.  Called by the lifecycle under
 * dc_domains_lock.
 */
struct dc_shim_ops {
	/* Create the kernel objects; @inst is the first, not yet published. */
	int (*add)(struct dc_domain *d, struct dc_instance *inst, char *err);
	/* A replacement instance fits the objects already there. */
	int (*check)(struct dc_domain *d, struct dc_instance *inst, char *err);
	/* -EBUSY while in use; otherwise refuse new users from now on. */
	int (*begin_removal)(struct dc_domain *d);
	void (*remove)(struct dc_domain *d);
	/* The shim's services (svc->req_copy); NULL if it offers none. */
	long (*req_copy)(struct dc_instance *inst, u64 req, u64 offset,
			 void *buf, size_t len, int to_request);
};

extern const struct dc_shim_ops dc_log_shim, dc_file_shim, dc_block_shim;

/*
 * Who has a shim's device open, and whether it is going away: both under
 * one lock, so no open slips in between a removal's check and its start.
 */
struct dc_openers {
	spinlock_t lock;
	unsigned int count;
	bool dying;
};

static inline void dc_openers_init(struct dc_openers *o)
{
	spin_lock_init(&o->lock);
	o->count = 0;
	o->dying = false;
}

/* An open: -ENODEV once removal has begun. */
static inline int dc_openers_get(struct dc_openers *o)
{
	int err = 0;

	spin_lock(&o->lock);
	if (o->dying)
		err = -ENODEV;
	else
		o->count++;
	spin_unlock(&o->lock);
	return err;
}

static inline void dc_openers_put(struct dc_openers *o)
{
	spin_lock(&o->lock);
	o->count--;
	spin_unlock(&o->lock);
}

/* -EBUSY while open; otherwise no open succeeds from now on. */
static inline int dc_openers_begin_removal(struct dc_openers *o)
{
	int err = 0;

	spin_lock(&o->lock);
	if (o->count)
		err = -EBUSY;
	else
		o->dying = true;
	spin_unlock(&o->lock);
	return err;
}

/* ------------------------------------------------------------------ */
/* Instances and domains */

/* The most methods an interface has (iface_registry.c checks each). */
#define DC_MAX_METHODS		8

/*
 * Where an instance writes what the TCB asks for by pointer (the entry's
 * result, the id of the state it exports): memory it owns, in the arena,
 * so that its confined stores there pass; the TCB's stack would be a
 * stray store.  Freed with the instance.
 */
union dc_mailbox {
	struct dc_entry_result entry;
	dc_obj_t state;
};

/* One loaded image of a domain. */
struct dc_instance {
	struct dc_domain *dom;
	struct dc_image *image;
	/* The interface's function table, copied out of the image. */
	const void *ops[DC_MAX_METHODS];
	long (*state_export)(dc_obj_t *state);
	long (*state_import)(dc_obj_t state);
	struct dc_owner owner;
	union dc_mailbox *mailbox;
	unsigned long budget;		/* jiffies a call may run */
	/* The domains its note's needs resolved to, in the note's order. */
	unsigned int nr_imports;
	struct dc_domain *imports[DC_MAX_NEEDS];
	int failed;			/* faulted: set once, by dc_frame_unwound() */
};

struct dc_domain_pcpu {
	u64 calls;
	long inflight;			/* calls in progress on this CPU */
};

/* Faults and restarts of one domain (fault.c, restart.c). */
struct dc_domain_faults {
	struct dc_restart_policy policy;
	atomic64_t count;
	u64 restarts;
	u64 fault_time_ns;		/* when the current failure happened */
	u64 last_recovery_ns;		/* fault to serving again */
	char last[DC_ERROR_MAX];	/* the last fault, as logged */
	char last_hashed[DC_ERROR_MAX];	/* the same, addresses hashed (%p) */
	unsigned long window_start;	/* jiffies */
	u32 window_restarts;
	struct delayed_work work;	/* the restart worker (restart.c) */
};

struct dc_domain {
	struct kobject kobj;		/* /sys/kernel/domain_core/domains/NAME */
	struct list_head node;		/* dc_domains, under dc_domains_lock */
	char name[DC_NAME_MAX];
	const struct dc_iface *iface;

	/* Read by every call (proxy.c). */
	struct dc_instance __rcu *inst;	/* NULL while down */
	struct dc_domain_pcpu __percpu *pcpu;
	int held;			/* set while a stateful hand-over runs */
	wait_queue_head_t wait;		/* callers waiting for held or a restart */

	/* The lifecycle's, under dc_domains_lock. */
	struct dc_load_info *image;	/* what the running instance came from */
	/* Copies for sysfs, which must not take dc_domains_lock. */
	char version[DC_NAME_MAX];	/* of the running instance */
	char params[DC_PARAMS_MAX];
	char signer[DC_SIGNER_MAX];	/* of its image; "" if unsigned */
	bool confined;			/* its image was built confined */
	bool standby_on;		/* keeps a standby (lifecycle.c) */
	struct dc_instance *standby;	/* prepared for the next restart, or NULL */
	u64 standby_bytes;		/* its image and mailbox, for sysfs */
	unsigned int users;		/* loaded domains importing this one */
	int state;			/* DC_STATE_* */
	bool dying;			/* being unloaded: no more restarts */
	u64 upgrades;
	u64 last_pause_ns;

	struct dc_domain_faults faults;
	unsigned long budget;		/* jiffies a call may run (call_budget_ms) */
	struct dc_quota quota;		/* mem_max */
	struct dc_owner store_owner;	/* owns the state store's objects */
	struct xarray store;		/* key -> struct dc_obj * */
	void *shim;			/* the shim's own state, if any */
};

extern struct mutex dc_domains_lock;
extern struct list_head dc_domains;

/* What an upgrade reports back. */
struct dc_upgrade_result {
	char old_version[DC_NAME_MAX];
	char new_version[DC_NAME_MAX];
	u64 pause_ns;			/* how long calls were held */
};

/* A call's time budget: the default suits a block request. */
#define DC_CALL_BUDGET_MS	200
/* The most a domain may ask for: well below the soft-lockup threshold. */
#define DC_CALL_BUDGET_MAX_MS	2000

/* lifecycle.c */
u64 dc_mem_max_default(void);
int dc_domain_load(struct dc_load_info *info);
int dc_domain_upgrade(struct dc_load_info *info, struct dc_upgrade_result *res);
int dc_domain_unload(const char *name, char *err);
void dc_domains_unload_all(void);
/* After a fault (restart.c): a fresh instance from the same image, or down. */
int dc_domain_restart(struct dc_domain *d, char *err);
void dc_domain_stay_down(struct dc_domain *d, const char *why);
struct dc_domain *dc_domain_find(const char *name);
int dc_domain_list(struct dc_domain_info *info, u32 capacity, u32 *count);

/* ------------------------------------------------------------------ */
/* Calls into domain code (call.c, arch/x86/gate.S) */

/*
 * Domain code runs on stacks of its own, one per CPU and nesting depth
 * (call.c): blocks of DC_STACK_SIZE bytes aligned to their size, so that
 * libdomain's check at every function entry is arithmetic on the stack
 * pointer alone (domain/abi.h).  A call nested deeper than the levels
 * there are is refused with -ELOOP.
 */
#define DC_STACK_LEVELS		4

struct dc_stacks {
	unsigned long top[DC_STACK_LEVELS];
};
DECLARE_PER_CPU(struct dc_stacks, dc_stacks);

/*
 * A recovery point.  The first fields are what arch/x86/gate.S reads and
 * saves (keep in sync; call.c checks the offsets).  It lives on the TCB's
 * stack, out of the domain's reach.
 */
struct dc_frame {
	u64 rbx, r12, r13, r14, r15, rsp;	/* saved by dc_gate_call */
	unsigned long stack;			/* top of the domain stack to run on */
	struct dc_frame *prev;			/* the frame this call nests in */
	struct dc_instance *inst;		/* whose code runs above it */
	unsigned long deadline;			/* jiffies: past it, the call hangs */
	unsigned long irq_flags;
	int preempt_count;
	int depth;				/* 0 for the outermost call */
	int fault;				/* DC_FAULT_*, 0 if none */
	/* Filled in only when the call faults. */
	unsigned long fault_ip;
	unsigned long fault_addr;		/* page faults: the address */
	char fault_msg[DC_ERROR_MAX];		/* svc->panic: the message */
};

enum dc_fault_kind {
	DC_FAULT_NONE,
	DC_FAULT_PANIC,		/* dom_panic() */
	DC_FAULT_ASSERT,	/* DOM_ASSERT failed */
	DC_FAULT_BOUNDS,	/* a libdomain bounds check */
	DC_FAULT_STACK,		/* stack protector */
	DC_FAULT_STACK_OVERFLOW, /* out of stack (libdomain's entry check) */
	DC_FAULT_BAD_ARG,	/* a bad pointer, handle or length to a service */
	DC_FAULT_PAGE,		/* page fault, e.g. NULL dereference */
	DC_FAULT_GPF,		/* general protection fault */
	DC_FAULT_UD,		/* invalid opcode */
	DC_FAULT_DIV,		/* divide error */
	DC_FAULT_HANG,		/* ran past its time budget */
	DC_FAULT_LOCK_HELD,	/* returned holding one of its locks */
	DC_FAULT_ABANDONED,	/* not a fault: its instance failed under it */
	DC_FAULT_STRAY,		/* a confined store outside its memory */
};

long dc_gate_call(struct dc_frame *frame, const void *fn, u64 a0, u64 a1,
		  u64 a2, u64 a3);
/*
 * Never returns; not declared __noreturn because objtool cannot see into
 * gate.S and would think its callers fall through.
 */
void dc_gate_unwind(struct dc_frame *frame, long ret);
/* Executes only a return; see gate.S. */
void dc_just_return(void);

/* The innermost recovery point on this CPU (calls run non-preemptible). */
DECLARE_PER_CPU(struct dc_frame *, dc_current_frame);

void dc_frame_unwound(struct dc_frame *frame);

/* watchdog.c: a per-CPU tick that unwinds calls past their budget. */
DECLARE_PER_CPU(bool, dc_watchdog_armed);
void dc_watchdog_arm(void);
int dc_watchdog_init(void);
void dc_watchdog_exit(void);

/*
 * Call @fn in @inst under a recovery point, with preemption disabled by
 * the caller.  Returns what @fn returned, or -EIO if it faulted: then
 * @inst has failed (inst->failed) and the failure has been reported.
 * Inline: it is on every call's path.
 */
static __always_inline long dc_instance_call_budget(struct dc_instance *inst,
						    unsigned long budget,
						    const void *fn, u64 a0, u64 a1,
						    u64 a2, u64 a3)
{
	/*
	 * Every field is written before it is read (the fault fields only
	 * when frame.fault is set), so the kernel's zeroing of stack
	 * variables would be 300 bytes of stores on every call.
	 */
	struct dc_frame frame __dc_uninitialized;
	long ret;

	frame.prev = this_cpu_read(dc_current_frame);
	frame.depth = frame.prev ? frame.prev->depth + 1 : 0;
	if (unlikely(frame.depth >= DC_STACK_LEVELS))
		return -ELOOP;
	frame.stack = this_cpu_read(dc_stacks.top[frame.depth]);
	frame.inst = inst;
	frame.fault = 0;
	frame.deadline = jiffies + budget;
	frame.preempt_count = preempt_count();
	local_save_flags(frame.irq_flags);
	this_cpu_write(dc_current_frame, &frame);
	/* After the frame is visible to the watchdog's tick (watchdog.c). */
	barrier();
	if (unlikely(!this_cpu_read(dc_watchdog_armed)))
		dc_watchdog_arm();
	ret = dc_gate_call(&frame, fn, a0, a1, a2, a3);
	this_cpu_write(dc_current_frame, frame.prev);
	/* A lock still held would leave bottom halves disabled. */
	if (unlikely(preempt_count() != frame.preempt_count) && !frame.fault) {
		frame.fault = DC_FAULT_LOCK_HELD;
		frame.fault_ip = (unsigned long)fn;
		frame.fault_addr = 0;
		frame.fault_msg[0] = '\0';
		ret = -EIO;
	}
	if (unlikely(frame.fault))
		dc_frame_unwound(&frame);
	return ret;
}

/* A call with the instance's own budget: every call from a caller. */
static __always_inline long dc_instance_call(struct dc_instance *inst,
					     const void *fn, u64 a0, u64 a1,
					     u64 a2, u64 a3)
{
	return dc_instance_call_budget(inst, inst->budget, fn, a0, a1, a2, a3);
}

/*
 * The lifecycle's calls (the entry, the state hand-over) are not on any
 * I/O path and may do a domain's heavier work (tables to build, state to
 * pack): they get the ceiling, which still ends a stuck one in seconds.
 */
#define DC_LIFECYCLE_BUDGET	msecs_to_jiffies(DC_CALL_BUDGET_MAX_MS)

/* svc->panic, from domain code at @ip: unwind @f's call. */
void dc_frame_panic(struct dc_frame *f, const char *msg, unsigned long ip);

int dc_call_init(void);
void dc_call_exit(void);
/* Does [addr, addr + size) lie in this CPU's domain stacks? */
bool dc_on_domain_stack(unsigned long addr, size_t size);
/*
 * A stray store at @addr by the code at @ip: unwind @f's call; the
 * message says how many bytes and what they would have hit.
 */
void dc_frame_stray(struct dc_frame *f, unsigned long ip, unsigned long addr,
		    const char *fmt, ...) __printf(4, 5);
/* Unwind @f's call from a service, as a fault of @kind at @ip. */
void dc_frame_fail(struct dc_frame *f, int kind, unsigned long ip, const char *fmt, ...)
	__printf(4, 5);

/* Stop new calls and wait for those in flight; then let them go. */
void dc_hold(struct dc_domain *d);
void dc_release(struct dc_domain *d);
long dc_inflight(struct dc_domain *d);
u64 dc_calls(struct dc_domain *d);

/* arch/x86/trap.c: faults in domain code unwind to their frame. */
int dc_trap_init(void);
/* From the watchdog's tick: unwind @f's call if the CPU was in its text. */
bool dc_trap_unwind_irq(struct dc_frame *f, int kind);
void dc_trap_exit(void);
/* Page faults in domains are caught before the kernel reports them. */
bool dc_trap_quiet_page_faults(void);

/* ------------------------------------------------------------------ */
/* Failures (fault.c) and what follows them (restart.c) */

const char *dc_fault_name(int kind);

/*
 * Record and report that @frame's call failed its instance and, if the
 * instance is the published one, hand the domain to the fault handler.
 * An instance that is not published (being started or replaced) fails
 * only its caller, which sees inst->failed.
 */
void dc_instance_failed(struct dc_instance *inst, const struct dc_frame *frame);

/* What happens to a domain after a fault: restart.c registers it. */
struct dc_fault_handler {
	void (*init)(struct dc_domain *d);	/* a new domain */
	void (*failed)(struct dc_domain *d);	/* its instance failed */
	void (*cancel)(struct dc_domain *d);	/* going away: wait out pending work */
};

void dc_fault_set_handler(const struct dc_fault_handler *handler);
void dc_fault_init_domain(struct dc_domain *d);
void dc_fault_cancel(struct dc_domain *d);

int dc_restart_init(void);
void dc_restart_exit(void);

/* ------------------------------------------------------------------ */
/* The proxy (proxy.c) and the service table (services.c) */

/* A caller that may sleep waits for a restart instead of failing with -EIO. */
#define DC_CALL_MAY_SLEEP	0x1

long dc_proxy_call(struct dc_domain *d, struct dc_owner *caller, unsigned int flags,
		   unsigned int method, u64 a0, u64 a1, u64 a2, u64 a3);

/*
 * Whether the kernel's calls of an interface come from a context that may
 * sleep: the file shims call from read(2) and write(2); the block shim
 * from queue_rq, which must not.  (preemptible() cannot tell on kernels
 * built without CONFIG_PREEMPT_COUNT.)
 */
#define DC_KERNEL_CALL_FLAGS_log	DC_CALL_MAY_SLEEP
#define DC_KERNEL_CALL_FLAGS_file	DC_CALL_MAY_SLEEP
#define DC_KERNEL_CALL_FLAGS_block	0
#define DC_KERNEL_CALL_FLAGS_bench	0

/* dc_call_IFACE_METHOD(d, args...): a call from the kernel (a shim). */
#define DC_KERNEL_STUB(X, ret, name, mask, params, args)		\
	static inline ret dc_call_##X##_##name(struct dc_domain *d,	\
					       DC_UNPAREN params)	\
	{								\
		return dc_proxy_call(d, &dc_kernel_owner,		\
				     DC_KERNEL_CALL_FLAGS_##X,		\
				     DC_M_##X##_##name, DC_U64_ARGS args); \
	}
#define DC_KERNEL_STUBS(X)	DC_IFACE_##X(DC_KERNEL_STUB, X)
DC_ALL_IFACES(DC_KERNEL_STUBS)

extern const struct dc_services dc_services;

/* ------------------------------------------------------------------ */
/* Status (sysfs.c) */

int dc_sysfs_init(void);
void dc_sysfs_exit(void);

/*
 * A command file in /sys/kernel/domain_core (bench.c, selftest.c):
 * writing runs @run on what was written, reading shows the last result.
 * Writing needs CAP_SYS_MODULE whatever the file's mode: commands run
 * code on demand.
 */
struct dc_sysfs_cmd {
	struct kobj_attribute attr;
	/* 0 or a negative errno (the write's); fills @result (one line). */
	int (*run)(const char *arg, char *result, size_t size);
	struct mutex lock;		/* one command at a time; result */
	char result[160];
};

ssize_t dc_sysfs_cmd_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf);
ssize_t dc_sysfs_cmd_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count);
#define DC_SYSFS_CMD(_name, _run) {					\
	.attr = __ATTR(_name, 0600, dc_sysfs_cmd_show, dc_sysfs_cmd_store), \
	.run = _run,							\
	.result = "none\n",						\
}
int dc_sysfs_cmd_add(struct dc_sysfs_cmd *cmd);
void dc_sysfs_cmd_del(struct dc_sysfs_cmd *cmd);
void dc_domain_kobj_init(struct dc_domain *d);
int dc_domain_sysfs_add(struct dc_domain *d);
void dc_domain_sysfs_del(struct dc_domain *d);
void dc_domain_put(struct dc_domain *d);
void dc_domain_info(struct dc_domain *d, struct dc_domain_info *info);

int dc_control_init(void);
void dc_control_exit(void);
int dc_bench_init(void);
void dc_bench_exit(void);
int dc_selftest_init(void);
void dc_selftest_exit(void);

#endif
