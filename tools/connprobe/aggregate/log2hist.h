/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bcc's log2 histograms: slot i counts values in [2^i, 2^(i+1)), slot 0
 * also 0, printed as bcc's print_log2_hist() prints them.
 */
#ifndef CONNPROBE_LOG2HIST_H
#define CONNPROBE_LOG2HIST_H

#include <stdint.h>

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

#endif /* CONNPROBE_LOG2HIST_H */
