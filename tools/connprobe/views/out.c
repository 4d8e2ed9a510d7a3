// SPDX-License-Identifier: GPL-2.0
/* Buffered row output, number and time formatting, files written whole. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format.h"
#include "sink.h"

int out_init(struct cp_out *o, FILE *f)
{
	*o = (struct cp_out){ .f = f, .buf = malloc(OUT_BUF_SIZE), .size = OUT_BUF_SIZE };
	return o->buf ? 0 : -1;
}

void out_make_room(struct cp_out *o, size_t n)
{
	if (o->len)
		fwrite(o->buf, 1, o->len, o->f);
	o->len = 0;
	if (n <= o->size)
		return;
	/* only a row with a cgroup path of tens of kB is this long */
	o->buf = realloc(o->buf, n);
	if (!o->buf) {
		fputs("connprobe: out of memory\n", stderr);
		abort();
	}
	o->size = n;
}

int out_flush(struct cp_out *o)
{
	out_make_room(o, 0);
	return fflush(o->f) || ferror(o->f) ? -1 : 0;
}

int out_close(struct cp_out *o)
{
	int ret = o->buf ? out_flush(o) : 0;

	free(o->buf);
	o->buf = NULL;
	return ret;
}

char fmt_digits4[10001][4];
unsigned char fmt_len4[10000];

static void __attribute__((constructor)) fmt_init(void)
{
	unsigned int i, d, v;

	for (i = 0; i < 10000; i++) {
		for (d = 4, v = i; d-- > 0; v /= 10)
			fmt_digits4[i][d] = '0' + v % 10;
		fmt_len4[i] = i >= 1000 ? 4 : i >= 100 ? 3 : i >= 10 ? 2 : 1;
	}
}

void out_u64(struct cp_out *o, unsigned long long v)
{
	char *p = out_reserve(o, 20);

	out_commit(o, p + fmt_u64(p, v));
}

int textfile_write(const char *dir, const char *name, const void *data,
		   size_t len, char *err, size_t errlen)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	FILE *f = NULL;
	bool ok;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, name) >= (int)sizeof(tmp) ||
	    snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return cp_err(err, errlen, "%s: path too long", dir);
	fd = mkstemp(tmp);
	if (fd < 0)
		return cp_err(err, errlen, "%s: %s", dir, strerror(errno));
	/* mkstemp() makes it 0600; the collector may run as another user */
	if (!fchmod(fd, 0644))
		f = fdopen(fd, "w");
	ok = f && fwrite(data, 1, len, f) == len;
	if (f ? fclose(f) : close(fd))
		ok = false;
	if (ok && !rename(tmp, path))
		return 0;
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
	unlink(tmp);
	return -1;
}

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
 * then the first @digits digits of the fraction; "?" for a time without a
 * broken-down form.  Inline, so that @digits is a constant.
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
	for (i = 9; i > digits; i--)
		frac /= 10;
	for (i = digits; i-- > 0; frac /= 10)
		buf[n + i] = '0' + frac % 10;
	return n + digits;
}

size_t fmt_clock(struct cp_timecache *c, char *buf, long long realtime_ns)
{
	return fmt_time(c, buf, realtime_ns, false, "%H:%M:%S.", 3);
}

size_t fmt_rfc3339(struct cp_timecache *c, char *buf, long long realtime_ns)
{
	size_t n = fmt_time(c, buf, realtime_ns, true, "%Y-%m-%dT%H:%M:%S.", 9);

	/* not after "?" */
	if (n > 1)
		buf[n++] = 'Z';
	return n;
}
