// SPDX-License-Identifier: GPL-2.0
/* JSON string escaping and the writer's structure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../json.h"
#include "unit.h"

/* @s as a JSON string, in a static buffer. */
static const char *escaped(const char *s)
{
	static char buf[1024];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	json_write_string(f, s);
	fclose(f);
	return buf;
}

static void test_plain(struct unit *u)
{
	CHECK_STR(u, escaped(""), "\"\"");
	CHECK_STR(u, escaped("log 1.0.0"), "\"log 1.0.0\"");
	CHECK_STR(u, escaped("/dev/domain/x"), "\"/dev/domain/x\"");
}

static void test_specials(struct unit *u)
{
	CHECK_STR(u, escaped("say \"hi\""), "\"say \\\"hi\\\"\"");
	CHECK_STR(u, escaped("C:\\dir"), "\"C:\\\\dir\"");
	CHECK_STR(u, escaped("a\nb\tc\rd\be\ff"), "\"a\\nb\\tc\\rd\\be\\ff\"");
	CHECK_STR(u, escaped("\x01\x1f"), "\"\\u0001\\u001f\"");
	/* DEL is allowed as is in JSON. */
	CHECK_STR(u, escaped("\x7f"), "\"\x7f\"");
}

static void test_utf8(struct unit *u)
{
	/* Well-formed UTF-8 passes through: é, €, U+1F600. */
	CHECK_STR(u, escaped("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
		  "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
}

static void test_invalid_utf8(struct unit *u)
{
	/* Each bad byte becomes U+FFFD, and what follows survives. */
	CHECK_STR(u, escaped("a\xff" "b"), "\"a\\ufffdb\"");
	CHECK_STR(u, escaped("\xc0\xaf"), "\"\\ufffd\\ufffd\"");	/* overlong */
	CHECK_STR(u, escaped("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");	/* surrogate */
	CHECK_STR(u, escaped("\xe2\x82"), "\"\\ufffd\\ufffd\"");	/* cut short */
	CHECK_STR(u, escaped("\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");	/* > U+10FFFF */
	CHECK_STR(u, escaped("\x80x"), "\"\\ufffdx\"");		/* lone continuation */
}

static void test_structure(struct unit *u)
{
	char buf[512];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	struct json j;

	json_init(&j, f);
	json_object_begin(&j);
	json_member_u64(&j, "a", 1);
	json_key(&j, "b");
	json_array_begin(&j);
	json_u64(&j, 18446744073709551615ull);
	json_string(&j, "x");
	json_bool(&j, true);
	json_null(&j);
	json_object_begin(&j);
	json_object_end(&j);
	json_array_end(&j);
	json_key(&j, "c");
	json_object_begin(&j);
	json_member_bool(&j, "d", false);
	json_member_string(&j, "e\"", "f");
	json_object_end(&j);
	json_key(&j, "g");
	json_array_begin(&j);
	json_array_end(&j);
	json_object_end(&j);
	json_end(&j);
	fclose(f);
	CHECK_STR(u, buf,
		  "{\"a\":1,\"b\":[18446744073709551615,\"x\",true,null,{}],"
		  "\"c\":{\"d\":false,\"e\\\"\":\"f\"},\"g\":[]}\n");
}

static void test_top_level_array(struct unit *u)
{
	char buf[128];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	struct json j;

	json_init(&j, f);
	json_array_begin(&j);
	json_string(&j, "log");
	json_string(&j, "xfer");
	json_array_end(&j);
	json_end(&j);
	fclose(f);
	CHECK_STR(u, buf, "[\"log\",\"xfer\"]\n");
}

int main(void)
{
	unit_run("json-plain-strings", test_plain);
	unit_run("json-escape-specials", test_specials);
	unit_run("json-utf8", test_utf8);
	unit_run("json-invalid-utf8", test_invalid_utf8);
	unit_run("json-structure", test_structure);
	unit_run("json-top-level-array", test_top_level_array);
	return unit_status();
}
