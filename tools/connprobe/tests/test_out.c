// SPDX-License-Identifier: GPL-2.0
/* Number and time formatting, buffered output. */
#include <limits.h>
#include <stdlib.h>

#include "out.h"
#include "format.h"
#include "fixtures.h"
#include "runner.h"

/* @n bytes at @buf as a string, for CHECK_STR. */
static const char *str(char *buf, size_t n)
{
	buf[n] = '\0';
	return buf;
}

static int test_fmt_u64(const void *arg)
{
	static const struct {
		unsigned long long v;
		const char *text;
	} cases[] = {
		{ 0, "0" }, { 9, "9" }, { 10, "10" }, { 99, "99" },
		{ 100, "100" }, { 65535, "65535" },
		{ 4294967295ULL, "4294967295" }, { 4294967296ULL, "4294967296" },
		{ 1000000000000000000ULL, "1000000000000000000" },
		{ ULLONG_MAX, "18446744073709551615" },
	};
	char buf[32];
	size_t i;

	(void)arg;
	for (i = 0; i < ARRAY_LEN(cases); i++)
		CHECK_STR(str(buf, fmt_u64(buf, cases[i].v)), cases[i].text);
	return 0;
fail:
	return 1;
}

static int test_fmt_fixed_and_ms(const void *arg)
{
	char buf[32];

	(void)arg;
	CHECK_STR(str(buf, fmt_fixed(buf, 1234567, 3)), "1234.567");
	CHECK_STR(str(buf, fmt_fixed(buf, 5, 3)), "0.005");
	CHECK_STR(str(buf, fmt_fixed(buf, 0, 1)), "0.0");
	CHECK_STR(str(buf, fmt_fixed(buf, 42, 0)), "42");
	CHECK_STR(str(buf, fmt_ns_as_ms(buf, 52000)), "0.052");
	CHECK_STR(str(buf, fmt_ns_as_ms(buf, 499)), "0.000");
	CHECK_STR(str(buf, fmt_ns_as_ms(buf, 500)), "0.001");
	CHECK_STR(str(buf, fmt_ns_as_ms(buf, 1234567)), "1.235");
	CHECK_STR(str(buf, fmt_ns_as_ms(buf, ULLONG_MAX)), "18446744073709.552");
	return 0;
fail:
	return 1;
}

static int test_fmt_times(const void *arg)
{
	struct cp_timecache utc = { 0 }, local = { 0 };
	char buf[48];

	(void)arg;
	CHECK_STR(str(buf, fmt_relative(buf, 0)), "0.000");
	CHECK_STR(str(buf, fmt_relative(buf, -500000000)), "-0.500");
	CHECK_STR(str(buf, fmt_relative(buf, 1499999)), "0.001");
	CHECK_STR(str(buf, fmt_relative(buf, LLONG_MIN)), "-9223372036.855");
	CHECK_STR(str(buf, fmt_rfc3339(&utc, buf, TEST_REALTIME_OFFSET + 123456789)),
		  "2025-11-26T00:00:00.123456789Z");
	/* the cached second serves the next record of the same second */
	CHECK_STR(str(buf, fmt_rfc3339(&utc, buf, TEST_REALTIME_OFFSET + 999999999)),
		  "2025-11-26T00:00:00.999999999Z");
	CHECK_STR(str(buf, fmt_rfc3339(&utc, buf, -1)),
		  "1969-12-31T23:59:59.999999999Z");
	/* the runner sets TZ=UTC */
	CHECK_STR(str(buf, fmt_clock(&local, buf, TEST_REALTIME_OFFSET + 3723004000000LL)),
		  "01:02:03.004");
	return 0;
fail:
	return 1;
}

static int test_out_chunks(const void *arg)
{
	enum { BIG = 3 * OUT_BUF_SIZE + 17 };
	struct memout c = { 0 };
	struct cp_out o = { 0 };
	char *big = malloc(BIG + 1);
	const char *text;
	int ret = 1, i;

	(void)arg;
	CHECK(big);
	CHECK(memout_open(&c));
	CHECK_INT(out_init(&o, c.f), 0);
	out_str(&o, "ab    toolong    7");
	out_char(&o, '|');
	out_str(&o, "18446744073709551615");	/* fmt_u64() has its own test */
	out_char(&o, '\n');
	/* more than the buffer holds, in one piece and in small ones */
	memset(big, 'x', BIG);
	out_mem(&o, big, BIG);
	for (i = 0; i < 100; i++)
		out_char(&o, ' ');
	CHECK_INT(out_close(&o), 0);
	text = memout_text(&c);
	CHECK(!strncmp(text, "ab    toolong    7|18446744073709551615\n", 40));
	CHECK_INT(strlen(text), 40 + BIG + 100);
	CHECK_INT(strspn(text + 40, "x"), BIG);
	CHECK_INT(strspn(text + 40 + BIG, " "), 100);
	ret = 0;
fail:
	out_close(&o);
	memout_close(&c);
	free(big);
	return ret;
}

TEST_LIST(out_tests) = {
	{ "fmt_u64 at every digit-count boundary", test_fmt_u64 },
	{ "fixed-point and latency in ms, rounded to the microsecond", test_fmt_fixed_and_ms },
	{ "relative seconds, RFC 3339 UTC and -T clock time", test_fmt_times },
	{ "output larger than the buffer, in one piece and in small ones", test_out_chunks },
	{ NULL, NULL },
};
