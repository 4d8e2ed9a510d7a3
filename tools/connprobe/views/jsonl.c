// SPDX-License-Identifier: GPL-2.0
/*
 * JSON Lines and CSV rows from one list of keys, written straight into
 * the output buffer: a row is reserved once, then every key and value is
 * stored without a bounds check, the per-record cost of trace --json
 * being what the traced workload pays for on a one-CPU machine.  The
 * list is inlined once per format, so each choice of format is decided
 * at compile time and every key is a constant store.
 */
#include <string.h>
#include <sys/socket.h>

#include "format.h"
#include "json.h"
#include "jsonl.h"
#include "names.h"
#include "text.h"

/*
 * Room for a row: keys and numbers, names and addresses, a comm and an
 * AF_UNIX path escaped, the remembered cgroup text.  A longer cgroup
 * text reserves room of its own.
 */
#define ROW_MAX		(1024 + CGROUP_TEXT_MAX + JSON_ESCAPE_MAX * \
			 (CONNPROBE_COMM_LEN + CONNPROBE_PATH_LEN))

#define ROW_INLINE	static inline __attribute__((always_inline))

ROW_INLINE char *put(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/* A literal: a constant length, so a store or two. */
#define PUT(lit)	(p = put(p, lit, sizeof(lit) - 1))
/* What comes before a value: ,"key": in JSON, a comma in CSV. */
#define KEY(k)		(json ? PUT(",\"" k "\":") : PUT(","))
/* A literal value: quoted in JSON. */
#define LIT(s)		(json ? PUT("\"" s "\"") : PUT(s))
/* null: empty in CSV. */
#define NUL()		(json ? PUT("null") : p)
/* A key the record does not have: JSON leaves it out, CSV leaves it empty. */
#define ABSENT()	(json ? p : PUT(","))
#define NUM(v)		(p = put_num(p, v))
#define UNUM(v)		(p += fmt_u64(p, v))

ROW_INLINE char *put_num(char *p, long long v)
{
	if (v < 0) {
		*p++ = '-';
		/* unsigned negation: LLONG_MIN has no positive counterpart */
		return p + fmt_u64(p, -(unsigned long long)v);
	}
	return p + fmt_u64(p, v);
}

/* Names, addresses, times: printable, never escaped, quoted in JSON. */
ROW_INLINE char *put_lit(char *p, const char *s, size_t n, bool json)
{
	if (json)
		*p++ = '"';
	p = put(p, s, n);
	if (json)
		*p++ = '"';
	return p;
}

/* An IP address, formatted in place. */
ROW_INLINE char *put_addr(char *p, unsigned int family, const __u8 *addr,
			  bool json)
{
	if (json)
		*p++ = '"';
	p += addr_fmt(family, addr, p);
	if (json)
		*p++ = '"';
	return p;
}

/*
 * A CSV field of task-controlled text (comm, an AF_UNIX path, a cgroup
 * path): up to @n bytes of @s, stopping at a NUL.  Each '"' is doubled,
 * each byte that is not printable ASCII or part of well-formed UTF-8
 * becomes '?'.  A field that starts with '=', '+', '-' or '@' gets a
 * leading "'", so that a spreadsheet shows it rather than runs it as a
 * formula (OWASP's advice).  @p needs 2 bytes a byte and 3 more.
 */
static char *csv_put_text(char *p, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	bool quote = false;
	char *start = p;
	size_t i, k;

	if (*s == '=' || *s == '+' || *s == '-' || *s == '@')
		*p++ = '\'';
	for (i = 0; i < n && u[i]; i++) {
		if (u[i] >= 0x80 && (k = utf8_seq_len(u + i, n - i))) {
			p = put(p, s + i, k);
			i += k - 1;
			continue;
		}
		quote |= u[i] == ',' || u[i] == '"';
		if (u[i] == '"')
			*p++ = '"';
		*p++ = u[i] >= 0x20 && u[i] < 0x7f ? u[i] : '?';
	}
	/* a ',' or '"' is never inside UTF-8 nor made by the cleaning */
	if (quote) {
		memmove(start + 1, start, p - start);
		*start = '"';
		p[1] = '"';
		p += 2;
	}
	return p;
}

ROW_INLINE char *put_text(char *p, const char *s, size_t n, bool json)
{
	return json ? json_put_string(p, s, n) : csv_put_text(p, s, n);
}

/* The "cgroup" value, then the "container" key and value. */
static char *put_cgroup(char *p, const struct cp_cgroup *cg, bool json)
{
	p = put_text(p, cg->path, strlen(cg->path), json);
	KEY("container");
	/* 64 hex digits, or none */
	if (!cg->container[0])
		return NUL();
	return put_lit(p, cg->container, strlen(cg->container), json);
}

/*
 * put_cgroup() for a cgroup other than the last record's, remembered if
 * short enough; a longer text gets room of its own (with what follows
 * it of the row) after the row's start at @p is committed.
 */
static __attribute__((noinline)) char *
cgroup_miss(struct cp_out *o, struct emit_state *st,
	    const struct cp_cgroup *cg, char *p, bool json)
{
	/* the path escaped, the container, quotes and key */
	size_t need = strlen(cg->path) * JSON_ESCAPE_MAX + 100;

	if (need > CGROUP_TEXT_MAX) {
		out_commit(o, p);
		return put_cgroup(out_reserve(o, need + ROW_MAX), cg, json);
	}
	st->cgroup_len = put_cgroup(st->cgroup_text, cg, json) -
			 st->cgroup_text;
	st->cgroup_id = cg->id;
	st->cgroup_json = json;
	return put(p, st->cgroup_text, st->cgroup_len);
}

/* pid to saddr, and the "sport" key. */
ROW_INLINE char *put_task(char *p, const struct connprobe_record *rec,
			  bool json)
{
	bool sock = rec->flags & CONNPROBE_F_SOCK;
	unsigned int sfam = rec_saddr_family(rec);
	char name[NAME_BUF_LEN];
	const char *s;

	KEY("pid");
	UNUM(rec->pid);
	KEY("tid");
	UNUM(rec->tid);
	KEY("comm");
	p = put_text(p, rec->comm, CONNPROBE_COMM_LEN, json);
	KEY("family");
	if (sock) {
		s = family_str(rec->family, name, sizeof(name));
		p = put_lit(p, s, strlen(s), json);
	} else {
		NUL();
	}
	KEY("proto");
	if (sock) {
		s = proto_str(rec->family, rec->type, rec->protocol, name,
			      sizeof(name));
		p = put_lit(p, s, strlen(s), json);
	} else {
		NUL();
	}
	KEY("saddr");
	sfam ? (p = put_addr(p, sfam, rec->saddr, json)) : NUL();
	return KEY("sport");
}

/* daddr and dport. */
ROW_INLINE char *put_dest(char *p, const struct connprobe_record *rec,
			  bool json)
{
	unsigned int dfam = rec_daddr_family(rec);
	char path[UNIX_ADDR_BUF_LEN];

	KEY("daddr");
	if (dfam == AF_UNIX) {
		/* the caller's bytes, any but NUL */
		p = put_text(p, path, rec_daddr_fmt(rec, path), json);
		KEY("dport");
		return NUL();
	}
	dfam ? (p = put_addr(p, dfam, rec->daddr, json)) : NUL();
	KEY("dport");
	return dfam ? UNUM(rec->dport) : NUL();
}

ROW_INLINE void put_row(struct cp_out *o, struct emit_state *st,
			const struct connprobe_record *rec, bool json)
{
	bool sock = rec->flags & CONNPROBE_F_SOCK;
	bool uring = rec->flags & CONNPROBE_F_IO_URING;
	/* widen before negating: -INT_MIN does not fit in an int */
	long long err = -(long long)rec->ret;
	const struct cp_cgroup *cg = NULL;
	struct row_memo *m = &st->memo[json];
	char ebuf[NAME_BUF_LEN], time[48];
	char *p = out_reserve(o, ROW_MAX), *head = p, *mid = p, *tail = p;
	const char *error = NULL;
	enum row_memo_use use;

	if (st->opts.cgroups)
		cg = cgroups_lookup(st->opts.cgroups, rec->cgroup_id);
	if (json)
		PUT("{\"event\":");
	rec->event == CONNPROBE_EVENT_COMPLETE ? LIT("complete") : LIT("connect");
	KEY("ts_ns");
	UNUM(rec->ts_ns);
	KEY("cpu");
	UNUM(rec->cpu);
	use = row_memo_find(m, rec);
	if (use == MEMO_HIT) {
		p = put(p, m->text, m->head);
	} else {
		head = p;
		p = mid = put_task(p, rec, json);
	}
	rec_saddr_family(rec) ? UNUM(rec->sport) : NUL();
	if (use == MEMO_HIT) {
		p = put(p, m->text + m->head, m->len - m->head);
	} else {
		tail = p;
		p = put_dest(p, rec, json);
		if (use == MEMO_KEEP)
			row_memo_keep(m, head, mid, tail, p);
	}
	KEY("ret");
	NUM(rec->ret);
	KEY("error");
	if (rec->ret < 0) {
		error = errno_str(err, ebuf, sizeof(ebuf));
		p = put_lit(p, error, strlen(error), json);
	} else {
		NUL();
	}
	KEY("latency_ns");
	UNUM(rec->latency_ns);
	KEY("seq");
	UNUM(rec->seq);
	KEY("fd");
	/* io_uring's descriptor (or fixed file) is not the module's to know */
	uring ? NUL() : NUM(rec->fd);
	/* record v2 */
	KEY("id");
	sock ? UNUM(rec->id) : NUL();
	KEY("uid");
	UNUM(rec->uid);
	KEY("cgroup_id");
	UNUM(rec->cgroup_id);
	KEY("netns");
	sock ? UNUM(rec->netns) : NUL();
	KEY("via");
	uring ? LIT("io_uring") : LIT("syscall");
	KEY("caller_error");
	if (!error)
		NUL();
	else if (caller_errno(err) != err)	/* the restart codes */
		LIT("EINTR");
	else
		p = put_lit(p, error, strlen(error), json);
	KEY("cgroup");
	if (!cg) {
		NUL();
		KEY("container");
		NUL();
	} else if (st->cgroup_len && st->cgroup_id == cg->id &&
		   st->cgroup_json == json) {
		p = put(p, st->cgroup_text, st->cgroup_len);
	} else {
		p = cgroup_miss(o, st, cg, p, json);
	}
	if (rec->event == CONNPROBE_EVENT_COMPLETE) {
		KEY("abandoned");
		rec->flags & CONNPROBE_F_ABANDONED ? PUT("true") : PUT("false");
	} else {
		ABSENT();
	}
	/* present only when they say something: a signal, a change */
	if (rec->signal) {
		KEY("signal");
		UNUM(rec->signal);
	} else {
		ABSENT();
	}
	if (rec->flags & CONNPROBE_F_DADDR_CHANGED) {
		KEY("daddr_changed");
		PUT("true");
	} else {
		ABSENT();
	}
	if (rec->flags & CONNPROBE_F_FD_CHANGED) {
		KEY("fd_changed");
		PUT("true");
	} else {
		ABSENT();
	}
	if (st->opts.wallclock) {
		KEY("time");
		p = put_lit(p, time, fmt_rfc3339(&st->utc, time,
			realtime_of(rec->ts_ns, st->opts.realtime_offset_ns)),
			json);
	}
	if (json)
		PUT("}");
	PUT("\n");
	out_commit(o, p);
}

void jsonl_record(struct cp_out *o, struct emit_state *st,
		  const struct connprobe_record *rec)
{
	put_row(o, st, rec, true);
}

void csv_record(struct cp_out *o, struct emit_state *st,
		const struct connprobe_record *rec)
{
	put_row(o, st, rec, false);
}

void csv_header(struct cp_out *o, struct emit_state *st)
{
	out_str(o, "event,ts_ns,cpu,pid,tid,comm,family,proto,saddr,sport,"
		"daddr,dport,ret,error,latency_ns,seq,fd,id,uid,cgroup_id,"
		"netns,via,caller_error,cgroup,container,abandoned,signal,"
		"daddr_changed,fd_changed");
	out_str(o, st->opts.wallclock ? ",time\n" : "\n");
}
