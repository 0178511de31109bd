// SPDX-License-Identifier: GPL-2.0
/*
 * The callers: what the kernel's shims do for each interface
 * (src/shim_file.c, src/shim_block.c), with the test in the kernel's
 * place.  The test's objects are what the shims' objects are in the
 * kernel: owned by the kernel side until a call passes them on.
 */
#include <errno.h>
#include <string.h>
#include "internal.h"
#include "range.h"

#define DT_SHIM_MAX_IO		(64UL << 10)	/* bytes per read or write call */
#define DT_BLK_MAX_DEVICES	64
#define DT_BLK_MAX_DEPTH	4096
#define DT_BLK_MAX_RETRIES	20		/* requeues of one request */

/* A call from the test, as a shim makes it; then the policy is applied. */
static long shim_call(struct dt_domain *d, const char *iface, unsigned int method,
		      uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	long ret;

	if (d->iface != dt_iface_find(iface))
		return -EPROTONOSUPPORT;
	ret = dt_proxy_call(d, &dt_test_owner, method, a0, a1, a2, a3);
	dt_settle();
	return ret;
}

long dt_call(struct dt_domain *d, unsigned int method, uint64_t a0, uint64_t a1,
	     uint64_t a2, uint64_t a3)
{
	if (method >= d->iface->nr_methods)
		return -EINVAL;
	return shim_call(d, d->iface->name, method, a0, a1, a2, a3);
}

/* ------------------------------------------------------------------ */
/* The block caller (src/shim_block.c) */

/* The request being served: a number valid during its call only. */
struct block_request {
	struct dt_domain *d;
	uint64_t cookie;
	unsigned char *data;
	uint64_t bytes;
	unsigned int op;
};

static struct block_request *current_request;
static uint64_t request_seq;

long dt_block_req_copy(struct dt_instance *inst, uint64_t req, uint64_t offset,
		       void *buf, size_t len, int to_request)
{
	struct block_request *rq = current_request;

	/* -EINVAL is the domain's bug: services.c turns it into a fault. */
	if (!rq || rq->cookie != req || rq->d != inst->dom ||
	    !dc_range_within(offset, len, rq->bytes))
		return -EINVAL;
	if (rq->op != DC_BLK_OP_READ && rq->op != DC_BLK_OP_WRITE)
		return -ENODATA;
	if (to_request)
		memcpy(rq->data + offset, buf, len);
	else
		memcpy(buf, rq->data + offset, len);
	return 0;
}

long dt_block_rw(struct dt_domain *d, uint32_t devop, uint64_t sector,
		 uint64_t bytes, void *buf)
{
	struct block_request rq = { d, 0, buf, bytes, devop & 0xff }, *saved;
	unsigned int tries;
	long ret;

	if (d->iface != dt_iface_find("block"))
		return -EPROTONOSUPPORT;
	for (tries = 0;; tries++) {
		saved = current_request;
		rq.cookie = ++request_seq;
		current_request = &rq;
		ret = dt_proxy_call(d, &dt_test_owner, DC_M_block_rw, devop, sector, bytes,
				    rq.cookie);
		current_request = saved;
		dt_settle();
		/* A fault, or a restart under way: requeued, as the shim does. */
		if (ret >= 0 || ret == -ENODEV || tries == DT_BLK_MAX_RETRIES)
			return ret;
		d->requeues++;
	}
}

long dt_block_info(struct dt_domain *d, uint32_t dev, uint32_t what)
{
	return shim_call(d, "block", DC_M_block_info, dev, what, 0, 0);
}

