/* SPDX-License-Identifier: GPL-2.0 */
/*
 * -c: bcc tcpconnect's count mode.  Counts connect() calls per source
 * address, destination address and port (and local port with -L), and
 * prints the counts at the end of the run, largest first.
 */
#ifndef CONNPROBE_COUNT_H
#define CONNPROBE_COUNT_H

#include <stdbool.h>
#include <stdio.h>

#include "sink.h"

struct count_opts {
	bool lport;		/* -L: the local port is part of the key */
	FILE *f;
};

/* NULL if out of memory. */
struct cp_sink *count_sink_new(const struct count_opts *o);

#endif /* CONNPROBE_COUNT_H */
