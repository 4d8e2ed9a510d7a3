/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one aggregator every aggregating view reads: summary and top (the
 * outcome, destination and process groups), hist (log2 histograms per
 * outcome), prom (its buckets per outcome, counts per family and
 * protocol), --in-progress (the connects held whole), -c (counts per
 * source, destination and port) and the heat map (counts by time and
 * latency).  A run turns on the parts its view
 * reads, so that a record costs only what is shown.
 *
 * The outcome group counts records.  The destination and process groups
 * count connection attempts: a non-blocking connect() is one attempt, its
 * EINPROGRESS call and its COMPLETE record together, and its latency and
 * result are the COMPLETE record's (the time to establish, as tcpconnlat
 * measures it), attributed to the connect's destination and process by
 * the record id.  A connect in progress (record_in_progress(): the
 * definition --in-progress uses too) whose COMPLETE has not come is "in
 * progress": counted, without a latency.
 */
#ifndef CONNPROBE_AGG_H
#define CONNPROBE_AGG_H

#include <stdbool.h>
#include <stdio.h>

#include <connprobe.h>

#include "htab.h"
#include "latdist.h"
#include "log2hist.h"
#include "outcome.h"

/* Groups per table; further keys are folded into one "(other)" row. */
#define AGG_MAX_GROUPS	4096
/* In-progress connects remembered for their COMPLETE records. */
#define AGG_MAX_PENDING	65536

struct group_stats {
	unsigned long long count;
	unsigned long long failed;
	struct cp_latdist lat;
};

/*
 * Keys are short and a whole number of 8-byte words, because every record
 * hashes and compares three of them; all three are AGG_KEY_LEN bytes,
 * so that hashing and comparing take the same path for each, a path the
 * branch predictor learns.  An AF_UNIX path is keyed by its hash; the
 * path itself waits in cp_agg.unix_paths for printing.
 */
#define AGG_KEY_LEN		32

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

_Static_assert(sizeof(struct outcome_key) == AGG_KEY_LEN &&
	       sizeof(struct dest_key) == AGG_KEY_LEN &&
	       sizeof(struct proc_key) == AGG_KEY_LEN,
	       "group keys are all AGG_KEY_LEN bytes");

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
	struct group_stats other;	/* keys beyond AGG_MAX_GROUPS */
	/*
	 * The group of the last key (index + 1; 0: none): records come in
	 * bursts of one outcome, one task, one destination, and comparing
	 * a key costs less than hashing it.
	 */
	size_t last;
};

/* What a run aggregates: the parts its view reads. */
enum agg_part {
	AGG_GROUPS = 0x1,	/* destinations, processes (summary, top) */
	AGG_LOG2 = 0x2,		/* log2 histograms per outcome (hist) */
	AGG_PROM = 0x4,		/* prom buckets per outcome, series */
	AGG_HELD = 0x8,		/* connects in progress, whole records */
	AGG_FLOWS = 0x10,	/* connects per source, destination, port */
	AGG_HEAT = 0x20,	/* counts by time and log2 latency (heat map) */
};

/*
 * The heat map's grid per outcome: HEAT_COLS columns of time from the
 * first record, each heat_width_ns wide, which doubles (columns merging
 * pairwise) whenever a record falls past the last one; HEAT_ROWS rows of
 * log2 latency in microseconds (hist's slots), the last one open-ended.
 */
#define HEAT_COLS	120
#define HEAT_ROWS	40
#define HEAT_MIN_WIDTH_NS	1000000ULL

/*
 * prom's buckets: Prometheus' default ones (5 ms to 10 s) extended down
 * to 100 us, where local connects are, and up to 120 s, where SYN
 * retries give up; finite ones, +Inf is the count.
 */
#define PROM_NR_BUCKETS	19
extern const unsigned long long prom_bucket_ns[PROM_NR_BUCKETS];

/*
 * What hist and prom add to an outcome group, by its index (the group's
 * count is in its group_stats; its latencies only with AGG_GROUPS).
 */
struct outcome_extra {
	struct cp_log2hist log2;
	unsigned long long prom_bucket[PROM_NR_BUCKETS];	/* not cumulative */
	unsigned long long prom_sum_ns;
};

