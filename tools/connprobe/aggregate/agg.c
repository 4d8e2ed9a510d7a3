// SPDX-License-Identifier: GPL-2.0
/* Aggregating records into the groups and histograms of agg.h. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "agg.h"
#include "format.h"
#include "text.h"

/* Upper bounds in ns. */
const unsigned long long prom_bucket_ns[PROM_NR_BUCKETS] = {
	100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000,
	25000000, 50000000, 100000000, 250000000, 500000000, 1000000000,
	2500000000ULL, 5000000000ULL, 10000000000ULL, 30000000000ULL,
	60000000000ULL, 120000000000ULL,
};

static void table_init(struct group_table *t, size_t key_size)
{
	memset(t, 0, sizeof(*t));
	htab_init(&t->tab, key_size, key_size);
}

static void table_free(struct group_table *t)
{
	htab_free(&t->tab);
	free(t->stats);
}

static void table_clear(struct group_table *t)
{
	htab_clear(&t->tab);
	memset(&t->other, 0, sizeof(t->other));
	t->last = 0;
}

void agg_init(struct cp_agg *a, const struct agg_opts *opts)
{
	/* an attempt's record is kept only for --in-progress */
	size_t pending_size = opts->parts & AGG_HELD ? sizeof(struct pending) :
			      offsetof(struct pending, rec);

	memset(a, 0, sizeof(*a));
	a->opts = *opts;
	table_init(&a->outcomes, sizeof(struct outcome_key));
	table_init(&a->dests, sizeof(struct dest_key));
	table_init(&a->procs, sizeof(struct proc_key));
	htab_init(&a->pending, sizeof(__u64), pending_size);
	htab_init(&a->unix_paths, sizeof(__u64), sizeof(struct unix_path));
	htab_init(&a->series, sizeof(struct prom_series_key),
		  sizeof(struct prom_series));
	htab_init(&a->flows, sizeof(struct flow_key), sizeof(struct flow));
	htab_init(&a->prom_dests, sizeof(struct prom_dest_key),
		  sizeof(struct prom_dest));
	htab_init(&a->prom_dest_names, PROM_DEST_NAME_LEN, PROM_DEST_NAME_LEN);
}

void agg_free(struct cp_agg *a)
{
	table_free(&a->outcomes);
	table_free(&a->dests);
	table_free(&a->procs);
	free(a->extra);
	free(a->heat);
	htab_free(&a->pending);
	htab_free(&a->unix_paths);
	htab_free(&a->series);
	htab_free(&a->flows);
	htab_free(&a->prom_dests);
	htab_free(&a->prom_dest_names);
}

void agg_reset(struct cp_agg *a)
{
	table_clear(&a->outcomes);
	table_clear(&a->dests);
	table_clear(&a->procs);
	if (a->extra)
		memset(a->extra, 0, a->extra_nr * sizeof(*a->extra));
	if (a->heat)
		memset(a->heat, 0, a->heat_nr * HEAT_COLS * HEAT_ROWS * sizeof(*a->heat));
	a->heat_start_ns = a->heat_width_ns = 0;
	htab_clear(&a->pending);
	htab_clear(&a->unix_paths);
	htab_clear(&a->series);
	htab_clear(&a->flows);
	htab_clear(&a->prom_dests);
	htab_clear(&a->prom_dest_names);
	a->records = a->connects = a->completes = a->failed = 0;
}

/* Room for the stats of @n keys; -1 if out of memory. */
static int stats_reserve(struct group_table *t, size_t n)
{
	size_t cap = t->stats_cap ? t->stats_cap * 2 : 16;
	struct group_stats *p;

	if (n <= t->stats_cap)
		return 0;
	p = realloc(t->stats, cap * sizeof(*p));
	if (!p)
		return -1;
	t->stats = p;
	t->stats_cap = cap;
	return 0;
}

/*
 * The AGG_KEY_LEN bytes at @a and @b are equal.  Without a branch per
 * word: whether a record repeats its predecessor's destination is a coin
 * the branch predictor cannot call, and a mispredicted branch per word
 * costs more than the words.
 */
static bool same_key(const void *a, const void *b)
{
	uint64_t x, y, diff = 0;
	size_t i;

	for (i = 0; i < AGG_KEY_LEN; i += 8) {
		memcpy(&x, (const char *)a + i, 8);
		memcpy(&y, (const char *)b + i, 8);
		diff |= x ^ y;
	}
	return !diff;
}

/*
 * The group of @key: its index + 1, or 0 for the "(other)" row once the
 * table is full (or memory is).  Groups are never removed, so an index
 * stays valid for pending attempts.
 */
