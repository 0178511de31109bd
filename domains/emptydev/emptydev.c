// SPDX-License-Identifier: GPL-2.0
/*
 * emptydev: a 4 KiB in-memory file, the stateful example.  Every write is
 * also reported through the imported log interface (a cross-domain call).
 * Reads at offset 0x10000 and up return a status line instead of data.
 *
 * Built twice: emptydev.dom (1.0.0) and, with -DEMPTYDEV_V2,
 * emptydev-v2.dom (2.0.0), which counts state imports ("upgrades") and
 * prints its status differently.  Both use one state layout, so the state
 * moves between them in either direction.
 *
 * Parameters: fail_init=1 (init fails, -EINVAL) and fail_import=1 (state
 * import fails, -EIO), for the TCB's rollback tests.
 */
#include <domain/domain.h>

#ifdef EMPTYDEV_V2
DOMAIN_DEFINE_STATEFUL("emptydev", file, "2.0.0", log);
#else
DOMAIN_DEFINE_STATEFUL("emptydev", file, "1.0.0", log);
#endif

#define ED_SIZE		4096
#define ED_STATUS	0x10000		/* the status line starts here */
#define ED_MAGIC	0x54534445u	/* "EDST" */
#define ED_LAYOUT	1

/*
 * The live state, exported as is.  Fields a version does not use (v1 and
 * upgrades) are carried along unchanged, so nothing is lost on a round
 * trip through an older version.
 */
struct ed_state {
	uint32_t magic;
	uint32_t layout;
	uint64_t length;		/* sizeof(struct ed_state) */
	uint64_t reads;
	uint64_t writes;
	uint64_t bytes_read;
	uint64_t bytes_written;
	uint64_t size;			/* highest byte written, plus one */
	uint64_t upgrades;		/* state imports, counted by v2 */
	uint64_t log_errors;		/* failed calls to the log domain */
	uint64_t reserved[5];
	uint8_t buf[ED_SIZE];
};

static struct ed_state st;
static struct dc_lock *lock;		/* st: calls run on several CPUs */
static bool fail_import;

static long ed_status(uint64_t len, uint64_t off)
{
	unsigned long long r, w, br, bw, sz, up;
	char line[192];
	int n;

	dom_lock(lock);
	r = st.reads;
	w = st.writes;
	br = st.bytes_read;
	bw = st.bytes_written;
	sz = st.size;
	up = st.upgrades;
	dom_unlock(lock);

#ifdef EMPTYDEV_V2
	n = snprintf(line, sizeof(line),
		     "v2 reads=%llu writes=%llu bytes_read=%llu bytes_written=%llu size=%llu upgrades=%llu\n",
		     r, w, br, bw, sz, up);
#else
	(void)up;
	n = snprintf(line, sizeof(line),
		     "reads=%llu writes=%llu bytes_read=%llu bytes_written=%llu size=%llu\n",
		     r, w, br, bw, sz);
#endif
	return dom_read_bytes(line, n, len, off);
}

static long ed_read(uint64_t len, uint64_t off)
{
	dc_obj_t obj = 0;
	size_t n = 0;

	if (off >= ED_STATUS)
		return ed_status(len, off - ED_STATUS);

	dom_lock(lock);
	if (off < st.size && len) {
		n = DOM_MIN(len, st.size - off);
		obj = dom_obj_copy(DC_OBJ_BYTES, st.buf + off, n);
		if (!obj) {
			dom_unlock(lock);
			return -ENOMEM;
		}
	}
	st.reads++;
	st.bytes_read += n;
	dom_unlock(lock);
	return obj;	/* 0 at end of file */
}

