// SPDX-License-Identifier: GPL-2.0
/*
 * Memory and string functions.  gcc emits calls to memcpy, memmove, memset
 * and memcmp even in freestanding code, so these names must exist.  Built
 * with -fno-tree-loop-distribute-patterns so that gcc does not turn these
 * loops back into calls to themselves.
 */
#include "internal.h"

/*
 * The compiler's store checks do not see into assembly, nor do they need
 * to check a loop byte by byte: these check the whole destination once
 * (asan.c), as the caller's store.
 */
#define CHECK_DST(dst, n)	dom__check_store(dst, n, (uintptr_t)__builtin_return_address(0))

/* rep movsb/stosb: short, and fast on CPUs with ERMS (as the kernel uses). */
void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	CHECK_DST(dst, n);
	asm volatile("rep movsb"
		     : "+D" (d), "+S" (src), "+c" (n)
		     : : "memory");
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	CHECK_DST(dst, n);
	asm volatile("rep stosb"
		     : "+D" (d), "+c" (n)
		     : "a" (c)
		     : "memory");
	return dst;
}

__attribute__((no_sanitize_address))
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	CHECK_DST(dst, n);
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

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *strchrnul(const char *s, int c)
{
	while (*s && *s != (char)c)
		s++;
	return (char *)s;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

void *memrchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	while (n--)
		if (p[n] == (unsigned char)c)
			return (void *)(p + n);
	return NULL;
}

void *memmem(const void *hay, size_t hlen, const void *needle, size_t nlen)
{
	const unsigned char *h = hay;

	if (!nlen)
		return (void *)h;
	for (; hlen >= nlen; h++, hlen--)
		if (*h == *(const unsigned char *)needle && !memcmp(h, needle, nlen))
			return (void *)h;
	return NULL;
}

char *strstr(const char *hay, const char *needle)
{
	return memmem(hay, strlen(hay), needle, strlen(needle));
}

char *strnstr(const char *hay, const char *needle, size_t len)
{
	return memmem(hay, strnlen(hay, len), needle, strlen(needle));
}

/* Whether @c is in @set (NUL-terminated, its NUL not counted). */
static int in_set(char c, const char *set)
{
	for (; *set; set++)
		if (*set == c)
			return 1;
	return 0;
}

size_t strspn(const char *s, const char *accept)
{
	size_t n = 0;

	while (s[n] && in_set(s[n], accept))
		n++;
	return n;
}

size_t strcspn(const char *s, const char *reject)
{
	size_t n = 0;

	while (s[n] && !in_set(s[n], reject))
		n++;
	return n;
}

char *strpbrk(const char *s, const char *accept)
{
	s += strcspn(s, accept);
	return *s ? (char *)s : NULL;
}

char *strsep(char **sp, const char *delim)
{
	char *s = *sp, *end;

	if (!s)
		return NULL;
	end = s + strcspn(s, delim);
	if (*end) {
		*end = '\0';
		*sp = end + 1;
	} else {
		*sp = NULL;
	}
	return s;
}

int strcasecmp(const char *a, const char *b)
{
	int x, y;

	do {
		x = tolower((unsigned char)*a++);
		y = tolower((unsigned char)*b++);
	} while (x && x == y);
	return x - y;
}

int strncasecmp(const char *a, const char *b, size_t n)
{
	int x = 0, y = 0;

	while (n--) {
		x = tolower((unsigned char)*a++);
		y = tolower((unsigned char)*b++);
		if (!x || x != y)
			break;
	}
	return x - y;
}

/* The value of digit @c in bases up to 36, or 36 if it is none. */
static unsigned int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 36;
}

/*
 * C's strtoull without errno: leading white space, an optional sign (a
 * minus negates the result, as in C), base 0 (0x: 16, 0: 8, else 10), 2
 * to 36, or 16 with an optional 0x.  *@over is set if the magnitude does
 * not fit, and the magnitude is then ULLONG_MAX.
 */
static unsigned long long parse_ull(const char *s, char **end, int base,
				    int *neg, int *over)
{
	const char *p = s, *digits;
	unsigned long long v = 0;
	unsigned int d;

	*neg = *over = 0;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 0x20) == 'x' &&
	    digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = *p == '0' ? 8 : 10;
	}
	if (base < 2 || base > 36) {
		if (end)
			*end = (char *)s;
		return 0;
	}
	for (digits = p; (d = digit_value(*p)) < (unsigned int)base; p++) {
		if (v > (__LONG_LONG_MAX__ * 2ULL + 1 - d) / base)
			*over = 1;
		v = v * base + d;
	}
	if (end)
		*end = (char *)(p == digits ? s : p);
	return *over ? __LONG_LONG_MAX__ * 2ULL + 1 : v;
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	int neg, over;
	unsigned long long v = parse_ull(s, end, base, &neg, &over);

	return over ? v : neg ? -v : v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	return strtoull(s, end, base);
}

long long strtoll(const char *s, char **end, int base)
{
	int neg, over;
	unsigned long long v = parse_ull(s, end, base, &neg, &over);

	if (neg)
		return over || v > (unsigned long long)__LONG_LONG_MAX__ + 1 ?
			-__LONG_LONG_MAX__ - 1 : (long long)-v;
	return over || v > (unsigned long long)__LONG_LONG_MAX__ ?
		__LONG_LONG_MAX__ : (long long)v;
}

long strtol(const char *s, char **end, int base)
{
	return strtoll(s, end, base);
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
