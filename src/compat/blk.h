/* SPDX-License-Identifier: GPL-2.0 */
/*
 * blk-mq differences between the kernels we support, for shim_block.c.
 * Each check is the kernel release that changed the API.
 */
#ifndef DC_COMPAT_BLK_H
#define DC_COMPAT_BLK_H

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/version.h>
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 18, 0)
#include <linux/genhd.h>	/* merged into blkdev.h in 5.18 */
#endif

struct dc_blk_limits {
	unsigned int block_size;
	unsigned int max_hw_sectors;
};

/*
 * A gendisk with a blk-mq queue on @set.  5.14 added blk_mq_alloc_disk();
 * 6.9 made it take the queue limits, which replaced the blk_queue_*
 * setters; 6.11 replaced QUEUE_FLAG_NONROT by BLK_FEAT_ROTATIONAL, which is
 * off unless asked for.
 */
static inline struct gendisk *dc_blk_alloc_disk(struct blk_mq_tag_set *set,
						const struct dc_blk_limits *l,
						void *queuedata)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	struct queue_limits lim = {
		.logical_block_size = l->block_size,
		.physical_block_size = l->block_size,
		.max_hw_sectors = l->max_hw_sectors,
	};
	struct gendisk *disk = blk_mq_alloc_disk(set, &lim, queuedata);

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 11, 0)
	if (!IS_ERR(disk))
		blk_queue_flag_set(QUEUE_FLAG_NONROT, disk->queue);
#endif
	return disk;
#else
	struct request_queue *q;
	struct gendisk *disk;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 14, 0)
	disk = blk_mq_alloc_disk(set, queuedata);
	if (IS_ERR(disk))
		return disk;
	q = disk->queue;
#else
	q = blk_mq_init_queue(set);
	if (IS_ERR(q))
		return ERR_CAST(q);
	disk = alloc_disk(1);
	if (!disk) {
		blk_cleanup_queue(q);
		return ERR_PTR(-ENOMEM);
	}
	disk->queue = q;
	q->queuedata = queuedata;
#endif
	blk_queue_logical_block_size(q, l->block_size);
	blk_queue_physical_block_size(q, l->block_size);
	blk_queue_max_hw_sectors(q, l->max_hw_sectors);
	blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
	return disk;
#endif
}

/* add_disk() returns an error from 5.15 on. */
static inline int dc_blk_add_disk(struct gendisk *disk)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 15, 0)
	return add_disk(disk);
#else
	add_disk(disk);
	return 0;
#endif
}

/*
 * Undo dc_blk_alloc_disk() (and dc_blk_add_disk() if @added): the queue
 * became the disk's to free in 5.14 (blk_cleanup_disk) and put_disk()'s in
 * 6.0.
 */
static inline void dc_blk_free_disk(struct gendisk *disk, bool added)
{
	if (added)
		del_gendisk(disk);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 0, 0)
	put_disk(disk);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(5, 14, 0)
	blk_cleanup_disk(disk);
#else
	blk_cleanup_queue(disk->queue);
	put_disk(disk);
#endif
}

/* BLK_MQ_F_SHOULD_MERGE went away in 6.14, when merging became the default. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
#define DC_BLK_MQ_F_MERGE	0
#else
#define DC_BLK_MQ_F_MERGE	BLK_MQ_F_SHOULD_MERGE
#endif

/* 6.5 changed the open and release methods to take the gendisk. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define DC_BLK_OPEN_ARGS	struct gendisk *disk, blk_mode_t mode
#define DC_BLK_OPEN_DISK	disk
#define DC_BLK_RELEASE_ARGS	struct gendisk *disk
#else
#define DC_BLK_OPEN_ARGS	struct block_device *bdev, fmode_t mode
#define DC_BLK_OPEN_DISK	bdev->bd_disk
#define DC_BLK_RELEASE_ARGS	struct gendisk *disk, fmode_t mode
#endif

#endif
