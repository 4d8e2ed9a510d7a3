// SPDX-License-Identifier: GPL-2.0
/* The live loop: poll the CPU files, feed rounds sorted by time, drain. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "capture.h"
#include "live.h"
#include "format.h"

#define MODULE_SYSFS		"/sys/module/connprobe"
#define POLL_INTERVAL_MS	100
/* Bounds one round, so a busy CPU cannot starve the others' output. */
#define MAX_PER_CPU_ROUND	4096
/* The drain reads at most a buffer per CPU, or this many rounds: storms end. */
#define MAX_DRAIN_ROUNDS	64
#define CMP(a, b)		(((a) > (b)) - ((a) < (b)))

_Static_assert(sizeof(struct connprobe_record) == CONNPROBE_RECORD_SIZE,
	       "struct connprobe_record does not match CONNPROBE_RECORD_SIZE");

int env_check(const char *debugfs, const char *dir, bool fake_debugfs)
{
	struct statfs sfs;
	struct stat st;
	/* -1: there but not a directory; ENOTDIR: a file on the way there */
	int e = stat(dir, &st) ? errno : S_ISDIR(st.st_mode) ? 0 : -1;

	/* The debugfs files are root-only; say so instead of EACCES. */
	if (geteuid() != 0)
		fprintf(stderr, "connprobe: must be run as root\n");
	else if (!fake_debugfs && (statfs(debugfs, &sfs) || sfs.f_type != DEBUGFS_MAGIC))
		fprintf(stderr,
			"connprobe: debugfs is not mounted on %s; mount it with: mount -t debugfs none %s\n",
			debugfs, debugfs);
	else if (!e)
		return 0;
	else if (e != ENOENT)
		fprintf(stderr, "connprobe: %s: %s\n", dir, e < 0 ? "not a directory" : strerror(e));
	else if (!fake_debugfs && access(MODULE_SYSFS, F_OK) == 0)
		fprintf(stderr, "connprobe: module is loaded but %s is missing; see dmesg\n", dir);
	else
		fprintf(stderr,
			"connprobe: module not loaded: %s not found; load it with: modprobe connprobe (from a build tree: insmod connprobe.ko)\n",
			dir);
	return -1;
}

#define CPU_BASE_LEN	(sizeof(CONNPROBE_CPU_FILE_BASE) - 1)

/* "cpuN" exactly; anything else in the directory is not a CPU file. */
static int is_cpu_file(const struct dirent *de)
{
	const char *n = de->d_name + CPU_BASE_LEN;
	char *end;

	errno = 0;
	return !strncmp(de->d_name, CONNPROBE_CPU_FILE_BASE, CPU_BASE_LEN) &&
	       isdigit((unsigned char)*n) && strtoul(n, &end, 10) <= UINT_MAX &&
	       !errno && !*end;
}

int reader_open(struct cp_reader *r, const char *dir, char *err, size_t errlen)
{
	struct dirent **names;
	char path[PATH_MAX];
	int n, i;

	memset(r, 0, sizeof(*r));
	/* versionsort: cpu2 before cpu10 */
	n = scandir(dir, &names, is_cpu_file, versionsort);
	if (n < 0)
		return cp_err(err, errlen, "%s: %m", dir);
	r->pfds = calloc(n + 1, sizeof(*r->pfds));
	r->cpus = calloc(n + 1, sizeof(*r->cpus));
	if (!n)
		cp_err(err, errlen, "%s: no %sN files", dir, CONNPROBE_CPU_FILE_BASE);
	else if (!r->pfds || !r->cpus)
		cp_err(err, errlen, "out of memory");
	/* up to the first that fails to open */
	for (i = 0; r->pfds && r->cpus && i < n && r->nr == (size_t)i; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		r->cpus[i] = strtoul(names[i]->d_name + CPU_BASE_LEN, NULL, 10);
		r->pfds[i].events = POLLIN;
		/* Non-blocking is belt and braces: the module never blocks. */
		r->pfds[i].fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (r->pfds[i].fd < 0)
			cp_err(err, errlen, "%s: %m", path);
		else
			r->nr++;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (n && (int)r->nr == n)
		return 0;
	reader_close(r);
	return -1;
}

void reader_close(struct cp_reader *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++)
		close(r->pfds[i].fd);
	free(r->pfds);
	free(r->cpus);
	free(r->rec);
	memset(r, 0, sizeof(*r));
}

