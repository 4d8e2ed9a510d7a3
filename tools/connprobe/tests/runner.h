/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal test runner: each test is a function returning 0 on success;
 * the CHECK macros print a "# ..." diagnostic and jump to the test's
 * "fail:" label, where it releases what it holds and returns non-zero.
 * A test that cannot run here returns skip("why").
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
extern TEST_LIST(out_tests);
extern TEST_LIST(format_tests);
extern TEST_LIST(table_tests);
extern TEST_LIST(jsonl_tests);
extern TEST_LIST(csv_tests);
extern TEST_LIST(filter_tests);
extern TEST_LIST(filter_push_tests);
extern TEST_LIST(htab_tests);
extern TEST_LIST(container_tests);
extern TEST_LIST(cgroup_tests);
extern TEST_LIST(stats_tests);
extern TEST_LIST(reader_tests);
extern TEST_LIST(capture_tests);
extern TEST_LIST(hist_tests);
extern TEST_LIST(summary_tests);
extern TEST_LIST(in_progress_tests);
extern TEST_LIST(prom_tests);
extern TEST_LIST(golden_tests);
extern TEST_LIST(e2e_tests);
extern TEST_LIST(e2e_capture_tests);
extern TEST_LIST(e2e_views_tests);
extern TEST_LIST(fuzz_tests);

/* What the tests that need them get from the command line. */
struct test_env {
	const char *tool;	/* the connprobe binary under test */
	const char *man;	/* connprobe.8 */
	const char *fuzzer;	/* the libFuzzer binary; NULL: none built */
};

void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Mark the test skipped with @why; return its result. */
#define TEST_SKIPPED	77
int skip(const char *why);

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

/* @s contains @sub. */
#define CHECK_HAS(s, sub)						\
	do {								\
		const char *s_ = (s), *sub_ = (sub);			\
		if (!s_ || !strstr(s_, sub_)) {				\
			diag("%s:%d: %s lacks \"%s\"", __FILE__,	\
			     __LINE__, #s, sub_);			\
			diag("  in: \"%s\"", s_ ? s_ : "(null)");	\
			goto fail;					\
		}							\
	} while (0)

/* A macro's value as a string literal, for messages that quote it. */
#define STR(x)	#x
#define XSTR(x)	STR(x)

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

#endif /* CONNPROBE_TEST_RUNNER_H */
