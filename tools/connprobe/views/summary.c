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

/*
 * A table's kind of key, and how to show one: its label columns into @l,
 * or (@o not NULL) its JSON keys onto @o.
 */
struct table_kind {
	const char *title[2];	/* title[1] NULL: one label column */
	const char *section;	/* JSON array name */
	void (*show)(const struct group *g, char l[2][LABEL_LEN],
		     struct cp_out *o);
};

static void outcome_show(const struct group *g,
			 char l[2][LABEL_LEN], struct cp_out *o)
{
	char buf[OUTCOME_BUF_LEN];

	if (o) {
		out_char(o, ',');
		outcome_json(o, &g->key.oc);
	} else {
		strcpy(l[0], outcome_label(&g->key.oc, buf, sizeof(buf)));
	}
}

static void dest_show(const struct group *g,
		      char l[2][LABEL_LEN], struct cp_out *o)
{
	const struct dest_key *k = &g->key.dest;
	char proto[LABEL_LEN], addr[UNIX_ADDR_BUF_LEN], buf[LABEL_LEN];
	const char *p = k->sock_family ? proto_str(k->sock_family, k->type,
				k->protocol, proto, sizeof(proto)) : NULL;
	const char *s = !k->len ? NULL : k->daddr_family == AF_UNIX ?
		unix_path_str(g->path, k->len, addr) :
		addr_str(k->daddr_family, k->addr, addr, sizeof(addr));
	bool port = k->len && k->daddr_family != AF_UNIX;

	if (o) {
		json_key(o, "family");
		json_string_or_null(o, k->daddr_family ? family_str(
				k->daddr_family, buf, sizeof(buf)) : NULL);
		json_key(o, "proto");
		json_string_or_null(o, p);
		json_key(o, "daddr");
		json_string_or_null(o, s);
		json_key(o, "dport");
		if (port)
			out_u64(o, k->port);
		else
			out_str(o, "null");
		return;
	}
	snprintf(l[0], LABEL_LEN, "%s", p ? p : "-");
	/* "1.2.3.4:80", "[2001:db8::1]:443", a unix path */
	if (port)
		snprintf(buf, sizeof(buf), k->daddr_family == AF_INET6 ?
			 "[%s]:%u" : "%s:%u", s, k->port);
	else
		snprintf(buf, sizeof(buf), "%s", s ? s : "-");
	l[1][text_ascii(buf, LABEL_LEN - 1, l[1])] = '\0';
}

static void proc_show(const struct group *g,
		      char l[2][LABEL_LEN], struct cp_out *o)
{
	if (o) {
		json_key(o, "pid");
		out_u64(o, g->key.proc.pid);
		json_key(o, "comm");
		json_string(o, g->key.proc.comm, CONNPROBE_COMM_LEN);
		return;
	}
	snprintf(l[0], LABEL_LEN, "%u", g->key.proc.pid);
	l[1][text_ascii(g->key.proc.comm, CONNPROBE_COMM_LEN, l[1])] = '\0';
}

static const struct table_kind kinds[] = {
	{ { "OUTCOME", NULL }, "outcomes", outcome_show },
	{ { "PROTO", "DESTINATION" }, "destinations", dest_show },
	{ { "PID", "COMM" }, "processes", proc_show },
};

/* kinds[@i]'s table */
static const struct group_table *table_of(const struct cp_agg *a, int i)
{
	return i == 0 ? &a->outcomes : i == 1 ? &a->dests : &a->procs;
}

struct srow {
	const struct group *g;
	bool other;		/* the "(other)" row */
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

	if (x->g->st.count != y->g->st.count)
		return x->g->st.count < y->g->st.count ? 1 : -1;
	if (x->g->st.failed != y->g->st.failed)
		return x->g->st.failed < y->g->st.failed ? 1 : -1;
	if (x->other || y->other)
		return x->other - y->other;	/* "(other)" last */
	c = strcmp(x->label[1], y->label[1]);
	if (!c)
		c = strcmp(x->label[0], y->label[0]);
	return c ? c : memcmp(&x->g->key, &y->g->key, sizeof(x->g->key));
}

