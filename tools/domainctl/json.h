/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small JSON writer for --json output.  It places the commas itself and
 * escapes every string, so that names, kernel messages or file names with
 * quotes, control characters or broken UTF-8 still give valid JSON.
 */
#ifndef DOMAINCTL_JSON_H
#define DOMAINCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	16

struct json {
	FILE *out;
	unsigned depth;
	bool has_items[JSON_MAX_DEPTH];	/* a comma is due before the next item */
	bool after_key;			/* the next value completes a member */
};

void json_init(struct json *j, FILE *out);
void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);
void json_u64(struct json *j, uint64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* End the document with a newline. */
void json_end(struct json *j);

/* Shorthands for one member. */
void json_member_string(struct json *j, const char *key, const char *s);
void json_member_u64(struct json *j, const char *key, uint64_t v);
void json_member_bool(struct json *j, const char *key, bool v);

/*
 * Write @s as a quoted JSON string: '"', '\\' and control characters are
 * escaped, bytes that are not valid UTF-8 become U+FFFD.
 */
void json_write_string(FILE *out, const char *s);

#endif
