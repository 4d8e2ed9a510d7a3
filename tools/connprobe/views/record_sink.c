// SPDX-License-Identifier: GPL-2.0
/* The record sink: the live records into a capture file. */
#include <stdlib.h>

#include "capture_write.h"

struct record_sink {
	struct cp_sink sink;
	struct capture_writer *w;
	const char *path;
};

#define to_record(s) ((struct record_sink *)(s))

static int record_begin(struct cp_sink *s, const struct cp_source_info *info)
{
	capture_writer_begin(to_record(s)->w, info);
	sink_say_tracing(info);
	return 0;
}

static int record_record(struct cp_sink *s, const struct connprobe_record *rec)
{
	capture_writer_add(to_record(s)->w, rec);
	return 0;
}

static int record_end(struct cp_sink *s, const struct cp_stats *lost)
{
	struct record_sink *rs = to_record(s);

	if (capture_writer_finish(rs->w, lost, s->err, sizeof(s->err)))
		return -1;
	sink_report_counts(s, lost);
	fprintf(stderr, "%llu records written to %s\n",
		capture_writer_count(rs->w), rs->path);
	return 0;
}

static void record_destroy(struct cp_sink *s)
{
	capture_writer_free(to_record(s)->w);
	free(s);
}

static const struct cp_sink_ops record_ops = {
	.begin = record_begin,
	.record = record_record,
	.end = record_end,
	.destroy = record_destroy,
};

struct cp_sink *capture_sink_new(const char *path, struct cp_cgroups *cgroups,
				 char *err, size_t errlen)
{
	struct record_sink *rs = calloc(1, sizeof(*rs));

	if (!rs) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	rs->sink.ops = &record_ops;
	rs->path = path;
	rs->w = capture_writer_open(path, cgroups, err, errlen);
	if (!rs->w) {
		free(rs);
		return NULL;
	}
	return &rs->sink;
}
