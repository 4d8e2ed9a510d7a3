/* SPDX-License-Identifier: GPL-2.0 */
/* The aggregator of every view; a record costs only the parts it reads. */
#ifndef CONNPROBE_AGG_H
#define CONNPROBE_AGG_H

#include "htab.h"
#include "outcome.h"

#define AGG_MAX_GROUPS	4096	/* per table; more go to one "(other)" row */
#define AGG_MAX_PENDING	65536	/* connects in progress remembered */

/* HdrHistogram's log-linear buckets: percentiles within 1/32 in 2.4 KiB a group. */
#define LATDIST_SUB_BITS	4
#define LATDIST_SUB		(1 << LATDIST_SUB_BITS)
#define LATDIST_MAX_EXP		40
#define LATDIST_BUCKETS		((LATDIST_MAX_EXP - LATDIST_SUB_BITS + 2) * LATDIST_SUB)

struct cp_latdist {
	uint64_t count, min, max;
	uint32_t bucket[LATDIST_BUCKETS];
};

static inline unsigned int latdist_index(uint64_t v)
{
	unsigned int e;

	if (v < LATDIST_SUB)
		return v;
	e = 63 - __builtin_clzll(v);
	if (e > LATDIST_MAX_EXP)
		return LATDIST_BUCKETS - 1;
	return (e - LATDIST_SUB_BITS + 1) * LATDIST_SUB +
	       ((v >> (e - LATDIST_SUB_BITS)) & (LATDIST_SUB - 1));
}

static inline void latdist_add(struct cp_latdist *d, uint64_t v)
{
	uint32_t *b = &d->bucket[latdist_index(v)];

	if (!d->count++ || v < d->min)
		d->min = v;
	if (v > d->max)
		d->max = v;
	*b += *b != UINT32_MAX;	/* saturate rather than wrap */
}

uint64_t latdist_bucket_max(unsigned int i);
uint64_t latdist_percentile(const struct cp_latdist *d, double pct);

/* bcc's log2 histograms: slot i counts [2^i, 2^(i+1)), slot 0 also 0. */
#define LOG2HIST_SLOTS	64

static inline unsigned int log2hist_slot(uint64_t v)
{
	return v ? 63 - __builtin_clzll(v) : 0;
}

/* Prometheus' default buckets, from 100 us (local) up to 120 s (SYNs). */
#define PROM_NR_BUCKETS	19
extern const unsigned long long prom_bucket_ns[PROM_NR_BUCKETS];

/* Heat map: time columns that double when full; rows of log2 us, the last open. */
#define HEAT_COLS	120
#define HEAT_ROWS	40
#define HEAT_MIN_WIDTH_NS	1000000ULL

struct dest_key {
	__u16 daddr_family;	/* 0: destination unknown */
	__u16 sock_family, type, protocol;	/* sock_family 0: unknown */
	__u16 port, len;	/* len: bytes of the address or path */
	__u32 __pad;
	__u8 addr[16];		/* AF_UNIX: the path's hash_bytes() */
};

struct proc_key {
	__u32 pid;
	char comm[CONNPROBE_COMM_LEN];
};

struct group_stats {
	unsigned long long count, failed;
	struct cp_latdist lat;
};

/* A group: its key (zero-padded), then its stats. */
struct group {
	union {
		struct cp_outcome oc;
		struct dest_key dest;
		struct proc_key proc;
	} key;
	char path[CONNPROBE_PATH_LEN];	/* AF_UNIX dests: dest.len bytes */
	struct group_stats st;
};

/* An outcome's group; the entries end before heat but with AGG_HEAT. */
struct outcome_group {
	struct group g;
	uint64_t log2[LOG2HIST_SLOTS];
	unsigned long long prom_bucket[PROM_NR_BUCKETS];	/* not cumulative */
	unsigned long long prom_sum_ns;
	uint32_t heat[HEAT_COLS * HEAT_ROWS];	/* [col * HEAT_ROWS + row] */
};

struct group_table {
	struct cp_htab tab;	/* struct group; outcomes: outcome_group */
	struct outcome_group other;	/* keys beyond AGG_MAX_GROUPS */
	size_t last;		/* the last key's group (group_of()) */
};

/* An attempt in progress: its COMPLETE brings its latency, as tcpconnlat's. */
struct pending {
	__u64 id;
	__u32 dest, proc;	/* group index + 1; 0: the "(other)" row */
	struct connprobe_record rec;	/* AGG_HELD only: entries end here else */
};

/* prom's counters: an outcome by the socket's family and protocol. */
struct prom_series {
	struct cp_outcome outcome;	/* the key: up to count */
	__u16 family, type, protocol, sock_known;
	unsigned long long count;
};

/* prom's failures by IP destination: the first 64, then "other", port -1. */
#define PROM_MAX_DESTINATIONS	64

struct prom_dest_key {
	char daddr[48];		/* INET6_ADDRSTRLEN, rounded up */
	int dport;
};

struct prom_dest {
	struct cp_outcome outcome;	/* the key: up to count */
	struct prom_dest_key dest;
	__u32 __pad;			/* no hole in the key */
	unsigned long long count;
};

/* -c: the addresses as text (a destination may be an AF_UNIX path). */
struct flow {
	struct flow_key {
		char laddr[48];
		char raddr[CONNPROBE_PATH_LEN + 4];
		int lport, rport;	/* -1: none */
	} key;
	unsigned long long connects;
};

enum agg_part {
	AGG_GROUPS = 0x1,	/* destinations, processes (summary, top) */
	AGG_LOG2 = 0x2,		/* log2 histograms per outcome (hist) */
	AGG_PROM = 0x4,		/* prom buckets per outcome, series */
	AGG_HELD = 0x8,		/* connects in progress, whole records */
	AGG_FLOWS = 0x10,	/* connects per source, destination, port */
	AGG_HEAT = 0x20,	/* counts by time and log2 latency (heat map) */
};

struct agg_opts {
	unsigned int parts;		/* enum agg_part */
	unsigned long long log2_div;	/* AGG_LOG2: ns per histogram unit */
	bool flow_lport;		/* AGG_FLOWS: the local port counts */
};

/* Outcomes count records; destinations and processes count attempts. */
struct cp_agg {
	struct agg_opts opts;
	struct group_table outcomes, dests, procs;	/* outcome_group, group */
	struct cp_htab pending;		/* struct pending by id */
	struct cp_htab series;		/* struct prom_series */
	struct cp_htab prom_dests;	/* struct prom_dest */
	struct prom_dest_key prom_names[PROM_MAX_DESTINATIONS];
	unsigned int prom_nr_names;	/* for good: a counter only grows */
	struct cp_htab flows;		/* struct flow */
	unsigned long long heat_start_ns, heat_width_ns;	/* 0: no record */
	int heat_lo, heat_hi;	/* the rows the groups use; lo > hi: none */
	unsigned long long records, completes, failed;
};

void agg_init(struct cp_agg *a, const struct agg_opts *opts);
/* 0, or -1 if out of memory. */
int agg_add(struct cp_agg *a, const struct connprobe_record *rec);
void agg_free(struct cp_agg *a);

#endif /* CONNPROBE_AGG_H */
