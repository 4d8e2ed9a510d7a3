/* SPDX-License-Identifier: GPL-2.0 */
/* The "trace" subcommand: stream records until stopped. */
#ifndef CONNPROBE_TRACE_H
#define CONNPROBE_TRACE_H

#include <stdbool.h>

struct trace_opts {
	const char *dir;	/* <debugfs>/connprobe */
	bool json;		/* JSON Lines instead of the table */
	double duration;	/* seconds; 0 runs until SIGINT/SIGTERM */
};

/* Returns the process exit status: 0, or 1 after printing why. */
int trace_run(const struct trace_opts *opts);

#endif /* CONNPROBE_TRACE_H */
