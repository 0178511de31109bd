/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The executable-memory layer: one small interface over every kernel
 * generation.  A region is allocated read-write and not executable, filled
 * with dc_exec_write(), then sealed with dc_exec_protect(), which sets the
 * final permissions per page range (W^X) and refuses all writes afterwards.
 */
#ifndef DC_EXEC_MEM_H
#define DC_EXEC_MEM_H

#include <linux/types.h>
#include "domain/limits.h"
#include "compat/exec_mem_backend.h"

/* An image larger than this is refused before anything is allocated. */
#define DC_EXEC_MAX_SIZE	DC_IMAGE_MAX_BYTES

struct dc_exec_mem {
	void *base;
	size_t size;		/* whole pages */
	bool sealed;		/* protected: no further writes */
};

struct dc_prot_range {
	size_t offset;		/* page aligned, relative to base */
	size_t size;		/* page aligned */
	enum dc_prot prot;
};

int dc_exec_init(void);
const char *dc_exec_backend(void);

/* Zero-filled, read-write, not executable. */
struct dc_exec_mem *dc_exec_alloc(size_t size);
int dc_exec_write(struct dc_exec_mem *mem, size_t offset, const void *src,
		  size_t len);
int dc_exec_protect(struct dc_exec_mem *mem,
		    const struct dc_prot_range *ranges, unsigned int count);
void dc_exec_free(struct dc_exec_mem *mem);

/* Live regions and their pages, for leak checks. */
long dc_exec_live_regions(void);
long dc_exec_live_pages(void);

#endif
