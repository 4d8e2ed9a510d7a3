// SPDX-License-Identifier: GPL-2.0
/* The text views: summary's tables; bcc's hist (trace_helpers.c) and -c count. */
#include <stdarg.h>
#include <stdlib.h>

#include "views.h"

#define LABEL_LEN	(UNIX_ADDR_BUF_LEN + 16)
#define STARS_MAX	40

void view_printf(struct cp_out *o, const char *fmt, ...)
{
	size_t room = 256;
	va_list ap;
	char *p;
	int n;

	/* more than the room there was: again, with room for all of it */
	do {
		p = out_reserve(o, room);
		va_start(ap, fmt);
		n = vsnprintf(p, o->size - o->len, fmt, ap);
		va_end(ap);
		room = n + 1;
	} while (n >= 0 && (size_t)n >= o->size - o->len);
	if (n > 0)
		o->len += n;
}

static void lost_print(struct cp_out *o, const struct cp_stats *lost, bool json)
{
	if (lost)
		view_printf(o, json ? ",\"lost\":%llu" : "%llu lost\n",
			    lost->total_lost);
	else
		out_str(o, json ? ",\"lost\":null" : "lost unknown\n");
}

static void json_pair(struct cp_out *o, const char *key, const char *s)
{
	json_key(o, key);
	json_string_or_null(o, s);
}

static void outcome_json(struct cp_out *o, const struct cp_outcome *oc)
{
	char buf[OUTCOME_BUF_LEN];

	out_str(o, oc->event == CONNPROBE_EVENT_COMPLETE ?
		"\"event\":\"complete\"" : "\"event\":\"connect\"");
	json_pair(o, "outcome", outcome_result(oc, buf, sizeof(buf)));
}

/* A group's label columns into @l, or (@o not NULL) its JSON keys onto @o. */
typedef void show_fn(const struct group *g, char l[2][LABEL_LEN],
		     struct cp_out *o);

static void outcome_show(const struct group *g, char l[2][LABEL_LEN],
			 struct cp_out *o)
{
	char buf[OUTCOME_BUF_LEN];

	if (o) {
		out_char(o, ',');
		outcome_json(o, &g->key.oc);
	} else {
		strcpy(l[0], outcome_label(&g->key.oc, buf, sizeof(buf)));
	}
}

static void dest_show(const struct group *g, char l[2][LABEL_LEN],
		      struct cp_out *o)
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
		json_pair(o, "family", k->daddr_family ? family_str(
				k->daddr_family, buf, sizeof(buf)) : NULL);
		json_pair(o, "proto", p);
		json_pair(o, "daddr", s);
		view_printf(o, port ? ",\"dport\":%u" : ",\"dport\":null",
			    k->port);
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

static void proc_show(const struct group *g, char l[2][LABEL_LEN],
		      struct cp_out *o)
{
	if (o) {
		view_printf(o, ",\"pid\":%u,\"comm\":", g->key.proc.pid);
		json_string(o, g->key.proc.comm, CONNPROBE_COMM_LEN);
		return;
	}
	snprintf(l[0], LABEL_LEN, "%u", g->key.proc.pid);
	l[1][text_ascii(g->key.proc.comm, CONNPROBE_COMM_LEN, l[1])] = '\0';
}

static const struct table_kind {
	const char *title[2];	/* title[1] NULL: one label column */
	const char *section;	/* JSON array name */
	size_t table;		/* offsetof(struct cp_agg, ...) */
	show_fn *show;
} kinds[] = {
	{ { "OUTCOME" }, "outcomes", offsetof(struct cp_agg, outcomes),
	  outcome_show },
	{ { "PROTO", "DESTINATION" }, "destinations",
	  offsetof(struct cp_agg, dests), dest_show },
	{ { "PID", "COMM" }, "processes", offsetof(struct cp_agg, procs),
	  proc_show },
};

struct srow {
	const struct group *g;
	bool other;		/* the "(other)" row */
	char label[2][LABEL_LEN];
};

/* Largest first; ties by the last label column, the first, the key bytes. */
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

static unsigned long long latency(const struct cp_latdist *d, int i)
{
	return i < 2 ? latdist_percentile(d, i ? 99 : 50) : d->max;
}

#define STATS_FMT	" %10s %6s %10s %10s %10s\n"

