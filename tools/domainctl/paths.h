/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The system paths domainctl uses.  DOMAINCTL_ROOT, if set, is put in front
 * of each, so that tests can run domainctl against a fake sysfs tree and
 * image directory; a real system never sets it.
 */
#ifndef DOMAINCTL_PATHS_H
#define DOMAINCTL_PATHS_H

#include <limits.h>
#include <stddef.h>

/* Where domainctl remembers which image each domain came from. */
#define STATE_DIR		"/run/domain-core/images"
/* Domain images installed for a kernel: IMAGE_DIR_BASE/<release>/domains. */
#define IMAGE_DIR_BASE		"/usr/lib/domain-core"
#define DEVICE_NODE_DIR		"/dev/domain"

/* @path (absolute) under DOMAINCTL_ROOT; NULL if it does not fit. */
const char *system_path(char buf[PATH_MAX], const char *path);

/* system_path() of printf(@fmt, ...). */
const char *system_pathf(char buf[PATH_MAX], const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
