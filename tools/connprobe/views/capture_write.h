/* SPDX-License-Identifier: GPL-2.0 */
/* Writing capture files (capture.h), and the record sink that does. */
#ifndef CONNPROBE_CAPTURE_WRITE_H
#define CONNPROBE_CAPTURE_WRITE_H

#include <stddef.h>

#include "cgroup.h"
#include "out.h"
#include "sink.h"

struct capture_writer {
	const char *path;
	FILE *f;
	struct cp_out out;
	struct cp_cgroups *cgroups;
	unsigned long long nr;		/* records written */
	__u64 sections_size;
};

/*
 * Create capture file @path ("-": standard output, which must not be a
 * terminal).  The cgroups of the records are looked up in @cgroups (may
 * be NULL) as they come, while they still exist, and their paths stored
 * at the end.  -1 with a message in @err on failure.
 */
int capture_writer_open(struct capture_writer *w, const char *path,
			struct cp_cgroups *cgroups, char *err, size_t errlen);

/* The header: where and when the records come from. */
void capture_writer_begin(struct capture_writer *w,
			  const struct cp_source_info *info);

/* One record, exactly as the kernel wrote it. */
void capture_writer_add(struct capture_writer *w,
			const struct connprobe_record *rec);

/*
 * The sections (what the run lost, NULL: unknown; the cgroup paths), the
 * footer, and close; -1 with a message in @err if a write failed.
 */
int capture_writer_finish(struct capture_writer *w,
			  const struct cp_stats *lost, char *err, size_t errlen);

/* What open took; after finish, or instead of it. */
void capture_writer_close(struct capture_writer *w);

/* The record sink (view_sink.c): a capture_writer as a sink.  NULL, @err on failure. */
struct cp_sink *capture_sink_new(const char *path, struct cp_cgroups *cgroups,
				 char *err, size_t errlen);

#endif /* CONNPROBE_CAPTURE_WRITE_H */
