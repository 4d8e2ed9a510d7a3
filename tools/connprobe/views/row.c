// SPDX-License-Identifier: GPL-2.0
/*
 * Table, CSV and JSON rows, written straight into the output buffer: a
 * row is reserved once, then every value is stored without a bounds
 * check, the per-record cost being what the traced workload pays for on
 * a one-CPU machine.  The formats share the values from pid to dport;
 * the code is inlined once per format, so each choice of format is made
 * at compile time and every JSON key is a constant store.
 */
#include <string.h>
#include <sys/socket.h>

#include "format.h"
#include "json.h"
#include "names.h"
#include "outcome.h"
#include "row.h"
#include "text.h"

enum row_format { ROW_TABLE, ROW_CSV, ROW_JSON };

/*
 * Room for a row: keys and numbers, names and addresses, a comm and an
 * AF_UNIX path escaped, the remembered cgroup text.  A longer cgroup
 * text reserves room of its own.
 */
#define ROW_MAX		(1024 + CGROUP_TEXT_MAX + JSON_ESCAPE_MAX * \
			 (CONNPROBE_COMM_LEN + CONNPROBE_PATH_LEN))

/* "255.255.255.255": what bcc's tools reserve. */
#define ADDR_WIDTH_V4	15
/* "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff": -w. */
#define ADDR_WIDTH_MAX	39
#define CONTAINER_SHORT	12	/* as docker ps shows ids */

#define ROW_INLINE	static inline __attribute__((always_inline))

ROW_INLINE char *put(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/*
 * A name: a loop, cheaper than strlen() and memcpy() for the few bytes
 * of one.
 */
ROW_INLINE char *put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

/*
 * Pad the row that started at @row to @stop, where the next column
 * starts, or by one space if the cell ran past it: a value longer than
 * its column pushes the cells after it right only until one has room to
 * spare, and the row is back in line from there, under the header.
 * Stored 16 spaces at a time: what lands past the padding is inside
 * ROW_MAX and overwritten by the next column.
 */
static char *pad_to(char *p, const char *row, unsigned int stop)
{
	static const char spaces[16] = "                ";
	size_t n = p - row, pad = n < stop ? stop - n : 1, i;

	/* one store covers every column but the IPv6-wide addresses */
	memcpy(p, spaces, 16);
	for (i = 16; i < pad; i += 16)
		memcpy(p + i, spaces, 16);
	return p + pad;
}

/* A literal: a constant length, so a store or two. */
#define PUT(lit)	(p = put(p, lit, sizeof(lit) - 1))
/* What comes before a value: ,"key": in JSON, a comma in CSV. */
#define KEY(k)		(f == ROW_JSON ? PUT(",\"" k "\":") : PUT(","))
/* The same, or in the table the padding of column @prev. */
#define SEP(k, prev)	(f == ROW_TABLE ? \
			 (p = pad_to(p, row, t->stop[prev])) : KEY(k))
/* A literal value: quoted in JSON. */
#define LIT(s)		(f == ROW_JSON ? PUT("\"" s "\"") : PUT(s))
/* What the record does not know: null, empty in CSV, "-" in the table. */
#define NUL()		(f == ROW_JSON ? PUT("null") : \
			 f == ROW_TABLE ? PUT("-") : p)
/* A key the record does not have: JSON leaves it out, CSV leaves it empty. */
#define ABSENT()	(f == ROW_JSON ? p : PUT(","))
/* A literal value, or null, and the key after it: one store. */
#define LIT_KEY(s, k)	(f == ROW_JSON ? PUT("\"" s "\",\"" k "\":") : \
			 PUT(s ","))
#define NUL_KEY(k)	(f == ROW_JSON ? PUT("null,\"" k "\":") : PUT(","))
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

