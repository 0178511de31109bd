// SPDX-License-Identifier: GPL-2.0
/* Parameter validation and joining. */
#include <string.h>
#include "../params.h"
#include "unit.h"

static void test_valid(struct unit *u)
{
	static const char *const good[] = {
		"a=1", "queue_depth=64", "key_2=v/x:y,z", "path=/dev/null",
		"x=\"quoted\"", "empty=",
	};
	char why[160];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!param_valid(good[i], why, sizeof(why)))
			unit_fail(u, __FILE__, __LINE__, "'%s' refused: %s",
				  good[i], why);
}

static void test_invalid(struct unit *u)
{
	static const struct {
		const char *param;
		const char *why;
	} bad[] = {
		{ "novalue", "is not of the form key=value" },
		{ "=1", "has an empty key" },
		{ "Key=1", "parameter key 'Key' may only contain a-z, 0-9 and '_'" },
		{ "a-b=1", "parameter key 'a-b'" },
		{ "a.b=1", "parameter key 'a.b'" },
		{ "\x01=1", "parameter key '?'" },
		{ "a=b c", "value of parameter 'a' may only contain printable ASCII other than space" },
		{ "a=\t", "value of parameter 'a'" },
		{ "a=\x01", "value of parameter 'a'" },
		{ "a=\x7f", "value of parameter 'a'" },
		{ "a=caf\xc3\xa9", "value of parameter 'a'" },
	};
	char why[160];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		if (param_valid(bad[i].param, why, sizeof(why)))
			unit_fail(u, __FILE__, __LINE__, "'%s' accepted",
				  bad[i].param);
		else if (!strstr(why, bad[i].why))
			unit_fail(u, __FILE__, __LINE__,
				  "'%s': \"%s\" does not say \"%s\"",
				  bad[i].param, why, bad[i].why);
	}
}

static void test_join(struct unit *u)
{
	char params[DC_PARAMS_MAX] = "";
	char why[160];

	CHECK(u, params_append(params, "a=1", why, sizeof(why)));
	CHECK(u, params_append(params, "bb=2", why, sizeof(why)));
	CHECK(u, params_append(params, "c=x=y", why, sizeof(why)));
	CHECK_STR(u, params, "a=1 bb=2 c=x=y");
}

static void test_duplicate_keys(struct unit *u)
{
	char params[DC_PARAMS_MAX] = "";
	char why[160];

	CHECK(u, params_append(params, "ab=1", why, sizeof(why)));
	/* A key that is a prefix of another is a different key. */
	CHECK(u, params_append(params, "a=2", why, sizeof(why)));
	CHECK(u, params_append(params, "b=3", why, sizeof(why)));
	CHECK(u, !params_append(params, "a=4", why, sizeof(why)));
	CHECK(u, strstr(why, "parameter 'a' is given twice") != NULL);
	CHECK(u, !params_append(params, "ab=5", why, sizeof(why)));
	CHECK_STR(u, params, "ab=1 a=2 b=3");
}

static void test_length_limit(struct unit *u)
{
	char params[DC_PARAMS_MAX] = "";
	char big[DC_PARAMS_MAX + 8];
	char why[160];

	/* Exactly DC_PARAMS_MAX - 1 bytes fit (the NUL takes the last). */
	memset(big, 'v', sizeof(big));
	memcpy(big, "k=", 2);
	big[DC_PARAMS_MAX - 1] = '\0';
	CHECK(u, params_append(params, big, why, sizeof(why)));
	CHECK_NUM(u, strlen(params), DC_PARAMS_MAX - 1);

	params[0] = '\0';
	big[DC_PARAMS_MAX - 1] = 'v';
	big[DC_PARAMS_MAX] = '\0';
	CHECK(u, !params_append(params, big, why, sizeof(why)));
	CHECK(u, strstr(why, "parameters too long") != NULL);
	CHECK_STR(u, params, "");

	/* The joining space counts too. */
	memset(params, 'a', DC_PARAMS_MAX - 5);
	memcpy(params, "a=", 2);
	params[DC_PARAMS_MAX - 5] = '\0';
	CHECK(u, params_append(params, "b=1", why, sizeof(why)));
	CHECK(u, !params_append(params, "c=1", why, sizeof(why)));
}

int main(void)
{
	unit_run("params-valid", test_valid);
	unit_run("params-invalid", test_invalid);
	unit_run("params-join", test_join);
	unit_run("params-duplicate-keys", test_duplicate_keys);
	unit_run("params-length-limit", test_length_limit);
	return unit_status();
}
