/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libdomaintest's private header.  The files mirror the TCB's (src/):
 *
 *   domain.c    load, upgrade, restart, unload; the restart policy;
 *               the proxy
 *   callers.c   what the kernel's shims do, with the test as the kernel
 *   services.c  the service table, every argument checked
 *   call.c      stacks, recovery frames, traps and the call budget
 *   gate.S      the call gate: switch stacks, call, unwind
 *   heap.c      private heaps, shared objects, locks, quotas, the store
 *   arena.c     the memory domains can own, and its shadow of owners
 *   image.c     reading, validating (src/loader/) and mapping images
 *   log.c       the log every line goes to
 */
#ifndef DT_INTERNAL_H
#define DT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "domain_test.h"
#include "domain/abi.h"
#include "domain/iface/all.h"
#include "loader/elf_image.h"

#define DT_PAGE_SIZE		4096UL
#define DT_CALL_BUDGET_MS	200	/* as the kernel's default */
#define DT_CALL_BUDGET_MAX_MS	2000
#define DT_MAX_METHODS		8

/* ------------------------------------------------------------------ */
/* Interfaces (domain.c), from the SDK's X-macros as src/iface_registry.c */

struct dt_iface {
	const char *name;
	uint32_t version;
	unsigned int nr_methods;
	const uint8_t *masks;		/* DC_ARG_OBJ / DC_RET_OBJ per method */
	const char *const *method_names;
};

const struct dt_iface *dt_iface_find(const char *name);

/* ------------------------------------------------------------------ */
/* The arena (arena.c) */

/*
 * Every byte a domain can own, with a shadow byte per DC_SHADOW_GRANULE
 * bytes naming its owner; the layout is what the note's struct
 * dc_confinement describes to libdomain's store check.
 */
struct dt_arena {
	uintptr_t base;
	size_t size;			/* reserved */
	uintptr_t mapped;		/* bytes from base whose shadow is accessible */
	uint8_t *shadow;		/* right after the arena */
};
extern struct dt_arena dt_arena;

/* Small objects share pages, a red zone after each; larger ones get pages. */
#define DT_ARENA_SMALL_MAX	(2048 - DC_SHADOW_GRANULE)

int dt_arena_init(void);
size_t dt_arena_block_bytes(size_t size);
void *dt_arena_alloc_pages(size_t size, uint8_t id);
void dt_arena_free_pages(void *addr, size_t size);
void *dt_arena_alloc_small(size_t size, uint8_t id);
void dt_arena_free_small(void *addr, size_t size);
/* Freed memory may be reused from now on: the outermost call has ended. */
void dt_arena_reap(void);
void dt_arena_set_owner(void *addr, size_t size, uint8_t id);
bool dt_arena_owned(uintptr_t addr, size_t len, uint8_t a, uint8_t b);
int dt_arena_owner_of(uintptr_t addr);

/* ------------------------------------------------------------------ */
/* Heaps, objects, locks, the store (heap.c) */

struct dt_quota {
	uint64_t used, max;
};

/* An instance, a domain's store, or the test itself (no quota). */
struct dt_owner {
	uint8_t id;			/* its mark in the arena's shadow */
	const char *name;		/* for stray-store reports: the domain's */
	struct dt_block *blocks;	/* private heap */
	struct dt_obj *objects;		/* shared objects */
	struct dc_lock *locks;		/* svc->lock_new's table, made on first use */
	unsigned int nr_locks;
	unsigned int locks_held;	/* by the running call (one thread) */
	struct dt_quota *quota;		/* NULL: not capped */
	uint64_t heap_bytes, nr_objects, object_bytes;
};

/* A lock: a slot of its owner's table, so that a pointer can be checked. */
struct dc_lock {
	int held;
};

/* The test's own objects: what the kernel's shims own in the TCB. */
extern struct dt_owner dt_test_owner;

/* 0, or -ENOSPC when every owner id (DC_SHADOW_FIRST_ID..LAST_ID) is taken. */
int dt_owner_init(struct dt_owner *owner, struct dt_quota *quota, const char *name);
void dt_owner_release(struct dt_owner *owner);
void *dt_pages_alloc(struct dt_owner *owner, size_t npages);
int dt_pages_free(struct dt_owner *owner, void *addr);
dc_obj_t dt_obj_alloc(struct dt_owner *owner, uint32_t type, size_t size);
void *dt_obj_data_of(struct dt_owner *owner, dc_obj_t id, uint32_t type,
		     size_t *size);
