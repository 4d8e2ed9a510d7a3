/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bcc's log2 histograms: slot i counts values in [2^i, 2^(i+1)), slot 0
 * also 0, printed as bcc's print_log2_hist() prints them.
 */
#ifndef CONNPROBE_LOG2HIST_H
#define CONNPROBE_LOG2HIST_H

#include <stdint.h>

#include "out.h"

#define LOG2HIST_SLOTS	64

struct cp_log2hist {
	uint64_t slot[LOG2HIST_SLOTS];
};

static inline unsigned int log2hist_slot(uint64_t v)
{
	return v ? 63 - __builtin_clzll(v) : 0;
}

static inline void log2hist_add(struct cp_log2hist *h, uint64_t v)
{
	h->slot[log2hist_slot(v)]++;
}

/*
 * The histogram in bcc's layout: a "@unit : count distribution" header,
 * then one "low -> high : count |****|" line per slot up to the last
 * non-empty one.  Prints nothing for an empty histogram.
 */
void log2hist_print(struct cp_out *o, const struct cp_log2hist *h,
		    const char *unit);

#endif /* CONNPROBE_LOG2HIST_H */
