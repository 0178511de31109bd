// SPDX-License-Identifier: GPL-2.0
/*
 * xfer: checks the TCB's object rules from inside a domain.  Write a
 * command, then read the result from offset 0:
 *
 *	xfer	give an object to log, then check that it is no longer ours:
 *		obj_data gives NULL, a second log_write and obj_free -EACCES
 *	leak N	allocate N shared objects and N heap blocks and keep them
 *		(the TCB must reclaim them when the domain goes)
 *	count	how many objects and blocks "leak" holds
 *	put T	hand an object with text T to the state store (key 1)
 *	get	take it back from the store, show its text, put it back
 *
 * Results read "<command> ok..." or "<command> FAIL: <why>".
 */
#include <domain/domain.h>

DOMAIN_DEFINE("xfer", file, "1.0.0", log);

#define XFER_MAX_LEAK	100000
#define XFER_STORE_KEY	1

/* What "leak" holds: each heap block keeps one shared object. */
struct held {
	struct held *next;
	dc_obj_t obj;
};

static struct dc_lock *lock;		/* everything below */
static char result[160] = "no command yet\n";
static struct held *held;
static unsigned long long nr_objs, nr_blocks;

/* Returns 0 so that a command can end with "return set_result(...)". */
static int set_result(const char *fmt, ...) __dom_printf(1, 2);
static int set_result(const char *fmt, ...)
{
	va_list ap;

	dom_lock(lock);
	va_start(ap, fmt);
	vsnprintf(result, sizeof(result), fmt, ap);
	va_end(ap);
	dom_unlock(lock);
	return 0;
}

static int cmd_xfer(void)
{
	dc_obj_t obj = dom_obj_printf("xfer: ownership test record");
	size_t size = 1;
	long ret;

	if (!obj)
		return set_result("xfer FAIL: obj_alloc failed\n");
	if (!dom_obj_data(obj, DC_OBJ_BYTES, &size))
		return set_result("xfer FAIL: obj_data of our own object gave NULL\n");

	ret = log_write(DC_LOG_DEBUG, obj);
	if (ret < 0) {
		dom_obj_free(obj);
		return set_result("xfer FAIL: log_write returned %ld\n", ret);
	}
	/* The object now belongs to log, which has freed it. */
	if (dom_obj_data(obj, DC_OBJ_BYTES, &size) || size)
		return set_result("xfer FAIL: obj_data still works after the object moved to log\n");
	ret = log_write(DC_LOG_DEBUG, obj);
	if (ret != -EACCES)
		return set_result("xfer FAIL: log_write of a moved object returned %ld, expected %d\n",
				  ret, -EACCES);
	ret = dom_obj_free(obj);
	if (ret != -EACCES)
		return set_result("xfer FAIL: obj_free of a moved object returned %ld, expected %d\n",
				  ret, -EACCES);
	return set_result("xfer ok\n");
}

static int cmd_leak(const char *arg)
{
	uint64_t n = 0;
	struct held *h;

	if (dom_parse_u64(arg, &n) || n > XFER_MAX_LEAK)
		return set_result("leak FAIL: bad count '%s' (0..%d)\n", arg,
				  XFER_MAX_LEAK);

	for (uint64_t i = 0; i < n; i++) {
		h = dom_malloc(sizeof(*h));
		if (!h)
			return set_result("leak FAIL: dom_malloc failed after %llu\n",
					  (unsigned long long)i);
		h->obj = dom_obj_alloc(DC_OBJ_BYTES, 64);
		dom_lock(lock);
		h->next = held;
		held = h;
		nr_blocks++;
		nr_objs += !!h->obj;
		dom_unlock(lock);
		if (!h->obj)
			return set_result("leak FAIL: obj_alloc failed after %llu\n",
					  (unsigned long long)i);
	}
	return set_result("leak ok objects=%llu blocks=%llu\n", nr_objs,
			  nr_blocks);
}

static int cmd_put(const char *text)
{
	dc_obj_t obj = dom_obj_copy(DC_OBJ_BYTES, text, strlen(text));
	size_t size;
	int ret;

	if (!obj)
		return set_result("put FAIL: obj_alloc failed\n");
	ret = dom_store_put(XFER_STORE_KEY, obj);
	if (ret) {
		dom_obj_free(obj);
		return set_result("put FAIL: store_put returned %d\n", ret);
	}
	if (dom_obj_data(obj, DC_OBJ_BYTES, &size))
		return set_result("put FAIL: object still ours after store_put\n");
	return set_result("put ok\n");
}

static int cmd_get(void)
{
	dc_obj_t obj = dom_store_get(XFER_STORE_KEY);
	size_t size = 0;
	const char *text;
	int ret;

	if (!obj)
		return set_result("get FAIL: store empty\n");
	text = dom_obj_data(obj, DC_OBJ_BYTES, &size);
	if (!text && size)
		return set_result("get FAIL: obj_data of the stored object gave NULL\n");
	set_result("get ok %.*s\n", (int)DOM_MIN(size, 100), text ? text : "");
	/* Back into the store, so the next instance finds it too. */
	ret = dom_store_put(XFER_STORE_KEY, obj);
	if (ret)
		return set_result("get FAIL: store_put returned %d\n", ret);
	return 0;
}

static long xfer_write(dc_obj_t data, uint64_t off)
{
	size_t size = 0, n;
	const char *p = dom_obj_data(data, DC_OBJ_BYTES, &size);
	char cmd[64];

	(void)off;
	if (!p) {
		dom_obj_free(data);
		return -EINVAL;
	}
	n = DOM_MIN(size, sizeof(cmd) - 1);
	memcpy(cmd, p, n);
	dom_obj_free(data);
	while (n && (cmd[n - 1] == '\n' || cmd[n - 1] == ' '))
		n--;
	cmd[n] = '\0';

	if (!strcmp(cmd, "xfer"))
		cmd_xfer();
	else if (!strncmp(cmd, "leak ", 5))
		cmd_leak(cmd + 5);
	else if (!strcmp(cmd, "count"))
		set_result("count objects=%llu blocks=%llu\n", nr_objs,
			   nr_blocks);
	else if (!strncmp(cmd, "put ", 4))
		cmd_put(cmd + 4);
	else if (!strcmp(cmd, "get"))
		cmd_get();
	else {
		set_result("FAIL: unknown command '%s'\n", cmd);
		return -EINVAL;
	}
	return size;
}

static long xfer_read(uint64_t len, uint64_t off)
{
	dc_obj_t obj = 0;
	size_t n;

	dom_lock(lock);
	n = strlen(result);
	if (off < n && len)
		obj = dom_obj_copy(DC_OBJ_BYTES, result + off,
				   DOM_MIN(len, n - off));
	dom_unlock(lock);
	if (off < n && len && !obj)
		return -ENOMEM;
	return obj;
}

static const struct file_ops xfer_ops = {
	.read = xfer_read,
	.write = xfer_write,
};

long dom_init(const char *params, struct dc_entry_result *out)
{
	if (dom_params_allow(params, NULL))
		return -EINVAL;
	lock = dom_lock_new();
	if (!lock)
		return -ENOMEM;
	out->ops = &xfer_ops;
	return 0;
}
