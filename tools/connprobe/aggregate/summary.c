// SPDX-License-Identifier: GPL-2.0
/* Aggregating records into outcome, destination and process groups. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "format.h"
#include "summary.h"

/* Where an in-progress attempt was counted, to add its completion there. */
struct pending {
	__u64 id;
	__u32 dest;		/* group index + 1; 0: the "(other)" row */
	__u32 proc;
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

void summary_init(struct cp_summary *s)
{
	memset(s, 0, sizeof(*s));
	table_init(&s->outcomes, sizeof(struct outcome_key));
	table_init(&s->dests, sizeof(struct dest_key));
	table_init(&s->procs, sizeof(struct proc_key));
	htab_init(&s->pending, sizeof(__u64), sizeof(struct pending));
	htab_init(&s->unix_paths, sizeof(__u64), sizeof(struct unix_path));
}

void summary_free(struct cp_summary *s)
{
	table_free(&s->outcomes);
	table_free(&s->dests);
	table_free(&s->procs);
	htab_free(&s->pending);
	htab_free(&s->unix_paths);
}

void summary_reset(struct cp_summary *s)
{
	table_clear(&s->outcomes);
	table_clear(&s->dests);
	table_clear(&s->procs);
	htab_clear(&s->pending);
	htab_clear(&s->unix_paths);
	s->records = s->connects = s->completes = s->failed = 0;
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
 * The SUMMARY_KEY_LEN bytes at @a and @b are equal.  Without a branch per
 * word: whether a record repeats its predecessor's destination is a coin
 * the branch predictor cannot call, and a mispredicted branch per word
 * costs more than the words.
 */
static bool same_key(const void *a, const void *b)
{
	uint64_t x, y, diff = 0;
	size_t i;

	for (i = 0; i < SUMMARY_KEY_LEN; i += 8) {
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
	g = htab_find_idx_n(&t->tab, key, SUMMARY_KEY_LEN);
	if (!g && nr < SUMMARY_MAX_GROUPS && !stats_reserve(t, nr + 1)) {
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
static void unix_key(struct cp_summary *s, const struct connprobe_record *rec,
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

static void dest_key_of(struct cp_summary *s,
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

const char *summary_unix_path(const struct cp_summary *s,
			      const struct dest_key *k)
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
static bool complete_pending(struct cp_summary *s,
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

int summary_add(struct cp_summary *s, const struct connprobe_record *rec)
{
	struct outcome_key ok = { .oc = outcome_of(rec) };
	bool failed = outcome_failed(&ok.oc), sample;
	struct group_stats *st;
	struct dest_key dk;
	struct proc_key pk;
	struct pending *p;
	size_t dest, proc;

	s->records++;
	s->failed += failed;
	if (rec->event == CONNPROBE_EVENT_COMPLETE)
		s->completes++;
	else
		s->connects++;
	/* few outcomes, always in cache: counted at once */
	st = stats_at(&s->outcomes, group_of(&s->outcomes, &ok));
	st->count++;
	add_sample(st, rec->latency_ns, failed);

	if (rec->event == CONNPROBE_EVENT_COMPLETE &&
	    complete_pending(s, rec, failed))
		return 0;
	dest_key_of(s, rec, &dk);
	proc_key_of(rec, &pk);
	dest = group_of(&s->dests, &dk);
	proc = group_of(&s->procs, &pk);
	/* in progress: counts now; its latency and result come later */
	sample = !record_in_progress(rec) ||
		 s->pending.nr >= SUMMARY_MAX_PENDING ||
		 !(p = htab_insert(&s->pending, &rec->id));
	if (!sample) {
		p->dest = dest;
		p->proc = proc;
	}
	count_in(&s->dests, dest, true, sample, failed, rec->latency_ns);
	count_in(&s->procs, proc, true, sample, failed, rec->latency_ns);
	return 0;
}
