/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interfaces this domainctl was built with (the SDK's DC_ALL_IFACES),
 * to tell "unknown interface" from a typo before the kernel is asked.
 */
#ifndef DOMAINCTL_KNOWN_IFACES_H
#define DOMAINCTL_KNOWN_IFACES_H

#include <stdint.h>

/* The version of interface @name, or 0 if it is not known. */
uint32_t known_iface_version(const char *name);

/* "log, file, bench": for error messages. */
const char *known_iface_names(void);

#endif
