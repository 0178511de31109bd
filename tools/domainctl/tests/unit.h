/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal unit-test harness.  Each test prints exactly one line,
 * "PASS unit/domainctl-NAME" or "FAIL unit/domainctl-NAME: reason": the
 * format the project's test runner counts.
 */
#ifndef DOMAINCTL_UNIT_H
#define DOMAINCTL_UNIT_H

#include <stdbool.h>
#include <stddef.h>

struct unit {
	bool failed;
	char reason[512];
};

typedef void unit_fn(struct unit *u);

/* Record the first failure of the running test (later ones add nothing). */
void unit_fail(struct unit *u, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define CHECK(u, cond)							\
	do {								\
		if (!(cond))						\
			unit_fail(u, __FILE__, __LINE__, "%s", #cond);	\
	} while (0)

#define CHECK_STR(u, got, want)						\
	do {								\
		const char *got_ = (got), *want_ = (want);		\
		if (!got_ || strcmp(got_, want_) != 0)			\
			unit_fail(u, __FILE__, __LINE__,		\
				  "%s is \"%s\", expected \"%s\"", #got,	\
				  got_ ? got_ : "(null)", want_);	\
	} while (0)

#define CHECK_NUM(u, got, want)						\
	do {								\
		long long got_ = (long long)(got), want_ = (long long)(want); \
		if (got_ != want_)					\
			unit_fail(u, __FILE__, __LINE__,		\
				  "%s is %lld, expected %lld", #got, got_, want_); \
	} while (0)

/* Run @fn as test "domainctl-@name" and print its line. */
void unit_run(const char *name, unit_fn *fn);

/* 0 if every test passed, else 1: main()'s exit status. */
int unit_status(void);

#endif
