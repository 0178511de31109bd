// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "names.h"

bool domain_name_valid(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > DOMAIN_NAME_MAX_CHARS)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}
