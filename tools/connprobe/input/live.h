/* SPDX-License-Identifier: GPL-2.0 */
/* The live source: the module's per-CPU relay files, until stopped. */
#ifndef CONNPROBE_LIVE_H
#define CONNPROBE_LIVE_H

#include <poll.h>
#include <stdbool.h>

#include "sink.h"

/*
 * Check root, debugfs at @debugfs (not with @fake_debugfs: --debugfs),
 * and the module's directory @dir; print how to fix what is wrong, -1.
 */
int env_check(const char *debugfs, const char *dir, bool fake_debugfs);

struct live_opts {
	const char *dir;	/* <debugfs>/connprobe */
	double duration;	/* seconds; 0 runs until SIGINT/SIGTERM */
};

/*
 * Poll the CPU files and feed each round's records to @sink in time
 * order; on SIGINT/SIGTERM or at the end of the duration drain what is
 * buffered, then end the sink with what the run lost (from two reads of
 * the stats file).  Returns the exit status: 0, or 1 after printing why.
 */
int live_run(const struct live_opts *opts, struct cp_sink *sink);

/* The CPU files "cpuN" of a debugfs directory, and what a round read. */
struct cp_reader {
	size_t nr;			/* number of CPU files */
	struct pollfd *pfds;		/* one per CPU file */
	unsigned int *cpus;		/* N of each file's name "cpuN" */
	struct connprobe_record *rec;	/* records read, checked */
	size_t len, cap;
};

/* Open every "cpuN" file in @dir; -1 with a message in @err. */
int reader_open(struct cp_reader *r, const char *dir, char *err, size_t errlen);
void reader_close(struct cp_reader *r);

/*
 * Append to r->rec, checked, what each CPU file has, up to @max_per_cpu
 * records from each: how many, or -1 with a message in @err.
 */
long reader_read_all(struct cp_reader *r, size_t max_per_cpu,
		     char *err, size_t errlen);

#endif /* CONNPROBE_LIVE_H */
