// SPDX-License-Identifier: GPL-2.0
/*
 * libdomain's string and ctype functions, checked inside a domain (built
 * with the SDK's flags, so gcc's builtins and libdomain's own code are
 * what runs).  dom_init() runs every case and fails the load, naming the
 * first case that failed; "make -C tools/domain-test check" loads it.
 */
#include <domain/domain.h>

DOMAIN_DEFINE("strings", bench, "1.0.0");

static int failed;

#define CHECK(cond)							\
	do {								\
		if (!(cond) && !failed++)				\
			dom_err("FAIL line %d: %s", __LINE__, #cond); \
	} while (0)

static long strings_nop(uint64_t x)
{
	return x + 1;
}

static const struct bench_ops ops = { .nop = strings_nop };

static void check_search(void)
{
	/* Through volatile pointers: libdomain's code, not gcc's folding. */
	static char hello[] = "hello, world";
	char *volatile h = hello;
	char buf[] = "a,b,,c";
	char *p = buf, *tok;

	CHECK(memchr(h, 'o', 12) == h + 4);
	CHECK(memchr(h, 'o', 4) == NULL);
	CHECK(memchr(h, '\0', 13) == h + 12);
	CHECK(memrchr(h, 'o', 12) == h + 8);
	CHECK(memrchr(h, 'h', 0) == NULL);
	CHECK(strrchr(h, 'l') == h + 10);
	CHECK(strrchr(h, '\0') == h + 12);
	CHECK(strrchr(h, 'z') == NULL);
	CHECK(strchr(h, 'z') == NULL);
	CHECK(strchrnul(h, 'z') == h + 12);
	CHECK(strchrnul(h, ',') == h + 5);
	CHECK(strstr(h, "world") == h + 7);
	CHECK(strstr(h, "") == h);
	CHECK(strstr(h, "worlds") == NULL);
	CHECK(strnstr(h, "world", 11) == NULL);
	CHECK(strnstr(h, "world", 12) == h + 7);
	CHECK(memmem(h, 12, "lo, ", 4) == h + 3);
	CHECK(memmem(h, 3, "lo", 2) == NULL);
	CHECK(strspn(h, "hel") == 4);
	CHECK(strcspn(h, ", ") == 5);
	CHECK(strcspn(h, "") == 12);
	CHECK(strpbrk(h, "wr") == h + 7);
	CHECK(strpbrk(h, "xyz") == NULL);
	tok = strsep(&p, ",");
	CHECK(tok == buf && !strcmp(tok, "a") && p == buf + 2);
	CHECK(!strcmp(strsep(&p, ","), "b"));
	CHECK(!strcmp(strsep(&p, ","), ""));
	CHECK(!strcmp(strsep(&p, ","), "c") && p == NULL);
	CHECK(strsep(&p, ",") == NULL);
}

static void check_compare(void)
{
	CHECK(strcasecmp("Hello", "hELLO") == 0);
	CHECK(strcasecmp("abc", "ABD") < 0);
	CHECK(strcasecmp("b", "A") > 0);
	CHECK(strcasecmp("ab", "a") > 0);
	CHECK(strncasecmp("HELLOx", "helloy", 5) == 0);
	CHECK(strncasecmp("HELLOx", "helloy", 6) < 0);
	CHECK(strncasecmp("a", "b", 0) == 0);
}

static void check_numbers(void)
{
	char *end;
	static const char *volatile s = "  -42xyz";

	CHECK(strtol(s, &end, 10) == -42 && end == s + 5);
	CHECK(strtoul("0x1fG", &end, 0) == 0x1f && *end == 'G');
	CHECK(strtoul("0x", &end, 16) == 0 && *end == 'x');
	CHECK(strtoul("017", NULL, 0) == 15);
	CHECK(strtoul("z", &end, 36) == 35 && !*end);
	CHECK(strtoul("xyz", &end, 10) == 0 && !strcmp(end, "xyz"));
	CHECK(strtoul("12", &end, 1) == 0 && !strcmp(end, "12"));
	CHECK(strtoull("18446744073709551615", NULL, 10) == 18446744073709551615ULL);
	CHECK(strtoull("18446744073709551616", &end, 10) == 18446744073709551615ULL && !*end);
	CHECK(strtoull("-1", NULL, 10) == 18446744073709551615ULL);
	CHECK(strtoll("9223372036854775807", NULL, 10) == 9223372036854775807LL);
	CHECK(strtoll("9223372036854775808", NULL, 10) == 9223372036854775807LL);
	CHECK(strtoll("-9223372036854775808", NULL, 10) == -9223372036854775807LL - 1);
	CHECK(strtoll("-9223372036854775809", NULL, 10) == -9223372036854775807LL - 1);
	CHECK(strtol("+7", NULL, 0) == 7);
}

static void check_ctype(void)
{
	int digits = 0, spaces = 0, alpha = 0, punct = 0, print = 0;

	for (int c = -1; c < 256; c++) {
		digits += !!isdigit(c);
		spaces += !!isspace(c);
		alpha += !!isalpha(c);
		punct += !!ispunct(c);
		print += !!isprint(c);
	}
	CHECK(digits == 10 && spaces == 6 && alpha == 52 && punct == 32 && print == 95);
	CHECK(isxdigit('f') && isxdigit('F') && !isxdigit('g'));
	CHECK(isalnum('0') && isalnum('z') && !isalnum('_'));
	CHECK(iscntrl(127) && iscntrl('\n') && !iscntrl(' '));
	CHECK(isgraph('!') && !isgraph(' '));
	CHECK(isupper('Q') && !isupper('q') && islower('q'));
	CHECK(tolower('Q') == 'q' && tolower('1') == '1' && toupper('q') == 'Q' && toupper(-1) == -1);
}

long dom_init(const char *params, struct dc_entry_result *out)
{
	if (dom_params_allow(params, NULL))
		return -EINVAL;
	check_search();
	check_compare();
	check_numbers();
	check_ctype();
	if (failed)
		return -EINVAL;
	dom_info("all cases passed");
	out->ops = &ops;
	return 0;
}
