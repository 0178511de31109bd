/* SPDX-License-Identifier: GPL-2.0 */
/* Domain and interface names, as the note and the kernel accept them. */
#ifndef DOMAINCTL_NAMES_H
#define DOMAINCTL_NAMES_H

#include <stdbool.h>

/* Longest name, without the NUL (DC_NAME_MAX - 1). */
#define DOMAIN_NAME_MAX_CHARS	31

/* [a-z0-9_-]{1,31}: the name becomes a sysfs directory and a device node. */
bool domain_name_valid(const char *name);

/* What domain_name_valid() wants, for error messages. */
#define DOMAIN_NAME_RULE	"1 to 31 characters of a-z, 0-9, '_' and '-'"

#endif