long reader_read_all(struct cp_reader *r, size_t max, char *err, size_t errlen)
{
	const size_t rec_size = sizeof(struct connprobe_record);
	/* room for @max of each CPU, so that one read() can take them all */
	void *p = realloc(r->rec, r->nr * max * rec_size);
	size_t i, j, got;
	long total = 0;
	char msg[256];
	ssize_t n;

	if (!p)
		return cp_err(err, errlen, "out of memory");
	r->rec = p;
	r->len = 0;
	for (i = 0; i < r->nr; total += got, i++) {
		for (got = 0; got < max; got += n / rec_size, r->len += n / rec_size) {
			/* whole records, into an array of them: nothing to align */
			n = read(r->pfds[i].fd, r->rec + r->len, (max - got) * rec_size);
			if (n < 0 && errno == EINTR)
				n = 0;
			else if (n == 0 || (n < 0 && errno == EAGAIN))	/* all read */
				break;
			else if (n < 0)
				return cp_err(err, errlen, "read %s%u: %m",
					      CONNPROBE_CPU_FILE_BASE, r->cpus[i]);
			else if (n % rec_size)
				return cp_err(err, errlen,
					      "read %s%u: got %zd bytes, not a whole number of %zu-byte records",
					      CONNPROBE_CPU_FILE_BASE, r->cpus[i], n, rec_size);
			for (j = 0; j < n / rec_size; j++)
				if (!record_ok(&r->rec[r->len + j]) &&
				    record_check(&r->rec[r->len + j], msg, sizeof(msg)))
					return cp_err(err, errlen, "%s%u: %s",
						      CONNPROBE_CPU_FILE_BASE, r->cpus[i], msg);
		}
	}
	return total;
}

static volatile sig_atomic_t exiting;

static void sig_handler(int sig)
{
	(void)sig;
	exiting = 1;
}

/* Time, CONNECT before its COMPLETE (same entry time), cpu, seq: total. */
static int cmp_record(const void *a, const void *b)
{
	const struct connprobe_record *x = a, *y = b;

	return CMP(x->ts_ns, y->ts_ns) ?: CMP(x->event, y->event) ?:
	       CMP(x->cpu, y->cpu) ?: CMP(x->seq, y->seq);
}

struct live {
	struct cp_sink *sink;
	const char *dir;
	struct cp_stats start;
	struct cp_reader rd;
	char err[512];
};

/* Feed a round's records in time order: how many, or -1 (l->err, sink's). */
static long read_round(struct live *l)
{
	struct cp_reader *r = &l->rd;
	long n = reader_read_all(r, MAX_PER_CPU_ROUND, l->err, sizeof(l->err));
	size_t i;

	/* mostly in order already: a compare per record beats a qsort() */
	for (i = 1; i < r->len; i++)
		if (r->rec[i - 1].ts_ns >= r->rec[i].ts_ns &&
		    cmp_record(&r->rec[i - 1], &r->rec[i]) > 0)
			break;
	if (i < r->len)
		qsort(r->rec, r->len, sizeof(*r->rec), cmp_record);
	for (i = 0; n > 0 && i < r->len; i++)
		if (sink_feed(l->sink, &r->rec[i]))
			return -1;
	return n > 0 && sink_flush(l->sink) ? -1 : n;
}

/* What the run lost so far into @now (stats_free() it); -1: l->err. */
static int losses_now(struct live *l, struct cp_stats *now)
{
	int ret = stats_read(l->dir, now, l->err, sizeof(l->err));

	if (!ret)
		stats_diff(&l->start, now);
	return ret;
}

