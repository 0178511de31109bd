/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-kernel backends behind the executable-memory layer (exec_mem.c).
 * Exactly one generation is compiled in; see exec_mem_backend.c.
 */
#ifndef DC_COMPAT_EXEC_MEM_BACKEND_H
#define DC_COMPAT_EXEC_MEM_BACKEND_H

#include <linux/types.h>

enum dc_prot {
	DC_PROT_RW,	/* data and bss: read-write, never executable */
	DC_PROT_RO,	/* rodata: read-only, not executable */
	DC_PROT_RX,	/* text: read-only and executable */
};

int dc_exec_backend_init(void);
const char *dc_exec_backend_name(void);

/* Page-aligned, read-write, not executable on return. */
void *dc_exec_backend_alloc(size_t size);
int dc_exec_backend_protect(void *addr, size_t size, enum dc_prot prot);
/* Takes memory in any state dc_exec_backend_protect() can leave it in. */
void dc_exec_backend_free(void *addr, size_t size);

#endif
