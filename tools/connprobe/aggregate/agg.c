// SPDX-License-Identifier: GPL-2.0
/* Records into the groups and histograms of agg.h. */
#include <math.h>

#include "agg.h"

const unsigned long long prom_bucket_ns[PROM_NR_BUCKETS] = {
	100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000,
	25000000, 50000000, 100000000, 250000000, 500000000, 1000000000,
	2500000000ULL, 5000000000ULL, 10000000000ULL, 30000000000ULL,
	60000000000ULL, 120000000000ULL,
};

uint64_t latdist_bucket_max(unsigned int i)
{
	unsigned int e = i / LATDIST_SUB - 1 + LATDIST_SUB_BITS;

	if (i < LATDIST_SUB)
		return i;
	if (i >= LATDIST_BUCKETS - 1)
		return UINT64_MAX;
	/* bucket (i % 16) of [2^e, 2^(e+1)) is 2^(e-4) wide */
	return (1ULL << e) + ((uint64_t)(i % LATDIST_SUB + 1) << (e - LATDIST_SUB_BITS)) - 1;
}

uint64_t latdist_percentile(const struct cp_latdist *d, double pct)
{
	uint64_t rank = ceil(pct / 100.0 * (double)d->count), seen = 0, lo, v;
	unsigned int i;

	/* by nearest rank; the ends are known exactly */
	if (rank >= d->count)
		return d->max;
	if (rank <= 1)
		return d->min;
	for (i = 0; i < LATDIST_BUCKETS - 1 && (seen += d->bucket[i]) < rank; i++)
		;
	/* the middle of the bucket: off by at most half its width */
	lo = i ? latdist_bucket_max(i - 1) + 1 : 0;
	v = lo + (latdist_bucket_max(i) - lo) / 2;
	return v > d->max ? d->max : v < d->min ? d->min : v;
}

void agg_init(struct cp_agg *a, const struct agg_opts *opts)
{
	memset(a, 0, sizeof(*a));
	a->opts = *opts;
	a->heat_lo = HEAT_ROWS;
	a->heat_hi = -1;
	htab_init(&a->outcomes.tab, sizeof(struct cp_outcome),
		  opts->parts & AGG_HEAT ? sizeof(struct outcome_group) :
		  offsetof(struct outcome_group, heat));
	htab_init(&a->dests.tab, sizeof(struct dest_key), sizeof(struct group));
	htab_init(&a->procs.tab, sizeof(struct proc_key), sizeof(struct group));
	/* an attempt's record is kept only for --in-progress */
	htab_init(&a->pending, sizeof(__u64), opts->parts & AGG_HELD ?
		  sizeof(struct pending) : offsetof(struct pending, rec));
	htab_init(&a->series, offsetof(struct prom_series, count),
		  sizeof(struct prom_series));
	htab_init(&a->prom_dests, offsetof(struct prom_dest, count),
		  sizeof(struct prom_dest));
	htab_init(&a->flows, sizeof(struct flow_key), sizeof(struct flow));
}

void agg_free(struct cp_agg *a)
{
	struct cp_htab *t[] = { &a->outcomes.tab, &a->dests.tab, &a->procs.tab,
				&a->pending, &a->series, &a->prom_dests, &a->flows };
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		htab_free(t[i]);
}

/* @key's group's index + 1, 0: "(other)"; in a burst of records, no hashing. */
static __always_inline
size_t group_of(struct group_table *t, const void *key, size_t n)
{
	unsigned char *g;
	uint32_t *s;

	if (t->last && !memcmp(htab_entry(&t->tab, t->last - 1), key, n))
		return t->last;
	if (t->tab.slots && *(s = htab_slot(&t->tab, key, n)))
		return t->last = *s;
	g = t->tab.nr < AGG_MAX_GROUPS ? htab_insert(&t->tab, key) : NULL;
	t->last = g ? (g - t->tab.entries) / t->tab.entry_size + 1 : 0;
	return t->last;
}

static struct group *group_at(struct group_table *t, size_t g)
{
	return g ? htab_entry(&t->tab, g - 1) : &t->other.g;
}

