/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The domain ABI: what a domain image carries (its note) and what it gets
 * from the TCB (the service table).  Both the TCB and every domain compile
 * this header; change it only together with DC_ABI_VERSION.
 */
#ifndef DOMAIN_ABI_H
#define DOMAIN_ABI_H

#include "types.h"
#include "limits.h"

#define DC_ABI_VERSION		3

/*
 * The note: an ELF note (section .note.domain) with owner "domain" and
 * type DC_NOTE_TYPE, whose descriptor is struct dc_note.
 */
#define DC_NOTE_OWNER		"domain"
#define DC_NOTE_TYPE		0x444f4d31	/* "DOM1" */

/*
 * Confinement.  Everything a domain can own outside its image and stack
 * (its private heap, shared objects, state-store objects) lives in the
 * TCB's arena, and the shadow says, per DC_SHADOW_GRANULE bytes of the
 * arena, who owns them: an owner id, or one of the DC_SHADOW_* marks.
 * Confined code checks every store against it first (libdomain's
 * asan.c); a store the domain does not own is a contained fault.
 */
#define DC_SHADOW_GRANULE	16
#define DC_SHADOW_FREE		0x00	/* nobody's: free, or freed */
#define DC_SHADOW_FIRST_ID	0x01	/* instances and state stores */
#define DC_SHADOW_LAST_ID	0xfd
#define DC_SHADOW_KERNEL	0xfe	/* objects the kernel holds */
#define DC_SHADOW_REDZONE	0xff	/* between small objects */

/*
 * Addresses, as 64-bit numbers aligned to 4 bytes: this sits in the note,
 * whose descriptor an ELF note aligns to 4 only.
 */
typedef uint64_t dc_note_addr_t __attribute__((aligned(4)));

struct dc_confinement {
	dc_note_addr_t arena_base;
	/*
	 * Where the TCB keeps how many bytes of the arena, from its base, have
	 * a shadow (a uintptr_t: it grows, never shrinks, while the TCB is
	 * loaded).  Read it before the shadow.
	 */
	dc_note_addr_t arena_mapped;
	dc_note_addr_t shadow;		/* shadow[(addr - arena_base) / granule] */
	uint8_t self_id;		/* the calling instance's mark */
	uint8_t store_id;		/* its domain's state store's */
	uint8_t reserved[6];
};

struct dc_note_need {
	char iface[DC_NAME_MAX];
	uint32_t version;
	uint32_t reserved;
};

struct dc_note {
	uint32_t abi_version;		/* DC_ABI_VERSION the domain was built for */
	uint32_t iface_version;		/* version of the interface it implements */
	uint32_t nr_needs;		/* used entries of needs[] */
	uint32_t flags;			/* DC_NOTE_F_* */
	char name[DC_NAME_MAX];		/* the domain's name, e.g. "log" */
	char iface[DC_NAME_MAX];	/* the interface it implements */
	char version[DC_NAME_MAX];	/* its own version, e.g. "1.0.0" */
	struct dc_note_need needs[DC_MAX_NEEDS];
	/*
	 * Zero in the file.  The TCB fills it in when it maps the image,
	 * before the note's page becomes read-only: libdomain's store check
	 * reads it, and nothing the domain stores can change it.
	 */
	struct dc_confinement confinement;
};

/* The domain exports and imports its state on a stateful upgrade. */
#define DC_NOTE_F_STATEFUL	0x1
/*
 * Its code was built confined (the SDK's store checks, libdomain's
 * asan.c): the TCB refuses an image without it unless loaded confine=off.
 */
#define DC_NOTE_F_CONFINED	0x2
#define DC_NOTE_F_KNOWN		(DC_NOTE_F_STATEFUL | DC_NOTE_F_CONFINED)

/* Shared-heap object types used by the interfaces. */
#define DC_OBJ_BYTES		1	/* an opaque byte buffer */
#define DC_OBJ_STATE		2	/* a domain's exported state */

/*
 * Domain code runs on stacks the TCB provides: blocks of DC_STACK_SIZE
 * bytes, aligned to their size.  libdomain's check at every function
 * entry (__fentry__) fails the instance with a stack overflow before the
 * stack pointer reaches the lower DC_STACK_RESERVE bytes of its block,
 * which stay for the TCB and the kernel code a service runs.  The SDK
 * limits every function's frame (-Wframe-larger-than) so no single
 * function can jump over that margin.
 */
#define DC_STACK_SIZE		(32U << 10)
#define DC_STACK_RESERVE	(16U << 10)

/* Identifies the calling instance in every service call. */
typedef struct dc_self *dc_self_t;

