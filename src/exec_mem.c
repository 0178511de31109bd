// SPDX-License-Identifier: GPL-2.0
/*
 * Bounds and state checks for executable memory; the kernel-facing work is
 * in compat/exec_mem_backend.c.
 */
#include "internal.h"
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/atomic.h>
#include "range.h"

static atomic_long_t live_regions = ATOMIC_LONG_INIT(0);
static atomic_long_t live_pages = ATOMIC_LONG_INIT(0);

int dc_exec_init(void)
{
	return dc_exec_backend_init();
}

const char *dc_exec_backend(void)
{
	return dc_exec_backend_name();
}

struct dc_exec_mem *dc_exec_alloc(size_t size)
{
	struct dc_exec_mem *mem;

	if (!size || size > DC_EXEC_MAX_SIZE)
		return ERR_PTR(-EFBIG);
	size = PAGE_ALIGN(size);

	mem = kzalloc(sizeof(*mem), GFP_KERNEL);
	if (!mem)
		return ERR_PTR(-ENOMEM);
	mem->base = dc_exec_backend_alloc(size);
	if (!mem->base) {
		kfree(mem);
		return ERR_PTR(-ENOMEM);
	}
	mem->size = size;
	/* Stale bytes (e.g. the ROX cache's int3 fill) must not leak into an image. */
	memset(mem->base, 0, size);
	atomic_long_inc(&live_regions);
	atomic_long_add(size >> PAGE_SHIFT, &live_pages);
	return mem;
}

int dc_exec_write(struct dc_exec_mem *mem, size_t offset, const void *src,
		  size_t len)
{
	if (mem->sealed)
		return -EPERM;
	if (!dc_range_within(offset, len, mem->size))
		return -ERANGE;
	memcpy((u8 *)mem->base + offset, src, len);
	return 0;
}

int dc_exec_protect(struct dc_exec_mem *mem,
		    const struct dc_prot_range *ranges, unsigned int count)
{
	unsigned int i;
	int err;

	if (mem->sealed)
		return -EPERM;
	for (i = 0; i < count; i++) {
		if (!PAGE_ALIGNED(ranges[i].offset) ||
		    !PAGE_ALIGNED(ranges[i].size) ||
		    !dc_range_within(ranges[i].offset, ranges[i].size, mem->size))
			return -ERANGE;
	}
	/* From here on the region is never written again, even on failure. */
	mem->sealed = true;
	for (i = 0; i < count; i++) {
		if (!ranges[i].size)
			continue;
		err = dc_exec_backend_protect((u8 *)mem->base + ranges[i].offset,
					      ranges[i].size, ranges[i].prot);
		if (err)
			return err;
	}
	return 0;
}

void dc_exec_free(struct dc_exec_mem *mem)
{
	if (IS_ERR_OR_NULL(mem))
		return;
	dc_exec_backend_free(mem->base, mem->size);
	atomic_long_dec(&live_regions);
	atomic_long_sub(mem->size >> PAGE_SHIFT, &live_pages);
	kfree(mem);
}

long dc_exec_live_regions(void)
{
	return atomic_long_read(&live_regions);
}

long dc_exec_live_pages(void)
{
	return atomic_long_read(&live_pages);
}
