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
#include <string.h>
#include <sys/socket.h>

#include <connprobe.h>

#include "cgroup.h"
#include "format.h"
#include "timefmt.h"

struct emit_opts {
	bool wallclock;			/* add "time" (RFC 3339, UTC) */
	long long realtime_offset_ns;
	struct cp_cgroups *cgroups;	/* for "cgroup", "container"; may be NULL */
};

/*
 * What a format does with each kind of value; @key is a plain literal.
 * record_emit() is inlined into each writer's file and called there with
 * a constant writer, so the compiler turns these into direct, inlined
 * code: the one list of keys costs no indirect call per key.
 */
struct kv_writer {
	/* @s: @n bytes, any but NUL; NULL for null */
	void (*str)(void *ctx, const char *key, const char *s, size_t n);
	/*
	 * @s: @n bytes of printable ASCII without '"', '\\' or ',' (names,
	 * addresses, times), which need no escaping or quoting
	 */
	void (*lit)(void *ctx, const char *key, const char *s, size_t n);
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

#define EMIT_INLINE	static inline __attribute__((always_inline))

EMIT_INLINE void lit_or_null(const struct kv_writer *w, void *ctx,
			     const char *key, const char *s, size_t n)
{
	if (s)
		w->lit(ctx, key, s, n);
	else
		w->null(ctx, key);
}

EMIT_INLINE void port_or_null(const struct kv_writer *w, void *ctx,
			      const char *key, int port)
{
	if (port < 0)
		w->null(ctx, key);
	else
		w->num(ctx, key, port);
}

EMIT_INLINE void record_emit(struct emit_state *st,
			     const struct connprobe_record *rec,
			     const struct kv_writer *w, void *ctx)
{
	bool sock = rec->flags & CONNPROBE_F_SOCK;
	unsigned int dfam = rec_daddr_family(rec);
	const struct cp_cgroup *cg = NULL;
	struct cp_fields f;
	char time[48];

	fields_result(rec, &f);
	if (st->opts.cgroups)
		cg = cgroups_lookup(st->opts.cgroups, rec->cgroup_id);

	w->lit(ctx, "event", f.event, f.event_len);
	w->unum(ctx, "ts_ns", rec->ts_ns);
	w->unum(ctx, "cpu", rec->cpu);
	fields_sock(rec, &f);
	w->unum(ctx, "pid", rec->pid);
	w->unum(ctx, "tid", rec->tid);
	w->str(ctx, "comm", rec->comm, strnlen(rec->comm, CONNPROBE_COMM_LEN));
	lit_or_null(w, ctx, "family", f.family, f.family_len);
	lit_or_null(w, ctx, "proto", f.proto, f.proto_len);
	fields_saddr(rec, &f);
	lit_or_null(w, ctx, "saddr", f.saddr, f.saddr_len);
	port_or_null(w, ctx, "sport", rec_saddr_family(rec) ? rec->sport : -1);
	fields_daddr(rec, &f);
	if (dfam == AF_UNIX) {
		/* an AF_UNIX path is the caller's bytes, any number of them */
		w->str(ctx, "daddr", f.daddr, f.daddr_len);
		w->null(ctx, "dport");
	} else {
		lit_or_null(w, ctx, "daddr", f.daddr, f.daddr_len);
		port_or_null(w, ctx, "dport", f.dport);
	}
	w->num(ctx, "ret", rec->ret);
	lit_or_null(w, ctx, "error", f.error, f.error_len);
	w->unum(ctx, "latency_ns", rec->latency_ns);
	w->unum(ctx, "seq", rec->seq);
	/* io_uring's descriptor (or fixed file) is not the module's to know */
	if (rec->flags & CONNPROBE_F_IO_URING)
		w->null(ctx, "fd");
	else
		w->num(ctx, "fd", rec->fd);
	/* record v2 */
	if (sock)
		w->unum(ctx, "id", rec->id);
	else
		w->null(ctx, "id");
	w->unum(ctx, "uid", rec->uid);
	w->unum(ctx, "cgroup_id", rec->cgroup_id);
	if (sock)
		w->unum(ctx, "netns", rec->netns);
	else
		w->null(ctx, "netns");
	w->lit(ctx, "via", f.via, f.via_len);
	lit_or_null(w, ctx, "caller_error", f.caller_error, f.caller_error_len);
	if (cg)
		w->str(ctx, "cgroup", cg->path, strlen(cg->path));
	else
		w->null(ctx, "cgroup");
	/* 64 hex digits, or none */
	if (cg && cg->container[0])
		w->lit(ctx, "container", cg->container, strlen(cg->container));
	else
		w->null(ctx, "container");
	if (f.complete)
		w->boolean(ctx, "abandoned", f.abandoned);
	else
		w->absent(ctx, "abandoned");
	/* Present only when they say something: a signal, a change. */
	if (rec->signal)
		w->unum(ctx, "signal", rec->signal);
	else
		w->absent(ctx, "signal");
	if (rec->flags & CONNPROBE_F_DADDR_CHANGED)
		w->boolean(ctx, "daddr_changed", true);
	else
		w->absent(ctx, "daddr_changed");
	if (rec->flags & CONNPROBE_F_FD_CHANGED)
		w->boolean(ctx, "fd_changed", true);
	else
		w->absent(ctx, "fd_changed");
	if (st->opts.wallclock)
		w->lit(ctx, "time", time, fmt_rfc3339(&st->utc, time,
			realtime_of(rec->ts_ns, st->opts.realtime_offset_ns)));
}

#endif /* CONNPROBE_RECORD_EMIT_H */
