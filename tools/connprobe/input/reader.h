/* SPDX-License-Identifier: GPL-2.0 */
/* Reading records from the module's per-CPU relay files. */
#ifndef CONNPROBE_READER_H
#define CONNPROBE_READER_H

#include <poll.h>
#include <stddef.h>

#include <connprobe.h>

struct cp_reader {
	size_t nr;			/* number of CPU files */
	struct pollfd *pfds;		/* one per CPU file */
	unsigned int *cpus;		/* N of each file's name "cpuN" */
};

/* A growable array of validated records. */
struct cp_records {
	struct connprobe_record *rec;
	size_t len;
	size_t cap;
};

/*
 * Open every "cpuN" file in @dir (the possible CPUs need not be
 * contiguous).  On failure returns -1 with a message in @err; the reader
 * is then empty and reader_close() is still safe.
 */
int reader_open(struct cp_reader *r, const char *dir, char *err, size_t errlen);
void reader_close(struct cp_reader *r);

/*
 * Wait up to @timeout_ms for a CPU file to report POLLIN.  The module only
 * does so once a whole sub-buffer is full, so callers must read every file
 * after the timeout too.  Returns >0 if a file was ready, 0 on timeout or
 * signal, -1 with a message in @err if a file reports an error (the module
 * closed its buffers).
 */
int reader_wait(struct cp_reader *r, int timeout_ms, char *err, size_t errlen);

/*
 * Read each CPU file until read() returns 0 or @max_per_cpu records came
 * from it, appending the records to @out after record_check().  Returns
 * the number of records appended, or -1 with a message in @err.
 */
long reader_read_all(struct cp_reader *r, struct cp_records *out,
		     size_t max_per_cpu, char *err, size_t errlen);

/*
 * Reject records this tool cannot decode: a size or version other than
 * the connprobe.h it was built with, or an event type it does not know.
 */
int record_check(const struct connprobe_record *rec, char *err, size_t errlen);

/* record_check()'s verdict without its message, for every record read. */
static inline int record_ok(const struct connprobe_record *rec)
{
	return rec->size == sizeof(*rec) &&
	       rec->version == CONNPROBE_RECORD_VERSION &&
	       (rec->event == CONNPROBE_EVENT_CONNECT ||
		rec->event == CONNPROBE_EVENT_COMPLETE);
}

void records_free(struct cp_records *recs);

#endif /* CONNPROBE_READER_H */