static size_t group_of(struct group_table *t, const void *key)
{
	size_t nr = t->tab.nr, g;

	if (t->last && same_key(htab_entry(&t->tab, t->last - 1), key))
		return t->last;
	/* a known group, hashed and compared inline; a new one is rare */
	g = htab_find_idx_n(&t->tab, key, AGG_KEY_LEN);
	if (!g && nr < AGG_MAX_GROUPS && !stats_reserve(t, nr + 1)) {
		g = htab_insert_idx(&t->tab, key);
		if (g)
			memset(&t->stats[g - 1], 0, sizeof(t->stats[g - 1]));
	}
	t->last = g;
	return g;
}

static struct group_stats *stats_at(struct group_table *t, size_t group)
{
	return group ? group_stats_of(t, group - 1) : &t->other;
}

/* Key a path by its hash, and keep the path for printing. */
static void unix_key(struct cp_agg *s, const struct connprobe_record *rec,
		     struct dest_key *k)
{
	struct unix_path *up;
	__u64 hash;

	k->len = rec->addrlen - SUN_PATH_OFFSET < CONNPROBE_PATH_LEN ?
		 rec->addrlen - SUN_PATH_OFFSET : CONNPROBE_PATH_LEN;
	hash = hash_bytes(rec->sun_path, k->len);
	memcpy(k->addr, &hash, sizeof(hash));
	if (htab_find(&s->unix_paths, &hash))
		return;
	up = htab_insert(&s->unix_paths, &hash);
	if (up)
		memcpy(up->path, rec->sun_path, k->len);
}

static void dest_key_of(struct cp_agg *s,
			const struct connprobe_record *rec, struct dest_key *k)
{
	memset(k, 0, sizeof(*k));
	if (rec->flags & CONNPROBE_F_SOCK) {
		k->sock_family = rec->family;
		k->type = rec->type;
		k->protocol = rec->protocol;
	}
	if (!(rec->flags & CONNPROBE_F_DADDR))
		return;
	k->daddr_family = rec->daddr_family;
	if (rec_daddr_family(rec) == AF_INET || rec_daddr_family(rec) == AF_INET6) {
		k->port = rec->dport;
		k->len = rec->daddr_family == AF_INET ? 4 : 16;
		memcpy(k->addr, rec->daddr, k->len);
	} else if (rec_daddr_family(rec) == AF_UNIX) {
		unix_key(s, rec, k);
	}
}

const char *agg_unix_path(const struct cp_agg *s, const struct dest_key *k)
{
	const struct unix_path *up = htab_find(&s->unix_paths, k->addr);

	return up ? up->path : NULL;
}

static void proc_key_of(const struct connprobe_record *rec,
			struct proc_key *k)
{
	memset(k, 0, sizeof(*k));
	k->pid = rec->pid;
	/* the kernel NUL-pads comm: the 16 bytes are the name */
	memcpy(k->comm, rec->comm, sizeof(k->comm));
}

static void add_sample(struct group_stats *st, __u64 latency, bool failed)
{
	latdist_add(&st->lat, latency);
	st->failed += failed;
}

/* Count in group @group of @t: an attempt, and (or only) its latency. */
static void count_in(struct group_table *t, size_t group, bool attempt,
		     bool sample, bool failed, __u64 latency)
{
	struct group_stats *st = stats_at(t, group);

	st->count += attempt;
	if (sample)
		add_sample(st, latency, failed);
}

/* A COMPLETE record of an attempt counted in progress: finish it. */
static bool complete_pending(struct cp_agg *s,
			     const struct connprobe_record *rec, bool failed)
{
	struct pending *p = htab_find(&s->pending, &rec->id);

	if (!p)
		return false;
	count_in(&s->dests, p->dest, false, true, failed, rec->latency_ns);
	count_in(&s->procs, p->proc, false, true, failed, rec->latency_ns);
	htab_remove(&s->pending, &rec->id);
	return true;
}

/* The extras of outcome group @g (index + 1; 0: "(other)"). */
static struct outcome_extra *extra_of(struct cp_agg *a, size_t g)
{
	struct outcome_extra *p;
	size_t n;

	if (g >= a->extra_nr) {
		n = g + 16;
		p = realloc(a->extra, n * sizeof(*p));
		if (!p)
			return NULL;
		memset(p + a->extra_nr, 0, (n - a->extra_nr) * sizeof(*p));
		a->extra = p;
		a->extra_nr = n;
	}
	return &a->extra[g];
}