/* The table's rows, labelled, sorted and cut to @limit (0: all); free(). */
static struct srow *rows_of(const struct group_table *t,
			    const struct table_kind *k, unsigned int limit,
			    size_t *n)
{
	struct srow *r = calloc(t->tab.nr + 1, sizeof(*r));
	size_t i, nr = 0;

	*n = 0;
	if (!r)
		return NULL;
	for (i = 0; i < t->tab.nr; i++, nr++) {
		r[nr].g = htab_entry(&t->tab, i);
		k->show(r[nr].g, r[nr].label, NULL);
	}
	if (t->other.g.st.count || t->other.g.st.lat.count) {
		r[nr].g = &t->other.g;
		r[nr].other = true;
		strcpy(r[nr++].label[k->title[1] ? 1 : 0], "(other)");
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
/* the latency columns: percentiles, 0 for the max */
static const double stat_pct[] = { 50, 99, 0 };
static const char *const stat_json[] = { "p50_ns", "p99_ns", "max_ns" };

static void stat_col(struct cp_out *o, int i, const char *s, size_t n)
{
	out_char(o, ' ');
	out_rcol(o, s, n, stat_widths[i]);
}

static unsigned long long latency(const struct cp_latdist *d, int i)
{
	return stat_pct[i] > 0 ? latdist_percentile(d, stat_pct[i]) : d->max;
}

static void stats_cols(struct cp_out *o, const struct group_stats *st)
{
	char buf[32];
	int i;

	stat_col(o, 0, buf, fmt_u64(buf, st->count));
	/* permille, rounded, shown as a percentage with one decimal */
	if (st->count)
		stat_col(o, 1, buf, fmt_fixed(buf, (st->failed * 1000 +
					      st->count / 2) / st->count, 1));
	else
		stat_col(o, 1, "-", 1);
	for (i = 0; i < 3; i++) {
		if (st->lat.count)
			stat_col(o, 2 + i, buf,
				 fmt_ns_as_ms(buf, latency(&st->lat, i)));
		else
			stat_col(o, 2 + i, "-", 1);
	}
	out_char(o, '\n');
}

static void print_one_table(struct cp_out *o, const struct group_table *t,
			    const struct table_kind *k, unsigned int limit)
{
	size_t n, i, w[2] = { strlen(k->title[0]),
			      k->title[1] ? strlen(k->title[1]) : 0 };
	struct srow *r = rows_of(t, k, limit, &n);
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
	for (c = 0; c < 5; c++)
		stat_col(o, c, stat_titles[c], strlen(stat_titles[c]));
	out_char(o, '\n');
	for (i = 0; i < n; i++) {
		for (c = 0; c < ncols; c++)
			out_col(o, r[i].label[c], strlen(r[i].label[c]), w[c]);
		stats_cols(o, &r[i].g->st);
	}
	free(r);
}

static void print_one_json(struct cp_out *o, const struct group_table *t,
			   const struct table_kind *k, unsigned int limit)
{
	size_t n, i;
	struct srow *r = rows_of(t, k, limit, &n);
	int l;

	json_key(o, k->section);
	out_char(o, '[');
	for (i = 0; i < n; i++) {
		/* every kind's first key is written with a leading comma */
		out_str(o, i ? ",{\"count\":" : "{\"count\":");
		out_u64(o, r[i].g->st.count);
		if (r[i].other)
			out_str(o, ",\"other\":true");
		else
			k->show(r[i].g, NULL, o);
		json_key(o, "failed");
		out_u64(o, r[i].g->st.failed);
		for (l = 0; l < 3; l++) {
			json_key(o, stat_json[l]);
			if (r[i].g->st.lat.count)
				out_u64(o, latency(&r[i].g->st.lat, l));
			else
				out_str(o, "null");
		}
		out_char(o, '}');
	}
	out_char(o, ']');
	free(r);
}

void lost_print(struct cp_out *o, const struct cp_stats *lost, bool json)
{
	if (json)
		json_key(o, "lost");
	if (lost)
		out_u64(o, lost->total_lost);
	if (!json)
		out_str(o, lost ? " lost\n" : "lost unknown\n");
	else if (!lost)
		out_str(o, "null");
}

void outcome_json(struct cp_out *o, const struct cp_outcome *oc)
{
	char buf[OUTCOME_BUF_LEN];

	out_str(o, oc->event == CONNPROBE_EVENT_COMPLETE ?
		"\"event\":\"complete\"" : "\"event\":\"connect\"");
	json_key(o, "outcome");
	json_string_or_null(o, outcome_result(oc, buf, sizeof(buf)));
}

void summary_print(struct cp_out *o, const struct cp_agg *a,
		   const struct view_opts *vo, const struct cp_stats *lost)
{
	char line[256];
	int i;

	snprintf(line, sizeof(line), vo->json ?
		 "{\"records\":%llu,\"connect\":%llu,\"complete\":%llu,\"failed\":%llu,\"in_progress\":%llu" :
		 "\n%llu records (%llu connect, %llu complete), %llu failed, %llu in progress, ",
		 a->records, a->connects, a->completes, a->failed,
		 agg_in_progress(a));
	if (vo->json) {
		out_str(o, line);
		lost_print(o, lost, true);
		for (i = 0; i < 3; i++)
			print_one_json(o, table_of(a, i), &kinds[i], vo->rows);
		out_str(o, "}\n");
		return;
	}
	for (i = 0; i < 3; i++) {
		out_str(o, i ? "\n" : "");
		print_one_table(o, table_of(a, i), &kinds[i], vo->rows);
	}
	out_str(o, line);
	lost_print(o, lost, false);
}
