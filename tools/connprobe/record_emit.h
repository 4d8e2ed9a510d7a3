/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A record as an ordered list of keys and values: the one place that says
 * which keys JSON Lines and CSV carry, and in which order.  The keys of
 * the first format (event ... fd) come first and keep their order; newer
 * keys follow.
 */
#ifndef CONNPROBE_RECORD_EMIT_H
#define CONNPROBE_RECORD_EMIT_H

#include <stdbool.h>
#include <stddef.h>

#include <connprobe.h>

#include "cgroup.h"
#include "timefmt.h"

struct emit_opts {
	bool wallclock;			/* add "time" (RFC 3339, UTC) */
	long long realtime_offset_ns;
	struct cp_cgroups *cgroups;	/* for "cgroup", "container"; may be NULL */
};

/* What a format does with each kind of value; @key is a plain literal. */
struct kv_writer {
	/* @s: @n bytes, any but NUL; NULL for null */
	void (*str)(void *ctx, const char *key, const char *s, size_t n);
	void (*num)(void *ctx, const char *key, long long v);
	void (*unum)(void *ctx, const char *key, unsigned long long v);
	void (*null)(void *ctx, const char *key);
	void (*boolean)(void *ctx, const char *key, bool v);
	/* a key this record does not have (JSON leaves it out; CSV: empty) */
	void (*absent)(void *ctx, const char *key);
};

struct emit_state {
	struct emit_opts opts;
	struct cp_timecache utc;
};

void record_emit(struct emit_state *st, const struct connprobe_record *rec,
		 const struct kv_writer *w, void *ctx);

#endif /* CONNPROBE_RECORD_EMIT_H */
