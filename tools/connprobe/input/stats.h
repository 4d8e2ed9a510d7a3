/* SPDX-License-Identifier: GPL-2.0 */
/* The module's debugfs "stats" file: parsing and printing. */
#ifndef CONNPROBE_STATS_H
#define CONNPROBE_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* written == read + lost + buffered, at any quiet moment */
struct cp_stats_cpu {
	unsigned int cpu;
	unsigned long long written;	/* records handed to the buffer */
	unsigned long long read;	/* taken by readers */
	unsigned long long lost;	/* dropped, overwritten, discarded */
	unsigned long long buffered;	/* still held */
};

struct cp_stats_probe {
	char *symbol;
	unsigned long long nmissed;	/* kretprobe: maxactive exhausted */
	unsigned long long kp_nmissed;	/* kprobe: hit while in a handler */
	unsigned long long maxactive;
};

struct cp_stats {
	struct cp_stats_cpu *cpus;
	size_t nr_cpus;
	unsigned long long total_written;
	unsigned long long total_read;
	unsigned long long total_lost;
	unsigned long long total_buffered;
	struct cp_stats_probe *probes;
	size_t nr_probes;
	char mode[16];			/* "stream", "flight"; "" if absent */
	unsigned long long buf_size;	/* bytes per CPU */
	unsigned long long attempts_untracked;
	/* attempts that went with their socket without a COMPLETE record */
	unsigned long long attempts_reclaimed;
	/* what the module's filter turned away: calls at entry, records */
	unsigned long long filtered_calls;
	unsigned long long filtered_records;
	/* a bit per known line the file had (an older module lacks some) */
	unsigned int have;
};

/*
 * Parse the text of the stats file into @st (zeroed first; free it with
 * stats_free() whatever the result).  Lines with an unknown first word are
 * skipped, since later module versions add lines; a known line of the wrong
 * shape fails.  On failure returns -1 with a message in @err.
 */
int stats_parse(const char *text, struct cp_stats *st,
		char *err, size_t errlen);

/*
 * Read and parse the stats file of the module's debugfs directory @dir;
 * the message in @err names the file.
 */
int stats_read(const char *dir, struct cp_stats *st,
	       char *err, size_t errlen);

void stats_free(struct cp_stats *st);

void stats_print_text(FILE *f, const struct cp_stats *st);
void stats_print_json(FILE *f, const struct cp_stats *st);

/* Increase of a counter between two reads of the stats file. */
unsigned long long stats_delta(unsigned long long start,
			       unsigned long long end);

/*
 * What changed from @start to @end, as counters of their own: @delta gets
 * @end's CPUs and probes with each counter replaced by its increase (a
 * CPU or probe missing from @start counts from 0).  This is what a run
 * lost; free it with stats_free() whatever the result.  -1 if out of
 * memory.
 */
int stats_diff(const struct cp_stats *start, const struct cp_stats *end,
	       struct cp_stats *delta);

/*
 * bcc-style loss lines for the increases in @delta: one per CPU that lost
 * records, one per probe whose miss counters grew.
 */
void stats_print_losses(FILE *f, const struct cp_stats *delta);

/*
 * The "stats" subcommand: print <@dir>/stats as text or JSON.  Returns the
 * exit status (1 after printing why).
 */
int stats_command(const char *dir, bool json);

#endif /* CONNPROBE_STATS_H */
