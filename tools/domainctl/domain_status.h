/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel says about each running domain, from DC_IOC_LIST or,
 * for users without CAP_SYS_MODULE, from /sys/kernel/domain_core.  Fields
 * a source does not have are marked unknown rather than shown as 0.
 */
#ifndef DOMAINCTL_DOMAIN_STATUS_H
#define DOMAINCTL_DOMAIN_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uapi/domain_core.h>
#include "control.h"

struct domain_status {
	char name[DC_NAME_MAX];
	char version[DC_NAME_MAX];
	char iface[DC_NAME_MAX];
	uint64_t iface_version;
	char state[16];			/* running, failed, down, upgrading */
	char params[DC_PARAMS_MAX];
	uint64_t calls;
	uint64_t inflight;
	uint64_t faults;
	uint64_t restarts;
	uint64_t upgrades;
	uint64_t heap_bytes;
	uint64_t shared_objects;
	uint64_t shared_bytes;
	uint64_t last_pause_ns;
	uint64_t last_recovery_ns;	/* fault to serving again (sysfs only) */
	uint64_t users;
	uint64_t mem_used;		/* heap, shared objects, state store */
	uint64_t mem_max;
	uint64_t call_budget_ms;
	char restart_policy[16];
	char last_fault[DC_ERROR_MAX];
	/* Its image was built with the store checks (sysfs "yes"/"no"): 1 or 0. */
	uint64_t is_confined;
	/* Verified against a key the kernel trusts (sysfs "yes"/"no"): 1 or 0. */
	uint64_t is_signed;
	char signer[DC_SIGNER_MAX];	/* "" if not */
	char standby[4];		/* "on": it keeps a standby instance */
	uint64_t standby_bytes;		/* what that standby holds */
	uint32_t known;			/* bit i: status_fields[i] is known */
};

enum status_field_kind {
	FIELD_TEXT,
	FIELD_OPTIONAL_TEXT,		/* "" is JSON null */
	FIELD_YES_NO,			/* a uint64_t 0/1; sysfs "no"/"yes", JSON false/true */
	FIELD_COUNT,
	FIELD_BYTES,
	FIELD_NANOSECONDS,
	FIELD_MILLISECONDS,
};

/* One field: its sysfs file (also its JSON key) and where it is stored. */
struct status_field {
	const char *key;
	const char *label;		/* for "status NAME" */
	enum status_field_kind kind;
	size_t offset;
	size_t size;			/* of a FIELD_TEXT buffer */
};

extern const struct status_field status_fields[];
extern const size_t nr_status_fields;

bool status_known(const struct domain_status *s, const char *key);

/* Fill from the kernel's struct (all but inflight, last_recovery_ns, restart_policy). */
void status_from_info(struct domain_status *s, const struct dc_domain_info *info);

/* Read the fields still unknown from sysfs; false if the domain is gone. */
bool status_fill_from_sysfs(struct domain_status *s);

struct domain_list {
	struct domain_status *items;	/* sorted by name */
	size_t count;
	bool from_sysfs;		/* the ioctl was not available */
};

/*
 * The running domains, by DC_IOC_LIST if possible, else from sysfs.
 * Returns 0, or -1 with @cause (e.g. the module is not loaded).
 */
int domain_list_read(struct domain_list *list, char cause[CAUSE_LEN]);
const struct domain_status *domain_list_find(const struct domain_list *list,
					     const char *name);
void domain_list_free(struct domain_list *list);

/* The module's own sysfs values (version, backend, ...), if readable. */
struct module_status {
	char version[32];
	char backend[32];
	char page_fault_path[24];	/* "fixup_exception" or "die_oops" */
	uint64_t exec_regions, exec_pages, heap_bytes, shared_objects,
		 shared_bytes;
	uint32_t known;			/* bit per module_fields entry */
};

extern const struct status_field module_fields[];
extern const size_t nr_module_fields;

void module_status_read(struct module_status *m);
bool module_known(const struct module_status *m, const char *key);

#endif
