// SPDX-License-Identifier: GPL-2.0
/*
 * range.h: every bounds check in the loader rests on these two helpers, so
 * they are checked at the edges and against an exact 128-bit model.
 */
#include <limits.h>
#include "range.h"
#include "test.h"

#define MAX ULONG_MAX

typedef unsigned __int128 u128;

/* The model: plain interval arithmetic that cannot overflow. */
static int model_within(unsigned long off, unsigned long len, unsigned long limit)
{
	return (u128)off + len <= limit;
}

static int model_overlap(unsigned long a, unsigned long alen,
			 unsigned long b, unsigned long blen)
{
	return alen && blen && a < (u128)b + blen && b < (u128)a + alen;
}

/* Small numbers and the numbers next to the top, where wrapping happens. */
static const unsigned long edges[] = {
	0, 1, 2, 3, 4, 5, 7, 8, 4095, 4096, 4097,
	MAX / 2 - 1, MAX / 2, MAX / 2 + 1,
	MAX - 4096, MAX - 2, MAX - 1, MAX,
};
#define NR_EDGES (sizeof(edges) / sizeof(edges[0]))

static void within_basic(struct test *t, const void *arg)
{
	(void)arg;
	EXPECT(t, dc_range_within(0, 5, 5), "[0,5) not within 5");
	EXPECT(t, dc_range_within(4, 1, 5), "[4,5) not within 5");
	EXPECT(t, !dc_range_within(0, 6, 5), "[0,6) within 5");
	EXPECT(t, !dc_range_within(5, 1, 5), "[5,6) within 5");
	EXPECT(t, !dc_range_within(3, 3, 5), "[3,6) within 5");
}

static void within_zero_length(struct test *t, const void *arg)
{
	(void)arg;
	/* An empty range at the very end is fine (a zero-size table at EOF). */
	EXPECT(t, dc_range_within(0, 0, 0), "empty range at 0 of 0 rejected");
	EXPECT(t, dc_range_within(5, 0, 5), "empty range at the end rejected");
	EXPECT(t, !dc_range_within(6, 0, 5), "empty range past the end accepted");
	EXPECT(t, !dc_range_within(1, 0, 0), "empty range past an empty limit accepted");
	EXPECT(t, !dc_range_within(0, 1, 0), "one byte within limit 0");
	EXPECT(t, dc_range_within(MAX, 0, MAX), "empty range at ULONG_MAX rejected");
}

static void within_overflow(struct test *t, const void *arg)
{
	(void)arg;
	/* offset + len wraps to a small number: a naive sum would accept. */
	EXPECT(t, !dc_range_within(2, MAX - 1, MAX), "2 + (MAX-1) wrapped and passed");
	EXPECT(t, !dc_range_within(MAX, 1, MAX), "MAX + 1 wrapped and passed");
	EXPECT(t, !dc_range_within(1, MAX, MAX), "1 + MAX wrapped and passed");
	EXPECT(t, !dc_range_within(MAX, MAX, MAX), "MAX + MAX wrapped and passed");
	EXPECT(t, !dc_range_within(MAX - 1, 2, 10), "(MAX-1) + 2 wrapped and passed");
	EXPECT(t, !dc_range_within(4096, MAX - 4095, 4096), "wrap to 0 passed");
	EXPECT(t, dc_range_within(0, MAX, MAX), "[0,MAX) not within MAX");
	EXPECT(t, dc_range_within(1, MAX - 1, MAX), "[1,MAX) not within MAX");
}

static void within_model(struct test *t, const void *arg)
{
	(void)arg;
	/* Exhaustive over a small grid, then every combination of edges. */
	for (unsigned long o = 0; o < 12; o++)
		for (unsigned long l = 0; l < 12; l++)
			for (unsigned long m = 0; m < 12; m++)
				EXPECT(t, dc_range_within(o, l, m) == model_within(o, l, m),
				       "within(%lu, %lu, %lu) = %d", o, l, m,
				       dc_range_within(o, l, m));
	for (size_t i = 0; i < NR_EDGES; i++)
		for (size_t j = 0; j < NR_EDGES; j++)
			for (size_t k = 0; k < NR_EDGES; k++) {
				unsigned long o = edges[i], l = edges[j], m = edges[k];

				EXPECT(t, dc_range_within(o, l, m) == model_within(o, l, m),
				       "within(%#lx, %#lx, %#lx) = %d", o, l, m,
				       dc_range_within(o, l, m));
			}
}

