// SPDX-License-Identifier: GPL-2.0
/* Test helpers (domain/testing.h): what is not inlined into the caller. */
#include "internal.h"
#include <domain/testing.h>

/* dom_test_fault("stack"): its own frame, so the guard is its own too. */
void dom__test_smash(size_t n)
{
	char buf[16];

	for (size_t i = 0; i < n; i++)
		((volatile char *)buf)[i] = 'A';
	dom_dbg("%.*s", 16, buf);
}

/* dom_test_fault("recurse"): 256 bytes of frame per level. */
int dom__test_recurse(int depth)
{
	volatile char pad[256];

	pad[0] = (char)depth;
	if (!depth)
		return 0;
	return dom__test_recurse(depth - 1) + pad[0];
}

/* What dom_test_hold() keeps: each heap block holds one shared object. */
struct held {
	struct held *next;
	dc_obj_t obj;
};

static struct held *held;
static uint64_t held_blocks, held_objects;

int dom_test_hold(uint64_t n)
{
	struct held *h;

	if (n > DOM_TEST_MAX_HOLD)
		return -EINVAL;
	for (uint64_t i = 0; i < n; i++) {
		h = dom_malloc(sizeof(*h));
		if (!h)
			return -ENOMEM;
		h->obj = dom_obj_alloc(DC_OBJ_BYTES, 64);
		h->next = __atomic_load_n(&held, __ATOMIC_RELAXED);
		while (!__atomic_compare_exchange_n(&held, &h->next, h, true,
						    __ATOMIC_RELEASE,
						    __ATOMIC_RELAXED))
			;
		__atomic_add_fetch(&held_blocks, 1, __ATOMIC_RELAXED);
		if (!h->obj)
			return -ENOMEM;
		__atomic_add_fetch(&held_objects, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

void dom_test_held(uint64_t *blocks, uint64_t *objects)
{
	*blocks = __atomic_load_n(&held_blocks, __ATOMIC_RELAXED);
	*objects = __atomic_load_n(&held_objects, __ATOMIC_RELAXED);
}

long dom_test_command(dc_obj_t data, char *cmd, size_t size)
{
	size_t len = 0, n;
	const char *p = dom_obj_data(data, DC_OBJ_BYTES, &len);

	if (!p || !size) {
		dom_obj_free(data);
		return -EINVAL;
	}
	n = DOM_MIN(len, size - 1);
	memcpy(cmd, p, n);
	dom_obj_free(data);
	while (n && (cmd[n - 1] == '\n' || cmd[n - 1] == ' '))
		n--;
	cmd[n] = '\0';
	return (long)len;
}