/* Names: printable, never escaped, quoted in JSON. */
ROW_INLINE char *put_name(char *p, const char *s, enum row_format f)
{
	if (f == ROW_JSON)
		*p++ = '"';
	p = put_str(p, s);
	if (f == ROW_JSON)
		*p++ = '"';
	return p;
}

/* put_name() of a struct cp_name: whole, then cut to its length. */
ROW_INLINE char *put_cp_name(char *p, const struct cp_name *n,
			     enum row_format f)
{
	if (f == ROW_JSON)
		*p++ = '"';
	p = put(p, n->s, sizeof(*n)) - sizeof(*n) + n->len;
	if (f == ROW_JSON)
		*p++ = '"';
	return p;
}

/*
 * The @n bytes of an address at @p, cut to @width if longer, keeping the
 * tail after "..": the columns never widen, so the header printed once
 * stays over them (-w makes them wide enough for any IP address).
 */
static char *fit(char *p, size_t n, unsigned int width)
{
	if (n <= width)
		return p + n;
	memmove(p + 2, p + n - (width - 2), width - 2);
	memcpy(p, "..", 2);
	return p + width;
}

/* An IP address, formatted in place; in the table, in @width. */
ROW_INLINE char *put_addr(char *p, unsigned int family, const __u8 *addr,
			  enum row_format f, unsigned int width)
{
	if (f == ROW_TABLE)
		return fit(p, addr_fmt(family, addr, p), width);
	if (f == ROW_JSON)
		*p++ = '"';
	p += addr_fmt(family, addr, p);
	if (f == ROW_JSON)
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
	/* printable ASCII but '"' and ',': copied as it is */
	static const unsigned char plain[256] = {
		[0x20 ... 0x21] = 1, [0x23 ... 0x2b] = 1, [0x2d ... 0x7e] = 1,
	};
	const unsigned char *u = (const unsigned char *)s;
	bool quote = false;
	char *start = p;
	size_t i, k;

