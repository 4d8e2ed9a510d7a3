// SPDX-License-Identifier: GPL-2.0
/*
 * torture: the records read back, and their check against the load's
 * ledgers.  Records may be missing (the module is unloaded, its buffers
 * resized or overwritten, its filter changed at random, and each such loss
 * is counted), but a record that is there must be right:
 *
 *  - every read() returns whole records, each framed right;
 *  - a CONNECT record of the load's process falls within the window of
 *    exactly one call of its thread (a thread's calls follow each other,
 *    so their windows do not overlap), and names that call's destination
 *    and result; one record per call (io_uring: its first call's, then a
 *    retry's, see torture.h);
 *  - a COMPLETE record (it carries its CONNECT record's tid and ts_ns)
 *    falls within a call that left an attempt in progress, names its
 *    destination, is that attempt's only one, and, when that attempt's
 *    CONNECT record was read too, carries its id and ts_ns.  It never says
 *    established for a port that refuses, and for io_uring it says what
 *    the completion said.
 *
 * Records are matched at the end, once every ledger is complete: a reader
 * can take a record before its caller has logged the call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "torture.h"

/* A bound on what is kept (48 bytes a record): past it, not checked. */
#define SEEN_MAX	3000000

static uint64_t seen_kept;		/* atomic: kept by every log */
static uint64_t seen_records;		/* atomic: read by every reader */
static uint64_t framing_bad;		/* atomic */
static pthread_mutex_t framing_lock = PTHREAD_MUTEX_INITIALIZER;
static char framing_why[256];

/* The load's destinations (dest_register()), before its threads start. */
#define DEST_MAX	16
static struct endpoint dests[DEST_MAX];
static int ndests;

/* The same address: family, port and address, or AF_UNIX path. */
static bool same_endpoint(const struct endpoint *a, const struct endpoint *b)
{
	if (a->sa.sa_family != b->sa.sa_family)
		return false;
	switch (a->sa.sa_family) {
	case AF_INET:
		return a->v4.sin_port == b->v4.sin_port &&
		       a->v4.sin_addr.s_addr == b->v4.sin_addr.s_addr;
	case AF_INET6:
		return a->v6.sin6_port == b->v6.sin6_port &&
		       !memcmp(&a->v6.sin6_addr, &b->v6.sin6_addr,
			       sizeof(a->v6.sin6_addr));
	case AF_UNIX:
		return a->len == b->len &&
		       !memcmp(a->un.sun_path, b->un.sun_path,
			       a->len - offsetof(struct sockaddr_un, sun_path));
	}
	return false;
}

void dest_register(const struct endpoint *ep)
{
	if (ndests < DEST_MAX)
		dests[ndests++] = *ep;
}

void dest_of_endpoint(struct dest *d, const struct endpoint *ep)
{
	int i;

	d->where = W_NONE;
	d->port = 0;
	if (ep->sa.sa_family == AF_INET || ep->sa.sa_family == AF_INET6)
		d->port = endpoint_port(ep);
	for (i = 0; i < ndests; i++) {
		if (same_endpoint(ep, &dests[i])) {
			d->where = 1 + i;
			return;
		}
	}
	if (ep->sa.sa_family == AF_INET &&
	    ep->v4.sin_addr.s_addr == htonl(INADDR_LOOPBACK))
		d->where = W_LOOP4;
	else if (ep->sa.sa_family == AF_INET6 &&
		 IN6_IS_ADDR_LOOPBACK(&ep->v6.sin6_addr))
		d->where = W_LOOP6;
}

