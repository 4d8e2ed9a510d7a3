/* SPDX-License-Identifier: GPL-2.0 */
/* The views of the aggregator (agg.h), and the sink that feeds them. */
#ifndef CONNPROBE_VIEWS_H
#define CONNPROBE_VIEWS_H

#include "agg.h"
#include "sink.h"

enum agg_view {
	AV_SUMMARY,	/* count, failure rate, p50/p99/max per group */
	AV_TOP,		/* the summary of each interval */
	AV_HIST,	/* bcc's log2 histograms, one per outcome */
	AV_PROM,	/* Prometheus metrics */
	AV_IN_PROGRESS,	/* the connects still in progress at the end */
	AV_COUNT,	/* -c: connects per source, destination and port */
	AV_HEATMAP,	/* report --heatmap: latency over time, as SVG */
};

struct view_opts {
	enum agg_view view;
	bool json, msecs, lport;	/* msecs: hist -m; lport: -c -L */
	unsigned int rows;	/* summary, top: per table; 0: all */
	double interval;	/* top; prom with a textfile */
	const char *textfile_dir;	/* prom: NULL prints to @f at the end */
	const char *heatmap;	/* the SVG file to write; "-": @f */
	struct cp_sink *stream;	/* in-progress: shows the connects; owned */
	FILE *f;
};

/* NULL if out of memory. */
struct cp_sink *view_sink_new(const struct view_opts *o);

typedef void view_print_fn(struct cp_out *o, const struct cp_agg *a,
			   const struct view_opts *vo, const struct cp_stats *lost);
view_print_fn summary_print, hist_print, prom_print, count_print, heatmap_print;

/* Nothing for an empty histogram. */
void log2hist_print(struct cp_out *o, const uint64_t *slot, const char *unit);
/* printf() onto @o, any length. */
void view_printf(struct cp_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* CONNPROBE_VIEWS_H */
