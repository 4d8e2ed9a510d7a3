// SPDX-License-Identifier: GPL-2.0
/* The summary sink: aggregate every record, print the tables at the end. */
#include <stdlib.h>

#include "summary.h"

struct summary_sink {
	struct cp_sink sink;
	struct summary_opts opts;
	struct cp_summary sum;
};

#define to_summary(s) ((struct summary_sink *)(s))

static int summary_begin(struct cp_sink *s, const struct cp_source_info *info)
{
	(void)s;
	sink_say_tracing(info);
	return 0;
}

static int summary_record(struct cp_sink *s, const struct connprobe_record *rec)
{
	return summary_add(&to_summary(s)->sum, rec);
}

static void summary_view(struct cp_sink *s, struct cp_out *o,
			 const struct cp_stats *lost)
{
	struct summary_sink *ss = to_summary(s);

	if (ss->opts.json)
		summary_print_json(o, &ss->sum, ss->opts.rows, lost);
	else
		summary_print_table(o, &ss->sum, ss->opts.rows, lost);
}

static int summary_end(struct cp_sink *s, const struct cp_stats *lost)
{
	if (sink_print_view(s, to_summary(s)->opts.f, summary_view, lost))
		return -1;
	if (lost)
		stats_print_losses(stderr, lost);
	return 0;
}

static void summary_destroy(struct cp_sink *s)
{
	summary_free(&to_summary(s)->sum);
	free(s);
}

static const struct cp_sink_ops summary_ops = {
	.begin = summary_begin,
	.record = summary_record,
	.end = summary_end,
	.destroy = summary_destroy,
};

struct cp_sink *summary_sink_new(const struct summary_opts *o)
{
	struct summary_sink *ss = calloc(1, sizeof(*ss));

	if (!ss)
		return NULL;
	ss->sink.ops = &summary_ops;
	ss->opts = *o;
	summary_init(&ss->sum);
	return &ss->sink;
}
