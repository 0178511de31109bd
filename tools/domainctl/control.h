/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /dev/domain_core: opening it and its ioctls, with failures turned into
 * one clear cause: the kernel's own explanation when it gave one, else the
 * errno with a hint at what to do.
 */
#ifndef DOMAINCTL_CONTROL_H
#define DOMAINCTL_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <uapi/domain_core.h>

#define CAUSE_LEN	256

enum control_op {
	CONTROL_OPEN,
	CONTROL_VERSION,
	CONTROL_LOAD,
	CONTROL_UNLOAD,
	CONTROL_LIST,
	CONTROL_UPGRADE,
};

/*
 * Open the control device, read-write if @write (load, unload, upgrade).
 * Returns the fd, or -1 with the cause in @cause and errno kept.
 */
int control_open(bool write, char cause[CAUSE_LEN]);

/*
 * Run ioctl @request; on failure return -1 with errno kept and the cause
 * in @cause: @kernel_error (the struct's error field) if the kernel
 * filled it, else strerror(errno) and a hint for @op.
 */
int control_ioctl(int fd, enum control_op op, unsigned long request,
		  void *arg, const char *kernel_error, char cause[CAUSE_LEN]);

/* The cause for errno @err during @op, as control_ioctl() words it. */
void control_cause(enum control_op op, int err, char cause[CAUSE_LEN]);

/*
 * Read every domain with DC_IOC_LIST into a malloc'ed array.  Returns the
 * number of domains, or -1 with errno kept and @cause set.
 */
long control_list(int fd, struct dc_domain_info **domains,
		  char cause[CAUSE_LEN]);

#endif
