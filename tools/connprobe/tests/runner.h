/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal test runner: each test is a function returning 0 on success;
 * the CHECK macros print a "# ..." diagnostic and jump to the test's
 * "fail:" label, where it releases what it holds and returns non-zero.
 */
#ifndef CONNPROBE_TEST_RUNNER_H
#define CONNPROBE_TEST_RUNNER_H

#include <stddef.h>
#include <string.h>

struct test {
	const char *name;
	int (*fn)(const void *arg);
};

/* A test file's list, terminated by { NULL, NULL }. */
#define TEST_LIST(name) const struct test name[]

extern TEST_LIST(names_tests);
extern TEST_LIST(format_tests);
extern TEST_LIST(stats_tests);
extern TEST_LIST(reader_tests);
extern TEST_LIST(e2e_tests);

void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			diag("%s:%d: CHECK(%s) failed", __FILE__,	\
			     __LINE__, #cond);				\
			goto fail;					\
		}							\
	} while (0)

#define CHECK_STR(got, want)						\
	do {								\
		const char *got_ = (got), *want_ = (want);		\
		if (!got_ || !want_ || strcmp(got_, want_)) {		\
			diag("%s:%d: %s", __FILE__, __LINE__, #got);	\
			diag("  got:  \"%s\"", got_ ? got_ : "(null)");	\
			diag("  want: \"%s\"", want_ ? want_ : "(null)");\
			goto fail;					\
		}							\
	} while (0)

#define CHECK_INT(got, want)						\
	do {								\
		long long got_ = (got), want_ = (want);			\
		if (got_ != want_) {					\
			diag("%s:%d: %s: got %lld, want %lld",		\
			     __FILE__, __LINE__, #got, got_, want_);	\
			goto fail;					\
		}							\
	} while (0)

/* A macro's value as a string literal, for messages that quote it. */
#define STR(x)	#x
#define XSTR(x)	STR(x)

#endif /* CONNPROBE_TEST_RUNNER_H */
