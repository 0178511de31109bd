// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "params.h"

static bool key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Printable ASCII except space; the space separates parameters. */
static bool value_char(char c)
{
	return c > ' ' && c < 0x7f;
}

/* @len bytes of @s with anything unprintable as '?', for messages. */
static const char *shown(const char *s, size_t len, char *buf, size_t buf_len)
{
	size_t i;

	for (i = 0; i < len && s[i] && i + 1 < buf_len; i++)
		buf[i] = value_char(s[i]) ? s[i] : '?';
	buf[i] = '\0';
	return buf;
}

bool param_valid(const char *param, char *why, size_t why_len)
{
	const char *eq = strchr(param, '=');
	char buf[64];

	if (!eq) {
		snprintf(why, why_len, "'%s' is not of the form key=value",
			 shown(param, strlen(param), buf, sizeof(buf)));
		return false;
	}
	if (eq == param) {
		snprintf(why, why_len, "'%s' has an empty key",
			 shown(param, strlen(param), buf, sizeof(buf)));
		return false;
	}
	for (const char *p = param; p < eq; p++) {
		if (!key_char(*p)) {
			snprintf(why, why_len,
				 "parameter key '%s' may only contain a-z, 0-9 and '_'",
				 shown(param, (size_t)(eq - param), buf, sizeof(buf)));
			return false;
		}
	}
	for (const char *p = eq + 1; *p; p++) {
		if (!value_char(*p)) {
			snprintf(why, why_len,
				 "value of parameter '%s' may only contain printable ASCII other than space",
				 shown(param, (size_t)(eq - param), buf, sizeof(buf)));
			return false;
		}
	}
	return true;
}

/* Does the space-separated @params already have a parameter named @key? */
static bool params_have_key(const char *params, const char *key, size_t key_len)
{
	const char *p = params;

	while (*p) {
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > key_len && p[key_len] == '=' &&
		    memcmp(p, key, key_len) == 0)
			return true;
		if (!end)
			break;
		p = end + 1;
	}
	return false;
}

bool params_append(char params[DC_PARAMS_MAX], const char *param,
		   char *why, size_t why_len)
{
	size_t used = strlen(params);
	size_t need = strlen(param) + (used ? 1 : 0);
	size_t key_len;

	if (!param_valid(param, why, why_len))
		return false;
	key_len = (size_t)(strchr(param, '=') - param);
	if (params_have_key(params, param, key_len)) {
		snprintf(why, why_len, "parameter '%.*s' is given twice",
			 (int)key_len, param);
		return false;
	}
	if (used + need >= DC_PARAMS_MAX) {
		snprintf(why, why_len,
			 "parameters too long: %zu bytes, at most %d in all",
			 used + need, DC_PARAMS_MAX - 1);
		return false;
	}
	if (used)
		params[used++] = ' ';
	memcpy(params + used, param, strlen(param) + 1);
	return true;
}
