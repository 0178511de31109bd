/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libdomaintest: run domain images in a userspace process, for tests.
 *
 * An image is read, validated by the kernel's own validator
 * (src/loader/elf_image.c) and mapped W^X as the kernel maps it; its code
 * runs on 32 KiB stack blocks of its own, behind a call gate, with a
 * service table that behaves like the TCB's: private heaps, shared
 * objects and their ownership rules, locks, the state store, the log,
 * checked service arguments.  Domain memory comes from an arena with a
 * shadow of owners, as in the kernel, so that an image built confined
 * (the SDK's default) has every store checked before it happens.  A fault
 * in domain code (a trap, a panic, a bad service argument, a stray store,
 * a call past its budget) fails the instance and is reported as the
 * kernel reports it ("page fault at crash_write+0x1c: address 0x0"); the
 * restart policy then decides what happens, as in the kernel.  The
 * callers below stand in for the kernel's shims.
 *
 *	struct dt_domain *log = dt_load("domains/out/log.dom", NULL, err);
 *	struct dt_domain *ed = dt_load("domains/out/emptydev.dom", NULL, err);
 *	dt_file_write(ed, 5, 0, "hello");
 *	dt_upgrade(ed, "domains/out/emptydev-v2.dom", NULL, err);
 *
 * One thread at a time: the library is not thread-safe, and domain calls
 * run on the calling thread, as on one CPU.  It uses the signals SIGSEGV,
 * SIGBUS, SIGILL, SIGFPE and SIGRTMIN+2 (the call budget's tick).
 */
#ifndef DOMAIN_TEST_H
#define DOMAIN_TEST_H

#include <stdint.h>
#include <stdio.h>
#include "domain/abi.h"

#define DT_ERROR_MAX		DC_ERROR_MAX

struct dt_domain;

enum dt_restart_policy {
	DT_RESTART_ON_FAILURE,	/* the kernel's default: restart_max per minute */
	DT_RESTART_ALWAYS,
	DT_RESTART_NEVER,	/* a failed domain stays down (-ENODEV) */
};

struct dt_load_opts {
	const char *name;		/* NULL: the note's */
	const char *params;		/* NULL: none */
	unsigned int call_budget_ms;	/* 0: 200, as the kernel */
	enum dt_restart_policy restart;
	unsigned int restart_max;	/* on-failure, per minute; 0: 5 */
	uint64_t mem_max;		/* bytes it may hold; 0: a quarter of RAM */
	/*
	 * Accept an image built without the store checks (its note lacks
	 * DC_NOTE_F_CONFINED), here and in this domain's upgrades; without
	 * it, such an image is refused with -EPERM, as the kernel refuses it
	 * unless loaded confine=off.
	 */
	int confine_off;
};

/*
 * Load the image at @path as a new domain (opts may be NULL).  The
 * interfaces it needs must be provided by domains loaded before it, as in
 * the kernel (or chosen with dt_set_provider()).  NULL on failure, with errno set and @err (DT_ERROR_MAX
 * bytes, may be NULL) saying why.
 */
struct dt_domain *dt_load(const char *path, const struct dt_load_opts *opts,
			  char *err);
/* 0, or -EBUSY while another loaded domain imports it. */
int dt_unload(struct dt_domain *d, char *err);
/*
 * The domain that serves @iface to instances started from now on (NULL:
 * the default, the first loaded domain implementing it, as the kernel
 * chooses).  0, or -EINVAL if @d does not implement @iface.
 */
int dt_set_provider(const char *iface, struct dt_domain *d);
/* Unload every domain, importers first. */
void dt_unload_all(void);
/* The loaded domain called @name, or NULL. */
struct dt_domain *dt_find(const char *name);

/*
 * Replace the running instance by one of the image at @path (@params
 * NULL or "": keep the current ones), handing the state over if the
 * domain is stateful, as `domainctl upgrade` does.  0, or a negative
 * errno with @err saying which step failed; the old instance then serves
 * on with its state.
 */
int dt_upgrade(struct dt_domain *d, const char *path, const char *params,
	       char *err);
/* A fresh instance from the same image and parameters; the store is kept. */
int dt_restart(struct dt_domain *d, char *err);

enum dt_state {
	DT_STATE_RUNNING,
	DT_STATE_FAILED,	/* its instance failed, a restart is due */
	DT_STATE_DOWN,		/* failed and not restarted (policy, limit) */
};

struct dt_status {
	char name[DC_NAME_MAX];
	char iface[DC_NAME_MAX];
	char version[DC_NAME_MAX];	/* of the running instance */
	enum dt_state state;
	uint64_t calls, faults, restarts, upgrades;
	uint64_t requeues;		/* block requests retried after a fault */
	char last_fault[DT_ERROR_MAX];	/* "" if none */
	uint64_t mem_used;		/* bytes held: heap, objects, store */
	uint64_t objects;		/* shared objects held, store included */
	int confined;			/* its image was built confined */
};

void dt_status(const struct dt_domain *d, struct dt_status *st);
const char *dt_state_name(enum dt_state state);

/*
 * The callers: what the kernel's shims do for each interface.  Each
 * returns what the TCB would return to read(2) or write(2) or the block
 * layer: >= 0, or a negative errno (-EIO: the domain faulted during the
 * call; -ENODEV: it is down; -EPROTONOSUPPORT: it does not implement the
 * interface).
 */

/* file.read: at most @len bytes (capped at 64 KiB) at @off into @buf. */
long dt_file_read(struct dt_domain *d, uint64_t len, uint64_t off, void *buf);
/* file.write: one call of at most 64 KiB; a smaller result is a short write. */
long dt_file_write(struct dt_domain *d, uint64_t len, uint64_t off,
		   const void *buf);
/* log.write: one record; its length on success. */
long dt_log_write(struct dt_domain *d, int level, const char *msg);
/* block.info: property @what (DC_BLK_INFO_*) of device @dev. */
long dt_block_info(struct dt_domain *d, uint32_t dev, uint32_t what);
/*
 * block.rw: one request of @bytes at @sector, whose data is @buf (read
 * into, written from).  A request that meets a fault is requeued to the
 * restarted instance up to 20 times, as the block shim does.  Returns a
 * DC_BLK_STS_* value, or a negative errno if it could not be served.
 */
long dt_block_rw(struct dt_domain *d, uint32_t devop, uint64_t sector,
		 uint64_t bytes, void *buf);
/* bench.nop: @x + 1. */
long dt_bench_nop(struct dt_domain *d, uint64_t x);
/*
 * Any method of the domain's interface, called as the kernel calls it:
 * objects the interface passes must be the test's (dt_obj_new()).
 */
long dt_call(struct dt_domain *d, unsigned int method, uint64_t a0,
	     uint64_t a1, uint64_t a2, uint64_t a3);

/* Objects the test (the kernel side) owns, to pass with dt_call(). */
dc_obj_t dt_obj_new(uint32_t type, const void *data, size_t len);
void *dt_obj_data(dc_obj_t obj, size_t *size);
int dt_obj_free(dc_obj_t obj);

/*
 * The log: what domains log ("NAME: message") and what the TCB reports
 * ("domain-test: crash.dom: page fault at ..."), one line each.  It is
 * kept until dt_log_clear(); dt_log_echo() also prints each line as it
 * comes (default: nowhere).
 */
const char *dt_log_text(void);
void dt_log_clear(void);
void dt_log_echo(FILE *f);

/* What all loaded domains and the test hold, for leak checks. */
struct dt_totals {
	uint64_t heap_bytes;		/* private heap pages */
	uint64_t objects, object_bytes;	/* shared objects, stores included */
	uint64_t locks;			/* lock tables */
};
void dt_totals(struct dt_totals *t);

#endif