/*
 * prom's part for a failed call or attempt with an IPv4 or IPv6
 * destination: its series by destination, or "other" once
 * PROM_MAX_DESTINATIONS destinations have one.
 */
static int add_prom_dest(struct cp_agg *a, const struct connprobe_record *rec,
			 const struct cp_outcome *oc)
{
	unsigned int fam = rec_daddr_family(rec);
	char name[PROM_DEST_NAME_LEN];
	struct prom_dest_key k;
	struct prom_dest *d;

	if (fam != AF_INET && fam != AF_INET6)
		return 0;
	memset(&k, 0, sizeof(k));
	k.outcome = *oc;
	rec_daddr_fmt(rec, k.daddr);
	k.dport = rec->dport;
	/* the name table's key: address and port, zero-padded */
	memset(name, 0, sizeof(name));
	memcpy(name, k.daddr, sizeof(k.daddr));
	memcpy(name + sizeof(k.daddr), &k.dport, sizeof(k.dport));
	if (!htab_find(&a->prom_dest_names, name)) {
		if (a->prom_dest_names.nr < PROM_MAX_DESTINATIONS) {
			if (!htab_insert(&a->prom_dest_names, name))
				return -1;
		} else {
			memset(k.daddr, 0, sizeof(k.daddr));
			strcpy(k.daddr, "other");
			k.dport = -1;
		}
	}
	d = htab_insert(&a->prom_dests, &k);
	if (!d)
		return -1;
	d->count++;
	return 0;
}

/* hist's and prom's part: the outcome's histograms, the series. */
static int add_extras(struct cp_agg *a, const struct connprobe_record *rec,
		      const struct cp_outcome *oc, size_t g)
{
	struct outcome_extra *e = extra_of(a, g);
	struct prom_series_key k = { .outcome = *oc };
	struct prom_series *s;
	unsigned int b;

	if (!e)
		return -1;
	if (a->opts.parts & AGG_LOG2)
		log2hist_add(&e->log2, rec->latency_ns / a->opts.log2_div);
	if (!(a->opts.parts & AGG_PROM))
		return 0;
	e->prom_sum_ns += rec->latency_ns;
	for (b = 0; b < PROM_NR_BUCKETS && rec->latency_ns > prom_bucket_ns[b]; b++)
		;
	if (b < PROM_NR_BUCKETS)
		e->prom_bucket[b]++;
	if (rec->flags & CONNPROBE_F_SOCK) {
		k.family = rec->family;
		k.type = rec->type;
		k.protocol = rec->protocol;
		k.sock_known = 1;
	}
	s = htab_insert(&a->series, &k);
	if (!s)
		return -1;
	s->count++;
	return outcome_failed(oc) ? add_prom_dest(a, rec, oc) : 0;
}

/* Halve the heat map's resolution in time: columns merge pairwise. */
static void heat_widen(struct cp_agg *a)
{
	uint32_t *g;
	size_t i, c, r;

	for (i = 0; i < a->heat_nr; i++) {
		g = a->heat + i * HEAT_COLS * HEAT_ROWS;
		for (c = 0; c < HEAT_COLS; c++)
			for (r = 0; r < HEAT_ROWS; r++)
				g[c * HEAT_ROWS + r] = c < HEAT_COLS / 2 ?
					g[2 * c * HEAT_ROWS + r] +
					g[(2 * c + 1) * HEAT_ROWS + r] : 0;
	}
	a->heat_width_ns *= 2;
}

/*
 * The heat map's part: the record's cell in outcome group @g's grid.  Its
 * time is the table's: when the call started, or a COMPLETE record's end.
 */
static int add_heat(struct cp_agg *a, const struct connprobe_record *rec,
		    size_t g)
{
	unsigned long long ts = rec->ts_ns, col, row;
	size_t cell = HEAT_COLS * HEAT_ROWS;
	uint32_t *p;

	if (rec->event == CONNPROBE_EVENT_COMPLETE)
		ts += rec->latency_ns;
	if (g >= a->heat_nr) {
		p = realloc(a->heat, (g + 16) * cell * sizeof(*p));
		if (!p)
			return -1;
		memset(p + a->heat_nr * cell, 0,
		       (g + 16 - a->heat_nr) * cell * sizeof(*p));
		a->heat = p;
		a->heat_nr = g + 16;
	}
	if (!a->heat_width_ns) {
		a->heat_start_ns = ts;
		a->heat_width_ns = HEAT_MIN_WIDTH_NS;
	}
	/* records come sorted per CPU only: an early one joins column 0 */
	ts = ts > a->heat_start_ns ? ts - a->heat_start_ns : 0;
	while ((col = ts / a->heat_width_ns) >= HEAT_COLS)
		heat_widen(a);
	row = log2hist_slot(rec->latency_ns / 1000);
	if (row >= HEAT_ROWS)
		row = HEAT_ROWS - 1;
	a->heat[g * cell + col * HEAT_ROWS + row]++;
	return 0;
}

