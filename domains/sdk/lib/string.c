// SPDX-License-Identifier: GPL-2.0
/*
 * Memory and string functions.  gcc emits calls to memcpy, memmove, memset
 * and memcmp even in freestanding code, so these names must exist.  Built
 * with -fno-tree-loop-distribute-patterns so that gcc does not turn these
 * loops back into calls to themselves.
 */
#include "internal.h"

/* rep movsb/stosb: short, and fast on CPUs with ERMS (as the kernel uses). */
void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	asm volatile("rep movsb"
		     : "+D" (d), "+S" (src), "+c" (n)
		     : : "memory");
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	asm volatile("rep stosb"
		     : "+D" (d), "+c" (n)
		     : "a" (c)
		     : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* Forward copying is safe unless dst starts inside src. */
	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const void *)a, *y = (const void *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return *x - *y;
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const void *)a, *y = (const void *)b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
		if (!*x)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

long strscpy(char *dst, const char *src, size_t size)
{
	size_t n;

	if (!size)
		return -E2BIG;
	n = strnlen(src, size);
	if (n == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, n + 1);
	return n;
}

void *dom__memcpy_checked(void *dst, size_t dstsz, const void *src, size_t n,
			  const char *file, int line)
{
	if (dom_unlikely(n > dstsz))
		dom_panic("bounds: memcpy of %zu bytes into a %zu-byte buffer at %s:%d",
			  n, dstsz, file, line);
	return memcpy(dst, src, n);
}

void *dom__memset_checked(void *dst, size_t dstsz, int c, size_t n,
			  const char *file, int line)
{
	if (dom_unlikely(n > dstsz))
		dom_panic("bounds: memset of %zu bytes on a %zu-byte buffer at %s:%d",
			  n, dstsz, file, line);
	return memset(dst, c, n);
}

void dom__bounds_fail(uint64_t off, uint64_t len, uint64_t size,
		      const char *file, int line)
{
	dom_panic("bounds: [%llu, +%llu) outside a %llu-byte area at %s:%d",
		  (unsigned long long)off, (unsigned long long)len,
		  (unsigned long long)size, file, line);
}
