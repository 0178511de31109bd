// SPDX-License-Identifier: GPL-2.0
/*
 * The block shim: for a domain implementing "block", the TCB owns every
 * kernel-facing object (tag set, gendisks, queues, block_device_operations)
 * and forwards each request to the domain's rw() through the proxy.  The
 * domain sees a request only as a number valid during that call, and moves
 * data with svc->req_copy().
 *
 * Requests complete inline (no interrupt emulation).  If the domain faults,
 * is restarting, or is being upgraded when a request arrives, the request
 * is requeued and retried a bounded number of times, so callers see no
 * error for a fault the restarted instance recovers from.
 */
#include "internal.h"
#include <linux/kernel.h>
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include "compat/blk.h"
#include "range.h"

#define DC_BLK_MAX_DEVICES	64
#define DC_BLK_MAX_DEPTH	4096
#define DC_BLK_MAX_RETRIES	20	/* requeues of one request */
#define DC_BLK_RETRY_MS		2	/* delay before a requeued request runs */

struct dc_blk_shim;

struct dc_blk_dev {
	struct dc_blk_shim *shim;
	unsigned int index;
	struct gendisk *disk;
	bool added;
};

/* The block devices of one domain (d->shim). */
struct dc_blk_shim {
	struct dc_domain *d;
	int major;
	char name[DC_NAME_MAX + 2];
	struct blk_mq_tag_set set;
	bool set_allocated;
	unsigned int nr_devices, block_size, nr_queues, depth;
	u64 capacity;			/* sectors */
	struct dc_openers openers;	/* of all its devices */
	struct dc_blk_dev devs[];
};

/* Per request: how often it was requeued for a faulted domain. */
struct dc_blk_cmd {
	unsigned int retries;
};

/*
 * The request being handed to a domain on this CPU (calls do not migrate),
 * and where the last req_copy() ended in it: a domain copies a request in
 * order, page by page, so each copy resumes there instead of walking the
 * bios from the start again.
 */
struct dc_blk_ctx {
	struct request *rq;
	struct dc_domain *d;
	u64 cookie;
	struct bio *bio;		/* NULL: start from rq->bio */
	struct bvec_iter it;		/* position within @bio */
	u64 pos;			/* byte offset in the request at @it */
};
static DEFINE_PER_CPU(struct dc_blk_ctx, dc_blk_current);
static DEFINE_PER_CPU(u64, dc_blk_seq);

static int blk_op(struct request *rq)
{
	switch (req_op(rq)) {
	case REQ_OP_READ:
		return DC_BLK_OP_READ;
	case REQ_OP_WRITE:
		return DC_BLK_OP_WRITE;
	case REQ_OP_FLUSH:
		return DC_BLK_OP_FLUSH;
	case REQ_OP_DISCARD:
		return DC_BLK_OP_DISCARD;
	case REQ_OP_WRITE_ZEROES:
		return DC_BLK_OP_WRITE_ZEROES;
	default:
		return -1;
	}
}

static blk_status_t blk_status_of(long ret)
{
	switch (ret) {
	case DC_BLK_STS_OK:
		return BLK_STS_OK;
	case DC_BLK_STS_NOTSUPP:
		return BLK_STS_NOTSUPP;
	case DC_BLK_STS_NOSPC:
		return BLK_STS_NOSPC;
	default:
		return BLK_STS_IOERR;
	}
}

static blk_status_t dc_blk_queue_rq(struct blk_mq_hw_ctx *hctx,
				    const struct blk_mq_queue_data *bd)
{
	struct request *rq = bd->rq;
	struct dc_blk_dev *dev = hctx->queue->queuedata;
	struct dc_blk_cmd *cmd = blk_mq_rq_to_pdu(rq);
	struct dc_domain *d = dev->shim->d;
	struct dc_blk_ctx *ctx, saved;
	int op = blk_op(rq);
	long ret;

	blk_mq_start_request(rq);
	if (op < 0) {
		blk_mq_end_request(rq, BLK_STS_NOTSUPP);
		return BLK_STS_OK;
	}
	preempt_disable();
	ctx = this_cpu_ptr(&dc_blk_current);
	saved = *ctx;		/* a request issued from an interrupt nests */
	ctx->rq = rq;
	ctx->d = d;
	ctx->cookie = this_cpu_inc_return(dc_blk_seq);
	ctx->bio = NULL;
	ret = dc_call_block_rw(d, DC_BLK_DEVOP(dev->index, op), blk_rq_pos(rq),
			       blk_rq_bytes(rq), ctx->cookie);
	*ctx = saved;
	preempt_enable();

	if (ret < 0) {
		/* The TCB's answer: the domain faulted, is restarting, or is down. */
		if (ret != -ENODEV && cmd->retries++ < DC_BLK_MAX_RETRIES) {
			blk_mq_requeue_request(rq, false);
			blk_mq_delay_kick_requeue_list(rq->q, DC_BLK_RETRY_MS);
			return BLK_STS_OK;
		}
		pr_warn_ratelimited("%s: request failed after %u retries (%ld)\n",
				    dev->disk->disk_name, cmd->retries, ret);
		ret = DC_BLK_STS_IOERR;
	}
	cmd->retries = 0;
	blk_mq_end_request(rq, blk_status_of(ret));
	return BLK_STS_OK;
}

