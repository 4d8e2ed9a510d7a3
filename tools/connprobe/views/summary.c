// SPDX-License-Identifier: GPL-2.0
/* summary: the outcome, destination and process tables, text or JSON. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "format.h"
#include "json.h"
#include "views.h"
#include "text.h"

#define LABEL_LEN	(UNIX_ADDR_BUF_LEN + 16)
#define NUM_WIDTH	10

/* A table's label columns: the kind of key, and how to show it. */
struct table_kind {
	const char *title[2];	/* title[1] NULL: one label column */
	const char *section;	/* JSON array name */
	void (*label)(const struct cp_agg *s, const void *key,
		      char l[2][LABEL_LEN]);
	void (*json)(struct cp_out *o, const struct cp_agg *s,
		     const void *key);
};

static void outcome_label_cols(const struct cp_agg *sum, const void *key,
			       char l[2][LABEL_LEN])
{
	(void)sum;
	const char *s = outcome_label(key, l[1], LABEL_LEN);

	memmove(l[0], s, strlen(s) + 1);
	l[1][0] = '\0';
}

static void outcome_json(struct cp_out *o, const struct cp_agg *sum,
			 const void *key)
{
	const struct cp_outcome *oc = key;
	char buf[OUTCOME_BUF_LEN];

	(void)sum;
	json_key(o, "event");
	out_str(o, oc->event == CONNPROBE_EVENT_COMPLETE ? "\"complete\""
							 : "\"connect\"");
	json_key(o, "outcome");
	json_string_or_null(o, outcome_result(oc, buf, sizeof(buf)));
}

/* The destination's address or path as text, or NULL if unknown. */
static const char *dest_addr(const struct cp_agg *sum,
			     const struct dest_key *k, char *buf)
{
	if (k->daddr_family == AF_UNIX)
		return k->len ? unix_path_str(agg_unix_path(sum, k),
					      k->len, buf) : NULL;
	return k->len ? addr_str(k->daddr_family, k->addr, buf,
				 UNIX_ADDR_BUF_LEN) : NULL;
}

/* "1.2.3.4:80", "[2001:db8::1]:443", a unix path, or NULL if unknown. */
static const char *dest_str(const struct cp_agg *sum,
			    const struct dest_key *k, char *buf, size_t len)
{
	char addr[UNIX_ADDR_BUF_LEN];
	const char *a = dest_addr(sum, k, addr);

	if (!a || k->daddr_family == AF_UNIX)
		return a ? strcpy(buf, a) : NULL;
	snprintf(buf, len, k->daddr_family == AF_INET6 ? "[%s]:%u" : "%s:%u",
		 a, k->port);
	return buf;
}

static const char *dest_proto(const struct dest_key *k, char *buf, size_t len)
{
	if (!k->sock_family)
		return NULL;
	return proto_str(k->sock_family, k->type, k->protocol, buf, len);
}

static void dest_label_cols(const struct cp_agg *sum, const void *key,
			    char l[2][LABEL_LEN])
{
	char buf[LABEL_LEN];
	const char *s = dest_proto(key, buf, sizeof(buf));

	snprintf(l[0], LABEL_LEN, "%s", s ? s : "-");
	s = dest_str(sum, key, buf, sizeof(buf));
	l[1][text_ascii(s ? s : "-", LABEL_LEN - 1, l[1])] = '\0';
}

static void dest_json(struct cp_out *o, const struct cp_agg *sum,
		      const void *key)
{
	const struct dest_key *k = key;
	char buf[LABEL_LEN], addr[UNIX_ADDR_BUF_LEN];

	json_key(o, "family");
	json_string_or_null(o, k->daddr_family ?
			    family_str(k->daddr_family, buf, sizeof(buf)) : NULL);
	json_key(o, "proto");
	json_string_or_null(o, dest_proto(k, buf, sizeof(buf)));
	json_key(o, "daddr");
	json_string_or_null(o, dest_addr(sum, k, addr));
	json_key(o, "dport");
	if (k->len && k->daddr_family != AF_UNIX)
		out_u64(o, k->port);
	else
		out_str(o, "null");
}

static void proc_label_cols(const struct cp_agg *sum, const void *key,
			    char l[2][LABEL_LEN])
{
	const struct proc_key *k = key;

	(void)sum;
	snprintf(l[0], LABEL_LEN, "%u", k->pid);
	l[1][text_ascii(k->comm, sizeof(k->comm), l[1])] = '\0';
}

