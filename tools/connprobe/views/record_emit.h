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
#include "memo.h"
#include "timefmt.h"

struct emit_opts {
	bool wallclock;			/* add "time" (RFC 3339, UTC) */
	long long realtime_offset_ns;
	struct cp_cgroups *cgroups;	/* for "cgroup", "container"; may be NULL */
};

/*
 * Runs of keys whose values depend on a few record fields only, which
 * the records of a burst share: a writer may remember the text it wrote
 * for a run and write it again while those fields stay the same (memo.h).
 */
enum emit_run {
	RUN_TASK,	/* pid tid comm family proto */
	RUN_SADDR,	/* saddr */
	RUN_DADDR,	/* daddr dport (not AF_UNIX paths) */
	RUN_TAIL,	/* uid cgroup_id netns via caller_error cgroup container */
	NR_EMIT_RUNS,
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
	/*
	 * Optional, both or neither.  run_begin() comes before the keys of
	 * a run with what they depend on (MEMO_KEY_LEN bytes at @key):
	 * true if the writer repeated the run's text (the keys are then
	 * skipped), else the keys follow, then run_end().
	 */
	bool (*run_begin)(void *ctx, struct text_memo *m, const void *key);
	void (*run_end)(void *ctx, struct text_memo *m);
};

struct emit_state {
	struct emit_opts opts;
	struct cp_timecache utc;
	struct text_memo memo[NR_EMIT_RUNS];	/* for the writer's runs */
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

/* Does the run need writing?  (No if the writer repeated it.) */
EMIT_INLINE bool run_begin(const struct kv_writer *w, void *ctx,
			   struct emit_state *st, enum emit_run run,
			   const void *key)
{
	return !w->run_begin || !w->run_begin(ctx, &st->memo[run], key);
}

EMIT_INLINE void run_end(const struct kv_writer *w, void *ctx,
			 struct emit_state *st, enum emit_run run)
{
	if (w->run_end)
		w->run_end(ctx, &st->memo[run]);
}

/* The key of RUN_TAIL: every field it prints from. */
struct run_tail_key {
	__u64 cgroup_id;
	__u32 uid, netns;	/* netns 0 without a socket */
	__s32 ret;		/* caller_error's */
	__u8 sock, io_uring;
	__u8 cgroup_known;	/* the lookup found it (a rescan may) */
	__u8 __pad0;
	__u64 __pad;
};

_Static_assert(sizeof(struct run_tail_key) == MEMO_KEY_LEN,
	       "run keys are what struct text_memo holds");

EMIT_INLINE void record_emit(struct emit_state *st,
			     const struct connprobe_record *rec,
			     const struct kv_writer *w, void *ctx)
{
	bool sock = rec->flags & CONNPROBE_F_SOCK;
	const struct cp_cgroup *cg = NULL;
	struct task_key tk;
	struct addr_key ak;
	struct run_tail_key rk = {
		.cgroup_id = rec->cgroup_id, .uid = rec->uid, .ret = rec->ret,
		.sock = sock, .io_uring = !!(rec->flags & CONNPROBE_F_IO_URING),
	};
	struct cp_fields f;
	char time[48];

	fields_result(rec, &f);
	if (st->opts.cgroups)
		cg = cgroups_lookup(st->opts.cgroups, rec->cgroup_id);

	w->lit(ctx, "event", f.event, f.event_len);
	w->unum(ctx, "ts_ns", rec->ts_ns);
	w->unum(ctx, "cpu", rec->cpu);
	task_key_of(rec, &tk);
	if (run_begin(w, ctx, st, RUN_TASK, &tk)) {
		fields_sock(rec, &f);
		w->unum(ctx, "pid", rec->pid);
		w->unum(ctx, "tid", rec->tid);
		w->str(ctx, "comm", rec->comm,
		       strnlen(rec->comm, CONNPROBE_COMM_LEN));
		lit_or_null(w, ctx, "family", f.family, f.family_len);
		lit_or_null(w, ctx, "proto", f.proto, f.proto_len);
		run_end(w, ctx, st, RUN_TASK);
	}
	saddr_key_of(rec, &ak);
	if (run_begin(w, ctx, st, RUN_SADDR, &ak)) {
		fields_saddr(rec, &f);
		lit_or_null(w, ctx, "saddr", f.saddr, f.saddr_len);
		run_end(w, ctx, st, RUN_SADDR);
	}
	port_or_null(w, ctx, "sport", ak.family ? rec->sport : -1);
	if (!daddr_key_of(rec, &ak)) {
		/* an AF_UNIX path is the caller's bytes, any number of them */
		fields_daddr(rec, &f);
		w->str(ctx, "daddr", f.daddr, f.daddr_len);
		w->null(ctx, "dport");
	} else {
		if (run_begin(w, ctx, st, RUN_DADDR, &ak)) {
			fields_daddr(rec, &f);
			lit_or_null(w, ctx, "daddr", f.daddr, f.daddr_len);
			port_or_null(w, ctx, "dport", f.dport);
			run_end(w, ctx, st, RUN_DADDR);
		}
	}
	w->num(ctx, "ret", rec->ret);
	lit_or_null(w, ctx, "error", f.error, f.error_len);
	w->unum(ctx, "latency_ns", rec->latency_ns);
	w->unum(ctx, "seq", rec->seq);
	/* io_uring's descriptor (or fixed file) is not the module's to know */
	if (rk.io_uring)
		w->null(ctx, "fd");
	else
		w->num(ctx, "fd", rec->fd);
	/* record v2 */
	if (sock)
		w->unum(ctx, "id", rec->id);
	else
		w->null(ctx, "id");
	if (sock)
		rk.netns = rec->netns;
	rk.cgroup_known = cg != NULL;
	if (run_begin(w, ctx, st, RUN_TAIL, &rk)) {
		w->unum(ctx, "uid", rec->uid);
		w->unum(ctx, "cgroup_id", rec->cgroup_id);
		if (sock)
			w->unum(ctx, "netns", rec->netns);
		else
			w->null(ctx, "netns");
		w->lit(ctx, "via", f.via, f.via_len);
		lit_or_null(w, ctx, "caller_error", f.caller_error,
			    f.caller_error_len);
		if (cg)
			w->str(ctx, "cgroup", cg->path, strlen(cg->path));
		else
			w->null(ctx, "cgroup");
		/* 64 hex digits, or none */
		if (cg && cg->container[0])
			w->lit(ctx, "container", cg->container,
			       strlen(cg->container));
		else
			w->null(ctx, "container");
		run_end(w, ctx, st, RUN_TAIL);
	}
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
