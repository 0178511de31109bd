// SPDX-License-Identifier: GPL-2.0
/*
 * xfer: checks the TCB's object rules from inside a domain.  Write a
 * command, then read the result from offset 0:
 *
 *	xfer	give an object to log, then check that it is no longer ours:
 *		obj_data gives NULL, a second log_write and obj_free -EACCES
 *	leak N	allocate N shared objects and N heap blocks and keep them
 *		(the TCB must reclaim them when the domain goes):
 *		dom_test_hold() of <domain/testing.h>
 *	count	how many objects and blocks "leak" holds
 *	put T	hand an object with text T to the state store (key 1)
 *	get	take it back from the store, show its text, put it back
 *
 * Results read "<command> ok..." or "<command> FAIL: <why>".
 */
#include <domain/domain.h>
#include <domain/testing.h>

DOMAIN_DEFINE("xfer", file, "1.0.0", log);

#define XFER_STORE_KEY	1

static struct dc_lock *lock;		/* the result */
static char result[160] = "no command yet\n";

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

/* "leak ok ..." or "count ...": how many objects and blocks "leak" holds. */
static int held_result(const char *what)
{
	uint64_t blocks, objects;

	dom_test_held(&blocks, &objects);
	return set_result("%s objects=%llu blocks=%llu\n", what,
			  (unsigned long long)objects, (unsigned long long)blocks);
}

static int cmd_leak(const char *arg)
{
	uint64_t n = 0;

	if (dom_parse_u64(arg, &n) || n > DOM_TEST_MAX_HOLD)
		return set_result("leak FAIL: bad count '%s' (0..%d)\n", arg,
				  DOM_TEST_MAX_HOLD);
	if (dom_test_hold(n))
		return held_result("leak FAIL: out of memory with");
	return held_result("leak ok");
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
	char cmd[64];
	long size = dom_test_command(data, cmd, sizeof(cmd));

	(void)off;
	if (size < 0)
		return size;
	if (!strcmp(cmd, "xfer"))
		cmd_xfer();
	else if (!strncmp(cmd, "leak ", 5))
		cmd_leak(cmd + 5);
	else if (!strcmp(cmd, "count"))
		held_result("count");
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
	long ret;

	dom_lock(lock);
	ret = dom_read_bytes(result, strlen(result), len, off);
	dom_unlock(lock);
	return ret;
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
