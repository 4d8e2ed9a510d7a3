// SPDX-License-Identifier: GPL-2.0
/* bcc's layouts: hist's log2 histograms (trace_helpers.c), -c's count table. */
#include <stdlib.h>

#include "views.h"

#define STARS_MAX	40

void log2hist_print(struct cp_out *o, const struct cp_log2hist *h,
		    const char *unit)
{
	uint64_t val_max = 0;
	int idx_max = -1, i, s, stars, wide;

	for (i = 0; i < LOG2HIST_SLOTS; i++) {
		idx_max = h->slot[i] ? i : idx_max;
		val_max = h->slot[i] > val_max ? h->slot[i] : val_max;
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
			    (unsigned long long)h->slot[i]);
		for (s = 0; s < stars; s++)
			out_char(o, s < (int)(h->slot[i] * stars / val_max) ?
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
			log2hist_print(o, &e->log2, unit);
			continue;
		}
		out_str(o, i ? ",{" : "{");
		outcome_json(o, &e->g.key.oc);
		view_printf(o, ",\"count\":%llu,\"buckets\":[", e->g.st.count);
		for (last = LOG2HIST_SLOTS - 1; last > 0 && !e->log2.slot[last]; last--)
			;
		for (s = 0; s <= last; s++)
			view_printf(o, "%s{\"low\":%llu,\"high\":%llu,\"count\":%llu}",
				    s ? "," : "", s ? 1ULL << s : 0, (2ULL << s) - 1,
				    (unsigned long long)e->log2.slot[s]);
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
