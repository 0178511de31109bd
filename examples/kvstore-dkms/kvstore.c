// SPDX-License-Identifier: GPL-2.0
/*
 * kvstore: a small key-value store, and the template of a domain shipped
 * as a DKMS package of its own (docs/writing-a-domain.md, "Shipping a
 * domain with DKMS").  It implements the "file" interface, so it gets
 * /dev/domain/NAME:
 *
 *	echo 'colour=blue' >/dev/domain/kv	set a key (one per line)
 *	echo 'colour=' >/dev/domain/kv		delete it
 *	cat /dev/domain/kv			every key, "key=value" lines
 *
 * Keys are 1 to 31 letters, digits, '_', '-' or '.'; values at most 223
 * printable bytes.  Parameter: max_keys (default 64, at most 4096).  The
 * data lives in the instance: an upgrade or a restart starts empty.
 */
#include <domain/domain.h>

DOMAIN_DEFINE("kvstore", file, "1.0.0");

#define KEY_MAX		32	/* with the NUL */
#define VALUE_MAX	224

struct entry {
	char key[KEY_MAX];
	char value[VALUE_MAX];
};

static struct dc_lock *lock;
static struct entry *table;	/* the first nr entries are used */
static uint64_t nr, max_keys;

static struct entry *find(const char *key)
{
	for (uint64_t i = 0; i < nr; i++)
		if (!strcmp(table[i].key, key))
			return &table[i];
	return NULL;
}

/* Apply one line "key=value" (@len bytes, no newline): 0 or -errno. */
static long apply(const char *line, size_t len)
{
	const char *eq = memchr(line, '=', len);
	char key[KEY_MAX], value[VALUE_MAX];
	size_t klen, vlen;
	struct entry *e;
	long ret = 0;

	if (!eq)
		return -EINVAL;
	klen = eq - line;
	vlen = len - klen - 1;
	if (!klen || klen >= KEY_MAX || vlen >= VALUE_MAX)
		return -EINVAL;
	memcpy(key, line, klen);
	key[klen] = '\0';
	memcpy(value, eq + 1, vlen);
	value[vlen] = '\0';
	if (strspn(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") != klen)
		return -EINVAL;
	for (size_t i = 0; i < vlen; i++)
		if (!isprint((unsigned char)value[i]))
			return -EINVAL;

	dom_lock(lock);
	e = find(key);
	if (!vlen) {			/* "key=": delete */
		if (e)
			*e = table[--nr];
	} else if (e) {
		strscpy(e->value, value, sizeof(e->value));
	} else if (nr == max_keys) {
		ret = -ENOSPC;
	} else {
		strscpy(table[nr].key, key, sizeof(table[nr].key));
		strscpy(table[nr].value, value, sizeof(table[nr].value));
		nr++;
	}
	dom_unlock(lock);
	return ret;
}

/* file.write: lines of "key=value"; the offset does not matter. */
static long kv_write(dc_obj_t data, uint64_t offset)
{
	size_t size = 0;
	const char *p = dom_obj_data(data, DC_OBJ_BYTES, &size);
	size_t done = 0;
	long ret = 0;

	(void)offset;
	if (!p)
		return -EINVAL;
	while (done < size) {
		const char *nl = memchr(p + done, '\n', size - done);
		size_t len = nl ? (size_t)(nl - (p + done)) : size - done;

		if (len && (ret = apply(p + done, len)) < 0)
			break;
		done += len + (nl != NULL);
	}
	dom_obj_free(data);		/* ours: free it */
	/* The lines before a bad one were applied: a short write says so. */
	return done ? (long)done : ret;
}

/* file.read: the bytes at @offset of the listing. */
static long kv_read(uint64_t len, uint64_t offset)
{
	size_t size = (KEY_MAX + VALUE_MAX + 1) * max_keys, n = 0;
	char *text = dom_malloc(size);
	long ret;

	if (!text)
		return -ENOMEM;
	dom_lock(lock);
	for (uint64_t i = 0; i < nr; i++)
		n += snprintf(text + n, size - n, "%s=%s\n", table[i].key, table[i].value);
	dom_unlock(lock);
	ret = dom_read_bytes(text, n, len, offset);
	dom_free(text);
	return ret;
}

static const struct file_ops kv_ops = {
	.read = kv_read,
	.write = kv_write,
};

long dom_init(const char *params, struct dc_entry_result *out)
{
	if (DOM_PARAMS_ALLOW(params, "max_keys") ||
	    dom_param_u64(params, "max_keys", 64, &max_keys))
		return -EINVAL;
	if (!max_keys || max_keys > 4096) {
		dom_err("max_keys=%llu: 1 to 4096", (unsigned long long)max_keys);
		return -EINVAL;
	}
	lock = dom_lock_new();
	table = dom_calloc(max_keys, sizeof(*table));
	if (!lock || !table)
		return -ENOMEM;
	dom_info("up, room for %llu keys", (unsigned long long)max_keys);
	out->ops = &kv_ops;
	return 0;
}
