/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hist: one bcc-style log2 latency histogram per outcome ("OK",
 * "ECONNREFUSED", "EINPROGRESS", "done:OK", ...), in microseconds or, with
 * -m, milliseconds.
 */
#ifndef CONNPROBE_HIST_H
#define CONNPROBE_HIST_H

#include <stdbool.h>
#include <stdio.h>

#include "sink.h"

struct hist_opts {
	bool json;
	bool msecs;		/* -m: milliseconds instead of microseconds */
	FILE *f;
};

/* NULL if out of memory. */
struct cp_sink *hist_sink_new(const struct hist_opts *o);

#endif /* CONNPROBE_HIST_H */