static void add_sample(struct group_stats *st, __u64 latency, bool failed)
{
	latdist_add(&st->lat, latency);
	st->failed += failed;
}

static void dest_key_of(const struct connprobe_record *rec,
			struct dest_key *k)
{
	unsigned int fam = rec_daddr_family(rec);
	__u64 hash;

	memset(k, 0, sizeof(*k));
	if (rec->flags & CONNPROBE_F_SOCK) {
		k->sock_family = rec->family;
		k->type = rec->type;
		k->protocol = rec->protocol;
	}
	if (!(rec->flags & CONNPROBE_F_DADDR))
		return;
	k->daddr_family = rec->daddr_family;
	if (fam == AF_INET || fam == AF_INET6) {
		k->port = rec->dport;
		k->len = rec->daddr_family == AF_INET ? 4 : 16;
		memcpy(k->addr, rec->daddr, k->len);
	} else if (fam == AF_UNIX) {
		/* keyed by its hash: the group keeps the path to show */
		k->len = rec->addrlen - SUN_PATH_OFFSET < CONNPROBE_PATH_LEN ?
			 rec->addrlen - SUN_PATH_OFFSET : CONNPROBE_PATH_LEN;
		hash = hash_bytes(rec->sun_path, k->len);
		memcpy(k->addr, &hash, sizeof(hash));
	}
}

/* summary's part: the attempt's destination and process. */
static void add_attempt(struct cp_agg *a, const struct connprobe_record *rec,
			bool failed)
{
	struct group_table *t[2] = { &a->dests, &a->procs };
	struct proc_key pk = { .pid = rec->pid };
	struct pending *p = NULL;
	struct dest_key dk;
	struct group *g;
	size_t i, n[2];

	if (rec->event == CONNPROBE_EVENT_COMPLETE &&
	    (p = htab_find(&a->pending, &rec->id))) {
		/* the end of an attempt counted in progress */
		for (i = 0; i < 2; i++)
			add_sample(&group_at(t[i], i ? p->proc : p->dest)->st,
				   rec->latency_ns, failed);
		htab_remove(&a->pending, &rec->id);
		return;
	}
	dest_key_of(rec, &dk);
	/* the kernel NUL-pads comm: the 16 bytes are the name */
	memcpy(pk.comm, rec->comm, sizeof(pk.comm));
	n[0] = group_of(t[0], &dk, sizeof(dk));
	n[1] = group_of(t[1], &pk, sizeof(pk));
	/* in progress: counts now; its latency and result come later */
	if (record_in_progress(rec) && a->pending.nr < AGG_MAX_PENDING &&
	    (p = htab_insert(&a->pending, &rec->id))) {
		p->dest = n[0];
		p->proc = n[1];
	}
	for (i = 0; i < 2; i++) {
		g = group_at(t[i], n[i]);
		/* a new AF_UNIX group keeps the path it stands for */
		if (!i && !g->st.count && dk.daddr_family == AF_UNIX)
			memcpy(g->path, rec->sun_path, dk.len);
		g->st.count++;
		if (!p)
			add_sample(&g->st, rec->latency_ns, failed);
	}
}

static int add_prom(struct cp_agg *a, const struct connprobe_record *rec,
		    const struct cp_outcome *oc, struct outcome_group *e)
{
	struct prom_series ks = { .outcome = *oc }, *s;
	struct prom_dest kd = { .outcome = *oc, .dest.dport = rec->dport }, *d;
	unsigned int b, n, fam = rec_daddr_family(rec);

	for (b = 0; b < PROM_NR_BUCKETS && rec->latency_ns > prom_bucket_ns[b]; b++)
		;
	e->prom_sum_ns += rec->latency_ns;
	if (b < PROM_NR_BUCKETS)
		e->prom_bucket[b]++;
	if (rec->flags & CONNPROBE_F_SOCK) {
		ks.family = rec->family;
		ks.type = rec->type;
		ks.protocol = rec->protocol;
		ks.sock_known = 1;
	}
	s = htab_insert(&a->series, &ks);
	if (!s)
		return -1;
	s->count++;
	if (!outcome_failed(oc) || (fam != AF_INET && fam != AF_INET6))
		return 0;
	addr_fmt(fam, rec->daddr, kd.dest.daddr);
	/* a known pair costs one lookup; a new one is rare */
	d = htab_find(&a->prom_dests, &kd);
	for (n = 0; !d && n < a->prom_nr_names &&
	     memcmp(&a->prom_names[n], &kd.dest, sizeof(kd.dest)); n++)
		;
	if (!d && n == PROM_MAX_DESTINATIONS)
		kd.dest = (struct prom_dest_key){ "other", -1 };
	else if (!d && n == a->prom_nr_names)
		a->prom_names[a->prom_nr_names++] = kd.dest;
	if (!d && !(d = htab_insert(&a->prom_dests, &kd)))
		return -1;
	d->count++;
	return 0;
}