static void proc_json(struct cp_out *o, const struct cp_agg *sum,
		      const void *key)
{
	const struct proc_key *k = key;

	(void)sum;
	json_key(o, "pid");
	out_u64(o, k->pid);
	json_key(o, "comm");
	json_string(o, k->comm, sizeof(k->comm));
}

static const struct table_kind outcome_kind = {
	{ "OUTCOME", NULL }, "outcomes", outcome_label_cols, outcome_json,
};
static const struct table_kind dest_kind = {
	{ "PROTO", "DESTINATION" }, "destinations", dest_label_cols, dest_json,
};
static const struct table_kind proc_kind = {
	{ "PID", "COMM" }, "processes", proc_label_cols, proc_json,
};

struct srow {
	const void *key;	/* NULL: the "(other)" row */
	size_t key_size;
	const struct group_stats *st;
	char label[2][LABEL_LEN];
};

/*
 * Largest first; ties by the last label column, then the first (comm,
 * then pid; destination, then protocol), then key bytes, so the order is
 * readable and repeatable.
 */
static int cmp_row(const void *a, const void *b)
{
	const struct srow *x = a, *y = b;
	int c;

	if (x->st->count != y->st->count)
		return x->st->count < y->st->count ? 1 : -1;
	if (x->st->failed != y->st->failed)
		return x->st->failed < y->st->failed ? 1 : -1;
	if (!x->key || !y->key)
		return !x->key - !y->key;	/* "(other)" last */
	c = strcmp(x->label[1], y->label[1]);
	if (!c)
		c = strcmp(x->label[0], y->label[0]);
	return c ? c : memcmp(x->key, y->key, x->key_size);
}

/* The table's rows, labelled, sorted and cut to @limit (0: all); free(). */
static struct srow *rows_of(const struct cp_agg *s,
			    const struct group_table *t,
			    const struct table_kind *k, unsigned int limit,
			    size_t *n)
{
	struct srow *r = calloc(t->tab.nr + 1, sizeof(*r));
	size_t i, nr = 0;

	*n = 0;
	if (!r)
		return NULL;
	for (i = 0; i < t->tab.nr; i++, nr++) {
		r[nr].key = htab_entry(&t->tab, i);
		r[nr].key_size = t->tab.key_size;
		r[nr].st = group_stats_of(t, i);
		k->label(s, r[nr].key, r[nr].label);
	}
	if (t->other.count || t->other.lat.count) {
		r[nr].st = &t->other;
		snprintf(r[nr].label[k->title[1] ? 1 : 0], LABEL_LEN, "(other)");
		nr++;
	}
	qsort(r, nr, sizeof(*r), cmp_row);
	*n = limit && nr > limit ? limit : nr;
	return r;
}


/* The stats columns, each right-aligned after a space. */
static const char *const stat_titles[] = {
	"COUNT", "FAIL%", "P50(ms)", "P99(ms)", "MAX(ms)",
};
static const size_t stat_widths[] = { 10, 6, 10, 10, 10 };

static void stat_col(struct cp_out *o, int i, const char *s, size_t n)
{
	out_char(o, ' ');
	out_rcol(o, s, n, stat_widths[i]);
}

static void latency_col(struct cp_out *o, int i, const struct cp_latdist *d,
			double pct)
{
	char buf[32];

	if (!d->count) {
		stat_col(o, i, "-", 1);
		return;
	}
	stat_col(o, i, buf, fmt_ns_as_ms(buf, pct > 0 ?
					 latdist_percentile(d, pct) : d->max));
}

static void stats_cols(struct cp_out *o, const struct group_stats *st)
{
	char buf[32];
	size_t n;

	stat_col(o, 0, buf, fmt_u64(buf, st->count));
	/* permille, rounded, shown as a percentage with one decimal */
	if (st->count)
		n = fmt_fixed(buf, (st->failed * 1000 + st->count / 2) /
			      st->count, 1);
	else
		n = (buf[0] = '-', 1);
	stat_col(o, 1, buf, n);
	latency_col(o, 2, &st->lat, 50);
	latency_col(o, 3, &st->lat, 99);
	latency_col(o, 4, &st->lat, 0);
	out_char(o, '\n');
}

