// SPDX-License-Identifier: GPL-2.0
/* Every sink, with one set of ops: the stream, the capture, the views. */
#include <stdlib.h>
#include <unistd.h>

#include "capture_write.h"
#include "row.h"
#include "views.h"

#define CLEAR_SCREEN	"\033[H\033[2J"
#define PROM_TEXTFILE_NAME	"connprobe.prom"
#define WRITE_ERROR	"write error on standard output"
#define sink_fail(s, ...)	cp_err((s)->err, sizeof((s)->err), __VA_ARGS__)

enum sink_kind { SK_STREAM, SK_CAPTURE, SK_VIEW };

struct view_sink {
	struct cp_sink sink;
	enum sink_kind kind;
	struct stream_opts so;		/* the stream; every kind's clock */
	struct cp_out out;		/* the stream's, the views' */
	struct cp_rows rows;
	struct capture_writer w;	/* the capture */
	struct view_opts opts;		/* the views */
	struct cp_agg agg;
	struct cp_timecache clock;	/* top */
	unsigned long long lost_before;	/* top: total lost at the last frame */
	bool tty;
};

#define to_view(s) ((struct view_sink *)(s))

/* What each view aggregates, and how it shows it (top: view_tick()). */
static const struct {
	unsigned int parts;
	view_print_fn *print;
} views[] = {
	[AV_SUMMARY] = { AGG_GROUPS, summary_print },
	[AV_TOP] = { AGG_GROUPS, NULL },
	[AV_HIST] = { AGG_LOG2, hist_print },
	[AV_PROM] = { AGG_PROM, prom_print },
	[AV_IN_PROGRESS] = { AGG_HELD, NULL },
	[AV_COUNT] = { AGG_FLOWS, count_print },
	[AV_HEATMAP] = { AGG_HEAT, heatmap_print },
};

static int sink_begin(struct cp_sink *s, const struct cp_source_info *info)
{
	struct view_sink *v = to_view(s);
	struct cp_sink *st = v->opts.stream;

	v->so.realtime_offset_ns = info->realtime_offset_ns;
	if (v->kind == SK_STREAM) {
		rows_begin(&v->rows, &v->out, &v->so);
		/* the header shows at once, before the first record comes */
		out_flush(&v->out);
		return 0;
	}
	if (v->kind == SK_CAPTURE)
		capture_writer_begin(&v->w, info);
	/* in-progress: the stream's header now, the connects at the end */
	if (st && st->ops->begin(st, info))
		return sink_fail(s, "%s", st->err);
	if (v->kind == SK_CAPTURE || (v->opts.view != AV_TOP && !st))
		sink_say_tracing(info);
	return 0;
}

static int sink_record(struct cp_sink *s, const struct connprobe_record *rec)
{
	struct view_sink *v = to_view(s);

	if (v->kind == SK_STREAM)
		rows_record(&v->rows, rec);
	else if (v->kind == SK_CAPTURE)
		capture_writer_add(&v->w, rec);
	else if (agg_add(&v->agg, rec))
		return sink_fail(s, "out of memory");
	return 0;
}

static int sink_flush_out(struct cp_sink *s)
{
	return to_view(s)->kind == SK_STREAM && out_flush(&to_view(s)->out) ?
	       sink_fail(s, WRITE_ERROR) : 0;
}

static int print_to(struct cp_sink *s, FILE *f, const struct cp_stats *lost)
{
	struct view_sink *v = to_view(s);

	v->out.f = f;
	views[v->opts.view].print(&v->out, &v->agg, &v->opts, lost);
	return out_flush(&v->out) ? sink_fail(s, WRITE_ERROR) : 0;
}

/* The heat map's file, or prom's textfile: from memory, atomically. */
static int write_file(struct cp_sink *s, const struct cp_stats *lost)
{
	const struct view_opts *vo = &to_view(s)->opts;
	const char *path = vo->heatmap ? vo->heatmap : vo->textfile_dir;
	char *text = NULL;
	size_t len = 0;
	FILE *f = !vo->heatmap ? open_memstream(&text, &len) :
		  strcmp(path, "-") ? fopen(path, "w") : vo->f;
	int ret;

	if (!f)
		return sink_fail(s, "%s: %s", path, strerror(errno));
	ret = print_to(s, f, lost);
	if (f != vo->f && fclose(f))
		ret = -1;
	if (ret)
		ret = sink_fail(s, "%s: write error", path);
	else if (!vo->heatmap)
		ret = textfile_write(path, PROM_TEXTFILE_NAME, text, len,
				     s->err, sizeof(s->err));
	free(text);
	return ret;
}

static int by_ts(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;

	return (x->rec.ts_ns > y->rec.ts_ns) - (x->rec.ts_ns < y->rec.ts_ns);
}

/* --in-progress: the connects whose attempt never ended, oldest first. */
static int show_held(struct cp_sink *s, const struct cp_stats *lost)
{
	struct cp_htab *held = &to_view(s)->agg.pending;
	struct cp_sink *st = to_view(s)->opts.stream;
	size_t i;

	/* the run is over: the table may lose its index */
	qsort(held->entries, held->nr, held->entry_size, by_ts);
	for (i = 0; i < held->nr; i++)
		if (st->ops->record(st, &((struct pending *)htab_entry(held, i))->rec))
			return sink_fail(s, "%s", st->err);
	/* the counts of the run are ours: the stream saw the survivors */
	st->read = s->read;
	st->matched = s->matched;
	st->filter = s->filter;
	return st->ops->end(st, lost) ? sink_fail(s, "%s", st->err) : 0;
}