/* Reports a write through the log domain; a failure is counted, not fatal. */
static void ed_log_write(size_t n, uint64_t off)
{
	dc_obj_t rec = dom_obj_printf("emptydev: wrote %zu bytes at %llu", n,
				      (unsigned long long)off);
	long ret = rec ? log_write(DC_LOG_DEBUG, rec) : -ENOMEM;
	uint64_t errs;

	if (ret >= 0)
		return;
	/* If the call never reached log, the record is still ours. */
	if (rec)
		dom_obj_free(rec);
	dom_lock(lock);
	errs = ++st.log_errors;
	dom_unlock(lock);
	if (!(errs & (errs - 1)))	/* 1st, 2nd, 4th, ...: not a flood */
		dom_warn("log call failed (%ld), %llu failure(s) so far", ret,
			 (unsigned long long)errs);
}

static long ed_write(dc_obj_t data, uint64_t off)
{
	size_t n = 0;
	const void *p = dom_obj_data(data, DC_OBJ_BYTES, &n);

	if (!p) {
		/* Freeing works only if it was ours: then it was just empty. */
		return dom_obj_free(data) ? -EINVAL : 0;
	}
	if (off >= ED_SIZE) {
		dom_obj_free(data);
		return -ENOSPC;
	}
	n = DOM_MIN(n, ED_SIZE - off);

	dom_lock(lock);
	memcpy(st.buf + off, p, n);
	st.writes++;
	st.bytes_written += n;
	if (off + n > st.size)
		st.size = off + n;
	dom_unlock(lock);

	dom_obj_free(data);
	ed_log_write(n, off);
	return n;
}

static long ed_state_export(dc_obj_t *state)
{
	dc_obj_t obj;

	dom_lock(lock);
	obj = dom_obj_copy(DC_OBJ_STATE, &st, sizeof(st));
	dom_unlock(lock);
	if (!obj) {
		dom_err("state export: out of memory");
		return -ENOMEM;
	}
	*state = obj;
	return 0;
}

static long ed_state_import(dc_obj_t state)
{
	size_t size = 0;
	const struct ed_state *in = dom_obj_data(state, DC_OBJ_STATE, &size);
	long ret = -EINVAL;

	if (fail_import) {
		dom_err("state import refused (fail_import=1)");
		ret = -EIO;
	} else if (!in) {
		dom_err("state import: no state object of ours");
	} else if (size != sizeof(st)) {
		dom_err("state import: %zu bytes, expected %zu", size,
			sizeof(st));
	} else if (in->magic != ED_MAGIC || in->layout != ED_LAYOUT ||
		   in->length != sizeof(st)) {
		dom_err("state import: bad header (magic %#x, layout %u, length %llu)",
			in->magic, in->layout, (unsigned long long)in->length);
	} else if (in->size > ED_SIZE) {
		dom_err("state import: size %llu beyond %d",
			(unsigned long long)in->size, ED_SIZE);
	} else {
		dom_lock(lock);
		memcpy(&st, in, sizeof(st));
#ifdef EMPTYDEV_V2
		st.upgrades++;
#endif
		dom_unlock(lock);
		ret = 0;
	}
	/* The state object was handed to us: free it whatever happened. */
	dom_obj_free(state);
	return ret;
}

static const struct file_ops ed_ops = {
	.read = ed_read,
	.write = ed_write,
};

long dom_init(const char *params, struct dc_entry_result *out)
{
	bool fail_init;

	if (DOM_PARAMS_ALLOW(params, "fail_init", "fail_import") ||
	    dom_param_bool(params, "fail_init", false, &fail_init) ||
	    dom_param_bool(params, "fail_import", false, &fail_import))
		return -EINVAL;
	if (fail_init) {
		dom_err("refusing to start (fail_init=1)");
		return -EINVAL;
	}

	lock = dom_lock_new();
	if (!lock)
		return -ENOMEM;
	st.magic = ED_MAGIC;
	st.layout = ED_LAYOUT;
	st.length = sizeof(st);

	out->ops = &ed_ops;
	out->state_export = ed_state_export;
	out->state_import = ed_state_import;
	return 0;
}
