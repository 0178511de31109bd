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
 *	lockfault  fault (NULL load) while holding crash's lock
 *	lockloop   never return while holding crash's lock
 *	storeput N replace the state-store object under key 2 N times, each
 *		   new one a page filled with a new byte; reads check that the
 *		   object they see does not change under them (-EPROTO)
 *	hog	   allocate heap pages until the TCB refuses (-ENOMEM)
 *
 * Confinement (stray stores, each caught before it lands when crash is
 * built confined; the tests load a second crash as the victim):
 *
 *	keep	   the victim: make 128 pairs of 200-byte objects that lie
 *		   next to each other, and a heap page; the second of each
 *		   pair and the page are filled with 0x5a and kept; reads
 *		   then add " obj=ADDR heap=ADDR" (the first pair's second,
 *		   the page).  A read at offset DOM_TEST_PRED_OFF
 *		   returns the first of the next pair: the reader (relay's
 *		   "stray neighbour") then owns an object whose neighbour is
 *		   the victim's
 *	keep:TEXT  (written by relay's "stray given") keep the object the
 *		   command came in (up to 128), instead of freeing it
 *	check	   the victim: -EPROTO unless what keep and keep:TEXT kept
 *		   is as it was
 *	stray freed	store into a shared object it has freed
 *	stray at ADDR	store 4 bytes (4242) at ADDR: another domain's heap,
 *		   a kernel variable, the TCB's memory
 *	stray stack	store over the return address of its outermost frame
 *	stray null	store through a NULL pointer
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

#define CRASH_PATTERN		0x5a

static unsigned long long inits;
static struct dc_lock *lock;
static volatile int zero;

/* The victim's: what keep and keep:TEXT keep. */
static uint8_t *kept_obj[DOM_TEST_PAIRS], *kept_heap;
static dc_obj_t kept_pred[DOM_TEST_PAIRS];
static unsigned int nr_pairs, next_pred;
#define CRASH_MAX_GIVEN		128
static dc_obj_t kept_given[CRASH_MAX_GIVEN];
static unsigned int nr_given;
static char kept_given_text[64];

static long keep(void)
{
	dc_obj_t prev = 0, obj;
	uint8_t *p = NULL, *q;

	/* Objects in a row, each pair kept when the second is right after the first. */
	for (int i = 0; i < 64 * DOM_TEST_PAIRS && nr_pairs < DOM_TEST_PAIRS; i++) {
		obj = dom_obj_alloc(DC_OBJ_BYTES, DOM_TEST_NEIGHBOUR_SIZE);
		q = obj ? dom_obj_data(obj, DC_OBJ_BYTES, NULL) : NULL;
		if (!q)
			return -ENOMEM;
		if (p && q > p && q - p < 2 * DOM_TEST_NEIGHBOUR_SIZE) {
			memset(q, CRASH_PATTERN, DOM_TEST_NEIGHBOUR_SIZE);
			kept_pred[nr_pairs] = prev;
			kept_obj[nr_pairs++] = q;
			prev = 0;
			p = NULL;
			continue;
		}
		if (prev)
			dom_obj_free(prev);
		prev = obj;
		p = q;
	}
	if (prev)
		dom_obj_free(prev);
	if (nr_pairs < DOM_TEST_PAIRS)
		return -EAGAIN;
	kept_heap = dom_svc->pages_alloc(dom_self, 1);
	if (!kept_heap)
		return -ENOMEM;
	memset(kept_heap, CRASH_PATTERN, DOM_PAGE_SIZE);
	return 0;
}

static bool all(const uint8_t *p, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

static long check(void)
{
	if (nr_pairs < DOM_TEST_PAIRS || !all(kept_heap, DOM_PAGE_SIZE, CRASH_PATTERN))
		return -EPROTO;
	for (unsigned int i = 0; i < nr_pairs; i++)
		if (!all(kept_obj[i], DOM_TEST_NEIGHBOUR_SIZE, CRASH_PATTERN))
			return -EPROTO;
	for (unsigned int i = 0; i < nr_given; i++) {
		size_t size = 0;
		const char *given = dom_obj_data(kept_given[i], DC_OBJ_BYTES, &size);

		if (!given || size != strlen(kept_given_text) ||
		    memcmp(given, kept_given_text, size))
			return -EPROTO;
	}
	return 0;
}

static long stray(const char *what)
{
	uint64_t addr;

	if (!strncmp(what, "at ", 3)) {
		if (dom_parse_u64(what + 3, &addr))
			return -EINVAL;
		*(volatile uint32_t *)(uintptr_t)addr = 4242;
	} else if (!strcmp(what, "freed")) {
		dc_obj_t obj = dom_obj_alloc(DC_OBJ_BYTES, 64);
		uint8_t *p = obj ? dom_obj_data(obj, DC_OBJ_BYTES, NULL) : NULL;

		if (!p)
			return -ENOMEM;
		dom_obj_free(obj);
		*(volatile uint64_t *)p = 0x4242424242424242ull;
	} else if (!strcmp(what, "stack")) {
		/* The top of this call's stack block; below it the gate's return address. */
		uintptr_t top = ((uintptr_t)__builtin_frame_address(0) | (DC_STACK_SIZE - 1)) + 1;

		*(volatile uintptr_t *)(top - sizeof(uintptr_t)) = 0x4242424242424242ull;
	} else if (!strcmp(what, "null")) {
		*(volatile int *)(uintptr_t)zero = 1;
	} else {
		return -EINVAL;
	}
	return 0;	/* not reached */
}

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
	char cmd[48];
	const char *text;
	size_t len = 0;
	long size, ret;
	uint64_t n;

	(void)off;
	/* keep:TEXT is kept whole, not taken as a command and freed. */
	if ((text = dom_obj_data(data, DC_OBJ_BYTES, &len)) && len > 5 &&
	    len < sizeof(kept_given_text) && !memcmp(text, "keep:", 5)) {
		dom_lock(lock);
		if (nr_given == CRASH_MAX_GIVEN) {
			dom_unlock(lock);
			dom_obj_free(data);
			return -ENOSPC;
		}
		memcpy(kept_given_text, text, len);
		kept_given[nr_given++] = data;
		dom_unlock(lock);
		return (long)len;
	}
	size = dom_test_command(data, cmd, sizeof(cmd));
	if (size < 0)
		return size;
	if (!strncmp(cmd, "hold ", 5)) {
		ret = dom_parse_u64(cmd + 5, &n) ? -EINVAL : dom_test_hold(n);
	} else if (!strcmp(cmd, "lockfault")) {
		dom_lock(lock);
		zero = *(volatile int *)(uintptr_t)zero;
		ret = 0;	/* not reached */
	} else if (!strcmp(cmd, "lockloop")) {
		dom_lock(lock);
		while (!zero)
			;
		ret = 0;	/* not reached */
	} else if (!strncmp(cmd, "storeput ", 9)) {
		ret = dom_parse_u64(cmd + 9, &n) ? -EINVAL : store_replace(n);
	} else if (!strcmp(cmd, "keep")) {
		ret = nr_pairs ? -EEXIST : keep();
	} else if (!strcmp(cmd, "check")) {
		ret = check();
	} else if (!strncmp(cmd, "stray ", 6)) {
		ret = stray(cmd + 6);
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
	char line[128];
	uint64_t blocks, objects;
	unsigned int i;
	int n;

	/* The first of the next kept pair, for relay's "stray neighbour". */
	if (off == DOM_TEST_PRED_OFF) {
		i = __atomic_fetch_add(&next_pred, 1, __ATOMIC_RELAXED);
		return i < nr_pairs ? (long)kept_pred[i] : -ENOSPC;
	}

	if (!store_stable())
		return -EPROTO;
	dom_lock(lock);
	dom_test_held(&blocks, &objects);
	if (kept_heap)
		n = snprintf(line, sizeof(line), "crash inits=%llu held=%llu obj=%#lx heap=%#lx\n",
			     inits, (unsigned long long)objects, (unsigned long)kept_obj[0],
			     (unsigned long)kept_heap);
	else
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
