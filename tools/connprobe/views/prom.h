/* SPDX-License-Identifier: GPL-2.0 */
/*
 * prom: Prometheus metrics in the text exposition format, for
 * node_exporter's textfile collector:
 *
 *	connprobe_connect_calls_total{outcome,family,protocol}	counter
 *	connprobe_connect_completions_total{outcome,family,protocol} counter
 *	connprobe_connect_duration_seconds{outcome}		histogram
 *	connprobe_connect_completion_seconds{outcome}		histogram
 *	connprobe_lost_records_total				counter
 *	connprobe_missed_calls_total{probe,reason}		counter
 *
 * Counters count from the start of the run.  The buckets are Prometheus'
 * default ones (5 ms to 10 s) extended down to 100 us, where local
 * connects are, and up to 120 s, where SYN retries give up.
 */
#ifndef CONNPROBE_PROM_H
#define CONNPROBE_PROM_H

#include <stdio.h>

#include <connprobe.h>

#include "htab.h"
#include "out.h"
#include "sink.h"

#define PROM_NR_BUCKETS	19	/* finite ones; +Inf is the count */

struct cp_prom {
	struct cp_htab series;		/* struct prom_series */
	struct cp_htab hists;		/* struct prom_hist */
};

void prom_init(struct cp_prom *p);
int prom_add(struct cp_prom *p, const struct connprobe_record *rec);
/* The exposition, series sorted; @lost NULL: loss counters left out. */
void prom_print(struct cp_out *o, struct cp_prom *p, const struct cp_stats *lost);
void prom_free(struct cp_prom *p);

struct prom_opts {
	const char *textfile_dir;	/* NULL: print to @f at the end */
	double interval;		/* seconds between textfile writes */
	FILE *f;
};

#define PROM_TEXTFILE_NAME	"connprobe.prom"

struct cp_sink *prom_sink_new(const struct prom_opts *o);

#endif /* CONNPROBE_PROM_H */