static void stats_cols(struct cp_out *o, const struct group_stats *st)
{
	char c[5][32] = { "", "-", "-", "-", "-" };
	int i;

	c[0][fmt_u64(c[0], st->count)] = '\0';
	/* permille, rounded, shown as a percentage with one decimal */
	if (st->count)
		c[1][fmt_fixed(c[1], (st->failed * 1000 + st->count / 2) /
			       st->count, 1)] = '\0';
	for (i = 0; i < 3 && st->lat.count; i++)
		c[2 + i][fmt_ns_as_ms(c[2 + i], latency(&st->lat, i))] = '\0';
	view_printf(o, STATS_FMT, c[0], c[1], c[2], c[3], c[4]);
}

/* A table: its rows labelled, sorted and cut to vo->rows (0: all). */
static void print_table(struct cp_out *o, const struct cp_agg *a,
			const struct table_kind *k, const struct view_opts *vo)
{
	const struct group_table *t = (const void *)((const char *)a + k->table);
	size_t i, n = t->tab.nr, ncols = k->title[1] ? 2 : 1, c;
	struct srow *r = calloc(n + 1, sizeof(*r));
	const struct group_stats *st;
	int w[2];

	if (!r)
		return;
	for (i = 0; i < n; i++) {
		r[i].g = htab_entry(&t->tab, i);
		k->show(r[i].g, r[i].label, NULL);
	}
	if (t->other.g.st.count || t->other.g.st.lat.count) {
		r[n].g = &t->other.g;
		r[n].other = true;
		strcpy(r[n++].label[ncols - 1], "(other)");
	}
	qsort(r, n, sizeof(*r), cmp_row);
	n = vo->rows && n > vo->rows ? vo->rows : n;
	if (vo->json) {
		view_printf(o, ",\"%s\":[", k->section);
		for (i = 0; i < n; i++) {
			st = &r[i].g->st;
			view_printf(o, "%s{\"count\":%llu", i ? "," : "", st->count);
			if (r[i].other)
				out_str(o, ",\"other\":true");
			else
				k->show(r[i].g, NULL, o);
			view_printf(o, ",\"failed\":%llu", st->failed);
			view_printf(o, st->lat.count ?
				    ",\"p50_ns\":%llu,\"p99_ns\":%llu,\"max_ns\":%llu}" :
				    ",\"p50_ns\":null,\"p99_ns\":null,\"max_ns\":null}",
				    latency(&st->lat, 0), latency(&st->lat, 1),
				    latency(&st->lat, 2));
		}
		out_char(o, ']');
		free(r);
		return;
	}
	for (c = 0; c < ncols; c++) {
		w[c] = strlen(k->title[c]);
		for (i = 0; i < n; i++)
			if ((int)strlen(r[i].label[c]) > w[c])
				w[c] = strlen(r[i].label[c]);
		view_printf(o, "%-*s ", w[c], k->title[c]);
	}
	view_printf(o, STATS_FMT, "COUNT", "FAIL%", "P50(ms)", "P99(ms)",
		    "MAX(ms)");
	for (i = 0; i < n; i++) {
		for (c = 0; c < ncols; c++)
			view_printf(o, "%-*s ", w[c], r[i].label[c]);
		stats_cols(o, &r[i].g->st);
	}
	free(r);
}

void summary_print(struct cp_out *o, const struct cp_agg *a,
		   const struct view_opts *vo, const struct cp_stats *lost)
{
	char line[256];
	int i;

	snprintf(line, sizeof(line), vo->json ?
		 "{\"records\":%llu,\"connect\":%llu,\"complete\":%llu,\"failed\":%llu,\"in_progress\":%llu" :
		 "\n%llu records (%llu connect, %llu complete), %llu failed, %llu in progress, ",
		 a->records, a->records - a->completes, a->completes, a->failed,
		 (unsigned long long)a->pending.nr);
	if (vo->json) {
		out_str(o, line);
		lost_print(o, lost, true);
	}
	for (i = 0; i < 3; i++) {
		out_str(o, i && !vo->json ? "\n" : "");
		print_table(o, a, &kinds[i], vo);
	}
	out_str(o, vo->json ? "}\n" : line);
	if (!vo->json)
		lost_print(o, lost, false);
}

