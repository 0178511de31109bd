// SPDX-License-Identifier: GPL-2.0
#include <string.h>
/* The interface headers use dc_obj_t from abi.h without including it. */
#include <domain/abi.h>
#include <domain/iface/all.h>
#include "known_ifaces.h"

struct known_iface {
	const char *name;
	uint32_t version;
};

#define KNOWN_IFACE(X)		{ #X, DC_IFACE_##X##_VERSION },
#define KNOWN_IFACE_NAME(X)	", " #X

static const struct known_iface known_ifaces[] = {
	DC_ALL_IFACES(KNOWN_IFACE)
};

uint32_t known_iface_version(const char *name)
{
	for (size_t i = 0; i < sizeof(known_ifaces) / sizeof(known_ifaces[0]); i++)
		if (strcmp(known_ifaces[i].name, name) == 0)
			return known_ifaces[i].version;
	return 0;
}

const char *known_iface_names(void)
{
	/* Skip the leading ", " of the first name. */
	return &(DC_ALL_IFACES(KNOWN_IFACE_NAME))[2];
}
