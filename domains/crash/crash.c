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
 *	...	and the other kinds of dom_test_fault() (<domain/testing.h>):
 *		loop, recurse, overrun, badself, badlock, badlog
 *	lockfault  fault (NULL store) while holding crash's lock
 *	lockloop   never return while holding crash's lock
 *	storeput N replace the state-store object under key 2 N times, each
 *		   new one a page filled with a new byte; reads check that the
 *		   object they see does not change under them (-EPROTO)
 *	hog	   allocate heap pages until the TCB refuses (-ENOMEM)
 *
 * Reads take crash's lock, so readers contend with a writer that holds
 * it.
 *
 * Reading at offset 0 returns "crash inits=N held=M\n": inits counts the
 * instances started so far, kept in the state store, so it shows both
 * that a restarted instance serves and that the store outlives it.
 */
#include <domain/domain.h>
#include <domain/testing.h>

DOMAIN_DEFINE("crash", file, "1.0.0");

#define CRASH_KEY_INITS	1
#define CRASH_KEY_RACE	2

static unsigned long long inits;
static struct dc_lock *lock;
static volatile int zero;

/* storeput: a new page-sized object under CRASH_KEY_RACE, @n times. */
static long store_replace(uint64_t n)
{
	static uint8_t seq;

	for (uint64_t i = 0; i < n; i++) {
		dc_obj_t obj = dom_obj_alloc(DC_OBJ_BYTES, DOM_PAGE_SIZE);
		uint8_t *p = obj ? dom_obj_data(obj, DC_OBJ_BYTES, NULL) : NULL;

		if (!p)
			return -ENOMEM;
		memset(p, __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED), DOM_PAGE_SIZE);
		if (dom_store_put(CRASH_KEY_RACE, obj))
			return -ENOMEM;
	}
	return 0;
}

/* A reader's view of CRASH_KEY_RACE must not change while it reads. */
static bool store_stable(void)
{
	size_t size = 0;
	const volatile uint8_t *p = dom_store_data(CRASH_KEY_RACE, &size);
	uint8_t v;

	if (!p || size != DOM_PAGE_SIZE)
		return true;
	v = p[0];
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < size; i++)
			if (p[i] != v)
				return false;
	return true;
}

static long crash_write(dc_obj_t data, uint64_t off)
{
	char cmd[32];
	long size = dom_test_command(data, cmd, sizeof(cmd)), ret;
	uint64_t n;

	(void)off;
	if (size < 0)
		return size;
	if (!strncmp(cmd, "hold ", 5)) {
		ret = dom_parse_u64(cmd + 5, &n) ? -EINVAL : dom_test_hold(n);
	} else if (!strcmp(cmd, "lockfault")) {
		dom_lock(lock);
		*(volatile int *)(uintptr_t)zero = 1;
		ret = 0;	/* not reached */
	} else if (!strcmp(cmd, "lockloop")) {
		dom_lock(lock);
		while (!zero)
			;
		ret = 0;	/* not reached */
	} else if (!strncmp(cmd, "storeput ", 9)) {
		ret = dom_parse_u64(cmd + 9, &n) ? -EINVAL : store_replace(n);
	} else if (!strcmp(cmd, "hog")) {
		while (dom_svc->pages_alloc(dom_self, 1))
			;
		ret = -ENOMEM;
	} else {
		ret = dom_test_fault(cmd);
	}
	return ret < 0 ? ret : size;
}

static long crash_read(uint64_t len, uint64_t off)
{
	char line[64];
	uint64_t blocks, objects;
	int n;

	if (!store_stable())
		return -EPROTO;
	dom_lock(lock);
	dom_test_held(&blocks, &objects);
	n = snprintf(line, sizeof(line), "crash inits=%llu held=%llu\n", inits,
		     (unsigned long long)objects);
	dom_unlock(lock);
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
	lock = dom_lock_new();
	if (!lock)
		return -ENOMEM;

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