/* Read rounds until stopped; -1 with a message in l->err or the sink's. */
static int loop(struct live *l, double duration)
{
	long long t0 = mono_now(), left_ms;
	long long end = duration > 0 ? t0 + (long long)(duration * 1e9) : LLONG_MAX;
	long long next_tick = l->sink->tick_ns ? t0 + l->sink->tick_ns : LLONG_MAX;
	struct cp_stats delta;
	int ready, timeout, bad, failed;
	size_t i;
	long n;

	while (!exiting && (t0 = mono_now()) < end) {
		left_ms = (end - t0 - 1) / 1000000 + 1;
		timeout = left_ms < POLL_INTERVAL_MS ? left_ms : POLL_INTERVAL_MS;
		ready = poll(l->rd.pfds, l->rd.nr, timeout);
		/* EINTR, a signal: the loop checks its exit flag */
		if (ready < 0 && errno != EINTR)
			return cp_err(l->err, sizeof(l->err), "poll: %m");
		for (i = 0; ready > 0 && i < l->rd.nr; i++)
			if (l->rd.pfds[i].revents & (POLLERR | POLLHUP | POLLNVAL))
				return cp_err(l->err, sizeof(l->err), CONNPROBE_CPU_FILE_BASE
					      "%u: buffer closed (module unloaded?)", l->rd.cpus[i]);
		/* POLLIN says only a sub-buffer is full: read partial ones too */
		n = read_round(l);
		if (n < 0)
			return -1;
		if (mono_now() >= next_tick) {
			bad = losses_now(l, &delta);
			failed = l->sink->ops->tick(l->sink, bad ? NULL : &delta);
			if (bad)
				fprintf(stderr, "connprobe: %s\n", l->err);
			stats_free(&delta);
			if (failed)
				return -1;
			next_tick += l->sink->tick_ns;
		}
		/* no busy loop on a file that polls readable but is empty */
		left_ms = timeout - (mono_now() - t0) / 1000000;
		if (n == 0 && ready > 0 && left_ms > 0)
			poll(NULL, 0, left_ms);
	}
	return 0;
}

int live_run(const struct live_opts *opts, struct cp_sink *sink)
{
	struct sigaction sa = { .sa_handler = sig_handler };
	struct live l = { .sink = sink, .dir = opts->dir };
	struct cp_source_info info;
	struct cp_stats delta = { 0 };
	struct utsname uts;
	int i, rounds, bad, ret = 1;
	long n = 0;

	/* No SA_RESTART: poll() must return EINTR so the flag is seen now. */
	sigemptyset(&sa.sa_mask);
	/* Losses are counted from here: read the stats before any record. */
	if (stats_read(opts->dir, &l.start, l.err, sizeof(l.err)) ||
	    reader_open(&l.rd, opts->dir, l.err, sizeof(l.err)) ||
	    ((sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL)) &&
	     cp_err(l.err, sizeof(l.err), "sigaction: %m")))
		goto cleanup;
	info = (struct cp_source_info){ .live = true, .realtime_offset_ns = realtime_offset_now(),
		.start_ns = mono_now(), .hostname = uname(&uts) ? "" : uts.nodename };
	if (sink->ops->begin(sink, &info) || loop(&l, opts->duration))
		goto cleanup;
	rounds = !l.start.buf_size ? MAX_DRAIN_ROUNDS :
		 2 + (int)(l.start.buf_size / CONNPROBE_RECORD_SIZE / MAX_PER_CPU_ROUND);
	for (i = 0, n = 1; i < rounds && n > 0; i++)
		n = read_round(&l);
	if (n < 0)
		goto cleanup;
	bad = losses_now(&l, &delta);
	if (!sink->ops->end(sink, bad ? NULL : &delta) && !bad)
		ret = 0;

cleanup:
	if (ret && (l.err[0] || sink->err[0]))
		fprintf(stderr, "connprobe: %s\n", l.err[0] ? l.err : sink->err);
	stats_free(&delta);
	reader_close(&l.rd);
	stats_free(&l.start);
	return ret;
}