void dest_of_record(struct dest *d, const struct connprobe_record *rec)
{
	const size_t path_at = offsetof(struct sockaddr_un, sun_path);
	struct endpoint ep;

	memset(&ep, 0, sizeof(ep));
	d->where = W_NONE;
	d->port = 0;
	if (!(rec->flags & CONNPROBE_F_DADDR))
		return;
	switch (rec->daddr_family) {
	case AF_INET:
		endpoint_loopback(&ep, AF_INET, rec->dport);
		memcpy(&ep.v4.sin_addr, rec->daddr, sizeof(ep.v4.sin_addr));
		break;
	case AF_INET6:
		endpoint_loopback(&ep, AF_INET6, rec->dport);
		memcpy(&ep.v6.sin6_addr, rec->daddr, sizeof(ep.v6.sin6_addr));
		break;
	case AF_UNIX:
		if (rec->addrlen < path_at ||
		    rec->addrlen > path_at + CONNPROBE_PATH_LEN)
			return;
		endpoint_unix(&ep, rec->sun_path, rec->addrlen - path_at);
		break;
	default:
		return;
	}
	dest_of_endpoint(d, &ep);
}

bool dest_equal(const struct dest *a, const struct dest *b)
{
	return a->where != W_NONE && a->where == b->where &&
	       a->port == b->port;
}

static void framing(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&framing_lock);
	if (!framing_bad) {
		va_start(ap, fmt);
		vsnprintf(framing_why, sizeof(framing_why), fmt, ap);
		va_end(ap);
	}
	__atomic_add_fetch(&framing_bad, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&framing_lock);
}

uint64_t seen_bad(char *why, size_t len)
{
	pthread_mutex_lock(&framing_lock);
	snprintf(why, len, "%s", framing_why);
	pthread_mutex_unlock(&framing_lock);
	return __atomic_load_n(&framing_bad, __ATOMIC_RELAXED);
}

uint64_t seen_total(void)
{
	return __atomic_load_n(&seen_records, __ATOMIC_RELAXED);
}

/* io_uring's worker threads are named "iou-wrk-<submitter's tid>". */
static uint32_t submitter_tid(const struct connprobe_record *rec)
{
	char comm[CONNPROBE_COMM_LEN + 1] = "";
	unsigned int tid;

	memcpy(comm, rec->comm, CONNPROBE_COMM_LEN);
	if (sscanf(comm, "iou-wrk-%u", &tid) == 1)
		return tid;
	return rec->tid;
}

static void keep(struct seen_log *log, const struct connprobe_record *rec)
{
	struct seen *s;

	if (log->n == log->cap) {
		size_t cap = log->cap ? 2 * log->cap : 1024;

		s = realloc(log->s, cap * sizeof(*s));
		if (!s) {
			log->dropped++;
			return;
		}
		log->s = s;
		log->cap = cap;
	}
	if (__atomic_add_fetch(&seen_kept, 1, __ATOMIC_RELAXED) > SEEN_MAX) {
		log->dropped++;
		return;
	}
	s = &log->s[log->n++];
	s->ts_ns = rec->ts_ns;
	s->id = rec->id;
	s->seq = rec->seq;
	s->cpu = rec->cpu;
	s->ret = rec->ret;
	s->tid = submitter_tid(rec);
	s->flags = rec->flags;
	s->event = rec->event;
	dest_of_record(&s->dst, rec);
}

int seen_take(struct seen_log *log, const void *buf, size_t len,
	      unsigned int cpu)
{
	const size_t size = sizeof(struct connprobe_record);
	struct connprobe_record rec;
	int bad = 0;
	size_t off;

	log->reads++;
	if (len % size) {
		framing("cpu%u: read() returned %zu bytes, not whole records",
			cpu, len);
		return 1;
	}
	for (off = 0; off < len; off += size) {
		/* The bytes as read: no alignment assumed. */
		memcpy(&rec, (const char *)buf + off, size);
		log->records++;
		__atomic_add_fetch(&seen_records, 1, __ATOMIC_RELAXED);
		if (rec.size != size || rec.version != CONNPROBE_RECORD_VERSION ||
		    rec.cpu != cpu) {
			framing("cpu%u: record of size %u, version %u, cpu %u",
				cpu, rec.size, rec.version, rec.cpu);
			bad++;
		} else if (rec.pid != (uint32_t)cfg.pid) {
			log->others++;
		} else {
			keep(log, &rec);
		}
	}
	return bad;
}

