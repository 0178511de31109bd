// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "control.h"
#include "paths.h"
#include "text.h"
#include "xalloc.h"

/* More domains than this would be a kernel bug, not a system to show. */
#define CONTROL_LIST_MAX	65536

static const char *control_hint(enum control_op op, int err)
{
	switch (err) {
	case EPERM:
	case EACCES:
		return "need CAP_SYS_MODULE (run as root)";
	case ENOENT:
	case ENODEV:
	case ENXIO:
		if (op == CONTROL_OPEN)
			return "domain_core module not loaded (modprobe domain_core)";
		if (op == CONTROL_UNLOAD || op == CONTROL_UPGRADE)
			return "no domain of that name is loaded";
		return NULL;
	case ENOTTY:
		return "the loaded domain_core module does not know this request (older than domainctl?)";
	case EEXIST:
		if (op == CONTROL_LOAD)
			return "a domain of that name is already loaded (use upgrade)";
		return NULL;
	case EBUSY:
		if (op == CONTROL_UNLOAD)
			return "other domains import it; unload them first";
		return NULL;
	case ENOEXEC:
		return "the kernel rejected the image";
	}
	return NULL;
}

void control_cause(enum control_op op, int err, char cause[CAUSE_LEN])
{
	const char *hint = control_hint(op, err);

	snprintf(cause, CAUSE_LEN, "%s%s%s", strerror(err), hint ? "; " : "",
		 hint ? hint : "");
}

int control_open(bool write, char cause[CAUSE_LEN])
{
	char path[PATH_MAX];
	int fd;

	if (!system_path(path, DC_DEVICE_PATH)) {
		errno = ENAMETOOLONG;
		control_cause(CONTROL_OPEN, errno, cause);
		return -1;
	}
	fd = open(path, (write ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;
		char why[CAUSE_LEN];

		control_cause(CONTROL_OPEN, err, why);
		format_text(cause, CAUSE_LEN, "%s: %s", DC_DEVICE_PATH, why);
		errno = err;
	}
	return fd;
}

/* The kernel's message, made safe to print (it should be, but a bug...). */
static void copy_kernel_error(const char *kernel_error, char cause[CAUSE_LEN])
{
	size_t i;

	for (i = 0; i < DC_ERROR_MAX && kernel_error[i] && i + 1 < CAUSE_LEN; i++)
		cause[i] = (kernel_error[i] >= ' ' && kernel_error[i] < 0x7f) ?
			   kernel_error[i] : '?';
	cause[i] = '\0';
}

int control_ioctl(int fd, enum control_op op, unsigned long request,
		  void *arg, const char *kernel_error, char cause[CAUSE_LEN])
{
	int err;

	if (ioctl(fd, request, arg) == 0)
		return 0;
	err = errno;
	if (kernel_error && kernel_error[0])
		copy_kernel_error(kernel_error, cause);
	else
		control_cause(op, err, cause);
	errno = err;
	return -1;
}

long control_list(int fd, struct dc_domain_info **domains,
		  char cause[CAUSE_LEN])
{
	uint32_t capacity = 16;

	*domains = NULL;
	/* Domains may come and go between calls: grow until they fit. */
	for (int tries = 0; tries < 8; tries++) {
		struct dc_list list = { .capacity = capacity };

		*domains = xreallocarray(*domains, capacity, sizeof(**domains));
		memset(*domains, 0, capacity * sizeof(**domains));
		list.domains = (uintptr_t)*domains;
		if (control_ioctl(fd, CONTROL_LIST, DC_IOC_LIST, &list, NULL,
				  cause) < 0) {
			int err = errno;

			free(*domains);
			*domains = NULL;
			errno = err;
			return -1;
		}
		if (list.count <= capacity) {
			/*
			 * The kernel fills at most its own maximum per call
			 * (no cursor in struct dc_list): an entry left empty
			 * means we did not get them all.
			 */
			for (uint32_t i = 0; i < list.count; i++) {
				if (!(*domains)[i].name[0]) {
					free(*domains);
					*domains = NULL;
					snprintf(cause, CAUSE_LEN,
						 "the kernel returned only part of its %u domains",
						 list.count);
					errno = EOVERFLOW;
					return -1;
				}
			}
			return list.count;
		}
		if (list.count > CONTROL_LIST_MAX)
			break;
		capacity = list.count + 16;
	}
	free(*domains);
	*domains = NULL;
	snprintf(cause, CAUSE_LEN, "the kernel's list of domains keeps changing or is implausibly long");
	errno = EAGAIN;
	return -1;
}
