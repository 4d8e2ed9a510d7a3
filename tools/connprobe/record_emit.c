// SPDX-License-Identifier: GPL-2.0
/* The keys of a record, in order, with their values or null. */
#include <string.h>

#include "format.h"
#include "record_emit.h"

static void str_or_null(const struct kv_writer *w, void *ctx,
			const char *key, const char *s)
{
	if (s)
		w->str(ctx, key, s, strlen(s));
	else
		w->null(ctx, key);
}

static void port_or_null(const struct kv_writer *w, void *ctx,
			 const char *key, int port)
{
	if (port < 0)
		w->null(ctx, key);
	else
		w->num(ctx, key, port);
}

void record_emit(struct emit_state *st, const struct connprobe_record *rec,
		 const struct kv_writer *w, void *ctx)
{
	bool sock = rec->flags & CONNPROBE_F_SOCK;
	const struct cp_cgroup *cg = NULL;
	struct cp_fields f;
	char time[48];

	record_fields(rec, &f);
	if (st->opts.cgroups)
		cg = cgroups_lookup(st->opts.cgroups, rec->cgroup_id);

	w->str(ctx, "event", f.event, strlen(f.event));
	w->unum(ctx, "ts_ns", rec->ts_ns);
	w->unum(ctx, "cpu", rec->cpu);
	w->unum(ctx, "pid", rec->pid);
	w->unum(ctx, "tid", rec->tid);
	w->str(ctx, "comm", rec->comm, strnlen(rec->comm, CONNPROBE_COMM_LEN));
	str_or_null(w, ctx, "family", f.family);
	str_or_null(w, ctx, "proto", f.proto);
	str_or_null(w, ctx, "saddr", f.saddr);
	port_or_null(w, ctx, "sport", f.sport);
	str_or_null(w, ctx, "daddr", f.daddr);
	port_or_null(w, ctx, "dport", f.dport);
	w->num(ctx, "ret", rec->ret);
	str_or_null(w, ctx, "error", f.error);
	w->unum(ctx, "latency_ns", rec->latency_ns);
	w->unum(ctx, "seq", rec->seq);
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
	w->str(ctx, "via", f.via, strlen(f.via));
	str_or_null(w, ctx, "caller_error", f.caller_error);
	str_or_null(w, ctx, "cgroup", cg ? cg->path : NULL);
	str_or_null(w, ctx, "container",
		    cg && cg->container[0] ? cg->container : NULL);
	if (f.complete)
		w->boolean(ctx, "abandoned", f.abandoned);
	else
		w->absent(ctx, "abandoned");
	if (st->opts.wallclock)
		w->str(ctx, "time", time, fmt_rfc3339(&st->utc, time,
			realtime_of(rec->ts_ns, st->opts.realtime_offset_ns)));
}
