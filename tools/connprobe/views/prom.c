// SPDX-License-Identifier: GPL-2.0
/* Prometheus counters and histograms of the records. */
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "outcome.h"
#include "prom.h"

/* Upper bounds in ns, and as the le label shows them. */
static const unsigned long long bucket_ns[PROM_NR_BUCKETS] = {
	100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000,
	25000000, 50000000, 100000000, 250000000, 500000000, 1000000000,
	2500000000ULL, 5000000000ULL, 10000000000ULL, 30000000000ULL,
	60000000000ULL, 120000000000ULL,
};
static const char *const bucket_le[PROM_NR_BUCKETS] = {
	"0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01",
	"0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "30",
	"60", "120",
};

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

struct prom_hist {
	struct cp_outcome key;
	unsigned long long bucket[PROM_NR_BUCKETS];	/* not cumulative */
	unsigned long long count;
	unsigned long long sum_ns;
};

void prom_init(struct cp_prom *p)
{
	htab_init(&p->series, sizeof(struct prom_series_key),
		  sizeof(struct prom_series));
	htab_init(&p->hists, sizeof(struct cp_outcome), sizeof(struct prom_hist));
}

void prom_free(struct cp_prom *p)
{
	htab_free(&p->series);
	htab_free(&p->hists);
}

static unsigned int bucket_of(unsigned long long ns)
{
	unsigned int i;

	for (i = 0; i < PROM_NR_BUCKETS && ns > bucket_ns[i]; i++)
		;
	return i;
}

int prom_add(struct cp_prom *p, const struct connprobe_record *rec)
{
	struct prom_series_key k = { .outcome = outcome_of(rec) };
	struct prom_series *s;
	struct prom_hist *h;
	unsigned int b;

	if (rec->flags & CONNPROBE_F_SOCK) {
		k.family = rec->family;
		k.type = rec->type;
		k.protocol = rec->protocol;
		k.sock_known = 1;
	}
	s = htab_insert(&p->series, &k);
	h = htab_insert(&p->hists, &k.outcome);
	if (!s || !h)
		return -1;
	s->count++;
	h->count++;
	h->sum_ns += rec->latency_ns;
	b = bucket_of(rec->latency_ns);
	if (b < PROM_NR_BUCKETS)
		h->bucket[b]++;
	return 0;
}

/* Label values are names, but escape as the format requires anyway. */
static void label(struct cp_out *o, const char *name, const char *value,
		  bool first)
{
	out_str(o, first ? "{" : ",");
	out_str(o, name);
	out_str(o, "=\"");
	for (; *value; value++) {
		if (*value == '\\' || *value == '"')
			out_char(o, '\\');
		if (*value == '\n')
			out_str(o, "\\n");
		else
			out_char(o, *value);
	}
	out_char(o, '"');
}

static void family_header(struct cp_out *o, const char *name,
			  const char *type, const char *help)
{
	out_str(o, "# HELP ");
	out_str(o, name);
	out_char(o, ' ');
	out_str(o, help);
	out_str(o, "\n# TYPE ");
	out_str(o, name);
	out_char(o, ' ');
	out_str(o, type);
	out_char(o, '\n');
}

static int cmp_series(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct prom_series_key));
}

static int cmp_hist(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct cp_outcome));
}

static void print_counters(struct cp_out *o, struct cp_prom *p, __u8 event,
			   const char *name, const char *help)
{
	char res[OUTCOME_BUF_LEN], fam[NAME_BUF_LEN], proto[NAME_BUF_LEN];
	const struct prom_series *s;
	size_t i;

	family_header(o, name, "counter", help);
	for (i = 0; i < p->series.nr; i++) {
		s = htab_entry(&p->series, i);
		if (s->key.outcome.event != event)
			continue;
		out_str(o, name);
		label(o, "outcome", outcome_result(&s->key.outcome, res, sizeof(res)), true);
		label(o, "family", s->key.sock_known ?
		      family_str(s->key.family, fam, sizeof(fam)) : "unknown", false);
		label(o, "protocol", s->key.sock_known ?
		      proto_str(s->key.family, s->key.type, s->key.protocol,
				proto, sizeof(proto)) : "unknown", false);
		out_str(o, "} ");
		out_u64(o, s->count);
		out_char(o, '\n');
	}
}

