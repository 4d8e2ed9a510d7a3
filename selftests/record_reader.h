/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading what connprobe recorded: drain the per-CPU relay files, keep the
 * records of one process, and parse the stats file.  Shared by the tests;
 * free of the harness so that it links into every test binary.
 */
#ifndef RECORD_READER_H
#define RECORD_READER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "connprobe.h"

#define CONNPROBE_PATH	"/sys/kernel/debug/" CONNPROBE_DEBUGFS_DIR

/* Records drained from every CPU file, in no particular order. */
struct record_set {
	pid_t pid;			/* keep the records of this process */
	struct connprobe_record *recs;
	size_t n, cap;
	char error[256];		/* why the last call failed */
};

/*
 * Read every cpuN file until it returns 0 and append the records of
 * set->pid.  Every record read is checked for framing (size, version, the
 * CPU of its file): one bad record means the stream cannot be trusted.
 * Returns 0 or a negative errno, with set->error saying why.
 */
int records_drain(struct record_set *set);

/* The same, keeping nothing: empties the buffers before a test's window. */
int records_discard(struct record_set *set);

/*
 * Copy the records of thread @tid (0: of every thread) into @out (at most
 * @max of them), sorted by ts_ns, the CONNECT record of a call before the
 * COMPLETE record that shares its ts_ns.  Returns how many there are, which
 * may exceed @max (0 just counts them).
 */
size_t records_of_tid(const struct record_set *set, pid_t tid,
		      struct connprobe_record *out, size_t max);

void records_free(struct record_set *set);

/*
 * Drain the buffers and copy the records of this process's thread @tid (0:
 * of every thread) into @out, as records_of_tid() does.  Returns how many
 * there are (possibly more than @max), or a negative errno with @err (of
 * @len bytes) saying why.
 */
ssize_t records_collect(pid_t tid, struct connprobe_record *out, size_t max,
			char *err, size_t len);

/* The counters of the stats file that the tests watch. */
struct probe_stats {
	uint64_t written, lost;		/* the "total" line */
	uint64_t nmissed, kp_nmissed;	/* summed over the "probe" lines */
	unsigned int probes;		/* how many "probe" lines */
	uint64_t untracked;		/* attempts_untracked */
	uint64_t reclaimed;		/* attempts_reclaimed */
};

/*
 * Parse the stats file; lines the tests do not know are ignored.  Returns 0
 * or a negative errno (-EBADMSG when the total, probe, attempts_untracked
 * or attempts_reclaimed line is missing).
 */
int stats_read(struct probe_stats *st);

/* CLOCK_MONOTONIC in ns: the clock of connprobe_record.ts_ns. */
uint64_t monotonic_ns(void);

#endif /* RECORD_READER_H */