int dt_obj_free_of(struct dt_owner *owner, dc_obj_t id);
int dt_obj_give(dc_obj_t id, struct dt_owner *from, struct dt_owner *to);
bool dt_heap_owns(const struct dt_owner *owner, const struct dt_owner *store,
		  uintptr_t addr, size_t len);
struct dc_lock *dt_lock_new(struct dt_owner *owner);
bool dt_lock_valid(const struct dt_owner *owner, const struct dc_lock *lock);
/* The name of the owner with shadow id @id; NULL if none. */
const char *dt_owner_name(uint8_t id);
/* Freed memory is reused only after the outermost call has ended. */
void dt_heap_reap(void);

/* A domain's state store: key -> object, owned by its store owner. */
struct dt_store {
	struct dt_store_entry **buckets;	/* made on first put */
	struct dt_owner owner;
};

/* 0, or -ENOSPC: no owner id left for the store. */
int dt_store_init(struct dt_store *s, struct dt_quota *quota, const char *name);
void dt_store_release(struct dt_store *s);
int dt_store_put(struct dt_store *s, struct dt_owner *from, uint64_t key,
		 dc_obj_t obj);
dc_obj_t dt_store_get(struct dt_store *s, struct dt_owner *to, uint64_t key);
void *dt_store_data(struct dt_store *s, uint64_t key, size_t *size);

/* ------------------------------------------------------------------ */
/* Images (image.c) */

/* An image file, validated once; instances are mapped from it. */
struct dt_image {
	unsigned char *file;
	size_t len;			/* the image: signature left out */
	struct dc_elf_info elf;
	const struct dt_iface *iface;
};

struct dt_image *dt_image_read(const char *path, char *err);
void dt_image_free(struct dt_image *image);

/* One image mapped: text RX, rodata R, data RW, as the kernel maps it. */
struct dt_mapping {
	unsigned char *base;
	const struct dt_image *image;
};

enum dt_part {
	DT_PART_ANY,
	DT_PART_RW,
	DT_PART_TEXT,
};

/* Map @image for an instance, with @conf in its note. */
int dt_image_map(const struct dt_image *image, const struct dc_confinement *conf,
		 struct dt_mapping *map, char *err);
void dt_image_unmap(struct dt_mapping *map);
/* [addr, addr + size) inside one segment of @part (async-signal-safe). */
bool dt_mapping_contains(const struct dt_mapping *map, uintptr_t addr,
			 size_t size, enum dt_part part);
/* "func+0x12", or the image offset if no symbol covers @addr. */
void dt_symbolize(const struct dt_mapping *map, uintptr_t addr, char *buf,
		  size_t size);

/* ------------------------------------------------------------------ */
/* Domains and instances (domain.c) */

/*
 * Where an instance writes what the test asks for by pointer (the entry's
 * result, the state it exports): memory it owns, in the arena, because a
 * confined domain may not store onto the test's stack.  As the kernel's
 * union dc_mailbox; freed with the instance.
 */
union dt_mailbox {
	struct dc_entry_result entry;
	dc_obj_t state;
};

struct dt_instance {
	struct dt_domain *dom;
	union dt_mailbox *mailbox;
	struct dt_mapping map;
	/* The function table, copied out of the image. */
	const void *ops[DT_MAX_METHODS];
	long (*state_export)(dc_obj_t *state);
	long (*state_import)(dc_obj_t state);
	struct dt_owner owner;
	unsigned int nr_imports;
	struct dt_domain *imports[DC_MAX_NEEDS];
	int failed;
};

struct dt_block_geometry {
	long nr_devices, block_size, capacity, nr_queues, depth;
};

struct dt_domain {
	struct dt_domain *next;		/* the loaded domains, in load order */
	char name[DC_NAME_MAX];
	const struct dt_iface *iface;
	struct dt_instance *inst;	/* NULL while down */
	struct dt_image *image;		/* what the instance came from */
	char params[DC_PARAMS_MAX];
	enum dt_state state;
	unsigned int budget_ms;
	enum dt_restart_policy restart;
	unsigned int restart_max;
	uint64_t window_start_ns;
	unsigned int window_restarts;
	unsigned int users;		/* loaded domains importing it */
	uint64_t calls, faults, restarts, upgrades, requeues;
	char last_fault[DT_ERROR_MAX];
	struct dt_quota quota;
	bool confine_off;		/* its images may be unconfined (load and upgrades) */
	struct dt_store store;
	struct dt_block_geometry geometry;	/* block domains */
};

