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

static void test_bytes_short(struct unit *u)
{
	char buf[HUMAN_LEN];

	CHECK_STR(u, human_bytes_short(0, buf), "0");
	CHECK_STR(u, human_bytes_short(1023, buf), "1023");
	CHECK_STR(u, human_bytes_short(1024, buf), "1.0K");
	CHECK_STR(u, human_bytes_short(1536, buf), "1.5K");
	CHECK_STR(u, human_bytes_short(10188, buf), "9.9K");
	CHECK_STR(u, human_bytes_short(10189, buf), "10K");
	CHECK_STR(u, human_bytes_short(12288, buf), "12K");
	CHECK_STR(u, human_bytes_short(1047552, buf), "1023K");
	CHECK_STR(u, human_bytes_short(1048064, buf), "1.0M");
	CHECK_STR(u, human_bytes_short(384ull << 20, buf), "384M");
	CHECK_STR(u, human_bytes_short(532332544, buf), "508M");
	CHECK_STR(u, human_bytes_short(2ull << 30, buf), "2.0G");
	CHECK_STR(u, human_bytes_short(UINT64_MAX, buf), "16E");
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
	unit_run("human-bytes-short", test_bytes_short);
	unit_run("human-durations", test_durations);
	return unit_status();
}