/* -c's part: a CONNECT record, by its addresses as text. */
static int add_flow(struct cp_agg *a, const struct connprobe_record *rec)
{
	unsigned int fam = rec_daddr_family(rec);
	struct flow_key k;
	struct flow *f;
	size_t n;

	if (rec->event != CONNPROBE_EVENT_CONNECT)
		return 0;
	memset(&k, 0, sizeof(k));
	k.lport = k.rport = -1;
	if (rec_saddr_family(rec)) {
		addr_fmt(rec->family, rec->saddr, k.laddr);
		if (a->opts.flow_lport)
			k.lport = rec->sport;
	}
	n = rec_daddr_fmt(rec, k.raddr);
	if (fam == AF_UNIX)	/* the caller's bytes: any but NUL */
		text_ascii(k.raddr, n, k.raddr);
	else if (fam)
		k.rport = rec->dport;
	f = htab_insert(&a->flows, &k);
	if (!f)
		return -1;
	f->connects++;
	return 0;
}

/* --in-progress's part alone: hold the connect until its end comes. */
static int hold(struct cp_agg *a, const struct connprobe_record *rec)
{
	struct pending *p;

	if (rec->event == CONNPROBE_EVENT_COMPLETE) {
		htab_remove(&a->pending, &rec->id);
		return 0;
	}
	if (!record_in_progress(rec))
		return 0;
	p = htab_insert(&a->pending, &rec->id);
	if (!p)
		return -1;
	p->rec = *rec;
	return 0;
}

/* Every part but the groups', which agg_add() counts itself. */
static int add_parts(struct cp_agg *s, const struct connprobe_record *rec,
		     const struct cp_outcome *oc, size_t g, bool failed)
{
	unsigned int parts = s->opts.parts;

	if (parts & AGG_GROUPS)
		add_sample(stats_at(&s->outcomes, g), rec->latency_ns, failed);
	if ((parts & (AGG_LOG2 | AGG_PROM)) && add_extras(s, rec, oc, g))
		return -1;
	if ((parts & AGG_FLOWS) && add_flow(s, rec))
		return -1;
	if ((parts & AGG_HEAT) && add_heat(s, rec, g))
		return -1;
	/* with the groups, the attempts in progress are theirs */
	return (parts & AGG_HELD) && !(parts & AGG_GROUPS) ? hold(s, rec) : 0;
}

int agg_add(struct cp_agg *s, const struct connprobe_record *rec)
{
	struct outcome_key ok = { .oc = outcome_of(rec) };
	bool failed = outcome_failed(&ok.oc), sample;
	unsigned int parts = s->opts.parts;
	struct group_stats *st;
	struct dest_key dk;
	struct proc_key pk;
	struct pending *p;
	size_t dest, proc, g;

	s->records++;
	s->failed += failed;
	if (rec->event == CONNPROBE_EVENT_COMPLETE)
		s->completes++;
	else
		s->connects++;
	/* few outcomes, always in cache: counted at once */
	g = group_of(&s->outcomes, &ok);
	st = stats_at(&s->outcomes, g);
	st->count++;
	/* the summary's case first, in one test: its percentiles, its groups */
	if (parts == AGG_GROUPS)
		add_sample(st, rec->latency_ns, failed);
	else if (add_parts(s, rec, &ok.oc, g, failed))
		return -1;
	else if (!(parts & AGG_GROUPS))
		return 0;

	if (rec->event == CONNPROBE_EVENT_COMPLETE &&
	    complete_pending(s, rec, failed))
		return 0;
	dest_key_of(s, rec, &dk);
	proc_key_of(rec, &pk);
	dest = group_of(&s->dests, &dk);
	proc = group_of(&s->procs, &pk);
	/* in progress: counts now; its latency and result come later */
	sample = !record_in_progress(rec) ||
		 s->pending.nr >= AGG_MAX_PENDING ||
		 !(p = htab_insert(&s->pending, &rec->id));
	if (!sample) {
		p->dest = dest;
		p->proc = proc;
	}
	count_in(&s->dests, dest, true, sample, failed, rec->latency_ns);
	count_in(&s->procs, proc, true, sample, failed, rec->latency_ns);
	return 0;
}
