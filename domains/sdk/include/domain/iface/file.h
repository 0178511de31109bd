/* SPDX-License-Identifier: GPL-2.0 */
/* file: a byte-addressed file that the TCB exposes as a device node. */
#ifndef DOMAIN_IFACE_FILE_H
#define DOMAIN_IFACE_FILE_H

#include "../iface.h"

#define DC_IFACE_file_VERSION	1
/*
 * read: up to @len bytes from @offset, returned as a new DC_OBJ_BYTES
 *       object whose size is the byte count (0 at end of file).
 * write: the bytes of @data (DC_OBJ_BYTES, consumed) at @offset; returns
 *       the number of bytes written.
 */
#define DC_IFACE_file(M, X)						\
	M(X, long, read, DC_RET_OBJ, (uint64_t len, uint64_t offset), (len, offset)) \
	M(X, long, write, DC_ARG_OBJ(0), (dc_obj_t data, uint64_t offset), (data, offset))

DC_DECLARE_IFACE(file);

#endif
