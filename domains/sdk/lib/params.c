// SPDX-License-Identifier: GPL-2.0
/*
 * Parameters: "key=value" words separated by spaces, tabs, newlines or
 * commas.  Values cannot contain separators.  The last occurrence of a
 * key wins, so a later word overrides an earlier default.
 */
#include "internal.h"

struct word {
	const char *key;
	size_t klen;
	const char *val;	/* NULL: the word has no '=' */
	size_t vlen;
	size_t len;		/* the whole word */
};

static bool is_sep(char c)
{
	return c == ' ' || c == ',' || c == '\t' || c == '\n';
}

/* The next word at or after @p, or NULL at the end. */
static const char *next_word(const char *p, struct word *w)
{
	const char *start;

	while (*p && is_sep(*p))
		p++;
	if (!*p)
		return NULL;
	start = p;
	w->key = p;
	w->val = NULL;
	w->vlen = 0;
	while (*p && !is_sep(*p) && *p != '=')
		p++;
	w->klen = p - start;
	if (*p == '=') {
		w->val = ++p;
		while (*p && !is_sep(*p))
			p++;
		w->vlen = p - w->val;
	}
	w->len = p - start;
	return p;
}

static bool key_is(const struct word *w, const char *key)
{
	return w->klen == strlen(key) && !strncmp(w->key, key, w->klen);
}

/* 1 and the last value of @key in @w, or 0 if absent. */
static int find(const char *params, const char *key, struct word *found)
{
	const char *p = params ? params : "";
	struct word w;
	int hit = 0;

	while ((p = next_word(p, &w))) {
		if (key_is(&w, key)) {
			*found = w;
			hit = 1;
		}
	}
	return hit;
}

static int digit_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

static int parse_u64(const char *s, size_t len, uint64_t *out)
{
	const char *end = s + len;
	unsigned int base = 10, shift = 0;
	uint64_t v = 0;

	if (len && (end[-1] == 'k' || end[-1] == 'K'))
		shift = 10;
	else if (len && (end[-1] == 'm' || end[-1] == 'M'))
		shift = 20;
	else if (len && (end[-1] == 'g' || end[-1] == 'G'))
		shift = 30;
	if (shift)
		end--;
	if (end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (s == end)
		return -EINVAL;
	for (; s < end; s++) {
		unsigned int d = digit_val(*s);

		if (d >= base)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / base)
			return -EINVAL;
		v = v * base + d;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return -EINVAL;
	*out = v << shift;
	return 0;
}

int dom_parse_u64(const char *s, uint64_t *out)
{
	return parse_u64(s, strlen(s), out);
}

int dom_param_u64(const char *params, const char *key, uint64_t def,
		  uint64_t *out)
{
	struct word w;

	if (!find(params, key, &w)) {
		*out = def;
		return 0;
	}
	if (!w.val || parse_u64(w.val, w.vlen, out)) {
		dom_err("parameter '%.*s': expected %s=<number> (decimal or 0x hex, optional k/m/g)",
			(int)w.len, w.key, key);
		return -EINVAL;
	}
	return 0;
}

static bool val_is(const struct word *w, const char *s)
{
	return w->vlen == strlen(s) && !strncmp(w->val, s, w->vlen);
}

int dom_param_bool(const char *params, const char *key, bool def, bool *out)
{
	static const char *const yes[] = { "1", "y", "yes", "true", "on" };
	static const char *const no[] = { "0", "n", "no", "false", "off" };
	struct word w;

	if (!find(params, key, &w)) {
		*out = def;
		return 0;
	}
	for (size_t i = 0; w.val && i < DOM_ARRAY_SIZE(yes); i++) {
		if (val_is(&w, yes[i])) {
			*out = true;
			return 0;
		}
		if (val_is(&w, no[i])) {
			*out = false;
			return 0;
		}
	}
	dom_err("parameter '%.*s': expected %s=0 or %s=1", (int)w.len, w.key,
		key, key);
	return -EINVAL;
}

int dom_param_str(const char *params, const char *key, const char *def,
		  char *buf, size_t size)
{
	struct word w;

	if (!size)
		return -EINVAL;
	if (!find(params, key, &w)) {
		if (strscpy(buf, def ? def : "", size) < 0) {
			dom_err("parameter %s: default '%s' too long", key, def);
			return -EINVAL;
		}
		return 0;
	}
	if (!w.val) {
		dom_err("parameter '%.*s': expected %s=<value>", (int)w.len,
			w.key, key);
		return -EINVAL;
	}
	if (w.vlen >= size) {
		dom_err("parameter %s: value longer than %zu characters", key,
			size - 1);
		return -EINVAL;
	}
	memcpy(buf, w.val, w.vlen);
	buf[w.vlen] = '\0';
	return 0;
}

int dom_params_allow(const char *params, const char *const *keys)
{
	static const char *const none[] = { NULL };
	const char *p = params ? params : "";
	struct word w;

	if (!keys)
		keys = none;

	while ((p = next_word(p, &w))) {
		char known[160];
		size_t len = 0;
		bool ok = false;

		if (!w.val || !w.klen) {
			dom_err("malformed parameter '%.*s' (expected key=value)",
				(int)w.len, w.key);
			return -EINVAL;
		}
		for (const char *const *k = keys; *k; k++)
			if (key_is(&w, *k))
				ok = true;
		if (ok)
			continue;

		known[0] = '\0';
		for (const char *const *k = keys; *k && len < sizeof(known); k++)
			len += snprintf(known + len, sizeof(known) - len, "%s%s",
					k == keys ? "" : ", ", *k);
		dom_err("unknown parameter '%.*s' (known: %s)", (int)w.klen,
			w.key, keys[0] ? known : "none");
		return -EINVAL;
	}
	return 0;
}
