// SPDX-License-Identifier: GPL-2.0
/* The top sink: a summary per interval. */
#include <stdlib.h>
#include <unistd.h>

#include "summary.h"
#include "timefmt.h"
#include "top.h"

#define CLEAR_SCREEN	"\033[H\033[2J"

struct top_sink {
	struct cp_sink sink;
	struct top_opts opts;
	struct cp_summary sum;
	struct cp_timecache clock;
	long long realtime_offset_ns;
	unsigned long long lost_before;	/* total lost at the last frame */
	bool tty;
};

#define to_top(s) ((struct top_sink *)(s))

static int top_begin(struct cp_sink *s, const struct cp_source_info *info)
{
	struct top_sink *t = to_top(s);

	t->realtime_offset_ns = info->realtime_offset_ns;
	t->tty = isatty(fileno(t->opts.f));
	return 0;
}

static int top_record(struct cp_sink *s, const struct connprobe_record *rec)
{
	return summary_add(&to_top(s)->sum, rec);
}

static void top_view(struct cp_sink *s, struct cp_out *o,
		     const struct cp_stats *lost)
{
	struct top_sink *t = to_top(s);
	struct cp_stats interval_lost;
	char now[48];
	size_t n;

	if (t->tty)
		out_str(o, CLEAR_SCREEN);
	n = fmt_clock(&t->clock, now, realtime_of(mono_now(),
						  t->realtime_offset_ns));
	out_str(o, "connprobe top - ");
	out_mem(o, now, n);
	out_str(o, ", last ");
	out_mem(o, now, fmt_fixed(now, (unsigned long long)(t->opts.interval * 1000), 3));
	out_str(o, " s\n\n");
	/* the totals line counts this interval's losses, as it does records */
	if (lost) {
		interval_lost = *lost;
		interval_lost.total_lost = stats_delta(t->lost_before,
						       lost->total_lost);
		t->lost_before = lost->total_lost;
	}
	summary_print_table(o, &t->sum, t->opts.rows,
			    lost ? &interval_lost : NULL);
	if (!t->tty)
		out_char(o, '\n');
}

/* One frame: what the last interval saw; then start the next one. */
static int top_frame(struct cp_sink *s, const struct cp_stats *lost)
{
	int ret = sink_print_view(s, to_top(s)->opts.f, top_view, lost);

	summary_reset(&to_top(s)->sum);
	return ret;
}

static void top_destroy(struct cp_sink *s)
{
	summary_free(&to_top(s)->sum);
	free(s);
}

static const struct cp_sink_ops top_ops = {
	.begin = top_begin,
	.record = top_record,
	.tick = top_frame,
	.end = top_frame,
	.destroy = top_destroy,
};

struct cp_sink *top_sink_new(const struct top_opts *o)
{
	struct top_sink *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->sink.ops = &top_ops;
	t->sink.tick_ns = (long long)(o->interval * 1e9);
	t->opts = *o;
	summary_init(&t->sum);
	return &t->sink;
}
