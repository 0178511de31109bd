/* SPDX-License-Identifier: GPL-2.0 */
/* Numbers for people: sizes and durations in the status table. */
#ifndef DOMAINCTL_HUMAN_H
#define DOMAINCTL_HUMAN_H

#include <stddef.h>
#include <stdint.h>

#define HUMAN_LEN	24

/* "0 B", "512 B", "12.0 KiB", "3.4 MiB", ... */
const char *human_bytes(uint64_t bytes, char buf[HUMAN_LEN]);

/*
 * The same in at most 5 characters, for narrow table columns, as ls -h
 * writes sizes: "0", "512", "1.5K", "12K", "384M", "2.0G".
 */
const char *human_bytes_short(uint64_t bytes, char buf[HUMAN_LEN]);

/* "850 ns", "12.3 us", "4.5 ms", "1.20 s". */
const char *human_duration_ns(uint64_t ns, char buf[HUMAN_LEN]);

#endif
