// SPDX-License-Identifier: GPL-2.0
/*
 * relay: passes every write on to the file domain it imports, for the
 * cross-domain fault tests: when the callee faults, relay must survive and
 * see the error.  Reading returns "relay calls=N last=R\n", R being what
 * the last forwarded write returned.
 *
 * Two writes are not passed on as they are, for the confinement tests
 * (crash is the callee, loaded as the victim):
 *
 *	stray given	 send the callee an object, "keep:given by relay"
 *			 (crash keeps it), then store into it
 *	stray neighbour	 take from the callee the first of a pair of objects
 *			 (a read at DOM_TEST_PRED_OFF) and store 64 bytes past
 *			 its end, into the second, which the callee keeps
 *
 * Each is a stray store.
 */
#include <domain/domain.h>
#include <domain/testing.h>

DOMAIN_DEFINE("relay", file, "1.0.0", file);

static long last;
static unsigned long long calls;

static long stray_given(void)
{
	static const char text[] = "keep:given by relay";
	dc_obj_t obj = dom_obj_alloc(DC_OBJ_BYTES, sizeof(text) - 1);
	char *p = obj ? dom_obj_data(obj, DC_OBJ_BYTES, NULL) : NULL;
	long ret;

	if (!p)
		return -ENOMEM;
	memcpy(p, text, sizeof(text) - 1);
	ret = file_write(obj, 0);
	if (ret < 0) {
		dom_obj_free(obj);
		return ret;
	}
	*(volatile char *)p = 'X';
	return 0;	/* not reached: the store is caught */
}

static long stray_neighbour(void)
{
	long obj = file_read(DOM_TEST_NEIGHBOUR_SIZE, DOM_TEST_PRED_OFF);
	size_t size = 0;
	uint8_t *p = obj > 0 ? dom_obj_data((dc_obj_t)obj, DC_OBJ_BYTES, &size) : NULL;

	if (!p || size != DOM_TEST_NEIGHBOUR_SIZE)
		return obj < 0 ? obj : -EPROTO;
	*(volatile uint64_t *)(p + size + 64) = 0x4242424242424242ull;
	return 0;	/* not reached: the store is caught */
}

static long relay_write(dc_obj_t data, uint64_t off)
{
	size_t size = 0;
	const char *cmd = dom_obj_data(data, DC_OBJ_BYTES, &size);
	long ret = 0;

	if (cmd && size > 6 && !memcmp(cmd, "stray ", 6)) {
		if (size == 11 && !memcmp(cmd, "stray given", 11))
			ret = stray_given();
		else if (size == 15 && !memcmp(cmd, "stray neighbour", 15))
			ret = stray_neighbour();
		else
			ret = -EINVAL;
		dom_obj_free(data);
		return ret ?: (long)size;
	}
	ret = file_write(data, off);

	/* A call refused before it reached the callee leaves the data ours. */
	if (ret < 0)
		dom_obj_free(data);
	__atomic_store_n(&last, ret, __ATOMIC_RELAXED);
	__atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
	return ret;
}

static long relay_read(uint64_t len, uint64_t off)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "relay calls=%llu last=%ld\n",
			 __atomic_load_n(&calls, __ATOMIC_RELAXED),
			 __atomic_load_n(&last, __ATOMIC_RELAXED));

	return dom_read_bytes(line, n, len, off);
}

static const struct file_ops relay_ops = {
	.read = relay_read,
	.write = relay_write,
};

long dom_init(const char *params, struct dc_entry_result *out)
{
	if (dom_params_allow(params, NULL))
		return -EINVAL;
	out->ops = &relay_ops;
	return 0;
}