static void overlap_basic(struct test *t, const void *arg)
{
	(void)arg;
	EXPECT(t, dc_range_overlap(0, 10, 5, 10), "[0,10) and [5,15) disjoint");
	EXPECT(t, dc_range_overlap(5, 10, 0, 10), "[5,15) and [0,10) disjoint");
	EXPECT(t, dc_range_overlap(0, 10, 2, 3), "containment not seen");
	EXPECT(t, dc_range_overlap(2, 3, 0, 10), "containment not seen (swapped)");
	EXPECT(t, dc_range_overlap(7, 1, 7, 1), "identical bytes disjoint");
	EXPECT(t, !dc_range_overlap(0, 5, 10, 5), "far apart ranges overlap");
}

static void overlap_zero_length(struct test *t, const void *arg)
{
	(void)arg;
	/* An empty range holds no byte, so it overlaps nothing. */
	EXPECT(t, !dc_range_overlap(5, 0, 0, 10), "empty range inside another overlaps");
	EXPECT(t, !dc_range_overlap(0, 10, 5, 0), "empty range inside another overlaps");
	EXPECT(t, !dc_range_overlap(5, 0, 5, 0), "two empty ranges overlap");
	EXPECT(t, !dc_range_overlap(0, 0, 0, MAX), "empty range at 0 overlaps");
}

static void overlap_adjacent(struct test *t, const void *arg)
{
	(void)arg;
	EXPECT(t, !dc_range_overlap(0, 4096, 4096, 4096), "adjacent pages overlap");
	EXPECT(t, !dc_range_overlap(4096, 4096, 0, 4096), "adjacent pages overlap (swapped)");
	EXPECT(t, dc_range_overlap(0, 4097, 4096, 4096), "one shared byte not seen");
	EXPECT(t, dc_range_overlap(4096, 4096, 0, 4097), "one shared byte not seen (swapped)");
}

static void overlap_limits(struct test *t, const void *arg)
{
	(void)arg;
	EXPECT(t, dc_range_overlap(0, MAX, MAX - 1, 1), "last byte of [0,MAX) missed");
	EXPECT(t, !dc_range_overlap(0, MAX - 1, MAX - 1, 1), "[0,MAX-1) overlaps MAX-1");
	EXPECT(t, !dc_range_overlap(MAX, 1, 0, MAX), "byte MAX is not in [0,MAX)");
	/* A length running past the top extends the range, it never wraps to 0. */
	EXPECT(t, !dc_range_overlap(MAX, MAX, 0, MAX), "a range past the top wrapped to 0");
	EXPECT(t, dc_range_overlap(MAX - 1, MAX, 0, MAX), "byte MAX-1 shared but missed");
	EXPECT(t, !dc_range_overlap(MAX - 1, 1, MAX, 1), "adjacent top bytes overlap");
	EXPECT(t, dc_range_overlap(MAX, 1, MAX, 1), "the top byte with itself missed");
}

static void overlap_model(struct test *t, const void *arg)
{
	(void)arg;
	for (unsigned long a = 0; a < 10; a++)
		for (unsigned long al = 0; al < 10; al++)
			for (unsigned long b = 0; b < 10; b++)
				for (unsigned long bl = 0; bl < 10; bl++)
					EXPECT(t, dc_range_overlap(a, al, b, bl) ==
						  model_overlap(a, al, b, bl),
					       "overlap(%lu, %lu, %lu, %lu) = %d", a, al, b, bl,
					       dc_range_overlap(a, al, b, bl));
	for (size_t i = 0; i < NR_EDGES; i++)
		for (size_t j = 0; j < NR_EDGES; j++)
			for (size_t k = 0; k < NR_EDGES; k++)
				for (size_t l = 0; l < NR_EDGES; l++) {
					unsigned long a = edges[i], al = edges[j];
					unsigned long b = edges[k], bl = edges[l];
					int got = dc_range_overlap(a, al, b, bl);

					EXPECT(t, got == model_overlap(a, al, b, bl),
					       "overlap(%#lx, %#lx, %#lx, %#lx) = %d", a, al, b, bl, got);
					EXPECT(t, got == dc_range_overlap(b, bl, a, al),
					       "overlap(%#lx, %#lx, %#lx, %#lx) not symmetric",
					       a, al, b, bl);
				}
}

void range_tests(void)
{
	test_run(within_basic, NULL, "range-within-basic");
	test_run(within_zero_length, NULL, "range-within-zero-length");
	test_run(within_overflow, NULL, "range-within-overflow");
	test_run(within_model, NULL, "range-within-model");
	test_run(overlap_basic, NULL, "range-overlap-basic");
	test_run(overlap_zero_length, NULL, "range-overlap-zero-length");
	test_run(overlap_adjacent, NULL, "range-overlap-adjacent");
	test_run(overlap_limits, NULL, "range-overlap-limits");
	test_run(overlap_model, NULL, "range-overlap-model");
}
