/* SPDX-License-Identifier: GPL-2.0 */
/*
 * top: the summary of the last interval, redrawn every interval, largest
 * groups first; the screen is cleared between frames on a terminal.
 */
#ifndef CONNPROBE_TOP_H
#define CONNPROBE_TOP_H

#include <stdio.h>

#include "sink.h"

struct top_opts {
	unsigned int rows;	/* per table */
	double interval;	/* seconds */
	FILE *f;
};

struct cp_sink *top_sink_new(const struct top_opts *o);

#endif /* CONNPROBE_TOP_H */
