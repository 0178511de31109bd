// SPDX-License-Identifier: GPL-2.0
/*
 * null_blk as a domain: the null block device users know from the kernel's
 * drivers/block/null_blk, behind the TCB's block shim (/dev/dnullbN).
 *
 * Parameters (as C null_blk's module parameters):
 *   nr_devices=N       devices (1..64, default 1)
 *   queue_mode=mq|2    only multi-queue is supported (default)
 *   submit_queues=N    hardware queues (default 1)
 *   hw_queue_depth=N   queue depth (default 64)
 *   bs=N               block size, 512..4096 (default 512)
 *   gb=N               size of each device in GiB (default 250)
 *   size=N             size in MiB instead (as null_blk's configfs "size")
 *   memory_backed=0|1  keep written data (default 0: reads return zeros)
 *   irqmode=0|none     complete inline; the only mode supported
 *   completion_nsec=N  accepted and ignored (it only applies to irqmode=2)
 *   fault_inject=0|1   test hook, see below (default 0)
 *
 * With memory_backed=1 every 4 KiB page written is an object in the state
 * store, so the data survives upgrades and restarts of the domain.
 *
 * fault_inject=1 makes a write of "DCFAULT:<kind>:<seq>" to the last 4 KiB
 * of device 0 fault in the way named (any kind of dom_test_fault(), and
 * badcopy and nullbuf, bad arguments to req_copy; any other kind panics),
 * once per sequence number: the request is requeued to the restarted
 * instance, which then just writes it.
 */
#include <domain/domain.h>
#include <domain/testing.h>

#ifdef NULLB_V2
DOMAIN_DEFINE("nullb", block, "2.0.0");
#else
DOMAIN_DEFINE("nullb", block, "1.0.0");
#endif

#define NB_PAGE			4096u
#define NB_SECTOR		512u
#define NB_MAX_DEVICES		64
#define NB_KEY(dev, pg)		(((uint64_t)(dev) << 48) | (pg))
#define NB_KEY_FAULT_SEQ	(1ull << 63)	/* last fault injected */
#define NB_LEAF_PAGES		512		/* page addresses per cache leaf */
#define NB_CACHE_MAX_TABLE	(1u << 20)	/* bytes of leaf table per device */

static struct {
	uint64_t nr_devices, submit_queues, hw_queue_depth, bs, gb, size_mb;
	bool memory_backed, fault_inject;
} cfg;
static uint64_t capacity;		/* bytes per device */
static struct dc_lock *alloc_lock;
static uint8_t ***page_cache[NB_MAX_DEVICES];	/* see nb_cache_slot() */
static const uint8_t zero_page[NB_PAGE];

static long nb_info(uint32_t dev, uint32_t what)
{
	if (dev >= cfg.nr_devices)
		return -EINVAL;
	switch (what) {
	case DC_BLK_INFO_NR_DEVICES:
		return (long)cfg.nr_devices;
	case DC_BLK_INFO_BLOCK_SIZE:
		return (long)cfg.bs;
	case DC_BLK_INFO_CAPACITY:
		return (long)(capacity / NB_SECTOR);
	case DC_BLK_INFO_NR_QUEUES:
		return (long)cfg.submit_queues;
	case DC_BLK_INFO_QUEUE_DEPTH:
		return (long)cfg.hw_queue_depth;
	default:
		return -EINVAL;
	}
}

/*
 * The slot caching the address of page @pg of device @dev, or NULL if
 * there is no cache.  The cache is this instance's own memory, a table of
 * leaves of NB_LEAF_PAGES addresses per device, so a page already seen
 * costs no service call.  Store objects are never freed while the domain
 * lives, so a cached address stays valid; a new instance starts empty.
 */
static uint8_t **nb_cache_slot(uint32_t dev, uint64_t pg)
{
	uint8_t ***leaves = page_cache[dev], **leaf;

	if (!leaves)
		return NULL;
	leaf = __atomic_load_n(&leaves[pg / NB_LEAF_PAGES], __ATOMIC_ACQUIRE);
	if (!leaf) {
		dom_lock(alloc_lock);
		leaf = leaves[pg / NB_LEAF_PAGES];
		if (!leaf) {
			leaf = dom_calloc(NB_LEAF_PAGES, sizeof(*leaf));
			__atomic_store_n(&leaves[pg / NB_LEAF_PAGES], leaf,
					 __ATOMIC_RELEASE);
		}
		dom_unlock(alloc_lock);
		if (!leaf)
			return NULL;
	}
	return &leaf[pg % NB_LEAF_PAGES];
}

