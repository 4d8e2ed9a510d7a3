// SPDX-License-Identifier: GPL-2.0
/* The stream sink: one row per record, as it comes. */
#include <stdlib.h>
#include <string.h>

#include "row.h"
#include "stream.h"

struct stream {
	struct cp_sink sink;
	struct stream_opts opts;
	struct cp_out out;
	struct cp_table table;
	struct emit_state emit;
};

#define to_stream(s) ((struct stream *)(s))

static int stream_begin(struct cp_sink *s, const struct cp_source_info *info)
{
	struct stream *st = to_stream(s);
	struct table_opts topts = {
		.wallclock = st->opts.wallclock, .wide = st->opts.wide,
		.print_uid = st->opts.print_uid,
		.realtime_offset_ns = info->realtime_offset_ns,
		.cgroups = st->opts.cgroups,
	};

	st->emit.opts = (struct emit_opts){
		.wallclock = topts.wallclock, .cgroups = topts.cgroups,
		.realtime_offset_ns = topts.realtime_offset_ns,
	};
	switch (st->opts.format) {
	case FORMAT_TABLE:
		table_init(&st->table, &st->out, &topts);
		table_header(&st->table);
		break;
	case FORMAT_CSV:
		csv_header(&st->out, &st->emit);
		break;
	case FORMAT_JSON:
		break;
	}
	/* the header shows at once, before the first record comes */
	out_flush(&st->out);
	return 0;
}

static int stream_record(struct cp_sink *s, const struct connprobe_record *rec)
{
	struct stream *st = to_stream(s);

	switch (st->opts.format) {
	case FORMAT_TABLE:
		table_row(&st->table, rec);
		break;
	case FORMAT_JSON:
		jsonl_record(&st->out, &st->emit, rec);
		break;
	case FORMAT_CSV:
		csv_record(&st->out, &st->emit, rec);
		break;
	}
	return 0;
}

static int stream_flush(struct cp_sink *s)
{
	if (out_flush(&to_stream(s)->out)) {
		snprintf(s->err, sizeof(s->err), "write error on standard output");
		return -1;
	}
	return 0;
}

static int stream_end(struct cp_sink *s, const struct cp_stats *lost)
{
	if (stream_flush(s))
		return -1;
	sink_report_counts(s, lost);
	return 0;
}

/* The rows before the error are valid: let them out. */
static void stream_abort(struct cp_sink *s)
{
	out_flush(&to_stream(s)->out);
}

static void stream_destroy(struct cp_sink *s)
{
	struct stream *st = to_stream(s);

	free(st->out.buf);
	free(st);
}

static const struct cp_sink_ops stream_ops = {
	.begin = stream_begin,
	.record = stream_record,
	.flush = stream_flush,
	.end = stream_end,
	.abort = stream_abort,
	.destroy = stream_destroy,
};

struct cp_sink *stream_sink_new(const struct stream_opts *o)
{
	struct stream *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->sink.ops = &stream_ops;
	st->opts = *o;
	if (out_init(&st->out, o->f)) {
		free(st);
		return NULL;
	}
	return &st->sink;
}
