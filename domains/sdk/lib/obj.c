// SPDX-License-Identifier: GPL-2.0
/* Helpers that make shared-heap objects from data or text. */
#include "internal.h"

dc_obj_t dom_obj_copy(uint32_t type, const void *data, size_t len)
{
	dc_obj_t obj = dom_obj_alloc(type, len);
	size_t size;
	void *p;

	/* An empty object may have no data pointer at all. */
	if (!obj || !len)
		return obj;
	p = dom_obj_data(obj, type, &size);
	if (!p || size < len) {
		dom_obj_free(obj);
		return 0;
	}
	memcpy(p, data, len);
	return obj;
}

long dom_read_bytes(const void *buf, size_t size, uint64_t len, uint64_t off)
{
	dc_obj_t obj;

	if (off >= size || !len)
		return 0;
	obj = dom_obj_copy(DC_OBJ_BYTES, (const char *)buf + off,
			   DOM_MIN(len, size - off));
	return obj ? (long)obj : -ENOMEM;
}

dc_obj_t dom_obj_printf(const char *fmt, ...)
{
	char small[256], *buf = small;
	dc_obj_t obj;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return 0;

	/* Too long for the stack buffer: format again into the heap. */
	if ((size_t)n >= sizeof(small)) {
		buf = dom_malloc((size_t)n + 1);
		if (!buf)
			return 0;
		va_start(ap, fmt);
		vsnprintf(buf, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	obj = dom_obj_copy(DC_OBJ_BYTES, buf, n);
	if (buf != small)
		dom_free(buf);
	return obj;
}