/* The page of device @dev at @pg, created (zeroed) if @create. */
static uint8_t *nb_page(uint32_t dev, uint64_t pg, bool create)
{
	uint8_t **slot = nb_cache_slot(dev, pg);
	uint8_t *p = slot ? __atomic_load_n(slot, __ATOMIC_ACQUIRE) : NULL;
	dc_obj_t obj;

	if (p)
		return p;
	p = dom_store_data(NB_KEY(dev, pg), NULL);
	if (!p && create) {
		dom_lock(alloc_lock);
		p = dom_store_data(NB_KEY(dev, pg), NULL);	/* lost a race? */
		if (!p) {
			obj = dom_obj_alloc(DC_OBJ_BYTES, NB_PAGE);
			if (obj && !dom_store_put(NB_KEY(dev, pg), obj))
				p = dom_store_data(NB_KEY(dev, pg), NULL);
			else if (obj)
				dom_obj_free(obj);
		}
		dom_unlock(alloc_lock);
	}
	if (p && slot)
		__atomic_store_n(slot, p, __ATOMIC_RELEASE);
	return p;
}

/* A page cache per device, unless its table of leaves would be too big. */
static void nb_cache_init(void)
{
	uint64_t leaves = (capacity / NB_PAGE + NB_LEAF_PAGES - 1) / NB_LEAF_PAGES;
	uint64_t dev;

	if (!cfg.memory_backed || leaves * sizeof(void *) > NB_CACHE_MAX_TABLE)
		return;
	for (dev = 0; dev < cfg.nr_devices; dev++)
		page_cache[dev] = dom_calloc(leaves, sizeof(void *));
}

/* fault_inject: a "DCFAULT:<kind>:<seq>" write to the last page of dev 0. */
static void nb_maybe_fault(uint32_t dev, uint64_t pos, uint64_t bytes, uint64_t req)
{
	char cmd[48], *kind, *colon;
	uint64_t seq, *last;
	size_t size = 0;
	dc_obj_t obj;

	if (dev || pos != capacity - NB_PAGE || bytes < sizeof(cmd))
		return;
	if (dom_req_copy(req, 0, cmd, sizeof(cmd), 0) || memcmp(cmd, "DCFAULT:", 8))
		return;
	cmd[sizeof(cmd) - 1] = '\0';
	kind = cmd + 8;
	colon = strchr(kind, ':');
	if (!colon)
		return;
	*colon = '\0';
	if (dom_parse_u64(colon + 1, &seq))
		return;
	/* Once per sequence number: the requeued request must go through. */
	last = dom_store_data(NB_KEY_FAULT_SEQ, &size);
	if (!last) {
		obj = dom_obj_alloc(DC_OBJ_BYTES, sizeof(*last));
		if (!obj || dom_store_put(NB_KEY_FAULT_SEQ, obj))
			return;
		last = dom_store_data(NB_KEY_FAULT_SEQ, &size);
		if (!last)
			return;
	}
	if (seq <= *last)
		return;
	*last = seq;
	/* Bad arguments to req_copy: a range past the request, a NULL buffer. */
	if (!strcmp(kind, "badcopy"))
		dom_req_copy(req, bytes, cmd, 1, 0);
	else if (!strcmp(kind, "nullbuf"))
		dom_req_copy(req, 0, NULL, 8, 0);
	else if (dom_test_fault(kind) == -EINVAL)
		dom_panic("nullb: injected panic (no fault kind '%s')", kind);
}

static long nb_rw(uint32_t devop, uint64_t sector, uint64_t bytes, uint64_t req)
{
	uint32_t dev = devop >> 8, op = devop & 0xff;
	uint64_t pos = sector * NB_SECTOR, done;

	if (dev >= cfg.nr_devices || sector > capacity / NB_SECTOR ||
	    bytes > capacity - pos)
		return DC_BLK_STS_IOERR;
	switch (op) {
	case DC_BLK_OP_FLUSH:
		return DC_BLK_STS_OK;
	case DC_BLK_OP_READ:
	case DC_BLK_OP_WRITE:
	case DC_BLK_OP_DISCARD:
	case DC_BLK_OP_WRITE_ZEROES:
		break;
	default:
		return DC_BLK_STS_NOTSUPP;
	}
	if (cfg.fault_inject && op == DC_BLK_OP_WRITE)
		nb_maybe_fault(dev, pos, bytes, req);
	if (!cfg.memory_backed)
		return DC_BLK_STS_OK;

	for (done = 0; done < bytes;) {
		uint64_t at = pos + done, pg = at / NB_PAGE;
		size_t in = at % NB_PAGE, n = DOM_MIN(NB_PAGE - in, bytes - done);
		uint8_t *p;

		switch (op) {
		case DC_BLK_OP_READ:
			p = nb_page(dev, pg, false);
			if (dom_req_copy(req, done, (void *)(p ? p + in : zero_page + in), n, 1))
				return DC_BLK_STS_IOERR;
			break;
		case DC_BLK_OP_WRITE:
			p = nb_page(dev, pg, true);
			if (!p)
				return DC_BLK_STS_NOSPC;
			if (dom_req_copy(req, done, p + in, n, 0))
				return DC_BLK_STS_IOERR;
			break;
		default:	/* discard, write zeroes: the range reads as zeros */
			p = nb_page(dev, pg, false);
			if (p)
				memset(p + in, 0, n);
			break;
		}
		done += n;
	}
	return DC_BLK_STS_OK;
}

