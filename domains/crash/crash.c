// SPDX-License-Identifier: GPL-2.0
/*
 * crash: faults on request, for the TCB's fault-recovery tests.  Write a
 * command to /dev/domain/crash:
 *
 *	null	store through a NULL pointer (page fault)
 *	gpf	load from a non-canonical address (general protection fault)
 *	ud2	execute an invalid opcode
 *	div0	divide by zero (divide error)
 *	stack	overrun a stack buffer (stack-protector hit)
 *	panic	dom_panic()
 *	assert	a failing DOM_ASSERT()
 *	bounds	a failing dom_memcpy_checked()
 *	hold N	allocate N shared objects and N heap blocks and keep them,
 *		so that a later fault shows they are reclaimed
 *
 * (dom_test_fault() and dom_test_hold() of <domain/testing.h>).
 *
 * Reading at offset 0 returns "crash inits=N held=M\n": inits counts the
 * instances started so far, kept in the state store, so it shows both
 * that a restarted instance serves and that the store outlives it.
 */
#include <domain/domain.h>
#include <domain/testing.h>

DOMAIN_DEFINE("crash", file, "1.0.0");

#define CRASH_KEY_INITS	1

static unsigned long long inits;

static long crash_write(dc_obj_t data, uint64_t off)
{
	char cmd[32];
	long size = dom_test_command(data, cmd, sizeof(cmd)), ret;
	uint64_t n;

	(void)off;
	if (size < 0)
		return size;
	if (!strncmp(cmd, "hold ", 5))
		ret = dom_parse_u64(cmd + 5, &n) ? -EINVAL : dom_test_hold(n);
	else
		ret = dom_test_fault(cmd);
	return ret < 0 ? ret : size;
}

static long crash_read(uint64_t len, uint64_t off)
{
	char line[64];
	uint64_t blocks, objects;
	int n;

	dom_test_held(&blocks, &objects);
	n = snprintf(line, sizeof(line), "crash inits=%llu held=%llu\n", inits,
		     (unsigned long long)objects);
	return dom_read_bytes(line, n, len, off);
}

static const struct file_ops crash_ops = {
	.read = crash_read,
	.write = crash_write,
};

long dom_init(const char *params, struct dc_entry_result *out)
{
	dc_obj_t obj;
	size_t size = 0;
	uint64_t *count;

	if (dom_params_allow(params, NULL))
		return -EINVAL;

	/* Count this start in the store, which outlives the instance. */
	obj = dom_store_get(CRASH_KEY_INITS);
	if (!obj)
		obj = dom_obj_alloc(DC_OBJ_BYTES, sizeof(*count));
	count = obj ? dom_obj_data(obj, DC_OBJ_BYTES, &size) : NULL;
	if (count && size == sizeof(*count)) {
		inits = ++*count;
		dom_store_put(CRASH_KEY_INITS, obj);
	}

	out->ops = &crash_ops;
	return 0;
}
