// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "paths.h"

const char *system_path(char buf[PATH_MAX], const char *path)
{
	const char *root = getenv("DOMAINCTL_ROOT");
	int n = snprintf(buf, PATH_MAX, "%s%s", root ? root : "", path);

	return n < 0 || n >= PATH_MAX ? NULL : buf;
}

const char *system_pathf(char buf[PATH_MAX], const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (n < 0 || n >= PATH_MAX)
		return NULL;
	return system_path(buf, path);
}