/* A piece of memory a service hands back: its address and size. */
struct dc_span {
	void *data;
	size_t size;
};
struct dc_lock;

/* Log levels, as the kernel's. */
#define DC_LOG_ERR		3
#define DC_LOG_WARNING		4
#define DC_LOG_NOTICE		5
#define DC_LOG_INFO		6
#define DC_LOG_DEBUG		7

/*
 * The service table: a domain's only way into the kernel.  Every call runs
 * with preemption disabled, so no service sleeps and domains must not
 * block.
 */
struct dc_services {
	uint32_t abi_version;
	uint32_t size;			/* sizeof(struct dc_services) */

	/* The kernel log, prefixed with the domain's name. */
	void (*log)(dc_self_t self, int level, const char *msg, size_t len);

	/* Private heap: whole pages owned by the calling instance. */
	void *(*pages_alloc)(dc_self_t self, size_t npages);
	void (*pages_free)(dc_self_t self, void *addr);

	/* Shared heap: objects with an owner, a type and a size. */
	dc_obj_t (*obj_alloc)(dc_self_t self, uint32_t type, size_t size);
	/*
	 * The data of an object the caller owns (of @type, unless it is 0),
	 * or { NULL, 0 }.  Returned by value: services never write through
	 * a pointer a domain passes, except req_copy into a checked buffer.
	 */
	struct dc_span (*obj_data)(dc_self_t self, dc_obj_t obj, uint32_t type);
	/* 0, or -EACCES if the caller does not own it. */
	int (*obj_free)(dc_self_t self, dc_obj_t obj);

	/* Time, CPU, randomness. */
	uint64_t (*time_ns)(void);
	uint32_t (*cpu_id)(void);
	uint64_t (*random_u64)(void);

	/* Spin locks owned by the calling instance (never sleep). */
	struct dc_lock *(*lock_new)(dc_self_t self);
	void (*lock)(struct dc_lock *lock);
	void (*unlock)(struct dc_lock *lock);

	/*
	 * Call method @method of the interface the note lists as needs[@import],
	 * through that domain's proxy.  Arguments the interface marks as objects
	 * pass to the callee; an object result passes to the caller.
	 */
	long (*call)(dc_self_t self, uint32_t import, uint32_t method,
		     uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);

	/* Give up: the call unwinds to the proxy and the instance is failed. */
	void (*panic)(dc_self_t self, const char *msg);

	/*
	 * The state store: objects kept by the TCB for this domain (not for an
	 * instance), so they outlive upgrades and restarts.  put takes
	 * ownership of @obj (replacing and freeing any object under @key);
	 * get hands it back to the caller, or returns 0.
	 */
	int (*store_put)(dc_self_t self, uint64_t key, dc_obj_t obj);
	dc_obj_t (*store_get)(dc_self_t self, uint64_t key);
	/*
	 * The data of the object under @key, which the store keeps owning:
	 * memory that survives the instance (e.g. a disk's contents).  NULL
	 * if there is none.
	 */
	struct dc_span (*store_data)(dc_self_t self, uint64_t key);

	/*
	 * Block requests (interface block): copy @len bytes between offset
	 * @offset of request @req's data and @buf, into the request if
	 * @to_request (a read), else out of it.  0, or -ENODATA if the
	 * request carries no data (flush, discard).  A @req that is not the
	 * request of the current call, a range outside it, or a @buf that
	 * is not the domain's memory is a bug: the instance fails.  Copies in
	 * ascending offset order are the cheap case: each resumes where the
	 * previous one ended.
	 */
	long (*req_copy)(dc_self_t self, uint64_t req, uint64_t offset,
			 void *buf, size_t len, int to_request);

	/*
	 * A confined store of @size bytes at @addr, by the code at @ip, that
	 * the caller does not own: the call unwinds with a fault of kind
	 * "stray store" and the instance fails.  Never returns.
	 */
	void (*stray_store)(dc_self_t self, uintptr_t addr, size_t size, uintptr_t ip);
};

/*
 * What the entry fills in: the interface's function table and, for a
 * stateful domain, the two state hand-over functions.
 */
struct dc_entry_result {
	const void *ops;
	/* Old instance: pack the state into an object, give it to the TCB. */
	long (*state_export)(dc_obj_t *state);
	/* New instance: take over the state the old one exported. */
	long (*state_import)(dc_obj_t state);
};

/*
 * The image's ELF entry point.  Returns 0, or a negative errno if the
 * domain cannot start (bad parameters, no memory).
 */
typedef long (*dc_entry_fn)(const struct dc_services *svc, dc_self_t self,
			    const char *params, struct dc_entry_result *out);

#endif
