// SPDX-License-Identifier: GPL-2.0
/*
 * Reading what connprobe recorded.  The module never blocks a reader: read()
 * on a cpuN file returns whole records back to back, and 0 once nothing is
 * buffered.  A record is written before the traced connect() returns to
 * userspace, so draining after the call is enough; poll() would only report
 * full sub-buffers and is not used.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "record_reader.h"

/* Records per read(): a multiple of the record size, as the module wants. */
#define READ_BATCH	256

static int fail(struct record_set *set, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(set->error, sizeof(set->error), fmt, ap);
	va_end(ap);
	return -err;
}

static int append(struct record_set *set, const struct connprobe_record *rec)
{
	if (set->n == set->cap) {
		size_t cap = set->cap ? 2 * set->cap : 64;
		struct connprobe_record *recs;

		recs = realloc(set->recs, cap * sizeof(*recs));
		if (!recs)
			return fail(set, ENOMEM, "out of memory");
		set->recs = recs;
		set->cap = cap;
	}
	set->recs[set->n++] = *rec;
	return 0;
}

/* Read one cpuN file until it is empty. */
static int drain_cpu(struct record_set *set, unsigned int cpu, bool keep)
{
	struct connprobe_record batch[READ_BATCH];
	char path[sizeof(CONNPROBE_PATH) + 32];
	ssize_t len;
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/%s%u", CONNPROBE_PATH,
		 CONNPROBE_CPU_FILE_BASE, cpu);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return fail(set, errno, "open %s: %s", path, strerror(errno));

	while ((len = read(fd, batch, sizeof(batch))) > 0) {
		size_t i, n = len / sizeof(batch[0]);

		if (len % sizeof(batch[0])) {
			err = fail(set, EBADMSG,
				   "%s: read %zd bytes, not whole records",
				   path, len);
			break;
		}
		for (i = 0; i < n && !err; i++) {
			const struct connprobe_record *rec = &batch[i];

			if (rec->size != sizeof(*rec) ||
			    rec->version != CONNPROBE_RECORD_VERSION ||
			    rec->cpu != cpu)
				err = fail(set, EBADMSG,
					   "%s: bad record: size %u version %u cpu %u",
					   path, rec->size, rec->version,
					   rec->cpu);
			else if (keep && rec->pid == (__u32)set->pid)
				err = append(set, rec);
		}
		if (err)
			break;
	}
	if (len < 0)
		err = fail(set, errno, "read %s: %s", path, strerror(errno));
	close(fd);
	return err;
}

static int drain(struct record_set *set, bool keep)
{
	unsigned int cpu, ncpu = 0;
	struct dirent *de;
	int err = 0;
	DIR *dir;

	dir = opendir(CONNPROBE_PATH);
	if (!dir)
		return fail(set, errno, "%s: %s (is connprobe loaded, debugfs mounted?)",
			    CONNPROBE_PATH, strerror(errno));
	while (!err && (de = readdir(dir))) {
		char tail;

		/* "cpu12" but not "cpu12x": the files are named by CPU only. */
		if (sscanf(de->d_name, CONNPROBE_CPU_FILE_BASE "%u%c",
			   &cpu, &tail) != 1)
			continue;
		ncpu++;
		err = drain_cpu(set, cpu, keep);
	}
	closedir(dir);
	if (!err && !ncpu)
		err = fail(set, ENOENT, "%s holds no %sN file", CONNPROBE_PATH,
			   CONNPROBE_CPU_FILE_BASE);
	return err;
}

int records_drain(struct record_set *set)
{
	return drain(set, true);
}

int records_discard(struct record_set *set)
{
	return drain(set, false);
}

/* A COMPLETE record has its connect's ts_ns: it sorts after that CONNECT. */
static int by_ts(const void *a, const void *b)
{
	const struct connprobe_record *ra = a, *rb = b;

	if (ra->ts_ns != rb->ts_ns)
		return ra->ts_ns > rb->ts_ns ? 1 : -1;
	return (ra->event > rb->event) - (ra->event < rb->event);
}

size_t records_of_tid(const struct record_set *set, pid_t tid,
		      struct connprobe_record *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < set->n; i++) {
		if (tid && set->recs[i].tid != (__u32)tid)
			continue;
		if (n < max)
			out[n] = set->recs[i];
		n++;
	}
	if (n && max)
		qsort(out, n < max ? n : max, sizeof(*out), by_ts);
	return n;
}

void records_free(struct record_set *set)
{
	free(set->recs);
	set->recs = NULL;
	set->n = 0;
	set->cap = 0;
}

ssize_t records_collect(pid_t tid, struct connprobe_record *out, size_t max,
			char *err, size_t len)
{
	struct record_set set = { .pid = getpid() };
	ssize_t n;

	n = records_drain(&set);
	if (n)
		snprintf(err, len, "%s", set.error);
	else
		n = records_of_tid(&set, tid, out, max);
	records_free(&set);
	return n;
}

int stats_read(struct probe_stats *st)
{
	bool have_total = false, have_untracked = false, have_reclaimed = false;
	unsigned long long a, b;
	char line[256];
	FILE *f;

	memset(st, 0, sizeof(*st));
	f = fopen(CONNPROBE_PATH "/" CONNPROBE_STATS_FILE, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char probe[128];

		if (sscanf(line, "total written %llu read %*u lost %llu",
			   &a, &b) == 2) {
			st->written = a;
			st->lost = b;
			have_total = true;
		} else if (sscanf(line, "probe %127s nmissed %llu kp_nmissed %llu",
				  probe, &a, &b) == 3) {
			st->nmissed += a;
			st->kp_nmissed += b;
			st->probes++;
		} else if (sscanf(line, "attempts_untracked %llu", &a) == 1) {
			st->untracked = a;
			have_untracked = true;
		} else if (sscanf(line, "attempts_reclaimed %llu", &a) == 1) {
			st->reclaimed = a;
			have_reclaimed = true;
		}
	}
	fclose(f);
	return have_total && st->probes && have_untracked && have_reclaimed ?
	       0 : -EBADMSG;
}

uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}
