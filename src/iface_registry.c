// SPDX-License-Identifier: GPL-2.0
/* The registry of interfaces, from the same X-macros the domains use. */
#include <linux/kernel.h>
#include <linux/string.h>
#include "iface_registry.h"

#define DC_IFACE_TABLES(X)						\
	static const u8 X##_masks[] = { DC_IFACE_##X(DC_METHOD_MASK, X) }; \
	static const char *const X##_names[] = { DC_IFACE_##X(DC_METHOD_NAME, X) };
DC_ALL_IFACES(DC_IFACE_TABLES)

enum dc_shim_kind dc_iface_shim(const struct dc_iface *iface)
{
	if (!strcmp(iface->name, "log"))
		return DC_SHIM_LOG;
	if (!strcmp(iface->name, "file"))
		return DC_SHIM_FILE;
	if (!strcmp(iface->name, "block"))
		return DC_SHIM_BLOCK;
	return DC_SHIM_NONE;
}

#define DC_IFACE_ENTRY(X)						\
	{ #X, DC_IFACE_##X##_VERSION, DC_NR_METHODS_##X, X##_masks, X##_names },

static const struct dc_iface ifaces[] = {
	DC_ALL_IFACES(DC_IFACE_ENTRY)
};

const struct dc_iface *dc_iface_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ifaces); i++) {
		if (!strcmp(ifaces[i].name, name))
			return &ifaces[i];
	}
	return NULL;
}

void dc_iface_list(char *buf, size_t size)
{
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(ifaces); i++)
		n += scnprintf(buf + n, size - n, "%s%s v%u", i ? ", " : "",
			       ifaces[i].name, ifaces[i].version);
}
