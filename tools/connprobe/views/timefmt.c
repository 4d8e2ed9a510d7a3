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


/* Split @ns into whole seconds (floored) and the ns within the second. */
static void split(long long ns, time_t *sec, long long *frac)
{
	*sec = ns / NSEC_PER_SEC;
	*frac = ns % NSEC_PER_SEC;
	if (*frac < 0) {
		*frac += NSEC_PER_SEC;
		(*sec)--;
	}
}

/* Refresh @c for @sec with @fmt of localtime or gmtime; false on failure. */
static bool cache_second(struct cp_timecache *c, time_t sec, bool utc,
			 const char *fmt)
{
	struct tm tm;

	if (c->valid && c->sec == sec)
		return true;
	if (!(utc ? gmtime_r(&sec, &tm) : localtime_r(&sec, &tm)))
		return false;
	c->len = strftime(c->text, sizeof(c->text), fmt, &tm);
	c->sec = sec;
	c->valid = c->len > 0;
	return c->valid;
}

/* The cached second, then '.' and @digits digits of @frac (ns). */
static size_t with_fraction(const struct cp_timecache *c, char *buf,
			    long long frac, unsigned int digits)
{
	unsigned long long v = frac;
	unsigned int i;
	size_t n = c->len;

	memcpy(buf, c->text, n);
	for (i = digits; i < 9; i++)
		v /= 10;
	buf[n++] = '.';
	for (i = digits; i-- > 0;) {
		buf[n + i] = '0' + v % 10;
		v /= 10;
	}
	return n + digits;
}

size_t fmt_clock(struct cp_timecache *c, char *buf, long long realtime_ns)
{
	long long frac;
	time_t sec;

	split(realtime_ns, &sec, &frac);
	if (!cache_second(c, sec, false, "%H:%M:%S")) {
		memcpy(buf, "?", 1);
		return 1;
	}
	return with_fraction(c, buf, frac, 3);
}

size_t fmt_rfc3339(struct cp_timecache *c, char *buf, long long realtime_ns)
{
	long long frac;
	time_t sec;
	size_t n;

	split(realtime_ns, &sec, &frac);
	if (!cache_second(c, sec, true, "%Y-%m-%dT%H:%M:%S")) {
		memcpy(buf, "?", 1);
		return 1;
	}
	n = with_fraction(c, buf, frac, 9);
	buf[n++] = 'Z';
	return n;
}
