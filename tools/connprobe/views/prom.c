// SPDX-License-Identifier: GPL-2.0
/* prom: Prometheus counters and histograms, from the aggregator. */
#include <stdarg.h>
#include <stdlib.h>

#include "views.h"

static void family_header(struct cp_out *o, const char *name,
			  const char *type, const char *help)
{
	view_printf(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* @name@suffix{label pairs to NULL} @v (_sum: ns as s); escaped: captures hold anything. */
static void sample(struct cp_out *o, const char *name, const char *suffix,
		   unsigned long long v, ...)
{
	const char *l, *s;
	char sep = '{';
	va_list ap;

	out_str(o, name);
	out_str(o, suffix);
	va_start(ap, v);
	for (; (l = va_arg(ap, const char *)); sep = ',') {
		view_printf(o, "%c%s=\"", sep, l);
		for (s = va_arg(ap, const char *); *s; s++) {
			if (*s == '\\' || *s == '"')
				out_char(o, '\\');
			if (*s == '\n')
				out_str(o, "\\n");
			else
				out_char(o, *s);
		}
		out_char(o, '"');
	}
	va_end(ap);
	out_str(o, sep == ',' ? "} " : " ");
	if (strcmp(suffix, "_sum"))
		view_printf(o, "%llu\n", v);
	else
		view_printf(o, "%llu.%09llu\n", v / 1000000000, v % 1000000000);
}

/* The counters, then the histograms, of CONNECT and COMPLETE records. */
static const char *const families[4][2] = {
	{ "connprobe_connect_calls_total",
	  "connect() calls, by result, socket family and protocol." },
	{ "connprobe_connect_completions_total",
	  "Ends of non-blocking connects (EINPROGRESS), by result, socket family and protocol." },
	{ "connprobe_connect_duration_seconds", "Time connect() took, by result." },
	{ "connprobe_connect_completion_seconds",
	  "Time from a non-blocking connect() to its end, by result." },
};

static void print_counters(struct cp_out *o, const void **series, size_t n,
			   __u8 event)
{
	char res[OUTCOME_BUF_LEN], fam[NAME_BUF_LEN], proto[NAME_BUF_LEN];
	const char *name = families[event - 1][0];
	const struct prom_series *s;
	size_t i;

	family_header(o, name, "counter", families[event - 1][1]);
	for (i = 0; i < n; i++) {
		s = series[i];
		if (s->outcome.event != event)
			continue;
		sample(o, name, "", s->count, "outcome",
		       outcome_result(&s->outcome, res, sizeof(res)),
		       "family", s->sock_known ?
		       family_str(s->family, fam, sizeof(fam)) : "unknown",
		       "protocol", s->sock_known ?
		       proto_str(s->family, s->type, s->protocol, proto,
				 sizeof(proto)) : "unknown", NULL);
	}
}

static void print_hists(struct cp_out *o, const void **groups, size_t n,
			__u8 event)
{
	const char *name = families[event + 1][0], *oc;
	char res[OUTCOME_BUF_LEN], le[32];
	const struct outcome_group *e;
	unsigned long long cum;
	size_t i;
	int b;

	family_header(o, name, "histogram", families[event + 1][1]);
	for (i = 0; i < n; i++) {
		e = groups[i];
		if (e->g.key.oc.event != event)
			continue;
		oc = outcome_result(&e->g.key.oc, res, sizeof(res));
		for (b = 0, cum = 0; b < PROM_NR_BUCKETS; b++) {
			cum += e->prom_bucket[b];
			/* the bounds as Prometheus' clients write them */
			snprintf(le, sizeof(le), "%g", prom_bucket_ns[b] / 1e9);
			sample(o, name, "_bucket", cum, "outcome", oc, "le", le,
			       NULL);
		}
		sample(o, name, "_bucket", e->g.st.count, "outcome", oc,
		       "le", "+Inf", NULL);
		sample(o, name, "_sum", e->prom_sum_ns, "outcome", oc, NULL);
		sample(o, name, "_count", e->g.st.count, "outcome", oc, NULL);
	}
}

/* "Refused connects to 10.0.0.5:5432" is a query, not a capture to dig. */
static void print_dests(struct cp_out *o, const struct cp_agg *a)
{
	static const char name[] = "connprobe_connect_failures_by_destination_total";
	const void **dests = htab_sorted(&a->prom_dests, 0);
	char res[OUTCOME_BUF_LEN], port[16];
	const struct prom_dest *d;
	size_t i;

	family_header(o, name, "counter",
		      "Failed connect() calls (event connect) and failed ends of non-blocking connects (event complete), by IPv4 or IPv6 destination; destinations past the first 64 count as \"other\".");
	for (i = 0; dests && i < a->prom_dests.nr; i++) {
		d = dests[i];
		snprintf(port, sizeof(port), "%d", d->dest.dport);
		sample(o, name, "", d->count, "event",
		       d->outcome.event == CONNPROBE_EVENT_COMPLETE ?
		       "complete" : "connect",
		       "outcome", outcome_result(&d->outcome, res, sizeof(res)),
		       "destination", d->dest.daddr,
		       "port", d->dest.dport < 0 ? "" : port, NULL);
	}
	free(dests);
}

void prom_print(struct cp_out *o, const struct cp_agg *a,
		const struct view_opts *vo, const struct cp_stats *lost)
{
	static const char missed[] = "connprobe_missed_calls_total";
	const void **series = htab_sorted(&a->series, 0);
	const void **hists = htab_sorted(&a->outcomes.tab, 0);
	size_t i;

	(void)vo;
	if (series && hists) {
		for (i = CONNPROBE_EVENT_CONNECT; i <= CONNPROBE_EVENT_COMPLETE; i++)
			print_counters(o, series, a->series.nr, i);
		for (i = CONNPROBE_EVENT_CONNECT; i <= CONNPROBE_EVENT_COMPLETE; i++)
			print_hists(o, hists, a->outcomes.tab.nr, i);
		print_dests(o, a);
	}
	if (series && hists && lost) {
		family_header(o, "connprobe_lost_records_total", "counter",
			      "Records the module dropped because its buffer was full.");
		sample(o, "connprobe_lost_records_total", "", lost->total_lost, NULL);
		family_header(o, missed, "counter",
			      "connect() calls a probe missed: maxactive exhausted, or hit while a handler ran (recursion).");
	}
	for (i = 0; series && hists && lost && i < lost->nr_probes * 2; i++)
		sample(o, missed, "", i % 2 ? lost->probes[i / 2].kp_nmissed :
		       lost->probes[i / 2].nmissed, "probe",
		       lost->probes[i / 2].symbol, "reason",
		       i % 2 ? "recursion" : "maxactive", NULL);
	free(series);
	free(hists);
}
