// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include "human.h"

const char *human_bytes(uint64_t bytes, char buf[HUMAN_LEN])
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = (double)bytes;
	size_t unit = 0;

	if (bytes < 1024) {
		snprintf(buf, HUMAN_LEN, "%" PRIu64 " B", bytes);
		return buf;
	}
	v /= 1024;
	/* Also move up when rounding to one decimal would print "1024.0". */
	while (v >= 1023.95 && unit + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		unit++;
	}
	snprintf(buf, HUMAN_LEN, "%.1f %s", v, units[unit]);
	return buf;
}

const char *human_bytes_short(uint64_t bytes, char buf[HUMAN_LEN])
{
	static const char units[] = "KMGTPE";
	double v = (double)bytes;
	size_t unit = 0;

	if (bytes < 1024) {
		snprintf(buf, HUMAN_LEN, "%" PRIu64, bytes);
		return buf;
	}
	v /= 1024;
	/* Move up when the value would print as "1024". */
	while (v >= 1023.5 && unit + 1 < sizeof(units) - 1) {
		v /= 1024;
		unit++;
	}
	if (v < 9.95)
		snprintf(buf, HUMAN_LEN, "%.1f%c", v, units[unit]);
	else
		snprintf(buf, HUMAN_LEN, "%.0f%c", v, units[unit]);
	return buf;
}

const char *human_duration_ns(uint64_t ns, char buf[HUMAN_LEN])
{
	if (ns < 1000)
		snprintf(buf, HUMAN_LEN, "%" PRIu64 " ns", ns);
	else if (ns < 999950)
		snprintf(buf, HUMAN_LEN, "%.1f us", (double)ns / 1e3);
	else if (ns < 999950000)
		snprintf(buf, HUMAN_LEN, "%.1f ms", (double)ns / 1e6);
	else
		snprintf(buf, HUMAN_LEN, "%.2f s", (double)ns / 1e9);
	return buf;
}