/* The heat map's part; a record's time is the table's (a COMPLETE's end). */
static void add_heat(struct cp_agg *a, const struct connprobe_record *rec,
		     size_t g)
{
	unsigned long long ts = rec->ts_ns, col, c, i;
	int row = log2hist_slot(rec->latency_ns / 1000);
	uint32_t *h;

	if (rec->event == CONNPROBE_EVENT_COMPLETE)
		ts += rec->latency_ns;
	if (!a->heat_width_ns) {
		a->heat_start_ns = ts;
		a->heat_width_ns = HEAT_MIN_WIDTH_NS;
	}
	/* records come sorted per CPU only: an early one joins column 0 */
	ts = ts > a->heat_start_ns ? ts - a->heat_start_ns : 0;
	/* past the last column: halve the resolution, columns merging */
	while ((col = ts / a->heat_width_ns) >= HEAT_COLS) {
		for (i = 0; i < a->outcomes.tab.nr; i++) {
			h = ((struct outcome_group *)htab_entry(&a->outcomes.tab, i))->heat;
			for (c = 0; c < HEAT_COLS * HEAT_ROWS; c++)
				h[c] = c / HEAT_ROWS >= HEAT_COLS / 2 ? 0 :
				       h[c + c / HEAT_ROWS * HEAT_ROWS] +
				       h[c + c / HEAT_ROWS * HEAT_ROWS + HEAT_ROWS];
		}
		a->heat_width_ns *= 2;
	}
	row = row < HEAT_ROWS ? row : HEAT_ROWS - 1;
	((struct outcome_group *)group_at(&a->outcomes, g))->heat[col * HEAT_ROWS + row]++;
	if (g) {	/* the panels share the rows of those shown */
		a->heat_lo = row < a->heat_lo ? row : a->heat_lo;
		a->heat_hi = row > a->heat_hi ? row : a->heat_hi;
	}
}

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

	if (rec->event == CONNPROBE_EVENT_COMPLETE)
		htab_remove(&a->pending, &rec->id);
	if (!record_in_progress(rec))
		return 0;
	p = htab_insert(&a->pending, &rec->id);
	if (!p)
		return -1;
	p->rec = *rec;
	return 0;
}

int agg_add(struct cp_agg *a, const struct connprobe_record *rec)
{
	struct cp_outcome oc = outcome_of(rec);
	bool failed = outcome_failed(&oc);
	unsigned int parts = a->opts.parts;
	size_t g = group_of(&a->outcomes, &oc, sizeof(oc));
	struct outcome_group *e = (struct outcome_group *)group_at(&a->outcomes, g);

	a->records++;
	a->failed += failed;
	a->completes += rec->event == CONNPROBE_EVENT_COMPLETE;
	e->g.st.count++;
	if (parts & AGG_GROUPS) {
		add_sample(&e->g.st, rec->latency_ns, failed);
		add_attempt(a, rec, failed);
	}
	if (parts & AGG_LOG2)
		e->log2[log2hist_slot(rec->latency_ns / a->opts.log2_div)]++;
	if ((parts & AGG_PROM) && add_prom(a, rec, &oc, e))
		return -1;
	if ((parts & AGG_FLOWS) && add_flow(a, rec))
		return -1;
	if (parts & AGG_HEAT)
		add_heat(a, rec, g);
	/* with the groups, the attempts in progress are theirs */
	return (parts & AGG_HELD) && !(parts & AGG_GROUPS) ? hold(a, rec) : 0;
}