/* prom's textfile; top's frame, and the next one starts empty. */
static int view_tick(struct cp_sink *s, const struct cp_stats *lost)
{
	struct view_sink *v = to_view(s);
	unsigned long long interval_ms = v->opts.interval * 1000;
	long long now_ns = realtime_of(mono_now(), v->so.realtime_offset_ns);
	struct agg_opts ao = v->agg.opts;
	struct cp_stats interval_lost;
	char now[48], last[32];

	if (v->opts.view == AV_PROM)
		return write_file(s, lost);
	view_printf(&v->out, "%sconnprobe top - %.*s, last %.*s s\n\n",
		    v->tty ? CLEAR_SCREEN : "",
		    (int)fmt_clock(&v->clock, now, now_ns), now,
		    (int)fmt_fixed(last, interval_ms, 3), last);
	/* the totals line counts this interval's losses, as it does records */
	if (lost) {
		interval_lost = *lost;
		interval_lost.total_lost = stats_delta(v->lost_before,
						       lost->total_lost);
		v->lost_before = lost->total_lost;
	}
	summary_print(&v->out, &v->agg, &v->opts, lost ? &interval_lost : NULL);
	out_str(&v->out, v->tty ? "" : "\n");
	agg_free(&v->agg);
	agg_init(&v->agg, &ao);
	return out_flush(&v->out) ? sink_fail(s, WRITE_ERROR) : 0;
}

static int sink_end(struct cp_sink *s, const struct cp_stats *lost)
{
	struct view_sink *v = to_view(s);
	enum agg_view view = v->opts.view;
	int ret;

	if (v->kind == SK_STREAM)
		ret = sink_flush_out(s);
	else if (v->kind == SK_CAPTURE)
		ret = capture_writer_finish(&v->w, lost, s->err, sizeof(s->err));
	else if (view == AV_TOP)
		return view_tick(s, lost);
	else if (view == AV_IN_PROGRESS)
		return show_held(s, lost);
	else if (view == AV_HEATMAP || (view == AV_PROM && v->opts.textfile_dir))
		ret = write_file(s, lost);
	else
		ret = print_to(s, v->opts.f, lost);
	if (ret)
		return -1;
	/* the views but -c end with the losses alone */
	if (v->kind != SK_VIEW || view == AV_COUNT)
		sink_report_counts(s, lost);
	else if (lost)
		stats_print_losses(stderr, lost);
	if (v->kind == SK_CAPTURE)
		fprintf(stderr, "%llu records written to %s\n", v->w.nr,
			v->w.path);
	return 0;
}

/* The rows before the error are valid: let them out. */
static void sink_abort_out(struct cp_sink *s)
{
	if (to_view(s)->kind == SK_STREAM)
		out_flush(&to_view(s)->out);
}

static void sink_free(struct cp_sink *s)
{
	struct view_sink *v = to_view(s);

	if (v->kind == SK_CAPTURE)
		capture_writer_close(&v->w);
	sink_destroy(v->opts.stream);
	agg_free(&v->agg);	/* the others' is zeroed */
	free(v->out.buf);
	free(v);
}

static const struct cp_sink_ops sink_ops = {
	.begin = sink_begin,
	.record = sink_record,
	.tick = view_tick,
	.flush = sink_flush_out,
	.end = sink_end,
	.abort = sink_abort_out,
	.destroy = sink_free,
};

/* NULL if out of memory; @f: a stream's or a view's output. */
static struct view_sink *sink_new(enum sink_kind kind, FILE *f)
{
	struct view_sink *v = calloc(1, sizeof(*v));

	if (!v || (f && out_init(&v->out, f))) {
		free(v);
		return NULL;
	}
	v->sink.ops = &sink_ops;
	v->kind = kind;
	return v;
}

struct cp_sink *stream_sink_new(const struct stream_opts *o)
{
	struct view_sink *v = sink_new(SK_STREAM, o->f);

	if (v)
		v->so = *o;
	return (struct cp_sink *)v;
}

struct cp_sink *capture_sink_new(const char *path, struct cp_cgroups *cgroups,
				 char *err, size_t errlen)
{
	struct view_sink *v = sink_new(SK_CAPTURE, NULL);

	if (!v)
		snprintf(err, errlen, "out of memory");
	if (v && !capture_writer_open(&v->w, path, cgroups, err, errlen))
		return &v->sink;
	free(v);
	return NULL;
}

struct cp_sink *view_sink_new(const struct view_opts *o)
{
	struct view_sink *v = o->view != AV_IN_PROGRESS || o->stream ?
			      sink_new(SK_VIEW, o->f) : NULL;
	struct agg_opts ao = {
		.parts = views[o->view].parts, .flow_lport = o->lport,
		.log2_div = o->msecs ? 1000000 : 1000,
	};

	if (!v) {
		sink_destroy(o->stream);
		return NULL;
	}
	v->opts = *o;
	v->tty = isatty(fileno(o->f));
	/* top's frames; prom refreshes a textfile only */
	if (o->view == AV_TOP || (o->view == AV_PROM && o->textfile_dir))
		v->sink.tick_ns = (long long)(o->interval * 1e9);
	agg_init(&v->agg, &ao);
	return &v->sink;
}