/* ---------------------------------------------------------------- check */

static void wrong(struct verdict *v, const struct seen *s, const char *fmt,
		  ...)
{
	int class = s->event == CONNPROBE_EVENT_COMPLETE;
	char why[256];
	va_list ap;

	if (v->nwrong[class] == VERDICT_WRONG)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(v->wrong[class][v->nwrong[class]++], sizeof(v->wrong[0][0]),
		 "%s record (cpu %u seq %llu) of tid %u at %llu ns, ret %d, id %llu, flags %#x, to %u port %u: %s",
		 s->event == CONNPROBE_EVENT_COMPLETE ? "COMPLETE" : "CONNECT",
		 s->cpu, (unsigned long long)s->seq, s->tid,
		 (unsigned long long)s->ts_ns, s->ret,
		 (unsigned long long)s->id, s->flags, s->dst.where,
		 s->dst.port, why);
}

/* The records being checked, for the description of a duplicate. */
static struct seen_log *const *chk_logs;
static int chk_nlogs;

/*
 * Another record of @event than @s, of the same thread, within @e's
 * window: the one @s duplicates.
 */
static const struct seen *other_in(const struct seen *s,
				   const struct call_entry *e)
{
	const struct seen *o;
	int i;
	size_t j;

	for (i = 0; i < chk_nlogs; i++) {
		for (j = 0; j < chk_logs[i]->n; j++) {
			o = &chk_logs[i]->s[j];
			if (o != s && o->event == s->event && o->tid == s->tid &&
			    o->ts_ns >= e->before && o->ts_ns <= e->after)
				return o;
		}
	}
	return NULL;
}

static struct ledger *ledger_of(struct ledger *ledgers, int n, uint32_t tid)
{
	int i;

	for (i = 0; i < n; i++)
		if (ledgers[i].tid && (uint32_t)ledgers[i].tid == tid)
			return &ledgers[i];
	return NULL;
}

/* The call whose window holds @ts: the last one that began at or before. */
static struct call_entry *call_at(struct ledger *l, uint64_t ts)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->e[mid].before <= ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || ts > l->e[lo - 1].after)
		return NULL;
	return &l->e[lo - 1];
}

/*
 * The call a record belongs to, its destination checked, in *@e.
 * Returns 0, 1 if the call may be one its thread did not log (after its
 * ledger filled), or -1 if the record is wrong.
 */
static int call_of(struct verdict *v, const struct seen *s,
		   struct ledger *ledgers, int nledgers, struct call_entry **ep)
{
	struct ledger *l = ledger_of(ledgers, nledgers, s->tid);
	struct call_entry *e;
	bool io;

	if (!l) {
		wrong(v, s, "no load thread has this tid");
		return -1;
	}
	e = call_at(l, s->ts_ns);
	if (!e && l->full_ns && s->ts_ns >= l->full_ns)
		return 1;
	if (!e) {
		wrong(v, s, "no call of its thread was running then");
		return -1;
	}
	if (!dest_equal(&s->dst, &e->dst)) {
		wrong(v, s, "destination %u port %u, not the call's, %u port %u",
		      s->dst.where, s->dst.port, e->dst.where, e->dst.port);
		return -1;
	}
	io = !!(s->flags & CONNPROBE_F_IO_URING);
	if (io != (e->kind == K_IO_URING)) {
		wrong(v, s, "io_uring flag %d for a %s call", io,
		      kind_name(e->kind));
		return -1;
	}
	*ep = e;
	return 0;
}

static bool check_connect(struct verdict *v, const struct seen *s,
			  struct call_entry *e)
{
	unsigned int bit;

