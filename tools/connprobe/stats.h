/* SPDX-License-Identifier: GPL-2.0 */
/* The module's debugfs "stats" file: parsing and printing. */
#ifndef CONNPROBE_STATS_H
#define CONNPROBE_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct cp_stats_cpu {
	unsigned int cpu;
	unsigned long long written;
	unsigned long long lost;
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
	unsigned long long total_lost;
	struct cp_stats_probe *probes;
	size_t nr_probes;
};

/*
 * Parse the text of the stats file into @st (zeroed first; free it with
 * stats_free() whatever the result).  Lines with an unknown first word are
 * skipped, since later module versions add lines; a known line of the wrong
 * shape fails.  On failure returns -1 with a message in @err.
 */
int stats_parse(const char *text, struct cp_stats *st,
		char *err, size_t errlen);

/* Read and parse the file at @path; the message in @err names the path. */
int stats_read(const char *path, struct cp_stats *st,
	       char *err, size_t errlen);

void stats_free(struct cp_stats *st);

void stats_print_text(FILE *f, const struct cp_stats *st);
void stats_print_json(FILE *f, const struct cp_stats *st);

/* Increase of a counter between two reads of the stats file. */
unsigned long long stats_delta(unsigned long long start,
			       unsigned long long end);

/*
 * bcc-style loss lines for what changed from @start to @end: one per CPU
 * that lost records, one per probe whose miss counters grew.
 */
void stats_print_losses(FILE *f, const struct cp_stats *start,
			const struct cp_stats *end);

/*
 * The "stats" subcommand: print <@dir>/stats as text or JSON.  Returns the
 * exit status (1 after printing why).
 */
int stats_command(const char *dir, bool json);

#endif /* CONNPROBE_STATS_H */
