// SPDX-License-Identifier: GPL-2.0
/* hist: a bcc log2 histogram per outcome, from the aggregator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "views.h"

/* bcc-compatible log2 histogram output (libbpf-tools trace_helpers.c). */
#define STARS_MAX	40

void log2hist_print(struct cp_out *o, const struct cp_log2hist *h,
		    const char *unit)
{
	uint64_t val_max = 0, low, high;
	int idx_max = -1, i, width, stars, n;
	char line[160];

	for (i = 0; i < LOG2HIST_SLOTS; i++) {
		if (h->slot[i])
			idx_max = i;
		if (h->slot[i] > val_max)
			val_max = h->slot[i];
	}
	if (idx_max < 0)
		return;
	/* bcc halves the bars and doubles the ranges past 32 slots */
	stars = idx_max <= 32 ? STARS_MAX : STARS_MAX / 2;
	width = idx_max <= 32 ? 10 : 20;
	snprintf(line, sizeof(line), "%*s%-*s : count    distribution\n",
		 idx_max <= 32 ? 5 : 15, "", idx_max <= 32 ? 19 : 29, unit);
	out_str(o, line);
	for (i = 0; i <= idx_max; i++) {
		low = i ? 1ULL << i : 0;
		high = i == 63 ? UINT64_MAX : (1ULL << (i + 1)) - 1;
		snprintf(line, sizeof(line), "%*llu -> %-*llu : %-8llu |",
			 width, (unsigned long long)low, width,
			 (unsigned long long)high,
			 (unsigned long long)h->slot[i]);
		out_str(o, line);
		n = h->slot[i] * stars / val_max;
		for (int s = 0; s < stars; s++)
			out_char(o, s < n ? '*' : ' ');
		out_str(o, "|\n");
	}
}


int outcome_by_count(const void *a, const void *b)
{
	const struct group *x = *(void *const *)a, *y = *(void *const *)b;

	if (x->st.count != y->st.count)
		return x->st.count < y->st.count ? 1 : -1;
	return memcmp(&x->key.oc, &y->key.oc, sizeof(x->key.oc));
}

/* One outcome's histogram as a JSON object. */
static void json_hist(struct cp_out *o, const struct outcome_group *e)
{
	const uint64_t *slot = e->log2.slot;
	int s, last;

	out_char(o, '{');
	outcome_json(o, &e->g.key.oc);
	json_key(o, "count");
	out_u64(o, e->g.st.count);
	out_str(o, ",\"buckets\":[");
	for (last = LOG2HIST_SLOTS - 1; last > 0 && !slot[last]; last--)
		;
	for (s = 0; s <= last; s++) {
		out_str(o, s ? ",{\"low\":" : "{\"low\":");
		out_u64(o, s ? 1ULL << s : 0);
		json_key(o, "high");
		out_u64(o, s == 63 ? ~0ULL : (1ULL << (s + 1)) - 1);
		json_key(o, "count");
		out_u64(o, slot[s]);
		out_char(o, '}');
	}
	out_str(o, "]}");
}

void hist_print(struct cp_out *o, const struct cp_agg *a,
		const struct view_opts *vo, const struct cp_stats *lost)
{
	const void **groups = htab_sorted(&a->outcomes.tab, outcome_by_count);
	const char *unit = vo->msecs ? "msecs" : "usecs";
	size_t i, n = a->outcomes.tab.nr;
	char label[OUTCOME_BUF_LEN];
	const struct outcome_group *e;

	if (!groups)
		return;
	if (vo->json) {
		out_str(o, "{\"unit\":\"");
		out_str(o, unit);
		out_str(o, "\",\"records\":");
		out_u64(o, a->records);
		lost_print(o, lost, true);
		out_str(o, ",\"histograms\":[");
	}
	for (i = 0; i < n; i++) {
		e = groups[i];
		if (vo->json) {
			out_str(o, i ? "," : "");
			json_hist(o, e);
			continue;
		}
		out_str(o, i ? "\noutcome = " : "outcome = ");
		out_str(o, outcome_label(&e->g.key.oc, label, sizeof(label)));
		out_char(o, '\n');
		log2hist_print(o, &e->log2, unit);
	}
	if (vo->json) {
		out_str(o, "]}\n");
	} else {
		out_str(o, n ? "\n" : "");
		out_u64(o, a->records);
		out_str(o, " records, ");
		lost_print(o, lost, false);
	}
	free(groups);
}