/* prom's counters: an outcome by the socket's family and protocol. */
struct prom_series_key {
	struct cp_outcome outcome;
	__u16 family;		/* the socket's; see sock_known */
	__u16 type;
	__u16 protocol;
	__u16 sock_known;
};

struct prom_series {
	struct prom_series_key key;
	unsigned long long count;
};

/*
 * prom's failures by destination: an IPv4 or IPv6 destination and port,
 * with the outcome.  The label set is bounded: the first
 * PROM_MAX_DESTINATIONS destinations with a failure get their own series;
 * a later one counts under destination "other" (port -1).  A destination
 * keeps its series once it has one, so that every series only grows, as
 * a counter must, however the traffic shifts.
 */
#define PROM_MAX_DESTINATIONS	64

struct prom_dest_key {
	struct cp_outcome outcome;
	char daddr[48];		/* INET6_ADDRSTRLEN, rounded up; "other" */
	int dport;		/* -1 for "other" */
};

struct prom_dest {
	struct prom_dest_key key;
	unsigned long long count;
};

/* A destination with a series, as prom_dest_names keys it: address, port. */
#define PROM_DEST_NAME_LEN	56

/* -c: the addresses as text (a destination may be an AF_UNIX path). */
struct flow_key {
	char laddr[48];		/* INET6_ADDRSTRLEN, rounded up */
	char raddr[CONNPROBE_PATH_LEN + 4];
	int lport, rport;	/* -1: none */
};

struct flow {
	struct flow_key key;
	unsigned long long connects;
};

/* An attempt in progress: where it counted, and (AGG_HELD) its record. */
struct pending {
	__u64 id;
	__u32 dest;		/* group index + 1; 0: the "(other)" row */
	__u32 proc;
	struct connprobe_record rec;	/* AGG_HELD only: entries end here else */
};

struct agg_opts {
	unsigned int parts;		/* enum agg_part */
	unsigned long long log2_div;	/* AGG_LOG2: ns per histogram unit */
	bool flow_lport;		/* AGG_FLOWS: the local port counts */
};

struct cp_agg {
	struct agg_opts opts;
	struct group_table outcomes;	/* struct outcome_key keys */
	struct outcome_extra *extra;	/* per outcome group; [0]: "(other)" */
	size_t extra_nr;
	struct group_table dests;	/* struct dest_key keys */
	struct group_table procs;	/* struct proc_key keys */
	struct cp_htab pending;		/* struct pending by id */
	struct cp_htab unix_paths;	/* struct unix_path */
	struct cp_htab series;		/* struct prom_series */
	struct cp_htab prom_dests;	/* struct prom_dest */
	struct cp_htab prom_dest_names;	/* the destinations with a series */
	struct cp_htab flows;		/* struct flow */
	uint32_t *heat;			/* per outcome group, as extra */
	size_t heat_nr;			/* grids */
	unsigned long long heat_start_ns, heat_width_ns;	/* 0: no record */
	unsigned long long records;
	unsigned long long connects;
	unsigned long long completes;
	unsigned long long failed;
};

void agg_init(struct cp_agg *a, const struct agg_opts *opts);

/* 0, or -1 if out of memory. */
int agg_add(struct cp_agg *a, const struct connprobe_record *rec);

/* Empty every part (top, between intervals). */
void agg_reset(struct cp_agg *a);
void agg_free(struct cp_agg *a);

/* In-progress attempts whose COMPLETE record has not come. */
static inline unsigned long long agg_in_progress(const struct cp_agg *a)
{
	return a->pending.nr;
}

/* The AF_UNIX path a dest_key stands for, with its length in k->len. */
const char *agg_unix_path(const struct cp_agg *a, const struct dest_key *k);

static inline struct group_stats *group_stats_of(const struct group_table *t,
						 size_t i)
{
	return &t->stats[i];
}

/* The heat grid of outcome group @i: [col * HEAT_ROWS + row]. */
static inline const uint32_t *agg_heat(const struct cp_agg *a, size_t i)
{
	return a->heat + (i + 1) * HEAT_COLS * HEAT_ROWS;
}

/* The extras of outcome group @i (an index into outcomes.tab). */
static inline const struct outcome_extra *agg_extra(const struct cp_agg *a,
						    size_t i)
{
	return &a->extra[i + 1];
}

#endif /* CONNPROBE_AGG_H */
