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
	unsigned long long written, read, lost, buffered;
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
	struct cp_stats_probe *probes;
	size_t nr_probes;
	unsigned long long total_written, total_read, total_lost, total_buffered;
	char mode[16];			/* "stream", "flight"; "" if absent */
	unsigned long long buf_size;	/* bytes per CPU */
	unsigned long long attempts_untracked;
	/* attempts that went with their socket without a COMPLETE record */
	unsigned long long attempts_reclaimed;
	/* what the module's filter turned away: calls at entry, records */
	unsigned long long filtered_calls, filtered_records;
	unsigned int have;		/* a bit per known line it had */
};

/* Parse (cut up) @text, skipping lines a newer module adds; stats_free() @st either way. */
int stats_parse(char *text, struct cp_stats *st, char *err, size_t errlen);
/* stats_parse() the stats file in debugfs directory @dir. */
int stats_read(const char *dir, struct cp_stats *st, char *err, size_t errlen);
void stats_free(struct cp_stats *st);
void stats_print_text(FILE *f, const struct cp_stats *st);
void stats_print_json(FILE *f, const struct cp_stats *st);
unsigned long long stats_delta(unsigned long long start, unsigned long long end);
/* @end becomes @end less @start, counter by counter. */
void stats_diff(const struct cp_stats *start, struct cp_stats *end);
/* bcc-style lines: per CPU that lost records, per probe that missed. */
void stats_print_losses(FILE *f, const struct cp_stats *delta);
/* `connprobe stats [--json]`: the exit status (1 after printing why). */
int stats_command(const char *dir, bool json);

/* @path whole into @buf, NUL-ended (debugfs sizes are 0): 0, errno, EFBIG. */
int read_text(const char *path, char *buf, size_t size);

#endif /* CONNPROBE_STATS_H */