/* The request PDUs start zeroed and retries is reset on completion. */
static const struct blk_mq_ops dc_blk_mq_ops = {
	.queue_rq = dc_blk_queue_rq,
};

static long dc_blk_req_copy(struct dc_instance *inst, u64 req, u64 offset,
			    void *buf, size_t len, int to_request)
{
	struct dc_blk_ctx *ctx = this_cpu_ptr(&dc_blk_current);
	u8 *p = buf;

	/* -EINVAL is the caller's bug: services.c turns it into a fault. */
	if (!ctx->rq || ctx->cookie != req || ctx->d != inst->dom ||
	    !dc_range_within(offset, len, blk_rq_bytes(ctx->rq)))
		return -EINVAL;
	/* Only reads and writes carry data pages (discard has no vectors). */
	if (req_op(ctx->rq) != REQ_OP_READ && req_op(ctx->rq) != REQ_OP_WRITE)
		return -ENODATA;
	if (!len)
		return 0;
	if (!ctx->bio || offset < ctx->pos) {
		ctx->bio = ctx->rq->bio;
		ctx->it = ctx->bio->bi_iter;
		ctx->pos = 0;
	}
	while (len) {
		struct bio_vec bv;
		unsigned int skip, n;
		u8 *data;

		if (!ctx->it.bi_size) {
			/* The range check keeps us within the request's bios. */
			ctx->bio = ctx->bio->bi_next;
			ctx->it = ctx->bio->bi_iter;
			continue;
		}
		bv = bio_iter_iovec(ctx->bio, ctx->it);	/* within one page */
		if (ctx->pos + bv.bv_len <= offset) {
			bio_advance_iter(ctx->bio, &ctx->it, bv.bv_len);
			ctx->pos += bv.bv_len;
			continue;
		}
		skip = offset - ctx->pos;
		n = min_t(size_t, bv.bv_len - skip, len);
		/* x86-64 has no highmem: every page has a kernel address. */
		data = (u8 *)page_address(bv.bv_page) + bv.bv_offset + skip;
		if (to_request)
			memcpy(data, p, n);
		else
			memcpy(p, data, n);
		bio_advance_iter(ctx->bio, &ctx->it, skip + n);
		ctx->pos += skip + n;
		offset += n;
		p += n;
		len -= n;
	}
	return 0;
}

static int dc_blk_open(DC_BLK_OPEN_ARGS)
{
	struct dc_blk_dev *dev = DC_BLK_OPEN_DISK->private_data;

	return dc_openers_get(&dev->shim->openers);
}

static void dc_blk_release(DC_BLK_RELEASE_ARGS)
{
	struct dc_blk_dev *dev = disk->private_data;

	dc_openers_put(&dev->shim->openers);
}

static const struct block_device_operations dc_blk_fops = {
	.owner = THIS_MODULE,
	.open = dc_blk_open,
	.release = dc_blk_release,
};

/* Ask instance @inst (published or not) for a device property. */
static long info_of(struct dc_instance *inst, unsigned int dev, unsigned int what)
{
	long ret;

	preempt_disable();
	ret = dc_instance_call(inst, inst->ops[DC_M_block_info], dev, what, 0, 0);
	preempt_enable();
	return ret;
}

struct dc_blk_geometry {
	long nr_devices, block_size, capacity, nr_queues, depth;
};

static int read_geometry(struct dc_instance *inst, struct dc_blk_geometry *g,
			 char *err)
{
	g->nr_devices = info_of(inst, 0, DC_BLK_INFO_NR_DEVICES);
	g->block_size = info_of(inst, 0, DC_BLK_INFO_BLOCK_SIZE);
	g->capacity = info_of(inst, 0, DC_BLK_INFO_CAPACITY);
	g->nr_queues = info_of(inst, 0, DC_BLK_INFO_NR_QUEUES);
	g->depth = info_of(inst, 0, DC_BLK_INFO_QUEUE_DEPTH);
	if (g->nr_devices < 1 || g->nr_devices > DC_BLK_MAX_DEVICES) {
		scnprintf(err, DC_ERROR_MAX, "block domain reports %ld devices (1..%d)",
			  g->nr_devices, DC_BLK_MAX_DEVICES);
		return -EINVAL;
	}
	if (g->block_size < 512 || g->block_size > PAGE_SIZE ||
	    !is_power_of_2(g->block_size)) {
		scnprintf(err, DC_ERROR_MAX, "block domain reports block size %ld", g->block_size);
		return -EINVAL;
	}
	if (g->capacity <= 0 || g->nr_queues < 1 || g->depth < 1 ||
	    g->depth > DC_BLK_MAX_DEPTH) {
		scnprintf(err, DC_ERROR_MAX, "block domain reports capacity %ld, %ld queues of depth %ld",
			  g->capacity, g->nr_queues, g->depth);
		return -EINVAL;
	}
	g->nr_queues = min_t(long, g->nr_queues, nr_cpu_ids);
	return 0;
}

