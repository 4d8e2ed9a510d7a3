/* SPDX-License-Identifier: GPL-2.0 */
/* Writing capture files (capture.h). */
#ifndef CONNPROBE_CAPTURE_WRITE_H
#define CONNPROBE_CAPTURE_WRITE_H

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

/* @path "-" is standard output (not a terminal); @cgroups (or NULL) names the cgroups. */
int capture_writer_open(struct capture_writer *w, const char *path,
			struct cp_cgroups *cgroups, char *err, size_t errlen);
void capture_writer_begin(struct capture_writer *w, const struct cp_source_info *info);
void capture_writer_add(struct capture_writer *w, const struct connprobe_record *rec);
/* The sections (@lost NULL: unknown), the footer, and close. */
int capture_writer_finish(struct capture_writer *w,
			  const struct cp_stats *lost, char *err, size_t errlen);
/* What open took; after finish, or instead of it. */
void capture_writer_close(struct capture_writer *w);

#endif /* CONNPROBE_CAPTURE_WRITE_H */