	if (*s == '=' || *s == '+' || *s == '-' || *s == '@')
		*p++ = '\'';
	i = text_copy_plain(p, s, n, '"', ',');
	p += i;
	for (; i < n && u[i]; i++) {
		while (i < n && plain[u[i]])
			*p++ = u[i++];
		if (i == n || !u[i])
			break;
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

/*
 * Task-controlled text: escaped in JSON, cleaned in CSV, and in the table
 * every byte that is not printable ASCII as '?' (one byte, one column).
 * All @n bytes of @s are readable, also past a NUL (text_copy_plain()).
 */
ROW_INLINE char *put_text(char *p, const char *s, size_t n,
			  enum row_format f)
{
	size_t i;

	if (f == ROW_JSON)
		return json_put_string(p, s, n);
	if (f == ROW_CSV)
		return csv_put_text(p, s, n);
	i = text_copy_plain(p, s, n, 0, 0);
	return p + i + text_ascii(s + i, n - i, p + i);
}

/* The first 12 digits of @cg's container id, as docker ps shows it. */
static char *put_container(const struct cp_cgroup *cg, char *p)
{
	if (!cg || !cg->container[0]) {
		*p = '-';
		return p + 1;
	}
	return put(p, cg->container, CONTAINER_SHORT);
}

/* pid to saddr, then what comes before sport. */
ROW_INLINE char *put_task(char *p, const struct connprobe_record *rec,
			  const struct cp_table *t, const char *row,
			  const struct cp_cgroup *cg, enum row_format f)
{
	bool sock = rec->flags & CONNPROBE_F_SOCK;
	unsigned int sfam = rec_saddr_family(rec);
	struct cp_name name;

	UNUM(rec->pid);
	SEP("tid", COL_PID);
	UNUM(rec->tid);
	if (f == ROW_TABLE && t->shown[COL_UID]) {
		SEP("", COL_TID);
		UNUM(rec->uid);
	}
	/* a hidden column's stop is the one before it */
	SEP("comm", COL_UID);
	p = put_text(p, rec->comm, CONNPROBE_COMM_LEN, f);
	if (f == ROW_TABLE && t->shown[COL_CONTAINER]) {
		SEP("", COL_COMM);
		p = put_container(cg, p);
	}
	SEP("family", COL_CONTAINER);
	if (sock)
		p = put_cp_name(p, family_name(rec->family, &name), f);
	else
		NUL();
	SEP("proto", COL_FAM);
	if (sock)
		p = put_cp_name(p, proto_name(rec->family, rec->type,
					      rec->protocol, &name), f);
	else
		NUL();
	SEP("saddr", COL_PROTO);
	if (sfam)
		p = put_addr(p, sfam, rec->saddr, f,
			     f == ROW_TABLE ? t->width[COL_SADDR] : 0);
	else
		NUL();
	return SEP("sport", COL_SADDR);
}

/* daddr and dport. */
ROW_INLINE char *put_dest(char *p, const struct connprobe_record *rec,
			  const struct cp_table *t, const char *row,
			  enum row_format f)
{
	unsigned int dfam = rec_daddr_family(rec), width = 0;
	char path[UNIX_ADDR_BUF_LEN];
	size_t n;

	if (f == ROW_TABLE)
		width = t->width[COL_DADDR];
	if (dfam == AF_UNIX) {
		/* the caller's bytes, any but NUL; the table keeps the tail,
		 * where the socket's name is */
		n = rec_daddr_fmt(rec, path);
		if (f == ROW_TABLE)
			p = fit(p, text_ascii(path, n, p), width);
		else
			p = put_text(p, path, n, f);
	} else if (dfam) {
		p = put_addr(p, dfam, rec->daddr, f, width);
	} else {
		NUL();
	}
	SEP("dport", COL_DADDR);
	if (dfam && dfam != AF_UNIX)
		return UNUM(rec->dport);
	return NUL();
}

/* The memo of a row writer: what to do with @rec's text. */
enum row_memo_use { MEMO_MISS, MEMO_KEEP, MEMO_HIT };

static inline enum row_memo_use row_memo_find(struct row_memo *m,
					    const struct connprobe_record *rec,
					    bool cgroup_known)
{
	__u32 flags = rec->flags & (CONNPROBE_F_SOCK | CONNPROBE_F_SADDR |
				    CONNPROBE_F_DADDR);

	/* an AF_UNIX path is longer than the key holds */
	if (rec->daddr_family == AF_UNIX)
		return MEMO_MISS;
	/*
	 * Another task: only which one is kept, the rest of the key once it
	 * comes again, so that ever different records cost two stores.
	 */
	if (m->key.pid != rec->pid || m->key.tid != rec->tid) {
		m->key.pid = rec->pid;
		m->key.tid = rec->tid;
		m->whole = false;
		m->len = 0;
		return MEMO_MISS;
	}
	if (m->whole && m->key.dport == rec->dport && m->key.flags == flags &&
	    m->key.family == rec->family && m->key.type == rec->type &&
	    m->key.protocol == rec->protocol &&
	    m->key.daddr_family == rec->daddr_family &&
	    m->key.addrlen == rec->addrlen && m->key.uid == rec->uid &&
	    m->key.cgroup_id == rec->cgroup_id &&
	    m->key.cgroup_known == cgroup_known &&
	    /* saddr, comm and daddr lie in a row */
	    !memcmp(m->key.saddr_comm_daddr, rec->saddr,
		    sizeof(m->key.saddr_comm_daddr)))
		return m->len ? MEMO_HIT : MEMO_KEEP;
	m->key.flags = flags;
	m->key.family = rec->family;
	m->key.type = rec->type;
	m->key.protocol = rec->protocol;
	m->key.daddr_family = rec->daddr_family;
	m->key.dport = rec->dport;
	m->key.addrlen = rec->addrlen;
	m->key.uid = rec->uid;
	m->key.cgroup_id = rec->cgroup_id;
	m->key.cgroup_known = cgroup_known;
	memcpy(m->key.saddr_comm_daddr, rec->saddr,
	       sizeof(m->key.saddr_comm_daddr));
	m->whole = true;
	m->len = 0;
	return MEMO_MISS;
}

/*
 * pid to dport, from the memo (struct row_memo) when it has them.  In the
 * table, whose text is padded to the columns' stops, only where the text
 * starts in line, not pushed right by a long cell.
 */
ROW_INLINE char *put_middle(char *p, const struct connprobe_record *rec,
			    struct row_memo *m, const struct cp_table *t,
			    const char *row, enum row_format f)
{
	enum row_memo_use use = MEMO_MISS;
	const struct cp_cgroup *cg = NULL;
	char *head = p, *mid = p, *tail;

	if (f == ROW_TABLE && t->shown[COL_CONTAINER] && t->opts.cgroups)
		cg = cgroups_lookup(t->opts.cgroups, rec->cgroup_id);
	/* UID and CONTAINER are in the key, the cgroup found or not too */
	if (f != ROW_TABLE || p - row == t->stop[COL_TIME])
		use = row_memo_find(m, rec, cg);
	if (use == MEMO_HIT)
		p = put(p, m->text, m->head);
	else
		p = mid = put_task(p, rec, t, row, cg, f);
	if (rec_saddr_family(rec))
		UNUM(rec->sport);
	else
		NUL();
	SEP("daddr", COL_SPORT);
	tail = p;
	if (f == ROW_TABLE && p - row != t->stop[COL_SPORT])
		use = MEMO_MISS;
	if (use == MEMO_HIT)
		return put(p, m->text + m->head, m->len - m->head);
	p = put_dest(p, rec, t, row, f);
	if (use == MEMO_KEEP &&
	    (mid - head) + (p - tail) <= (long)sizeof(m->text)) {
		m->head = mid - head;
		m->len = m->head + (p - tail);
		memcpy(m->text, head, m->head);
		memcpy(m->text + m->head, tail, p - tail);
	}
	return p;
}

static const char *const titles[NR_TABLE_COLS] = {
	[COL_TIME] = "TIME(s)", [COL_PID] = "PID", [COL_TID] = "TID",
	[COL_UID] = "UID", [COL_COMM] = "COMM", [COL_CONTAINER] = "CONTAINER",
	[COL_FAM] = "FAM", [COL_PROTO] = "PROTO", [COL_SADDR] = "SADDR",
	[COL_SPORT] = "SPORT", [COL_DADDR] = "DADDR", [COL_DPORT] = "DPORT",
	[COL_RESULT] = "RESULT", [COL_LAT] = "LAT(ms)",
};

static const unsigned int default_width[NR_TABLE_COLS] = {
	[COL_TIME] = 9, [COL_PID] = 7, [COL_TID] = 7, [COL_UID] = 6,
	/* "netlink"; "done:ECONNREFUSED", "done:EHOSTUNREACH" */
	[COL_COMM] = 16, [COL_CONTAINER] = CONTAINER_SHORT, [COL_FAM] = 7,
	[COL_PROTO] = 6, [COL_SADDR] = ADDR_WIDTH_V4, [COL_SPORT] = 5,
	[COL_DADDR] = ADDR_WIDTH_V4, [COL_DPORT] = 5, [COL_RESULT] = 17,
	[COL_LAT] = 0,
};

void table_init(struct cp_table *t, struct cp_out *out,
		const struct table_opts *opts)
{
	unsigned int at = 0;
	int i;

	memset(t, 0, sizeof(*t));
	t->out = out;
	t->opts = *opts;
	for (i = 0; i < NR_TABLE_COLS; i++) {
		t->shown[i] = true;
		t->width[i] = default_width[i];
	}
	t->shown[COL_UID] = opts->wide || opts->print_uid;
	t->shown[COL_CONTAINER] = opts->wide;
	if (opts->wide)
		t->width[COL_SADDR] = t->width[COL_DADDR] = ADDR_WIDTH_MAX;
	if (opts->wallclock)
		t->width[COL_TIME] = 12;	/* HH:MM:SS.mmm */
	for (i = 0; i < NR_TABLE_COLS; i++) {
		at += t->shown[i] ? t->width[i] + 1 : 0;
		t->stop[i] = at;
	}
}

void table_header(struct cp_table *t)
{
	char *p = out_reserve(t->out, ROW_MAX), *row = p;
	int i;

	for (i = 0; i < NR_TABLE_COLS; i++) {
		if (!t->shown[i])
			continue;
		p = put_str(p, i == COL_TIME && t->opts.wallclock ? "TIME"
								 : titles[i]);
		/* LAT, the last, is not padded */
		if (i < COL_LAT)
			p = pad_to(p, row, t->stop[i]);
	}
	*p++ = '\n';
	out_commit(t->out, p);
}

/*
 * TIME: when the call started, or on a done: line when the attempt ended
 * (its connect's TIME plus its LAT), the moment the line reports, as
 * tcpconnlat's TIME is when the connection came up.
 */
static char *put_time(struct cp_table *t, const struct connprobe_record *rec,
		      char *p)
{
	unsigned long long ns = rec->ts_ns;

	if (rec->event == CONNPROBE_EVENT_COMPLETE)
		ns += rec->latency_ns;
	if (t->opts.wallclock)
		return p + fmt_clock(&t->clock, p,
			realtime_of(ns, t->opts.realtime_offset_ns));
	if (!t->have_base) {
		t->base_ns = ns;
		t->have_base = true;
	}
	/*
	 * ts_ns is taken at the call's entry but records are emitted at its
	 * return, so a slow connect can predate the first record printed.
	 */
	return p + fmt_relative(p, (long long)(ns - t->base_ns));
}

void table_row(struct cp_table *t, const struct connprobe_record *rec)
{
	char result[OUTCOME_BUF_LEN], *p = out_reserve(t->out, ROW_MAX);
	struct cp_outcome oc = outcome_of(rec);
	const char *row = p;

	p = pad_to(put_time(t, rec, p), row, t->stop[COL_TIME]);
	p = put_middle(p, rec, &t->memo, t, row, ROW_TABLE);
	p = pad_to(p, row, t->stop[COL_DPORT]);
	p = pad_to(put_str(p, outcome_label(&oc, result, sizeof(result))), row,
		   t->stop[COL_RESULT]);
	p += fmt_ns_as_ms(p, rec->latency_ns);
	*p++ = '\n';
	out_commit(t->out, p);
}

/* The "cgroup" value, then the "container" key and value. */
static char *put_cgroup(char *p, const struct cp_cgroup *cg,
			enum row_format f)
{
	p = put_text(p, cg->path, strlen(cg->path), f);
	KEY("container");
	/* 64 hex digits, or none */
	if (!cg->container[0])
		return NUL();
	return put_name(p, cg->container, f);
}

/*
 * put_cgroup() for a cgroup other than the last record's, remembered if
 * short enough; a longer text gets room of its own (with what follows
 * it of the row) after the row's start at @p is committed.
 */
static __attribute__((noinline)) char *
cgroup_miss(struct cp_out *o, struct emit_state *st,
	    const struct cp_cgroup *cg, char *p, enum row_format f)
{
	/* the path escaped, the container, quotes and key */
	size_t need = strlen(cg->path) * JSON_ESCAPE_MAX + 100;

	if (need > CGROUP_TEXT_MAX) {
		out_commit(o, p);
		return put_cgroup(out_reserve(o, need + ROW_MAX), cg, f);
	}
	st->cgroup_len = put_cgroup(st->cgroup_text, cg, f) -
			 st->cgroup_text;
	st->cgroup_id = cg->id;
	st->cgroup_json = f == ROW_JSON;
	return put(p, st->cgroup_text, st->cgroup_len);
}

ROW_INLINE void put_row(struct cp_out *o, struct emit_state *st,
			const struct connprobe_record *rec, enum row_format f)
{
	bool sock = rec->flags & CONNPROBE_F_SOCK;
	bool uring = rec->flags & CONNPROBE_F_IO_URING;
	/* widen before negating: -INT_MIN does not fit in an int */
	long long err = -(long long)rec->ret;
	const struct cp_cgroup *cg = NULL;
	char *p = out_reserve(o, ROW_MAX);
	const struct cp_name *error = NULL;
	struct cp_name ebuf;

	if (st->opts.cgroups)
		cg = cgroups_lookup(st->opts.cgroups, rec->cgroup_id);
	if (f == ROW_JSON)
		PUT("{\"event\":");
	rec->event == CONNPROBE_EVENT_COMPLETE ? LIT_KEY("complete", "ts_ns") :
						 LIT_KEY("connect", "ts_ns");
	UNUM(rec->ts_ns);
	KEY("cpu");
	UNUM(rec->cpu);
	KEY("pid");
	p = put_middle(p, rec, &st->memo[f == ROW_JSON], NULL, NULL, f);
	KEY("ret");
	NUM(rec->ret);
	KEY("error");
	if (rec->ret < 0) {
		error = errno_cp_name(err, &ebuf);
		p = put_cp_name(p, error, f);
		KEY("latency_ns");
	} else {
		NUL_KEY("latency_ns");
	}
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
	if (!sock) {
		NUL();
	} else {
		if (!st->netns_len || st->netns != rec->netns) {
			st->netns = rec->netns;
			st->netns_len = fmt_u64(st->netns_text, rec->netns);
		}
		p = put(p, st->netns_text, sizeof(st->netns_text)) -
		    sizeof(st->netns_text) + st->netns_len;
	}
	KEY("via");
	uring ? LIT_KEY("io_uring", "caller_error") :
		LIT_KEY("syscall", "caller_error");
	if (!error) {
		NUL_KEY("cgroup");
	} else if (caller_errno(err) != err) {	/* the restart codes */
		LIT_KEY("EINTR", "cgroup");
	} else {
		p = put_cp_name(p, error, f);
		KEY("cgroup");
	}
	if (!cg) {
		NUL_KEY("container");
		NUL();
	} else if (st->cgroup_len && st->cgroup_id == cg->id &&
		   st->cgroup_json == (f == ROW_JSON)) {
		p = put(p, st->cgroup_text, st->cgroup_len);
	} else {
		p = cgroup_miss(o, st, cg, p, f);
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
		if (f == ROW_JSON)
			PUT("\"");
		p += fmt_rfc3339(&st->utc, p, realtime_of(rec->ts_ns,
					st->opts.realtime_offset_ns));
		if (f == ROW_JSON)
			PUT("\"");
	}
	f == ROW_JSON ? PUT("}\n") : PUT("\n");
	out_commit(o, p);
}

void jsonl_record(struct cp_out *o, struct emit_state *st,
		  const struct connprobe_record *rec)
{
	put_row(o, st, rec, ROW_JSON);
}

void csv_record(struct cp_out *o, struct emit_state *st,
		const struct connprobe_record *rec)
{
	put_row(o, st, rec, ROW_CSV);
}

void csv_header(struct cp_out *o, struct emit_state *st)
{
	out_str(o, "event,ts_ns,cpu,pid,tid,comm,family,proto,saddr,sport,"
		"daddr,dport,ret,error,latency_ns,seq,fd,id,uid,cgroup_id,"
		"netns,via,caller_error,cgroup,container,abandoned,signal,"
		"daddr_changed,fd_changed");
	out_str(o, st->opts.wallclock ? ",time\n" : "\n");
}
