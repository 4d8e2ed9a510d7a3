// SPDX-License-Identifier: GPL-2.0
/* Relative and wall-clock timestamps. */
#include <string.h>

#include "out.h"
#include "timefmt.h"

#define NSEC_PER_SEC	1000000000LL

static long long clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

long long mono_now(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

long long realtime_offset_now(void)
{
	return clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);
}

/*
 * The second of @ns as @fmt shows it in UTC or local time, cached in @c,
 * then '.' and the first @digits digits of the fraction; "?" for a time
 * without a broken-down form.  Inline, so that @digits is a constant.
 */
static inline __attribute__((always_inline))
size_t fmt_time(struct cp_timecache *c, char *buf, long long ns, bool utc,
		const char *fmt, unsigned int digits)
{
	/* floored: the second before the epoch has a positive fraction */
	long long frac = ns % NSEC_PER_SEC;
	time_t sec = ns / NSEC_PER_SEC - (frac < 0);
	unsigned int i;
	struct tm tm;
	size_t n;

	if (frac < 0)
		frac += NSEC_PER_SEC;
	if (!c->valid || c->sec != sec) {
		c->sec = sec;
		c->valid = (utc ? gmtime_r(&sec, &tm) : localtime_r(&sec, &tm)) &&
			   (c->len = strftime(c->text, sizeof(c->text), fmt, &tm));
		if (!c->valid) {
			buf[0] = '?';
			return 1;
		}
	}
	n = c->len;
	memcpy(buf, c->text, n);
	buf[n++] = '.';
	for (i = 9; i > digits; i--)
		frac /= 10;
	for (i = digits; i-- > 0; frac /= 10)
		buf[n + i] = '0' + frac % 10;
	return n + digits;
}

size_t fmt_clock(struct cp_timecache *c, char *buf, long long realtime_ns)
{
	return fmt_time(c, buf, realtime_ns, false, "%H:%M:%S", 3);
}

size_t fmt_rfc3339(struct cp_timecache *c, char *buf, long long realtime_ns)
{
	size_t n = fmt_time(c, buf, realtime_ns, true, "%Y-%m-%dT%H:%M:%S", 9);

	/* not after "?" */
	if (n > 1)
		buf[n++] = 'Z';
	return n;
}