	if ((s->flags & CONNPROBE_F_SOCK) && !s->id) {
		wrong(v, s, "a socket's record with id 0");
		return false;
	}
	if (e->kind == K_IO_URING && s->ret == -EINPROGRESS) {
		bit = M_IN_PROGRESS;
	} else if (s->ret == e->ret || e->ret_unknown) {
		bit = M_CONNECT;
	} else {
		wrong(v, s, "the %s call returned %d", kind_name(e->kind),
		      e->ret);
		return false;
	}
	if (e->matched & bit) {
		const struct seen *o = other_in(s, e);

		wrong(v, s, "a second record of the same %s call (the other: cpu %u seq %llu id %llu ret %d)",
		      kind_name(e->kind), o ? o->cpu : 0,
		      o ? (unsigned long long)o->seq : 0,
		      o ? (unsigned long long)o->id : 0, o ? o->ret : 0);
		return false;
	}
	e->matched |= bit;
	if (s->ret == -EINPROGRESS) {
		e->connect_id = s->id;
		e->connect_ts = s->ts_ns;
	}
	return true;
}

static bool check_complete(struct verdict *v, const struct seen *s,
			   struct call_entry *e)
{
	bool abandoned = s->flags & CONNPROBE_F_ABANDONED;

	if (e->kind != K_IO_URING &&
	    !(e->kind == K_TCP_NONBLOCK && e->ret == -EINPROGRESS)) {
		wrong(v, s, "the %s call (ret %d) left no attempt in progress",
		      kind_name(e->kind), e->ret);
		return false;
	}
	if (e->matched & M_COMPLETE) {
		const struct seen *o = other_in(s, e);

		wrong(v, s, "a second COMPLETE record of the same attempt (the other: cpu %u seq %llu id %llu)",
		      o ? o->cpu : 0, o ? (unsigned long long)o->seq : 0,
		      o ? (unsigned long long)o->id : 0);
		return false;
	}
	e->matched |= M_COMPLETE;
	if (e->connect_id) {
		v->completes_with_connect++;
		if (s->id != e->connect_id || s->ts_ns != e->connect_ts) {
			wrong(v, s, "its CONNECT record has id %llu, ts %llu",
			      (unsigned long long)e->connect_id,
			      (unsigned long long)e->connect_ts);
			return false;
		}
	}
	if (!abandoned && !s->ret && e->refusing) {
		wrong(v, s, "established, to a port that refuses");
		return false;
	}
	if (!abandoned && e->kind == K_IO_URING && !e->ret_unknown &&
	    s->ret != e->ret) {
		wrong(v, s, "the request completed with %d", e->ret);
		return false;
	}
	return true;
}

void check_records(struct seen_log *const *logs, int nlogs,
		   struct ledger *ledgers, int nledgers, struct verdict *v)
{
	struct call_entry *e = NULL;
	int pass, i, found;
	size_t j;

	memset(v, 0, sizeof(*v));
	chk_logs = logs;
	chk_nlogs = nlogs;
	/* CONNECT records first: a COMPLETE record is checked against one. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < nlogs; i++) {
			for (j = 0; j < logs[i]->n; j++) {
				const struct seen *s = &logs[i]->s[j];
				bool complete = s->event == CONNPROBE_EVENT_COMPLETE;

				if (complete != (pass == 1))
					continue;
				if (complete)
					v->completes++;
				else
					v->connects++;
				if (s->event != CONNPROBE_EVENT_CONNECT && !complete) {
					wrong(v, s, "event %u", s->event);
					v->wrong_connects++;
					continue;
				}
				found = call_of(v, s, ledgers, nledgers, &e);
				if (found > 0)
					v->unchecked++;
				else if (complete && (found || !check_complete(v, s, e)))
					v->wrong_completes++;
				else if (!complete && (found || !check_connect(v, s, e)))
					v->wrong_connects++;
			}
		}
	}
	for (i = 0; i < nledgers; i++) {
		for (j = 0; j < ledgers[i].n; j++) {
			v->calls++;
			if (ledgers[i].e[j].matched & (M_CONNECT | M_IN_PROGRESS))
				v->calls_recorded++;
		}
	}
}