static void dc_blk_remove(struct dc_domain *d)
{
	struct dc_blk_shim *s = d->shim;
	unsigned int i;

	if (!s)
		return;
	for (i = 0; i < s->nr_devices; i++)
		if (s->devs[i].disk)
			dc_blk_free_disk(s->devs[i].disk, s->devs[i].added);
	if (s->set_allocated)
		blk_mq_free_tag_set(&s->set);
	if (s->major > 0)
		unregister_blkdev(s->major, s->name);
	kfree(s);
	d->shim = NULL;
}

static int dc_blk_add(struct dc_domain *d, struct dc_instance *inst, char *err)
{
	struct dc_blk_geometry g;
	struct dc_blk_limits lim;
	struct dc_blk_shim *s;
	unsigned int i;
	int rc;

	rc = read_geometry(inst, &g, err);
	if (rc)
		return rc;
	s = kzalloc(struct_size(s, devs, g.nr_devices), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	d->shim = s;
	s->d = d;
	dc_openers_init(&s->openers);
	s->nr_devices = g.nr_devices;
	s->block_size = g.block_size;
	s->capacity = g.capacity;
	s->nr_queues = g.nr_queues;
	s->depth = g.depth;
	scnprintf(s->name, sizeof(s->name), "d%s", d->name);
	s->major = register_blkdev(0, s->name);
	if (s->major < 0) {
		rc = s->major;
		goto fail;
	}
	s->set.ops = &dc_blk_mq_ops;
	s->set.nr_hw_queues = s->nr_queues;
	s->set.queue_depth = s->depth;
	s->set.numa_node = NUMA_NO_NODE;
	s->set.cmd_size = sizeof(struct dc_blk_cmd);
	s->set.flags = DC_BLK_MQ_F_MERGE;
	s->set.driver_data = s;
	rc = blk_mq_alloc_tag_set(&s->set);
	if (rc)
		goto fail;
	s->set_allocated = true;

	lim.block_size = s->block_size;
	lim.max_hw_sectors = 1024;	/* 512 KiB per request, as null_blk */
	for (i = 0; i < s->nr_devices; i++) {
		struct dc_blk_dev *dev = &s->devs[i];
		struct gendisk *disk;

		dev->shim = s;
		dev->index = i;
		disk = dc_blk_alloc_disk(&s->set, &lim, dev);
		if (IS_ERR(disk)) {
			rc = PTR_ERR(disk);
			goto fail;
		}
		dev->disk = disk;
		disk->major = s->major;
		disk->first_minor = i;
		disk->minors = 1;
		disk->fops = &dc_blk_fops;
		disk->private_data = dev;
		scnprintf(disk->disk_name, DISK_NAME_LEN, "%s%u", s->name, i);
		set_capacity(disk, s->capacity);
		rc = dc_blk_add_disk(disk);
		if (rc)
			goto fail;
		dev->added = true;
	}
	return 0;
fail:
	scnprintf(err, DC_ERROR_MAX, "cannot create its block devices (%d)", rc);
	dc_blk_remove(d);
	return rc;
}

static int dc_blk_begin_removal(struct dc_domain *d)
{
	struct dc_blk_shim *s = d->shim;

	return dc_openers_begin_removal(&s->openers);
}

/* A new instance must serve the same devices the shim already has. */
static int dc_blk_check(struct dc_domain *d, struct dc_instance *inst, char *err)
{
	struct dc_blk_shim *s = d->shim;
	struct dc_blk_geometry g;
	int rc;

	rc = read_geometry(inst, &g, err);
	if (rc)
		return rc;
	if (g.nr_devices != s->nr_devices || g.block_size != s->block_size ||
	    g.capacity != s->capacity) {
		scnprintf(err, DC_ERROR_MAX, "the new instance changes the devices (%ld x %ld sectors of %ld bytes, now %u x %llu of %u)",
			  g.nr_devices, g.capacity, g.block_size, s->nr_devices,
			  s->capacity, s->block_size);
		return -EINVAL;
	}
	return 0;
}

const struct dc_shim_ops dc_block_shim = {
	.add = dc_blk_add,
	.check = dc_blk_check,
	.begin_removal = dc_blk_begin_removal,
	.remove = dc_blk_remove,
	.req_copy = dc_blk_req_copy,
};
