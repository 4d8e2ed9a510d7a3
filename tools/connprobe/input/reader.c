// SPDX-License-Identifier: GPL-2.0
/* Open, poll and read <debugfs>/connprobe/cpuN. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reader.h"

/* The module and this tool must agree on the layout, not just the name. */
_Static_assert(sizeof(struct connprobe_record) == CONNPROBE_RECORD_SIZE,
	       "struct connprobe_record does not match CONNPROBE_RECORD_SIZE");

/*
 * Records per read(): the count must be a whole number of records.  About
 * 256 KiB, so that draining a full buffer takes few syscalls: on a
 * one-CPU machine they run on the traced workload's CPU.
 */
#define READ_BATCH	1024

/* Parse "cpuN" exactly; anything else in the directory is not a CPU file. */
static int cpu_file_number(const char *name, unsigned int *cpu)
{
	size_t base = strlen(CONNPROBE_CPU_FILE_BASE);
	unsigned long n;
	char *end;

	if (strncmp(name, CONNPROBE_CPU_FILE_BASE, base) ||
	    name[base] < '0' || name[base] > '9')
		return -1;
	errno = 0;
	n = strtoul(name + base, &end, 10);
	if (errno || *end || n > 0xffffffffUL)
		return -1;
	*cpu = n;
	return 0;
}

static int is_cpu_file(const struct dirent *de)
{
	unsigned int cpu;

	return !cpu_file_number(de->d_name, &cpu);
}

int reader_open(struct cp_reader *r, const char *dir, char *err, size_t errlen)
{
	struct dirent **names;
	char path[PATH_MAX];
	int n, i;

	memset(r, 0, sizeof(*r));
	/* versionsort: cpu2 before cpu10 */
	n = scandir(dir, &names, is_cpu_file, versionsort);
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	r->pfds = calloc(n + 1, sizeof(*r->pfds));
	r->cpus = calloc(n + 1, sizeof(*r->cpus));
	if (!n)
		snprintf(err, errlen, "%s: no %sN files", dir,
			 CONNPROBE_CPU_FILE_BASE);
	else if (!r->pfds || !r->cpus)
		snprintf(err, errlen, "out of memory");
	/* up to the first that fails to open */
	for (i = 0; r->pfds && r->cpus && i < n && r->nr == (size_t)i; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		cpu_file_number(names[i]->d_name, &r->cpus[i]);
		r->pfds[i].events = POLLIN;
		/* Non-blocking is belt and braces: the module never blocks. */
		r->pfds[i].fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (r->pfds[i].fd < 0)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
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
	memset(r, 0, sizeof(*r));
}

int reader_wait(struct cp_reader *r, int timeout_ms, char *err, size_t errlen)
{
	size_t i;
	int n;

	n = poll(r->pfds, r->nr, timeout_ms);
	if (n < 0) {
		/* A signal: the caller's loop checks its exit flag. */
		if (errno == EINTR)
			return 0;
		snprintf(err, errlen, "poll: %s", strerror(errno));
		return -1;
	}
	for (i = 0; n > 0 && i < r->nr; i++) {
		if (r->pfds[i].revents & (POLLERR | POLLHUP | POLLNVAL)) {
			snprintf(err, errlen,
				 "%s%u: buffer closed (module unloaded?)",
				 CONNPROBE_CPU_FILE_BASE, r->cpus[i]);
			return -1;
		}
	}
	return n;
}

int record_check(const struct connprobe_record *rec, char *err, size_t errlen)
{
	if (record_ok(rec))
		return 0;
	if (rec->size != sizeof(*rec))
		snprintf(err, errlen,
			 "record size %u, this tool reads %zu-byte records: module and tool were built from different connprobe.h",
			 rec->size, sizeof(*rec));
	else if (rec->version != CONNPROBE_RECORD_VERSION)
		snprintf(err, errlen,
			 "record version %u, this tool reads version %u: module and tool were built from different connprobe.h",
			 rec->version, CONNPROBE_RECORD_VERSION);
	else
		snprintf(err, errlen, "unknown record event %u", rec->event);
	return -1;
}

static int records_reserve(struct cp_records *recs, size_t more)
{
	struct connprobe_record *p;
	size_t cap = recs->cap ? recs->cap : READ_BATCH;

	while (cap - recs->len < more)
		cap *= 2;
	if (cap == recs->cap)
		return 0;
	p = realloc(recs->rec, cap * sizeof(*p));
	if (!p)
		return -1;
	recs->rec = p;
	recs->cap = cap;
	return 0;
}

/* Read one CPU file; see reader_read_all(). */
static long read_cpu(struct cp_reader *r, size_t i, struct cp_records *out,
		     size_t max, char *err, size_t errlen)
{
	const size_t rec_size = sizeof(struct connprobe_record);
	char msg[256];
	size_t got = 0, j, nrec, want;
	ssize_t n;

	while (got < max) {
		want = max - got < READ_BATCH ? max - got : READ_BATCH;
		if (records_reserve(out, want)) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		/*
		 * read() lands in our own array of records, so unlike bcc's
		 * perf buffer there is no alignment to fix with memcpy().
		 */
		n = read(r->pfds[i].fd, out->rec + out->len, want * rec_size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)	/* nothing buffered */
			break;
		if (n < 0) {
			snprintf(err, errlen, "read %s%u: %s",
				 CONNPROBE_CPU_FILE_BASE, r->cpus[i],
				 strerror(errno));
			return -1;
		}
		if (n == 0)
			break;
		if (n % rec_size) {
			snprintf(err, errlen,
				 "read %s%u: got %zd bytes, not a whole number of %zu-byte records",
				 CONNPROBE_CPU_FILE_BASE, r->cpus[i], n,
				 rec_size);
			return -1;
		}
		nrec = n / rec_size;
		for (j = 0; j < nrec; j++) {
			if (record_check(&out->rec[out->len + j], msg,
					 sizeof(msg))) {
				snprintf(err, errlen, "%s%u: %s",
					 CONNPROBE_CPU_FILE_BASE, r->cpus[i],
					 msg);
				return -1;
			}
		}
		out->len += nrec;
		got += nrec;
	}
	return got;
}

long reader_read_all(struct cp_reader *r, struct cp_records *out,
		     size_t max_per_cpu, char *err, size_t errlen)
{
	long n, total = 0;
	size_t i;

	for (i = 0; i < r->nr; i++) {
		n = read_cpu(r, i, out, max_per_cpu, err, errlen);
		if (n < 0)
			return -1;
		total += n;
	}
	return total;
}

void records_free(struct cp_records *recs)
{
	free(recs->rec);
	memset(recs, 0, sizeof(*recs));
}