static void print_sample(struct cp_out *o, const char *name, const char *suffix,
			 const char *outcome, const char *le)
{
	out_str(o, name);
	out_str(o, suffix);
	label(o, "outcome", outcome, true);
	if (le)
		label(o, "le", le, false);
	out_str(o, "} ");
}

static void print_hists(struct cp_out *o, struct cp_prom *p, __u8 event,
			const char *name, const char *help)
{
	char res[OUTCOME_BUF_LEN], buf[32];
	const struct prom_hist *h;
	unsigned long long cum;
	const char *oc;
	size_t i;
	int b;

	family_header(o, name, "histogram", help);
	for (i = 0; i < p->hists.nr; i++) {
		h = htab_entry(&p->hists, i);
		if (h->key.event != event)
			continue;
		oc = outcome_result(&h->key, res, sizeof(res));
		for (b = 0, cum = 0; b < PROM_NR_BUCKETS; b++) {
			cum += h->bucket[b];
			print_sample(o, name, "_bucket", oc, bucket_le[b]);
			out_u64(o, cum);
			out_char(o, '\n');
		}
		print_sample(o, name, "_bucket", oc, "+Inf");
		out_u64(o, h->count);
		out_char(o, '\n');
		print_sample(o, name, "_sum", oc, NULL);
		out_mem(o, buf, fmt_fixed(buf, h->sum_ns, 9));
		out_char(o, '\n');
		print_sample(o, name, "_count", oc, NULL);
		out_u64(o, h->count);
		out_char(o, '\n');
	}
}

static void print_losses(struct cp_out *o, const struct cp_stats *lost)
{
	size_t i;

	family_header(o, "connprobe_lost_records_total", "counter",
		      "Records the module dropped because its buffer was full.");
	out_str(o, "connprobe_lost_records_total ");
	out_u64(o, lost->total_lost);
	out_char(o, '\n');
	family_header(o, "connprobe_missed_calls_total", "counter",
		      "connect() calls a probe missed: maxactive exhausted, or hit while a handler ran (recursion).");
	for (i = 0; i < lost->nr_probes; i++) {
		out_str(o, "connprobe_missed_calls_total");
		label(o, "probe", lost->probes[i].symbol, true);
		label(o, "reason", "maxactive", false);
		out_str(o, "} ");
		out_u64(o, lost->probes[i].nmissed);
		out_str(o, "\nconnprobe_missed_calls_total");
		label(o, "probe", lost->probes[i].symbol, true);
		label(o, "reason", "recursion", false);
		out_str(o, "} ");
		out_u64(o, lost->probes[i].kp_nmissed);
		out_char(o, '\n');
	}
}

void prom_print(struct cp_out *o, struct cp_prom *p, const struct cp_stats *lost)
{
	/*
	 * Sorted for a stable file.  Sorting moves entries under the index,
	 * so re-insert them afterwards to keep counting (prom writes often).
	 */
	if (p->series.nr)
		qsort(p->series.entries, p->series.nr, p->series.entry_size,
		      cmp_series);
	if (p->hists.nr)
		qsort(p->hists.entries, p->hists.nr, p->hists.entry_size,
		      cmp_hist);
	htab_reindex(&p->series);
	htab_reindex(&p->hists);
	print_counters(o, p, CONNPROBE_EVENT_CONNECT,
		       "connprobe_connect_calls_total",
		       "connect() calls, by result, socket family and protocol.");
	print_counters(o, p, CONNPROBE_EVENT_COMPLETE,
		       "connprobe_connect_completions_total",
		       "Ends of non-blocking connects (EINPROGRESS), by result, socket family and protocol.");
	print_hists(o, p, CONNPROBE_EVENT_CONNECT,
		    "connprobe_connect_duration_seconds",
		    "Time connect() took, by result.");
	print_hists(o, p, CONNPROBE_EVENT_COMPLETE,
		    "connprobe_connect_completion_seconds",
		    "Time from a non-blocking connect() to its end, by result.");
	if (lost)
		print_losses(o, lost);
}
