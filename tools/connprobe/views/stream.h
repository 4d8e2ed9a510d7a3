/* SPDX-License-Identifier: GPL-2.0 */
/* The record stream of trace and report: table, JSON Lines or CSV. */
#ifndef CONNPROBE_STREAM_H
#define CONNPROBE_STREAM_H

#include <stdbool.h>
#include <stdio.h>

#include "cgroup.h"
#include "row.h"
#include "sink.h"

struct stream_opts {
	enum cp_format format;
	bool wallclock;		/* -T */
	bool wide;		/* -w */
	bool print_uid;		/* -U */
	struct cp_cgroups *cgroups;	/* may be NULL */
	FILE *f;		/* where rows go */
};

/* NULL if out of memory. */
struct cp_sink *stream_sink_new(const struct stream_opts *o);

#endif /* CONNPROBE_STREAM_H */
