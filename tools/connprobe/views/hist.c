// SPDX-License-Identifier: GPL-2.0
/* The hist sink: log2 histograms per outcome, printed at the end. */
#include <stdlib.h>
#include <string.h>

#include "hist.h"
#include "htab.h"
#include "json.h"
#include "log2hist.h"
#include "outcome.h"

struct outcome_hist {
	struct cp_outcome key;
	unsigned long long count;
	struct cp_log2hist h;
};

struct hist_sink {
	struct cp_sink sink;
	struct hist_opts opts;
	struct cp_htab tab;		/* struct outcome_hist */
	unsigned long long records;
};

#define to_hist(s) ((struct hist_sink *)(s))

static int hist_begin(struct cp_sink *s, const struct cp_source_info *info)
{
	(void)s;
	sink_say_tracing(info);
	return 0;
}

static int hist_record(struct cp_sink *s, const struct connprobe_record *rec)
{
	struct hist_sink *hs = to_hist(s);
	struct cp_outcome key = outcome_of(rec);
	struct outcome_hist *e = htab_insert(&hs->tab, &key);

	if (!e) {
		snprintf(s->err, sizeof(s->err), "out of memory");
		return -1;
	}
	e->count++;
	log2hist_add(&e->h, rec->latency_ns / (hs->opts.msecs ? 1000000 : 1000));
	hs->records++;
	return 0;
}

/* Most frequent outcome first; then by key, so the order is repeatable. */
static int cmp_hist(const void *a, const void *b)
{
	const struct outcome_hist *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

static void print_text(struct hist_sink *hs, struct cp_out *o,
		       const struct cp_stats *lost)
{
	const char *unit = hs->opts.msecs ? "msecs" : "usecs";
	char label[OUTCOME_BUF_LEN];
	struct outcome_hist *e;
	size_t i;

	for (i = 0; i < hs->tab.nr; i++) {
		e = htab_entry(&hs->tab, i);
		out_str(o, i ? "\noutcome = " : "outcome = ");
		out_str(o, outcome_label(&e->key, label, sizeof(label)));
		out_char(o, '\n');
		log2hist_print(o, &e->h, unit);
	}
	out_str(o, hs->tab.nr ? "\n" : "");
	out_u64(o, hs->records);
	out_str(o, " records, ");
	if (lost) {
		out_u64(o, lost->total_lost);
		out_str(o, " lost\n");
	} else {
		out_str(o, "lost unknown\n");
	}
}

static void print_json(struct hist_sink *hs, struct cp_out *o,
		       const struct cp_stats *lost)
{
	char label[OUTCOME_BUF_LEN];
	struct outcome_hist *e;
	size_t i;
	int s, last;

	out_str(o, "{\"unit\":");
	out_str(o, hs->opts.msecs ? "\"msecs\"" : "\"usecs\"");
	json_key(o, "records");
	out_u64(o, hs->records);
	json_key(o, "lost");
	if (lost)
		out_u64(o, lost->total_lost);
	else
		out_str(o, "null");
	out_str(o, ",\"histograms\":[");
	for (i = 0; i < hs->tab.nr; i++) {
		e = htab_entry(&hs->tab, i);
		out_str(o, i ? ",{\"event\":" : "{\"event\":");
		out_str(o, e->key.event == CONNPROBE_EVENT_COMPLETE ?
			"\"complete\"" : "\"connect\"");
		json_key(o, "outcome");
		json_string_or_null(o, outcome_result(&e->key, label, sizeof(label)));
		json_key(o, "count");
		out_u64(o, e->count);
		out_str(o, ",\"buckets\":[");
		for (last = LOG2HIST_SLOTS - 1; last > 0 && !e->h.slot[last]; last--)
			;
		for (s = 0; s <= last; s++) {
			out_str(o, s ? ",{\"low\":" : "{\"low\":");
			out_u64(o, s ? 1ULL << s : 0);
			json_key(o, "high");
			out_u64(o, s == 63 ? ~0ULL : (1ULL << (s + 1)) - 1);
			json_key(o, "count");
			out_u64(o, e->h.slot[s]);
			out_char(o, '}');
		}
		out_str(o, "]}");
	}
	out_str(o, "]}\n");
}

static void hist_view(struct cp_sink *s, struct cp_out *o,
		      const struct cp_stats *lost)
{
	struct hist_sink *hs = to_hist(s);

	if (hs->opts.json)
		print_json(hs, o, lost);
	else
		print_text(hs, o, lost);
}

static int hist_end(struct cp_sink *s, const struct cp_stats *lost)
{
	struct hist_sink *hs = to_hist(s);

	if (hs->tab.nr)
		qsort(hs->tab.entries, hs->tab.nr, hs->tab.entry_size, cmp_hist);
	htab_reindex(&hs->tab);
	if (sink_print_view(s, hs->opts.f, hist_view, lost))
		return -1;
	if (lost)
		stats_print_losses(stderr, lost);
	return 0;
}

static void hist_destroy(struct cp_sink *s)
{
	htab_free(&to_hist(s)->tab);
	free(s);
}

static const struct cp_sink_ops hist_ops = {
	.begin = hist_begin,
	.record = hist_record,
	.end = hist_end,
	.destroy = hist_destroy,
};

struct cp_sink *hist_sink_new(const struct hist_opts *o)
{
	struct hist_sink *hs = calloc(1, sizeof(*hs));

	if (!hs)
		return NULL;
	hs->sink.ops = &hist_ops;
	hs->opts = *o;
	htab_init(&hs->tab, sizeof(struct cp_outcome), sizeof(struct outcome_hist));
	return &hs->sink;
}