void log2hist_print(struct cp_out *o, const uint64_t *slot, const char *unit)
{
	uint64_t val_max = 0;
	int idx_max = -1, i, s, stars, wide;

	for (i = 0; i < LOG2HIST_SLOTS; i++) {
		idx_max = slot[i] ? i : idx_max;
		val_max = slot[i] > val_max ? slot[i] : val_max;
	}
	if (idx_max < 0)
		return;
	/* bcc halves the bars and doubles the ranges past 32 slots */
	wide = idx_max > 32;
	stars = wide ? STARS_MAX / 2 : STARS_MAX;
	view_printf(o, "%*s%-*s : count    distribution\n", wide ? 15 : 5, "",
		    wide ? 29 : 19, unit);
	for (i = 0; i <= idx_max; i++) {
		/* (2 << 63) - 1 is ~0: the last slot's high end */
		view_printf(o, "%*llu -> %-*llu : %-8llu |", wide ? 20 : 10,
			    i ? 1ULL << i : 0, wide ? 20 : 10, (2ULL << i) - 1,
			    (unsigned long long)slot[i]);
		for (s = 0; s < stars; s++)
			out_char(o, s < (int)(slot[i] * stars / val_max) ?
				 '*' : ' ');
		out_str(o, "|\n");
	}
}

void hist_print(struct cp_out *o, const struct cp_agg *a,
		const struct view_opts *vo, const struct cp_stats *lost)
{
	const void **groups = htab_sorted(&a->outcomes.tab,
					  offsetof(struct group, st.count));
	const char *unit = vo->msecs ? "msecs" : "usecs";
	size_t i, n = a->outcomes.tab.nr;
	char label[OUTCOME_BUF_LEN];
	const struct outcome_group *e;
	int s, last;

	if (!groups)
		return;
	if (vo->json) {
		view_printf(o, "{\"unit\":\"%s\",\"records\":%llu", unit,
			    a->records);
		lost_print(o, lost, true);
		out_str(o, ",\"histograms\":[");
	}
	for (i = 0; i < n; i++) {
		e = groups[i];
		if (!vo->json) {
			view_printf(o, "%soutcome = %s\n", i ? "\n" : "",
				    outcome_label(&e->g.key.oc, label, sizeof(label)));
			log2hist_print(o, e->log2, unit);
			continue;
		}
		out_str(o, i ? ",{" : "{");
		outcome_json(o, &e->g.key.oc);
		view_printf(o, ",\"count\":%llu,\"buckets\":[", e->g.st.count);
		for (last = LOG2HIST_SLOTS - 1; last > 0 && !e->log2[last]; last--)
			;
		for (s = 0; s <= last; s++)
			view_printf(o, "%s{\"low\":%llu,\"high\":%llu,\"count\":%llu}",
				    s ? "," : "", s ? 1ULL << s : 0, (2ULL << s) - 1,
				    (unsigned long long)e->log2[s]);
		out_str(o, "]}");
	}
	if (vo->json) {
		out_str(o, "]}\n");
	} else {
		view_printf(o, "%s%llu records, ", n ? "\n" : "", a->records);
		lost_print(o, lost, false);
	}
	free(groups);
}

static const char *port_str(char *buf, int port)
{
	snprintf(buf, 16, "%d", port);
	return port < 0 ? "-" : buf;
}

void count_print(struct cp_out *o, const struct cp_agg *a,
		 const struct view_opts *vo, const struct cp_stats *lost)
{
	const void **flows = htab_sorted(&a->flows,
					 offsetof(struct flow, connects));
	const struct flow *f;
	char port[16];
	size_t i;

	(void)lost;
	view_printf(o, "%-25s %-25s %-*s%-20s CONNECTS\n", "LADDR", "RADDR",
		    vo->lport ? 21 : 0, vo->lport ? "LPORT" : "", "RPORT");
	for (i = 0; flows && i < a->flows.nr; i++) {
		f = flows[i];
		view_printf(o, "%-25s %-25s ", f->key.laddr[0] ? f->key.laddr :
			    "-", f->key.raddr[0] ? f->key.raddr : "-");
		if (vo->lport)
			view_printf(o, "%-20s ", port_str(port, f->key.lport));
		view_printf(o, "%-20s %llu\n", port_str(port, f->key.rport),
			    f->connects);
	}
	free(flows);
}
