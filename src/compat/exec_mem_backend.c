// SPDX-License-Identifier: GPL-2.0
/*
 * Executable memory, one backend per kernel API generation.
 *
 *   < 5.8        __vmalloc(size, gfp, prot): the pgprot argument went away
 *                in 5.8 ("mm: remove the pgprot argument to __vmalloc").
 *   5.8 .. 6.9   module_alloc(): the module loader's allocator; it places
 *                memory in the module area, within +-2 GiB of the kernel.
 *   6.10 ..      execmem_alloc(): replaced module_alloc in 6.10.
 *   ROX cache    from about 6.14 x86 hands out module text from a cache that
 *                is already read-only+executable.  Kbuild probes the headers
 *                for execmem_alloc_rw() (the kernel's own way to get such
 *                memory writable, used by its module loader); whether the
 *                cache is active is only known at run time, so
 *                execmem_is_rox() decides at load time.
 *
 * None of these functions nor set_memory_* is exported, so all are resolved
 * at load time and called through dc_call_sealed() (IBT, see ibt_call.S).
 */
#include "internal.h"
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <linux/version.h>
#include "ksym/ksym.h"
#include "exec_mem_backend.h"

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#include <linux/execmem.h>
#define DC_EXECMEM 1
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
#define DC_MODULE_ALLOC 1
#else
#define DC_VMALLOC_PGPROT 1
#endif

static struct {
	unsigned long set_memory_ro, set_memory_rw, set_memory_x, set_memory_nx;
	unsigned long alloc, free;
#ifdef DC_HAVE_EXECMEM_ALLOC_RW
	unsigned long alloc_rw, restore_rox, is_rox;
#endif
} fn;

#ifdef DC_HAVE_EXECMEM_ALLOC_RW
/* Memory comes from the execmem ROX cache: text is made RX the kernel's way. */
static bool rox_cache;
#else
#define rox_cache false
#endif

static int resolve(unsigned long *slot, const char *name)
{
	*slot = dc_ksym(name);
	if (!*slot) {
		pr_err("kernel symbol %s not found\n", name);
		return -ENOENT;
	}
	return 0;
}

int dc_exec_backend_init(void)
{
	int err = 0;

	err |= resolve(&fn.set_memory_ro, "set_memory_ro");
	err |= resolve(&fn.set_memory_rw, "set_memory_rw");
	err |= resolve(&fn.set_memory_x, "set_memory_x");
	err |= resolve(&fn.set_memory_nx, "set_memory_nx");
#if defined(DC_EXECMEM)
	err |= resolve(&fn.alloc, "execmem_alloc");
	err |= resolve(&fn.free, "execmem_free");
#ifdef DC_HAVE_EXECMEM_ALLOC_RW
	err |= resolve(&fn.alloc_rw, "execmem_alloc_rw");
	err |= resolve(&fn.restore_rox, "execmem_restore_rox");
	err |= resolve(&fn.is_rox, "execmem_is_rox");
	if (!err)
		rox_cache = DC_CALL1(fn.is_rox, EXECMEM_MODULE_TEXT) & 1;
#endif
#elif defined(DC_MODULE_ALLOC)
	err |= resolve(&fn.alloc, "module_alloc");
	err |= resolve(&fn.free, "module_memfree");
#endif
	return err ? -ENOENT : 0;
}

const char *dc_exec_backend_name(void)
{
#if defined(DC_EXECMEM)
	return rox_cache ? "execmem-rox" : "execmem";
#elif defined(DC_MODULE_ALLOC)
	return "module_alloc";
#else
	return "vmalloc-pgprot";
#endif
}

static int set_pages(unsigned long setter, void *addr, size_t size)
{
	return (int)DC_CALL2(setter, addr, size >> PAGE_SHIFT);
}

void *dc_exec_backend_alloc(size_t size)
{
#if defined(DC_EXECMEM)
#ifdef DC_HAVE_EXECMEM_ALLOC_RW
	/* Read-write even when the region comes from the ROX cache. */
	return (void *)DC_CALL2(fn.alloc_rw, EXECMEM_MODULE_TEXT, size);
#else
	return (void *)DC_CALL2(fn.alloc, EXECMEM_MODULE_TEXT, size);
#endif
#elif defined(DC_MODULE_ALLOC)
	return (void *)DC_CALL1(fn.alloc, size);
#else
	return __vmalloc(size, GFP_KERNEL, PAGE_KERNEL);
#endif
}

int dc_exec_backend_protect(void *addr, size_t size, enum dc_prot prot)
{
	int err;

	switch (prot) {
	case DC_PROT_RW:
		return 0;	/* allocated that way */
	case DC_PROT_RO:
		return set_pages(fn.set_memory_ro, addr, size);
	case DC_PROT_RX:
#ifdef DC_HAVE_EXECMEM_ALLOC_RW
		if (rox_cache)
			return (int)DC_CALL2(fn.restore_rox, addr, size);
#endif
		/* Read-only first, so the range is never writable and executable. */
		err = set_pages(fn.set_memory_ro, addr, size);
		if (err)
			return err;
		return set_pages(fn.set_memory_x, addr, size);
	}
	return -EINVAL;
}

void dc_exec_backend_free(void *addr, size_t size)
{
	if (!addr)
		return;
#ifdef DC_HAVE_EXECMEM_ALLOC_RW
	if (rox_cache) {
		/*
		 * The region goes back to the ROX cache, which hands it out
		 * again as module text: it must be ROX throughout.
		 */
		DC_CALL2(fn.restore_rox, addr, size);
		DC_CALL1(fn.free, addr);
		return;
	}
#endif
	/* Not executable first, so no page is ever writable and executable. */
	set_pages(fn.set_memory_nx, addr, size);
	set_pages(fn.set_memory_rw, addr, size);
#if defined(DC_EXECMEM) || defined(DC_MODULE_ALLOC)
	DC_CALL1(fn.free, addr);
#else
	vfree(addr);
#endif
}
