// SPDX-License-Identifier: GPL-2.0
/* Prometheus counters and histograms, from the aggregator. */
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "views.h"

/* prom_bucket_ns[], as the le label shows them. */
static const char *const bucket_le[PROM_NR_BUCKETS] = {
	"0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01",
	"0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "30",
	"60", "120",
};

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

/* Sorted by key, for a stable file. */
static int by_key(size_t i, size_t j, const void *ctx)
{
	const struct cp_htab *h = ctx;

	return memcmp(htab_entry(h, i), htab_entry(h, j), h->key_size);
}

static void print_counters(struct cp_out *o, const struct cp_agg *a,
			   const size_t *idx, __u8 event, const char *name,
			   const char *help)
{
	char res[OUTCOME_BUF_LEN], fam[NAME_BUF_LEN], proto[NAME_BUF_LEN];
	const struct prom_series *s;
	size_t i;

	family_header(o, name, "counter", help);
	for (i = 0; i < a->series.nr; i++) {
		s = htab_entry(&a->series, idx[i]);
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

/*
 * Failed calls and attempts by destination (see PROM_MAX_DESTINATIONS):
 * "refused connects to 10.0.0.5:5432" is a query, not a capture to dig.
 */
static void print_dests(struct cp_out *o, const struct cp_agg *a,
			const size_t *idx)
{
	static const char name[] = "connprobe_connect_failures_by_destination_total";
	char res[OUTCOME_BUF_LEN], port[16];
	const struct prom_dest *d;
	size_t i;

	family_header(o, name, "counter",
		      "Failed connect() calls (event connect) and failed ends of non-blocking connects (event complete), by IPv4 or IPv6 destination; destinations past the first 64 count as \"other\".");
	for (i = 0; i < a->prom_dests.nr; i++) {
		d = htab_entry(&a->prom_dests, idx[i]);
		snprintf(port, sizeof(port), "%d", d->key.dport);
		out_str(o, name);
		label(o, "event", d->key.outcome.event == CONNPROBE_EVENT_COMPLETE ?
		      "complete" : "connect", true);
		label(o, "outcome", outcome_result(&d->key.outcome, res, sizeof(res)), false);
		label(o, "destination", d->key.daddr, false);
		label(o, "port", d->key.dport < 0 ? "" : port, false);
		out_str(o, "} ");
		out_u64(o, d->count);
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

/* A histogram per outcome: its prom buckets, its count and sum. */
static void print_hists(struct cp_out *o, const struct cp_agg *a,
			const size_t *idx, __u8 event, const char *name,
			const char *help)
{
	char res[OUTCOME_BUF_LEN], buf[32];
	const struct group_stats *st;
	const struct cp_outcome *key;
	unsigned long long cum;
	const char *oc;
	size_t i;
	int b;

	family_header(o, name, "histogram", help);
	for (i = 0; i < a->outcomes.tab.nr; i++) {
		key = htab_entry(&a->outcomes.tab, idx[i]);
		st = group_stats_of(&a->outcomes, idx[i]);
		if (key->event != event)
			continue;
		oc = outcome_result(key, res, sizeof(res));
		for (b = 0, cum = 0; b < PROM_NR_BUCKETS; b++) {
			cum += agg_extra(a, idx[i])->prom_bucket[b];
			print_sample(o, name, "_bucket", oc, bucket_le[b]);
			out_u64(o, cum);
			out_char(o, '\n');
		}
		print_sample(o, name, "_bucket", oc, "+Inf");
		out_u64(o, st->count);
		out_char(o, '\n');
		print_sample(o, name, "_sum", oc, NULL);
		out_mem(o, buf, fmt_fixed(buf, agg_extra(a, idx[i])->prom_sum_ns, 9));
		out_char(o, '\n');
		print_sample(o, name, "_count", oc, NULL);
		out_u64(o, st->count);
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

void prom_print(struct cp_out *o, const struct cp_agg *a,
		const struct cp_stats *lost)
{
	size_t *series = sorted_indexes(a->series.nr, by_key, &a->series);
	size_t *hists = sorted_indexes(a->outcomes.tab.nr, by_key,
				       &a->outcomes.tab);
	size_t *dests = sorted_indexes(a->prom_dests.nr, by_key, &a->prom_dests);

	if (series && hists && dests) {
		print_counters(o, a, series, CONNPROBE_EVENT_CONNECT,
			       "connprobe_connect_calls_total",
			       "connect() calls, by result, socket family and protocol.");
		print_counters(o, a, series, CONNPROBE_EVENT_COMPLETE,
			       "connprobe_connect_completions_total",
			       "Ends of non-blocking connects (EINPROGRESS), by result, socket family and protocol.");
		print_hists(o, a, hists, CONNPROBE_EVENT_CONNECT,
			    "connprobe_connect_duration_seconds",
			    "Time connect() took, by result.");
		print_hists(o, a, hists, CONNPROBE_EVENT_COMPLETE,
			    "connprobe_connect_completion_seconds",
			    "Time from a non-blocking connect() to its end, by result.");
		print_dests(o, a, dests);
		if (lost)
			print_losses(o, lost);
	}
	free(series);
	free(hists);
	free(dests);
}
