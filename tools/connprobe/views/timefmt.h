/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Timestamps: relative seconds, or wall-clock time from ts_ns plus the
 * source's offset to CLOCK_REALTIME.  The last second's text is cached:
 * localtime_r() per record would cost more than the rest of the row.
 */
#ifndef CONNPROBE_TIMEFMT_H
#define CONNPROBE_TIMEFMT_H

#include <time.h>

#include "out.h"

struct cp_timecache {
	bool valid;
	time_t sec;
	char text[40];		/* the cached second, formatted */
	size_t len;
};

/* CLOCK_REALTIME - CLOCK_MONOTONIC now, in ns. */
long long realtime_offset_now(void);
/* CLOCK_MONOTONIC now, in ns. */
long long mono_now(void);

/* Signed seconds with 3 decimals, rounded: "-0.500".  @buf: 32 bytes. */
static inline size_t fmt_relative(char *buf, long long ns)
{
	unsigned long long a = ns < 0 ? -(unsigned long long)ns
				       : (unsigned long long)ns;
	unsigned long long ms = a / 1000000 + (a % 1000000 >= 500000);
	size_t n = 0;

	if (ns < 0)
		buf[n++] = '-';
	return n + fmt_fixed(buf + n, ms, 3);
}

/* Local "HH:MM:SS.mmm" (bcc's -T, with milliseconds).  @buf: 48 bytes. */
size_t fmt_clock(struct cp_timecache *c, char *buf, long long realtime_ns);
/* RFC 3339 UTC with nanoseconds: "2026-11-26T10:00:01.123456789Z" (48). */
size_t fmt_rfc3339(struct cp_timecache *c, char *buf, long long realtime_ns);

/* Wall-clock ns of a record's ts_ns; wraps instead of overflowing. */
static inline long long realtime_of(unsigned long long ts_ns,
				    long long offset_ns)
{
	return (long long)(ts_ns + (unsigned long long)offset_ns);
}

#endif /* CONNPROBE_TIMEFMT_H */
