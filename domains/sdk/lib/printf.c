// SPDX-License-Identifier: GPL-2.0
/*
 * A small, bounded vsnprintf: flags - 0 + space #, width and precision
 * (digits or *), lengths hh h l ll z t j, conversions d i u x X o c s p %.
 * It never writes past @size and returns the length the full output would
 * have had, as C's does.
 *
 * Built without the store checks (Makefile): it stores only into @buf,
 * which vsnprintf() checks once, whole, and into its own locals, rather
 * than once per character.
 */
#include "internal.h"

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

#define F_LEFT		0x01
#define F_ZERO		0x02
#define F_PLUS		0x04
#define F_SPACE		0x08
#define F_ALT		0x10

static void put_str(struct out *o, const char *s, int width, int prec,
		    unsigned int flags)
{
	int n;

	if (!s)
		s = "(null)";
	n = prec >= 0 ? (int)strnlen(s, prec) : (int)strlen(s);
	if (!(flags & F_LEFT))
		pad(o, ' ', width - n);
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	if (flags & F_LEFT)
		pad(o, ' ', width - n);
}

static void put_num(struct out *o, unsigned long long v, bool neg,
		    unsigned int base, bool upper, int width, int prec,
		    unsigned int flags)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];	/* 22 octal digits of a u64, with room to spare */
	const char *prefix = "";
	int n = 0, plen, zeros, total;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	/* An explicit zero precision prints nothing for a zero value. */
	if (prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;

	if (neg)
		prefix = "-";
	else if (flags & F_PLUS)
		prefix = "+";
	else if (flags & F_SPACE)
		prefix = " ";
	else if ((flags & F_ALT) && base == 16 && n)
		prefix = upper ? "0X" : "0x";
	else if ((flags & F_ALT) && base == 8)
		prefix = "0";
	plen = strlen(prefix);

	zeros = prec > n ? prec - n : 0;
	total = plen + zeros + n;
	/* As C: the 0 flag is ignored with a precision or with '-'. */
	if ((flags & F_ZERO) && prec < 0 && !(flags & F_LEFT) && width > total) {
		zeros += width - total;
		total = width;
	}
	if (!(flags & F_LEFT))
		pad(o, ' ', width - total);
	while (*prefix)
		put(o, *prefix++);
	pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (flags & F_LEFT)
		pad(o, ' ', width - total);
}

/* Reads a decimal field; saturates instead of overflowing. */
static int read_int(const char **fmt)
{
	int v = 0;

	while (**fmt >= '0' && **fmt <= '9') {
		if (v < 100000)
			v = v * 10 + (**fmt - '0');
		(*fmt)++;
	}
	return v;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .len = 0 };

	dom__check_store(buf, size, (uintptr_t)__builtin_return_address(0));
	while (*fmt) {
		unsigned int flags = 0, base = 10;
		int width = 0, prec = -1, lng = 0;
		unsigned long long v;
		bool sign = false, upper = false, neg = false;
		char c = *fmt++;

		if (c != '%') {
			put(&o, c);
			continue;
		}

		for (;; fmt++) {
			if (*fmt == '-')
				flags |= F_LEFT;
			else if (*fmt == '0')
				flags |= F_ZERO;
			else if (*fmt == '+')
				flags |= F_PLUS;
			else if (*fmt == ' ')
				flags |= F_SPACE;
			else if (*fmt == '#')
				flags |= F_ALT;
			else
				break;
		}
		if (*fmt == '*') {
			fmt++;
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= F_LEFT;
				width = width < -100000 ? 100000 : -width;
			}
		} else {
			width = read_int(&fmt);
		}
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				fmt++;
				prec = va_arg(ap, int);
				if (prec < 0)
					prec = -1;
			} else {
				prec = read_int(&fmt);
			}
		}

		/* lng: 0 int, 1 long, 2 long long, -1 short, -2 char */
		switch (*fmt) {
		case 'h':
			fmt++;
			lng = -1;
			if (*fmt == 'h') {
				fmt++;
				lng = -2;
			}
			break;
		case 'l':
			fmt++;
			lng = 1;
			if (*fmt == 'l') {
				fmt++;
				lng = 2;
			}
			break;
		case 'z':
		case 't':
		case 'j':
			fmt++;
			lng = 2;	/* all 64 bits on x86-64 */
			break;
		}

		c = *fmt;
		if (!c)
			break;
		fmt++;
		switch (c) {
		case 'd':
		case 'i':
			sign = true;
			break;
		case 'u':
			break;
		case 'x':
			base = 16;
			break;
		case 'X':
			base = 16;
			upper = true;
			break;
		case 'o':
			base = 8;
			break;
		case 'p':
			put_num(&o, (uintptr_t)va_arg(ap, void *), false, 16,
				false, width, prec, flags | F_ALT);
			continue;
		case 'c':
			if (!(flags & F_LEFT))
				pad(&o, ' ', width - 1);
			put(&o, (char)va_arg(ap, int));
			if (flags & F_LEFT)
				pad(&o, ' ', width - 1);
			continue;
		case 's':
			put_str(&o, va_arg(ap, const char *), width, prec, flags);
			continue;
		case '%':
			put(&o, '%');
			continue;
		default:
			/* Unknown: show it rather than guess at its argument. */
			put(&o, '%');
			put(&o, c);
			continue;
		}

		if (sign) {
			long long s;

			if (lng == 2)
				s = va_arg(ap, long long);
			else if (lng == 1)
				s = va_arg(ap, long);
			else
				s = va_arg(ap, int);
			if (lng == -1)
				s = (short)s;
			else if (lng == -2)
				s = (signed char)s;
			neg = s < 0;
			/* Negate as unsigned: -LLONG_MIN does not overflow there. */
			v = neg ? -(unsigned long long)s : (unsigned long long)s;
		} else {
			if (lng == 2)
				v = va_arg(ap, unsigned long long);
			else if (lng == 1)
				v = va_arg(ap, unsigned long);
			else
				v = va_arg(ap, unsigned int);
			if (lng == -1)
				v = (unsigned short)v;
			else if (lng == -2)
				v = (unsigned char)v;
			flags &= ~(F_PLUS | F_SPACE);
		}
		put_num(&o, v, neg, base, upper, width, prec, flags);
	}

	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > 0x7fffffff ? 0x7fffffff : (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