static void print_one_table(struct cp_out *o, const struct cp_agg *s,
			    const struct group_table *t,
			    const struct table_kind *k, unsigned int limit)
{
	size_t n, i, w[2] = { strlen(k->title[0]),
			      k->title[1] ? strlen(k->title[1]) : 0 };
	struct srow *r = rows_of(s, t, k, limit, &n);
	int c, ncols = k->title[1] ? 2 : 1;

	if (!r)
		return;
	for (i = 0; i < n; i++)
		for (c = 0; c < ncols; c++)
			if (strlen(r[i].label[c]) > w[c])
				w[c] = strlen(r[i].label[c]);
	/* label columns left-aligned, the stats right-aligned after them */
	for (c = 0; c < ncols; c++)
		out_col(o, k->title[c], strlen(k->title[c]), w[c]);
	for (c = 0; c < (int)(sizeof(stat_titles) / sizeof(stat_titles[0])); c++)
		stat_col(o, c, stat_titles[c], strlen(stat_titles[c]));
	out_char(o, '\n');
	for (i = 0; i < n; i++) {
		for (c = 0; c < ncols; c++)
			out_col(o, r[i].label[c], strlen(r[i].label[c]), w[c]);
		stats_cols(o, r[i].st);
	}
	free(r);
}

void summary_print_table(struct cp_out *o, const struct cp_agg *s,
			 unsigned int rows, const struct cp_stats *lost)
{
	char line[256];

	print_one_table(o, s, &s->outcomes, &outcome_kind, rows);
	out_char(o, '\n');
	print_one_table(o, s, &s->dests, &dest_kind, rows);
	out_char(o, '\n');
	print_one_table(o, s, &s->procs, &proc_kind, rows);
	snprintf(line, sizeof(line),
		 "\n%llu records (%llu connect, %llu complete), %llu failed, %llu in progress, ",
		 s->records, s->connects, s->completes, s->failed,
		 agg_in_progress(s));
	out_str(o, line);
	if (lost)
		snprintf(line, sizeof(line), "%llu lost\n", lost->total_lost);
	else
		snprintf(line, sizeof(line), "lost unknown\n");
	out_str(o, line);
}

static void latency_json(struct cp_out *o, const char *key,
			 const struct cp_latdist *d, double pct)
{
	json_key(o, key);
	if (!d->count)
		out_str(o, "null");
	else
		out_u64(o, pct > 0 ? latdist_percentile(d, pct)
				   : d->max);
}

static void print_one_json(struct cp_out *o, const struct cp_agg *s,
			   const struct group_table *t,
			   const struct table_kind *k, unsigned int limit)
{
	struct srow *r;
	size_t n, i;

	json_key(o, k->section);
	out_char(o, '[');
	r = rows_of(s, t, k, limit, &n);
	for (i = 0; i < n; i++) {
		/* every kind's first key is written with a leading comma */
		out_str(o, i ? ",{\"count\":" : "{\"count\":");
		out_u64(o, r[i].st->count);
		if (r[i].key)
			k->json(o, s, r[i].key);
		else
			out_str(o, ",\"other\":true");
		json_key(o, "failed");
		out_u64(o, r[i].st->failed);
		latency_json(o, "p50_ns", &r[i].st->lat, 50);
		latency_json(o, "p99_ns", &r[i].st->lat, 99);
		latency_json(o, "max_ns", &r[i].st->lat, 0);
		out_char(o, '}');
	}
	out_char(o, ']');
	free(r);
}

void summary_print_json(struct cp_out *o, const struct cp_agg *s,
			unsigned int rows, const struct cp_stats *lost)
{
	out_str(o, "{\"records\":");
	out_u64(o, s->records);
	json_key(o, "connect");
	out_u64(o, s->connects);
	json_key(o, "complete");
	out_u64(o, s->completes);
	json_key(o, "failed");
	out_u64(o, s->failed);
	json_key(o, "in_progress");
	out_u64(o, agg_in_progress(s));
	json_key(o, "lost");
	if (lost)
		out_u64(o, lost->total_lost);
	else
		out_str(o, "null");
	print_one_json(o, s, &s->outcomes, &outcome_kind, rows);
	print_one_json(o, s, &s->dests, &dest_kind, rows);
	print_one_json(o, s, &s->procs, &proc_kind, rows);
	out_str(o, "}\n");
}
