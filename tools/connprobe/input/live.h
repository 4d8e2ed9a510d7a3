/* SPDX-License-Identifier: GPL-2.0 */
/* The live source: the module's per-CPU relay files, until stopped. */
#ifndef CONNPROBE_LIVE_H
#define CONNPROBE_LIVE_H

#include "sink.h"

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

#endif /* CONNPROBE_LIVE_H */
