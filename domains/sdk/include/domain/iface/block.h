/* SPDX-License-Identifier: GPL-2.0 */
/*
 * block: a block device driver.  The TCB's block shim owns the kernel
 * objects (tag set, gendisk, queue) and forwards each request here; data
 * moves only through svc->req_copy(), so the domain never sees a kernel
 * pointer.
 */
#ifndef DOMAIN_IFACE_BLOCK_H
#define DOMAIN_IFACE_BLOCK_H

#include "../iface.h"

#define DC_IFACE_block_VERSION	1

/* info(): properties of the devices, asked when they are created. */
#define DC_BLK_INFO_NR_DEVICES		0
#define DC_BLK_INFO_BLOCK_SIZE		1	/* bytes, 512..4096 */
#define DC_BLK_INFO_CAPACITY		2	/* in 512-byte sectors */
#define DC_BLK_INFO_NR_QUEUES		3	/* hardware submission queues */
#define DC_BLK_INFO_QUEUE_DEPTH		4

/* rw(): the operation is the low byte of @devop, the device the rest. */
#define DC_BLK_OP_READ			0
#define DC_BLK_OP_WRITE			1
#define DC_BLK_OP_FLUSH			2
#define DC_BLK_OP_DISCARD		3
#define DC_BLK_OP_WRITE_ZEROES		4
#define DC_BLK_DEVOP(dev, op)		(((uint32_t)(dev) << 8) | (op))

/* What rw() returns: 0 or one of these (negative values are the TCB's). */
#define DC_BLK_STS_OK			0
#define DC_BLK_STS_IOERR		1
#define DC_BLK_STS_NOTSUPP		2
#define DC_BLK_STS_NOSPC		3

/*
 * info: the value of property @what of device @dev, or -EINVAL.
 * rw:   carry out one request of @bytes bytes at @sector; @req names the
 *       request for svc->req_copy() during this call only.
 */
#define DC_IFACE_block(M, X)						\
	M(X, long, info, 0, (uint32_t dev, uint32_t what), (dev, what)) \
	M(X, long, rw, 0, (uint32_t devop, uint64_t sector, uint64_t bytes, uint64_t req), \
	  (devop, sector, bytes, req))

DC_DECLARE_IFACE(block);

#endif