/* As the block shim reads them, with the same limits. */
int dt_read_geometry(struct dt_instance *inst, struct dt_block_geometry *g, char *err)
{
#define INFO(what) dt_instance_call(inst, inst->ops[DC_M_block_info], 0, what, 0, 0)
	g->nr_devices = INFO(DC_BLK_INFO_NR_DEVICES);
	g->block_size = INFO(DC_BLK_INFO_BLOCK_SIZE);
	g->capacity = INFO(DC_BLK_INFO_CAPACITY);
	g->nr_queues = INFO(DC_BLK_INFO_NR_QUEUES);
	g->depth = INFO(DC_BLK_INFO_QUEUE_DEPTH);
#undef INFO
	if (g->nr_devices < 1 || g->nr_devices > DT_BLK_MAX_DEVICES)
		dt_fmt(err, DT_ERROR_MAX, "block domain reports %ld devices (1..%d)",
		       g->nr_devices, DT_BLK_MAX_DEVICES);
	else if (g->block_size < 512 || g->block_size > (long)DT_PAGE_SIZE ||
		 (g->block_size & (g->block_size - 1)))
		dt_fmt(err, DT_ERROR_MAX, "block domain reports block size %ld", g->block_size);
	else if (g->capacity <= 0 || g->nr_queues < 1 || g->depth < 1 ||
		 g->depth > DT_BLK_MAX_DEPTH)
		dt_fmt(err, DT_ERROR_MAX, "block domain reports capacity %ld, %ld queues of depth %ld",
		       g->capacity, g->nr_queues, g->depth);
	else
		return 0;
	return -EINVAL;
}

/* ------------------------------------------------------------------ */
/* The file and log callers (src/shim_file.c) and bench */

long dt_file_read(struct dt_domain *d, uint64_t len, uint64_t off, void *buf)
{
	dc_obj_t obj;
	size_t size;
	void *data;
	long ret;

	if ((int64_t)off < 0)
		return -EINVAL;
	if (len > DT_SHIM_MAX_IO)
		len = DT_SHIM_MAX_IO;
	ret = shim_call(d, "file", DC_M_file_read, len, off, 0, 0);
	if (ret <= 0)
		return ret;
	obj = ret;
	data = dt_obj_data_of(&dt_test_owner, obj, DC_OBJ_BYTES, &size);
	if (!data || size > len) {
		ret = -EPROTO;		/* none, or more than asked for */
	} else {
		memcpy(buf, data, size);
		ret = size;
	}
	dt_obj_free_of(&dt_test_owner, obj);
	return ret;
}

long dt_file_write(struct dt_domain *d, uint64_t len, uint64_t off, const void *buf)
{
	dc_obj_t obj;
	long ret;

	if ((int64_t)off < 0)
		return -EINVAL;
	if (!len)
		return 0;
	if (len > DT_SHIM_MAX_IO)
		len = DT_SHIM_MAX_IO;
	obj = dt_obj_new(DC_OBJ_BYTES, buf, len);
	if (!obj)
		return -ENOMEM;
	ret = shim_call(d, "file", DC_M_file_write, obj, off, 0, 0);
	/* If the call never reached the domain, the object is still ours. */
	dt_obj_free_of(&dt_test_owner, obj);
	return ret;
}

long dt_log_write(struct dt_domain *d, int level, const char *msg)
{
	size_t len = strlen(msg);
	dc_obj_t obj;
	long ret;

	if (!len)
		return 0;
	if (len > DT_SHIM_MAX_IO)
		return -EMSGSIZE;	/* a record is never split */
	obj = dt_obj_new(DC_OBJ_BYTES, msg, len);
	if (!obj)
		return -ENOMEM;
	ret = shim_call(d, "log", DC_M_log_write, (uint64_t)level, obj, 0, 0);
	dt_obj_free_of(&dt_test_owner, obj);
	return ret >= 0 ? (long)len : ret;
}

long dt_bench_nop(struct dt_domain *d, uint64_t x)
{
	return shim_call(d, "bench", DC_M_bench_nop, x, 0, 0, 0);
}

dc_obj_t dt_obj_new(uint32_t type, const void *data, size_t len)
{
	dc_obj_t obj = dt_obj_alloc(&dt_test_owner, type, len);

	if (obj && len)
		memcpy(dt_obj_data_of(&dt_test_owner, obj, 0, NULL), data, len);
	return obj;
}

void *dt_obj_data(dc_obj_t obj, size_t *size)
{
	return dt_obj_data_of(&dt_test_owner, obj, 0, size);
}

int dt_obj_free(dc_obj_t obj)
{
	return dt_obj_free_of(&dt_test_owner, obj);
}
