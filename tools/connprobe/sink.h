/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A source (the relay files, a capture) feeds each record through the filter into
 * one sink.  Live, the module gets what it can of the filter; the tool applies all.
 */
#ifndef CONNPROBE_SINK_H
#define CONNPROBE_SINK_H

#include <connprobe.h>

#include "stats.h"

#define CP_FILTER_MAX_PORTS	CONNPROBE_FILTER_MAX_PORTS
#define CP_FILTER_MAX_ERRNOS	CONNPROBE_FILTER_MAX_ERRNOS
/* cp_filter.mask: the fields in force, all to match; IPV4 with IPV6: either family. */
enum {
	CP_FILTER_PID = 0x001, CP_FILTER_TID = 0x002, CP_FILTER_UID = 0x004,
	CP_FILTER_PORT = 0x008, CP_FILTER_IPV4 = 0x010, CP_FILTER_IPV6 = 0x020,
	CP_FILTER_FAILED = 0x040, CP_FILTER_ERRNO = 0x080, CP_FILTER_LATENCY = 0x100,
	CP_FILTER_COMM = 0x200, CP_FILTER_CGROUP = 0x400,
};

struct cp_filter {
	__u32 mask, pid, tid, uid;
	__u64 min_latency_ns;
	__u64 cgroup_id;	/* the subtree's root; 0: the tool goes by path */
	__u16 nr_ports;
	__u16 ports[CP_FILTER_MAX_PORTS];	/* destination, host order */
	__u16 nr_errnos;
	__u16 errnos[CP_FILTER_MAX_ERRNOS];	/* positive errno values */
	char comm[CONNPROBE_COMM_LEN];		/* NUL-padded */
};

/* Is a cgroup id the filter's cgroup or below it?  (cgroup.h's cache) */
struct cp_cgroup_test {
	bool (*under)(void *ctx, __u64 cgroup_id);
	void *ctx;
};

/* @cg: for CP_FILTER_CGROUP only.  --errno: the kernel's or the caller's (EINTR) error. */
bool filter_match(const struct cp_filter *f, const struct connprobe_record *rec,
		  const struct cp_cgroup_test *cg);

struct cp_source_info {
	bool live;			/* the module now, not a capture */
	long long realtime_offset_ns;	/* ts_ns + this = CLOCK_REALTIME */
	long long start_ns;		/* CLOCK_MONOTONIC at the start */
	const char *hostname;
};

struct cp_sink {
	const struct cp_sink_ops *ops;
	long long tick_ns;		/* 0: no ticks */
	const struct cp_filter *filter;
	const struct cp_cgroup_test *cgroup_test;
	unsigned long long read, matched;	/* records the source read, the filter kept */
	char err[512];
};

/* Each returns 0, or -1 with a message in sink->err.  @lost NULL: unknown. */
struct cp_sink_ops {
	int (*begin)(struct cp_sink *s, const struct cp_source_info *info);
	int (*record)(struct cp_sink *s, const struct connprobe_record *rec);
	/* Optional; live, every tick_ns, with what the run lost so far. */
	int (*tick)(struct cp_sink *s, const struct cp_stats *lost);
	/* Optional; live, after each round: a pipe sees rows as they come. */
	int (*flush)(struct cp_sink *s);
	int (*end)(struct cp_sink *s, const struct cp_stats *lost);
	/* Optional: the run stops on an error; keep what was shown so far. */
	void (*abort)(struct cp_sink *s);
	void (*destroy)(struct cp_sink *s);
};

static inline int sink_feed(struct cp_sink *s, const struct connprobe_record *rec)
{
	s->read++;
	/* no filter (the common case) costs no call */
	if (s->filter && s->filter->mask && !filter_match(s->filter, rec, s->cgroup_test))
		return 0;
	s->matched++;
	return s->ops->record(s, rec);
}

static inline int sink_flush(struct cp_sink *s)
{
	return s->ops->flush ? s->ops->flush(s) : 0;
}

static inline void sink_abort(struct cp_sink *s)
{
	if (s->ops->abort)
		s->ops->abort(s);
}

static inline void sink_destroy(struct cp_sink *s)
{
	if (s)
		s->ops->destroy(s);
}

struct cp_cgroups;
struct stream_opts;
/* view_sink.c's, as view_sink_new(); NULL on failure (@err says why). */
struct cp_sink *stream_sink_new(const struct stream_opts *o);
struct cp_sink *capture_sink_new(const char *path, struct cp_cgroups *cgroups,
				 char *err, size_t errlen);
/* Live, on a terminal: "Tracing connect()... Hit Ctrl-C to end." (bcc's). */
void sink_say_tracing(const struct cp_source_info *info);
/* "N records read[, N matched], N lost" and the losses. */
void sink_report_counts(const struct cp_sink *s, const struct cp_stats *lost);
/* The error message @fmt into @err; returns -1. */
int cp_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif /* CONNPROBE_SINK_H */
