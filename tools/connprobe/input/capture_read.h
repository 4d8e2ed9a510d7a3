/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading captures.  Everything in a capture is checked before it is
 * used: a file that is truncated, of another version, or not a capture at
 * all is refused with a message saying which, never read out of bounds.
 */
#ifndef CONNPROBE_CAPTURE_READ_H
#define CONNPROBE_CAPTURE_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <connprobe.h>

#include "capture.h"
#include "cgroup.h"
#include "sink.h"
#include "stats.h"

struct cp_capture {
	const char *name;		/* the path, for messages */
	struct cp_capture_header hdr;	/* copied: aligned, NUL-terminated */
	struct cp_capture_footer foot;
	unsigned long long nr_records;
	bool lost_known;
	struct cp_stats lost;		/* what the recording lost */

	/*
	 * The records are read from file @fd in chunks (standard input
	 * too, copied to a temporary file first).  A mapped file of
	 * gigabytes costs a TLB miss per page; read() copies through the
	 * kernel's huge-page mapping into a chunk that stays in cache while
	 * its records are used.
	 */
	int fd;				/* -1: none */
	struct connprobe_record *chunk;	/* records read from @fd */
	unsigned long long chunk_first, chunk_len;
	unsigned long long next;	/* capture_next()'s record */
};

/*
 * Open capture file @path and check its header, its footer, that the
 * parts add up to the file, and its sections, loading the cgroup paths
 * into @cgroups (may be NULL).  Records are checked one by one as they
 * are read (capture_next()): a second pass over a capture of gigabytes
 * would cost more than the report itself.  "-", or any file that is not
 * a regular one (a pipe), is first copied to a file without a name in
 * $TMPDIR (default /var/tmp): memory holds a chunk of records, never the
 * whole capture.  -1 with a message in @err; capture_close() is safe
 * either way.
 */
int capture_open(struct cp_capture *c, const char *path,
		 struct cp_cgroups *cgroups, char *err, size_t errlen);

/* capture_open() the @size bytes at @data (a fuzzer's input). */
int capture_parse(struct cp_capture *c, const void *data, size_t size,
		  struct cp_cgroups *cgroups, char *err, size_t errlen);

void capture_close(struct cp_capture *c);

/* record_check()'s verdict without its message, for every record read. */
static inline int record_ok(const struct connprobe_record *rec)
{
	return rec->size == sizeof(*rec) &&
	       rec->version == CONNPROBE_RECORD_VERSION &&
	       (rec->event == CONNPROBE_EVENT_CONNECT ||
		rec->event == CONNPROBE_EVENT_COMPLETE);
}

/* capture_next() past its common case. */
const struct connprobe_record *capture_next_slow(struct cp_capture *c,
						 char *err, size_t errlen);

/*
 * The next record, checked.  NULL at the end, with @err empty, or on a
 * record this tool cannot read or a read error, with the message in @err.
 */
static inline const struct connprobe_record *
capture_next(struct cp_capture *c, char *err, size_t errlen)
{
	const struct connprobe_record *rec;

	/* the common case, inline: a good record in the chunk already read */
	if (c->next - c->chunk_first < c->chunk_len) {
		rec = &c->chunk[c->next - c->chunk_first];
		if (record_ok(rec)) {
			err[0] = '\0';
			c->next++;
			return rec;
		}
	}
	return capture_next_slow(c, err, errlen);
}

/* `report --info`: where and when the capture was taken, what it holds. */
void capture_print_info(FILE *f, const struct cp_capture *c);

/*
 * Feed every record of @c to @sink, in file order, and end it with the
 * capture's losses.  A record this tool cannot read stops the replay
 * there, with a message.  The exit status: 0, or 1 after printing why.
 */
int replay_run(struct cp_capture *c, struct cp_sink *sink);

/*
 * Reject records this tool cannot decode (-1, why in @err): a size or
 * version other than the connprobe.h it was built with, or an event type
 * it does not know.
 */
int record_check(const struct connprobe_record *rec, char *err, size_t errlen);

#endif /* CONNPROBE_CAPTURE_READ_H */
