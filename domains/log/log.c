// SPDX-License-Identifier: GPL-2.0
/*
 * log: writes records to the kernel log.  Stateless, so an upgrade is a
 * plain pointer swap.  Built twice: log.dom and, with -DLOG_V2, log-v2.dom,
 * whose lines start with "v2: " so that a test can tell which answered.
 */
#include <domain/domain.h>

#ifdef LOG_V2
DOMAIN_DEFINE("log", log, "2.0.0");
#define LOG_PREFIX	"v2: "
#else
DOMAIN_DEFINE("log", log, "1.0.0");
#define LOG_PREFIX	""
#endif

#define LOG_MAX_RECORD	1024	/* bytes logged per record; the rest is cut */
#define LOG_PIECE	256	/* longest line handed to the kernel at once */

/* One kernel log line; control characters would garble the log. */
static void emit(int level, const char *p, size_t n)
{
	char line[sizeof(LOG_PREFIX) - 1 + LOG_PIECE];
	size_t plen = sizeof(LOG_PREFIX) - 1;

	memcpy(line, LOG_PREFIX, plen);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];

		line[plen + i] = (c < 0x20 && c != '\t') || c == 0x7f ? '?' : c;
	}
	dom_svc->log(dom_self, level, line, plen + n);
}

static long lg_write(int level, dc_obj_t record)
{
	size_t size = 0, n, off = 0;
	const char *data = dom_obj_data(record, DC_OBJ_BYTES, &size);

	/* The record is ours either way: free it on every path. */
	if (!data) {
		dom_obj_free(record);
		return -EINVAL;
	}
	if (level < 0)
		level = 0;
	if (level > 7)
		level = 7;

	n = size;
	if (n && data[n - 1] == '\n')
		n--;
	if (n > LOG_MAX_RECORD)
		n = LOG_MAX_RECORD;

	/* Each line of the record, in pieces of at most LOG_PIECE bytes. */
	while (off < n) {
		size_t end = off;

		while (end < n && data[end] != '\n' && end - off < LOG_PIECE)
			end++;
		emit(level, data + off, end - off);
		off = end;
		if (off < n && data[off] == '\n')
			off++;
	}
	if (size - (size && data[size - 1] == '\n') > LOG_MAX_RECORD)
		dom_log(level, LOG_PREFIX "[record cut: %d of %zu bytes logged]",
			LOG_MAX_RECORD, size);

	dom_obj_free(record);
	return size;
}

static const struct log_ops log_ops = {
	.write = lg_write,
};

long dom_init(const char *params, struct dc_entry_result *out)
{
	if (dom_params_allow(params, NULL))
		return -EINVAL;
	out->ops = &log_ops;
	return 0;
}
