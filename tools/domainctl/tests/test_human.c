// SPDX-License-Identifier: GPL-2.0
/* Sizes and durations for people. */
#include <string.h>
#include "../human.h"
#include "unit.h"

static void test_bytes(struct unit *u)
{
	char buf[HUMAN_LEN];

	CHECK_STR(u, human_bytes(0, buf), "0 B");
	CHECK_STR(u, human_bytes(1023, buf), "1023 B");
	CHECK_STR(u, human_bytes(1024, buf), "1.0 KiB");
	CHECK_STR(u, human_bytes(12288, buf), "12.0 KiB");
	CHECK_STR(u, human_bytes(1048575, buf), "1.0 MiB");
	CHECK_STR(u, human_bytes(3565158, buf), "3.4 MiB");
	CHECK_STR(u, human_bytes(1ull << 40, buf), "1.0 TiB");
	CHECK_STR(u, human_bytes(UINT64_MAX, buf), "16.0 EiB");
}

static void test_durations(struct unit *u)
{
	char buf[HUMAN_LEN];

	CHECK_STR(u, human_duration_ns(0, buf), "0 ns");
	CHECK_STR(u, human_duration_ns(850, buf), "850 ns");
	CHECK_STR(u, human_duration_ns(12345, buf), "12.3 us");
	CHECK_STR(u, human_duration_ns(999949, buf), "999.9 us");
	CHECK_STR(u, human_duration_ns(999999, buf), "1.0 ms");
	CHECK_STR(u, human_duration_ns(4500000, buf), "4.5 ms");
	CHECK_STR(u, human_duration_ns(1200000000, buf), "1.20 s");
}

int main(void)
{
	unit_run("human-bytes", test_bytes);
	unit_run("human-durations", test_durations);
	return unit_status();
}
