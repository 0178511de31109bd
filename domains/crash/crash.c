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
 * Reading at offset 0 returns "crash inits=N held=M\n": inits counts the
 * instances started so far, kept in the state store, so it shows both
 * that a restarted instance serves and that the store outlives it.
 */
#include <domain/domain.h>

DOMAIN_DEFINE("crash", file, "1.0.0");

#define CRASH_KEY_INITS	1
#define CRASH_MAX_HOLD	100000

static unsigned long long inits;
static unsigned long long held;		/* only grows; no lock needed for a test */

/* Opaque to the optimiser, so that each fault really happens. */
static volatile uintptr_t zero;

static void smash(size_t n)
{
	char buf[16];

	for (size_t i = 0; i < n; i++)
		((volatile char *)buf)[i] = 'A';
	dom_dbg("%.*s", 16, buf);
}

static int hold(const char *arg)
{
	uint64_t n;

	if (dom_parse_u64(arg, &n) || n > CRASH_MAX_HOLD)
		return -EINVAL;
	for (uint64_t i = 0; i < n; i++) {
		if (!dom_obj_alloc(DC_OBJ_BYTES, 64) || !dom_malloc(128))
			return -ENOMEM;
		__atomic_add_fetch(&held, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

static long crash_write(dc_obj_t data, uint64_t off)
{
	size_t size = 0, n;
	const char *p = dom_obj_data(data, DC_OBJ_BYTES, &size);
	char cmd[32], tiny[4];
	int ret = 0;

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

	if (!strcmp(cmd, "null"))
		*(volatile int *)zero = 1;
	else if (!strcmp(cmd, "gpf"))
		ret = *(volatile int *)(zero + 0x8000000000000000ull);
	else if (!strcmp(cmd, "ud2"))
		__builtin_trap();
	else if (!strcmp(cmd, "div0"))
		ret = (int)(zero + 100) / (int)zero;	/* not 1 / x: gcc folds that */
	else if (!strcmp(cmd, "stack"))
		smash(64 + zero);
	else if (!strcmp(cmd, "panic"))
		dom_panic("crash: panic on request");
	else if (!strcmp(cmd, "assert"))
		DOM_ASSERT(zero == 1);
	else if (!strcmp(cmd, "bounds"))
		dom_memcpy_checked(tiny, sizeof(tiny), cmd, sizeof(tiny) + 1 + zero);
	else if (!strncmp(cmd, "hold ", 5))
		ret = hold(cmd + 5);
	else
		return -EINVAL;
	return ret < 0 ? ret : (long)size;
}

static long crash_read(uint64_t len, uint64_t off)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "crash inits=%llu held=%llu\n",
			 inits, __atomic_load_n(&held, __ATOMIC_RELAXED));
	dc_obj_t obj;

	if (off >= (uint64_t)n || !len)
		return 0;
	obj = dom_obj_copy(DC_OBJ_BYTES, line + off, DOM_MIN(len, n - off));
	return obj ? (long)obj : -ENOMEM;
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
