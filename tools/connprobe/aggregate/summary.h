/* SPDX-License-Identifier: GPL-2.0 */
/*
 * summary: count, failure rate and p50/p99/max latency per outcome, per
 * destination and per process.
 *
 * The outcome table counts records.  The destination and process tables
 * count connection attempts: a non-blocking connect() is one attempt, its
 * EINPROGRESS call and its COMPLETE record together, and its latency and
 * result are the COMPLETE record's (the time to establish, as tcpconnlat
 * measures it), attributed to the connect's destination and process by
 * the record id.  A connect in progress (record_in_progress(): the
 * definition --in-progress uses too) whose COMPLETE has not come is "in
 * progress": counted, without a latency.
 */
#ifndef CONNPROBE_SUMMARY_H
#define CONNPROBE_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>

#include <connprobe.h>

#include "htab.h"
#include "latdist.h"
#include "out.h"
#include "outcome.h"
#include "sink.h"

/* Groups per table; further keys are folded into one "(other)" row. */
#define SUMMARY_MAX_GROUPS	4096
/* In-progress connects remembered for their COMPLETE records. */
#define SUMMARY_MAX_PENDING	65536

struct group_stats {
	unsigned long long count;
	unsigned long long failed;
	struct cp_latdist lat;
};

/*
 * Keys are short and a whole number of 8-byte words, because every record
 * hashes and compares three of them; all three are SUMMARY_KEY_LEN bytes,
 * so that hashing and comparing take the same path for each, a path the
 * branch predictor learns.  An AF_UNIX path is keyed by its hash; the
 * path itself waits in cp_summary.unix_paths for printing.
 */
#define SUMMARY_KEY_LEN		32

struct outcome_key {
	struct cp_outcome oc;	/* first: the key reads as a cp_outcome */
	__u64 __pad[3];
};

struct dest_key {
	__u16 daddr_family;	/* 0: destination unknown */
	__u16 sock_family;	/* with type and protocol: the PROTO name; */
	__u16 type;		/* sock_family 0: socket unknown */
	__u16 protocol;
	__u16 port;
	__u16 len;		/* bytes of the address or path */
	__u32 __pad;
	__u8 addr[16];		/* AF_UNIX: the path's 64-bit hash */
};

struct proc_key {
	__u32 pid;
	char comm[CONNPROBE_COMM_LEN];
	__u32 __pad;
	__u64 __pad2;
};

_Static_assert(sizeof(struct outcome_key) == SUMMARY_KEY_LEN &&
	       sizeof(struct dest_key) == SUMMARY_KEY_LEN &&
	       sizeof(struct proc_key) == SUMMARY_KEY_LEN,
	       "summary keys are all SUMMARY_KEY_LEN bytes");

struct unix_path {
	__u64 hash;		/* the key, as in dest_key.addr */
	char path[CONNPROBE_PATH_LEN];
};

/*
 * A table of groups: keys of one kind, each with its stats.  The keys are
 * kept apart from the stats, so that a lookup walks a small,
 * cache-resident array.
 */
struct group_table {
	struct cp_htab tab;		/* the keys */
	struct group_stats *stats;	/* stats[i]: the stats of key i */
	size_t stats_cap;
	struct group_stats other;	/* keys beyond SUMMARY_MAX_GROUPS */
	/*
	 * The group of the last key (index + 1; 0: none): records come in
	 * bursts of one outcome, one task, one destination, and comparing
	 * a key costs less than hashing it.
	 */
	size_t last;
};

struct cp_summary {
	struct group_table outcomes;	/* struct outcome_key keys */
	struct group_table dests;	/* struct dest_key keys */
	struct group_table procs;	/* struct proc_key keys */
	struct cp_htab pending;		/* id -> where its attempt counted */
	struct cp_htab unix_paths;	/* struct unix_path */
	unsigned long long records;
	unsigned long long connects;
	unsigned long long completes;
	unsigned long long failed;
};

void summary_init(struct cp_summary *s);

int summary_add(struct cp_summary *s, const struct connprobe_record *rec);

/* Empty every table (top, between intervals). */
void summary_reset(struct cp_summary *s);
void summary_free(struct cp_summary *s);

/* In-progress attempts whose COMPLETE record has not come. */
static inline unsigned long long summary_in_progress(const struct cp_summary *s)
{
	return s->pending.nr;
}

/* The AF_UNIX path a dest_key stands for, with its length in k->len. */
const char *summary_unix_path(const struct cp_summary *s,
			      const struct dest_key *k);

static inline struct group_stats *group_stats_of(const struct group_table *t,
						 size_t i)
{
	return &t->stats[i];
}

/*
 * The three tables, largest groups first, at most @rows rows each (0: all),
 * then a totals line; @lost NULL: unknown.
 */
void summary_print_table(struct cp_out *o, const struct cp_summary *s,
			 unsigned int rows, const struct cp_stats *lost);
void summary_print_json(struct cp_out *o, const struct cp_summary *s,
			unsigned int rows, const struct cp_stats *lost);

struct summary_opts {
	bool json;
	unsigned int rows;
	FILE *f;
};

/* The summary sink: aggregate, print at the end.  NULL if out of memory. */
struct cp_sink *summary_sink_new(const struct summary_opts *o);

#endif /* CONNPROBE_SUMMARY_H */