static const struct block_ops nb_ops = {
	.info = nb_info,
	.rw = nb_rw,
};

/* "name=V" where V may be a number or one of two words for 0 and 2. */
static int nb_param_mode(const char *params, const char *key, const char *word0,
			 uint64_t want, const char *what)
{
	char buf[16];
	uint64_t v;

	if (dom_param_str(params, key, "", buf, sizeof(buf)))
		return -EINVAL;
	if (!buf[0] || (word0 && !strcmp(buf, word0)))
		return 0;
	if (dom_parse_u64(buf, &v) || v != want) {
		dom_err("%s=%s is not supported (only %s)", key, buf, what);
		return -EINVAL;
	}
	return 0;
}

long dom_init(const char *params, struct dc_entry_result *out)
{
	uint64_t ignored;

	if (DOM_PARAMS_ALLOW(params, "nr_devices", "queue_mode", "submit_queues",
			     "hw_queue_depth", "bs", "gb", "memory_backed", "irqmode",
			     "completion_nsec", "fault_inject", "size") ||
	    dom_param_u64(params, "nr_devices", 1, &cfg.nr_devices) ||
	    dom_param_u64(params, "submit_queues", 1, &cfg.submit_queues) ||
	    dom_param_u64(params, "hw_queue_depth", 64, &cfg.hw_queue_depth) ||
	    dom_param_u64(params, "bs", 512, &cfg.bs) ||
	    dom_param_u64(params, "gb", 250, &cfg.gb) ||
	    dom_param_u64(params, "size", 0, &cfg.size_mb) ||
	    dom_param_u64(params, "completion_nsec", 0, &ignored) ||
	    dom_param_bool(params, "memory_backed", false, &cfg.memory_backed) ||
	    dom_param_bool(params, "fault_inject", false, &cfg.fault_inject) ||
	    nb_param_mode(params, "queue_mode", "mq", 2, "queue_mode=mq (2)") ||
	    nb_param_mode(params, "irqmode", "none", 0, "irqmode=none (0)"))
		return -EINVAL;
	if (!cfg.nr_devices || cfg.nr_devices > NB_MAX_DEVICES) {
		dom_err("nr_devices=%llu: must be 1..%d",
			(unsigned long long)cfg.nr_devices, NB_MAX_DEVICES);
		return -EINVAL;
	}
	if (cfg.bs < 512 || cfg.bs > NB_PAGE || (cfg.bs & (cfg.bs - 1))) {
		dom_err("bs=%llu: must be a power of two from 512 to 4096",
			(unsigned long long)cfg.bs);
		return -EINVAL;
	}
	if (!cfg.gb || cfg.gb > (1u << 20)) {
		dom_err("gb=%llu: must be 1..1048576", (unsigned long long)cfg.gb);
		return -EINVAL;
	}
	if (!cfg.submit_queues || cfg.submit_queues > 256 ||
	    !cfg.hw_queue_depth || cfg.hw_queue_depth > 4096) {
		dom_err("submit_queues must be 1..256 and hw_queue_depth 1..4096");
		return -EINVAL;
	}
	if (cfg.size_mb > (1ull << 30)) {
		dom_err("size=%llu MiB is too large", (unsigned long long)cfg.size_mb);
		return -EINVAL;
	}
	capacity = cfg.size_mb ? cfg.size_mb << 20 : cfg.gb << 30;
	alloc_lock = dom_lock_new();
	if (!alloc_lock)
		return -ENOMEM;
	nb_cache_init();
	out->ops = &nb_ops;
	return 0;
}