long dt_proxy_call(struct dt_domain *d, struct dt_owner *caller,
		   unsigned int method, uint64_t a0, uint64_t a1, uint64_t a2,
		   uint64_t a3);
/*
 * After a call from the test or a change of instance: free what stores
 * replaced and apply the restart policy to failed domains.
 */
void dt_settle(void);

/* The loaded domains, in load order (->next). */
struct dt_domain *dt_first_domain(void);

/* callers.c: the block caller's side of svc->req_copy. */
long dt_block_req_copy(struct dt_instance *inst, uint64_t req, uint64_t offset,
		       void *buf, size_t len, int to_request);
/* What the block shim checks when it creates a domain's devices. */
int dt_read_geometry(struct dt_instance *inst, struct dt_block_geometry *g,
		     char *err);

extern const struct dc_services dt_services;

/* ------------------------------------------------------------------ */
/* Calls into domain code (call.c, gate.S) */

/* Stack blocks, one per nesting depth, as the kernel's per CPU. */
#define DT_STACK_LEVELS		4

enum dt_fault_kind {
	DT_FAULT_NONE,
	DT_FAULT_PANIC,
	DT_FAULT_ASSERT,
	DT_FAULT_BOUNDS,
	DT_FAULT_STACK,
	DT_FAULT_STACK_OVERFLOW,
	DT_FAULT_BAD_ARG,
	DT_FAULT_PAGE,
	DT_FAULT_GPF,
	DT_FAULT_UD,
	DT_FAULT_DIV,
	DT_FAULT_HANG,
	DT_FAULT_LOCK_HELD,
	DT_FAULT_STRAY,		/* a confined store outside its memory */
};

const char *dt_fault_name(int kind);

/*
 * A recovery point, on the test's stack, out of the domain's reach.  The
 * first fields are what gate.S saves and reads (keep in sync).
 */
struct dt_frame {
	uint64_t rbx, r12, r13, r14, r15, rsp;	/* saved by dt_gate_call */
	uintptr_t stack;			/* top of the stack block to run on */
	struct dt_frame *prev;
	struct dt_instance *inst;
	uint64_t deadline_ns;
	unsigned int locks_held;		/* the instance's, at the call */
	int depth;
	int fault;				/* DT_FAULT_*, 0 if none */
	uintptr_t fault_ip;
	uintptr_t fault_addr;			/* page faults, stray stores */
	char fault_msg[DT_ERROR_MAX];
};

/* The innermost call (gate.S reads it). */
extern struct dt_frame *dt_current_frame;

long dt_gate_call(struct dt_frame *frame, const void *fn, uint64_t a0,
		  uint64_t a1, uint64_t a2, uint64_t a3);
void dt_gate_unwind(struct dt_frame *frame, long ret) __attribute__((noreturn));

int dt_call_init(char *err);
/*
 * Call @fn of @inst on a stack block of its own, under a recovery frame.
 * What @fn returned, -ELOOP if nested too deep, or -EIO if it faulted:
 * then inst->failed is set and the fault reported.
 */
long dt_instance_call(struct dt_instance *inst, const void *fn, uint64_t a0,
		      uint64_t a1, uint64_t a2, uint64_t a3);
/* From a service: unwind @f's call as a fault of @kind at @ip. */
void dt_frame_fail(struct dt_frame *f, int kind, uintptr_t ip,
		   const char *fmt, ...)
	__attribute__((noreturn, format(printf, 4, 5)));
/*
 * A stray store at @addr by the code at @ip: unwind @f's call; the
 * message says how many bytes and what they would have hit.
 */
void dt_frame_stray(struct dt_frame *f, uintptr_t ip, uintptr_t addr,
		    const char *fmt, ...)
	__attribute__((noreturn, format(printf, 4, 5)));
/* Does [addr, addr + size) lie in the domain stacks (any block)? */
bool dt_on_domain_stack(uintptr_t addr, size_t size);
/* svc->panic: the kind from libdomain's prefix, as src/call.c. */
void dt_frame_panic(struct dt_frame *f, const char *msg, uintptr_t ip)
	__attribute__((noreturn));
/* domain.c: @frame's call failed @inst (the first fault of it). */
void dt_instance_failed(struct dt_instance *inst, const struct dt_frame *frame);
uint64_t dt_now_ns(void);

/* ------------------------------------------------------------------ */
/* The log (log.c) */

void dt_logf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* snprintf() for messages that may be cut, as the kernel's scnprintf(). */
void dt_fmt(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
