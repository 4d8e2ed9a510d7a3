// SPDX-License-Identifier: GPL-2.0
/*
 * Table, CSV and JSON rows, straight into the output buffer: a row is
 * reserved once, its values stored without bounds checks.  Inlined once
 * per format, so every choice of format is made at compile time.
 */
#include <string.h>
#include <sys/socket.h>

#include "format.h"
#include "outcome.h"
#include "row.h"

/*
 * Room for a row: keys and numbers, names and addresses, a comm and an
 * AF_UNIX path escaped; the cgroup path escaped comes on top.
 */
#define ROW_MAX		(1024 + JSON_ESCAPE_MAX * \
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

/* A name: a loop, cheaper than strlen() and memcpy() for a few bytes. */
ROW_INLINE char *put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

/*
 * Pad the row from @row to @stop, or by one space if the cell ran past
 * it: a long value pushes the cells after it right only until one has
 * room to spare.  16 spaces a store: the excess, in ROW_MAX, is overwritten.
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
#define KEY(k)		(f == FORMAT_JSON ? PUT(",\"" k "\":") : PUT(","))
/* The same, or in the table the padding of column @prev. */
#define SEP(k, prev)	(f == FORMAT_TABLE ? \
			 (p = pad_to(p, row, t->stop[prev])) : KEY(k))
/* A quote in JSON, around names and addresses: they need no escaping. */
#define QUOTE()		(f == FORMAT_JSON ? (void)(*p++ = '"') : (void)0)
/* What the record does not know: null, empty in CSV, "-" in the table. */
#define NUL()		(f == FORMAT_JSON ? PUT("null") : \
			 f == FORMAT_TABLE ? PUT("-") : p)
/* A key the record does not have: JSON leaves it out, CSV leaves it empty. */
#define ABSENT()	(f == FORMAT_JSON ? p : PUT(","))
/* A key present only when it says something, with @value. */
#define OPTIONAL(cond, k, value) \
	((cond) ? (KEY(k), (value)) : ABSENT())
/* A literal value, or null, and the key after it: one store. */
#define LIT_KEY(s, k)	(f == FORMAT_JSON ? PUT("\"" s "\",\"" k "\":") : \
			 PUT(s ","))
#define NUL_KEY(k)	(f == FORMAT_JSON ? PUT("null,\"" k "\":") : PUT(","))
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

/* A name: copied whole, a few stores, then cut to its length. */
ROW_INLINE char *put_cp_name(char *p, const struct cp_name *n,
			     enum cp_format f)
{
	QUOTE();
	p = put(p, n->s, sizeof(*n)) - sizeof(*n) + n->len;
	QUOTE();
	return p;
}

/*
 * The @n bytes of an address at @p cut to @width, keeping the tail after
 * "..": the header is printed once, so the columns never widen.
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
			  enum cp_format f, unsigned int width)
{
	if (f == FORMAT_TABLE)
		return fit(p, addr_fmt(family, addr, p), width);
	QUOTE();
	p += addr_fmt(family, addr, p);
	QUOTE();
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
	for (i = 0; i < n && u[i]; i++) {
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

/* Task-controlled text: JSON-escaped, CSV-cleaned, '?' for odd bytes. */
ROW_INLINE char *put_text(char *p, const char *s, size_t n,
			  enum cp_format f)
{
	if (f == FORMAT_JSON)
		return json_put_string(p, s, n);
	if (f == FORMAT_CSV)
		return csv_put_text(p, s, n);
	return p + text_ascii(s, n, p);
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

/* pid to dport, what the formats share; sport's, daddr's at @sport, @tail. */
ROW_INLINE char *put_middle(char *p, const struct connprobe_record *rec,
			    const struct cp_rows *t, const char *row,
			    const struct cp_cgroup *cg, enum cp_format f,
			    char **sport, char **tail)
{
	bool sock = rec->flags & CONNPROBE_F_SOCK;
	unsigned int sfam = rec_saddr_family(rec), dfam = rec_daddr_family(rec);
	unsigned int width = f == FORMAT_TABLE ? t->width[COL_DADDR] : 0;
	char path[UNIX_ADDR_BUF_LEN];
	struct cp_name name;

	UNUM(rec->pid);
	SEP("tid", COL_PID);
	UNUM(rec->tid);
	if (f == FORMAT_TABLE && t->shown[COL_UID]) {
		SEP("", COL_TID);
		UNUM(rec->uid);
	}
	/* a hidden column's stop is the one before it */
	SEP("comm", COL_UID);
	p = put_text(p, rec->comm, CONNPROBE_COMM_LEN, f);
	if (f == FORMAT_TABLE && t->shown[COL_CONTAINER]) {
		SEP("", COL_COMM);
		p = put_container(cg, p);
	}
	SEP("family", COL_CONTAINER);
	sock ? (p = put_cp_name(p, family_name(rec->family, &name), f)) : NUL();
	SEP("proto", COL_FAM);
	sock ? (p = put_cp_name(p, proto_name(rec->family, rec->type,
					      rec->protocol, &name), f)) : NUL();
	SEP("saddr", COL_PROTO);
	sfam ? (p = put_addr(p, sfam, rec->saddr, f, width)) : NUL();
	*sport = SEP("sport", COL_SADDR);
	sfam ? UNUM(rec->sport) : NUL();
	*tail = SEP("daddr", COL_SPORT);
	if (dfam == AF_UNIX) {
		/* any bytes but NUL; the table keeps the tail, the name */
		if (f == FORMAT_TABLE)
			p = fit(p, text_ascii(path, rec_daddr_fmt(rec, path), p),
				width);
		else
			p = put_text(p, path, rec_daddr_fmt(rec, path), f);
	} else if (dfam) {
		p = put_addr(p, dfam, rec->daddr, f, width);
	} else {
		NUL();
	}
	SEP("dport", COL_DADDR);
	return dfam && dfam != AF_UNIX ? UNUM(rec->dport) : NUL();
}

/* FAM fits "netlink"; RESULT "done:ECONNREFUSED", "done:EHOSTUNREACH". */
static const struct { const char *title; unsigned int width; } cols[] = {
	{ "TIME(s)", 9 }, { "PID", 7 }, { "TID", 7 }, { "UID", 6 },
	{ "COMM", 16 }, { "CONTAINER", CONTAINER_SHORT }, { "FAM", 7 },
	{ "PROTO", 6 }, { "SADDR", ADDR_WIDTH_V4 }, { "SPORT", 5 },
	{ "DADDR", ADDR_WIDTH_V4 }, { "DPORT", 5 }, { "RESULT", 17 },
	{ "LAT(ms)", 0 },
};

void rows_begin(struct cp_rows *t, struct cp_out *out,
		const struct stream_opts *opts)
{
	unsigned int at = 0;
	char *p, *row;
	int i;

	memset(t, 0, sizeof(*t));
	t->out = out;
	t->netns_len = fmt_u64(t->netns_text, 0);
	t->opts = *opts;
	for (i = 0; i < NR_TABLE_COLS; i++) {
		t->shown[i] = true;
		t->width[i] = cols[i].width;
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
	if (opts->format == FORMAT_CSV) {
		out_str(out, "event,ts_ns,cpu,pid,tid,comm,family,proto,saddr,"
			"sport,daddr,dport,ret,error,latency_ns,seq,fd,id,uid,"
			"cgroup_id,netns,via,caller_error,cgroup,container,"
			"abandoned,signal,daddr_changed,fd_changed");
		out_str(out, opts->wallclock ? ",time\n" : "\n");
	}
	if (opts->format != FORMAT_TABLE)
		return;
	p = out_reserve(out, ROW_MAX);
	row = p;
	for (i = 0; i < NR_TABLE_COLS; i++) {
		if (!t->shown[i])
			continue;
		p = put_str(p, i == COL_TIME && t->opts.wallclock ? "TIME"
								 : cols[i].title);
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
static char *put_time(struct cp_rows *t, const struct connprobe_record *rec,
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

/* Marks around what a burst changes: ts_ns, sport, latency_ns, seq, id. */
enum { M_START, M_TS, M_SPORT = 3, M_LAT = 5, M_SEQ = 7, M_ID = 9, M_END = 11 };
#define MARK(i)	(mark ? (void)(r->cut[i] = p - row) : (void)0)

/*
 * The record's fields that the text between the marks shows: all but
 * ts_ns, latency_ns, seq, id (bytes 8 to 40) and sport.  Compared in
 * pieces a compiler inlines; an IP address leaves the rest of the union
 * zero, so only an AF_UNIX path is compared whole.
 */
ROW_INLINE bool same_text(const struct connprobe_record *a,
		      const struct connprobe_record *b)
{
	const size_t mid = offsetof(struct connprobe_record, cgroup_id);
	const size_t sport = offsetof(struct connprobe_record, sport);
	const size_t tail = offsetof(struct connprobe_record, daddr);

	return !memcmp(a, b, offsetof(struct connprobe_record, ts_ns)) &&
	       !memcmp((char *)a + mid, (char *)b + mid, sport - mid) &&
	       !memcmp((char *)a + sport + 2, (char *)b + sport + 2,
		       tail - sport - 2) &&
	       !memcmp(a->daddr, b->daddr, CONNPROBE_ADDR_LEN) &&
	       (a->daddr_family != AF_UNIX ||
		!memcmp(a->sun_path, b->sun_path, CONNPROBE_PATH_LEN));
}

/* Piece @k of memo[], from mark 2k to 2k + 1; @small ones copied as 32. */
ROW_INLINE char *put_cut(char *p, const struct cp_rows *r, int k, bool small)
{
	if (!small)
		return put(p, r->memo + r->cut[2 * k], r->piece[k]);
	memcpy(p, r->memo + r->cut[2 * k], 32);
	return p + r->piece[k];
}

/* The pieces' lengths, once memo[] and its marks are set. */
static void set_pieces(struct cp_rows *r)
{
	int k;

	for (k = 0; k < 6; k++)
		r->piece[k] = r->cut[2 * k + 1] - r->cut[2 * k];
}

/* A table row; in a burst, the last row's text around TIME, SPORT, LAT. */
ROW_INLINE void table_row(struct cp_rows *t, const struct connprobe_record *rec)
{
	char result[OUTCOME_BUF_LEN], *p = out_reserve(t->out, ROW_MAX);
	bool task = !memcmp(t->task, &rec->pid, sizeof(t->task));
	bool same = task && same_text(&t->key, rec);
	const struct cp_cgroup *cg = NULL;
	const char *row = p, *cg_path;
	struct cp_outcome oc;
	char *time, *sport, *tail;

	/* CONTAINER's cgroup: put_middle() shows it, the copy checks its path */
	if (t->shown[COL_CONTAINER] && t->opts.cgroups)
		cg = cgroups_lookup(t->opts.cgroups, rec->cgroup_id);
	cg_path = cg ? cg->path : NULL;
	p = pad_to(put_time(t, rec, p), row, t->stop[COL_TIME]);
	if (same && t->len && t->cg_path == cg_path &&
	    p - row == t->cut[M_TS + 1]) {
		p = put_cut(p, t, 1, false);
		rec_saddr_family(rec) ? UNUM(rec->sport) : PUT("-");
		p = put_cut(pad_to(p, row, t->stop[COL_SPORT]), t, 2, false);
	} else {
		time = p;
		p = put_middle(p, rec, t, row, cg, FORMAT_TABLE, &sport, &tail);
		oc = outcome_of(rec);
		p = pad_to(put_str(pad_to(p, row, t->stop[COL_DPORT]),
				   outcome_label(&oc, result, sizeof(result))),
			   row, t->stop[COL_RESULT]);
		/*
		 * As in put_row(); kept when SPORT starts in its column, so
		 * that its padding ends where the text after it starts.
		 */
		t->len = 0;
		if (!task) {
			memcpy(t->task, &rec->pid, sizeof(t->task));
		} else if (!same) {
			t->key = *rec;
		} else if (sport - row == t->stop[COL_SADDR] &&
			   p - row <= MEMO_MAX) {
			t->cut[M_TS + 1] = time - row;
			t->cut[M_SPORT] = sport - row;
			t->cut[M_SPORT + 1] = tail - row;
			t->cut[M_LAT] = p - row;
			t->len = p - row;
			memcpy(t->memo, row, t->len);
			t->cg_path = cg_path;
			set_pieces(t);
		}
	}
	p += fmt_ns_as_ms(p, rec->latency_ns);
	*p++ = '\n';
	out_commit(t->out, p);
}

/* The row but -T's "time" and its end; @mark, a constant: set the marks. */
ROW_INLINE char *put_fields(char *p, struct cp_rows *r,
			    const struct connprobe_record *rec,
			    const struct cp_cgroup *cg, enum cp_format f,
			    bool mark)
{
	bool sock = rec->flags & CONNPROBE_F_SOCK;
	bool uring = rec->flags & CONNPROBE_F_IO_URING;
	/* widen before negating: -INT_MIN does not fit in an int */
	long long err = -(long long)rec->ret;
	const struct cp_name *error = NULL;
	char *row, *sport, *tail;
	struct cp_name ebuf;

	/* nothing is written yet: a flush may move the row */
	if (cg)
		p = out_reserve(r->out, ROW_MAX + strlen(cg->path) * JSON_ESCAPE_MAX);
	row = p;

	if (f == FORMAT_JSON)
		PUT("{\"event\":");
	rec->event == CONNPROBE_EVENT_COMPLETE ? LIT_KEY("complete", "ts_ns") :
						 LIT_KEY("connect", "ts_ns");
	MARK(M_TS);
	UNUM(rec->ts_ns);
	MARK(M_TS + 1);
	KEY("cpu");
	UNUM(rec->cpu);
	KEY("pid");
	p = put_middle(p, rec, r, NULL, cg, f, &sport, &tail);
	/* sport's end: before the daddr key that put_middle() wrote */
	if (mark) {
		r->cut[M_SPORT] = sport - row;
		r->cut[M_SPORT + 1] = tail - row -
				      (f == FORMAT_JSON ? sizeof(",\"daddr\":") - 1 : 1);
	}
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
	MARK(M_LAT);
	UNUM(rec->latency_ns);
	MARK(M_LAT + 1);
	KEY("seq");
	MARK(M_SEQ);
	UNUM(rec->seq);
	MARK(M_SEQ + 1);
	KEY("fd");
	/* io_uring's descriptor (or fixed file) is not the module's to know */
	uring ? NUL() : NUM(rec->fd);
	/* record v2 */
	KEY("id");
	MARK(M_ID);
	sock ? UNUM(rec->id) : NUL();
	MARK(M_ID + 1);
	KEY("uid");
	UNUM(rec->uid);
	KEY("cgroup_id");
	UNUM(rec->cgroup_id);
	KEY("netns");
	if (sock && rec->netns != r->netns)
		r->netns_len = fmt_u64(r->netns_text, r->netns = rec->netns);
	sock ? (p = put(p, r->netns_text, 16) - 16 + r->netns_len) : NUL();
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
	if (cg) {
		p = put_text(p, cg->path, strlen(cg->path), f);
		KEY("container");
		/* 64 hex digits, or none */
		cg->container[0] ? (p = put_text(p, cg->container,
						 strlen(cg->container), f)) : NUL();
	} else {
		NUL_KEY("container");
		NUL();
	}
	OPTIONAL(rec->event == CONNPROBE_EVENT_COMPLETE, "abandoned",
		 rec->flags & CONNPROBE_F_ABANDONED ? PUT("true") : PUT("false"));
	/* present only when they say something: a signal, a change */
	OPTIONAL(rec->signal, "signal", UNUM(rec->signal));
	OPTIONAL(rec->flags & CONNPROBE_F_DADDR_CHANGED, "daddr_changed",
		 PUT("true"));
	OPTIONAL(rec->flags & CONNPROBE_F_FD_CHANGED, "fd_changed", PUT("true"));
	MARK(M_END);
	return p;
}

/*
 * A burst is one task connecting to one destination again and again: a
 * task's third row like its second is the second's text, cut at the
 * marks, with the five values that change written afresh.  Another task
 * costs a compare, its second row the key, a third like it the text.
 */
ROW_INLINE void put_row(struct cp_rows *r, const struct connprobe_record *rec,
			enum cp_format f)
{
	const struct cp_cgroup *cg = NULL;
	bool same;
	char *p;

	if (r->opts.cgroups)
		cg = cgroups_lookup(r->opts.cgroups, rec->cgroup_id);
	/* a copied row's cgroup path is in memo[], shorter than ROW_MAX */
	p = out_reserve(r->out, ROW_MAX);
	if (memcmp(r->task, &rec->pid, sizeof(r->task))) {
		memcpy(r->task, &rec->pid, sizeof(r->task));
		r->len = 0;
		p = put_fields(p, r, rec, cg, f, false);
		goto time;
	}
	same = same_text(&r->key, rec);
	/* a path in the cgroup table is never freed nor changed */
	if (same && r->len && r->cg_path == (cg ? cg->path : NULL)) {
		/* small: the event; ,"seq":; ,"fd":, an int, ,"id": */
		p = put_cut(p, r, 0, true);
		UNUM(rec->ts_ns);
		p = put_cut(p, r, 1, false);
		rec_saddr_family(rec) ? UNUM(rec->sport) : NUL();
		p = put_cut(p, r, 2, false);
		UNUM(rec->latency_ns);
		p = put_cut(p, r, 3, true);
		UNUM(rec->seq);
		p = put_cut(p, r, 4, true);
		(rec->flags & CONNPROBE_F_SOCK) ? UNUM(rec->id) : NUL();
		p = put_cut(p, r, 5, false);
		goto time;
	}
	r->len = 0;
	if (!same) {
		r->key = *rec;
		p = put_fields(p, r, rec, cg, f, false);
		goto time;
	}
	p = put_fields(p, r, rec, cg, f, true);
	if (r->cut[M_END] <= MEMO_MAX) {
		memcpy(r->memo, p - r->cut[M_END], r->cut[M_END]);
		r->len = r->cut[M_END];
		r->cg_path = cg ? cg->path : NULL;
		set_pieces(r);
	}
time:
	if (r->opts.wallclock) {
		KEY("time");
		QUOTE();
		p += fmt_rfc3339(&r->clock, p, realtime_of(rec->ts_ns,
					r->opts.realtime_offset_ns));
		QUOTE();
	}
	f == FORMAT_JSON ? PUT("}\n") : PUT("\n");
	out_commit(r->out, p);
}

void rows_record(struct cp_rows *r, const struct connprobe_record *rec)
{
	switch (r->opts.format) {
	case FORMAT_TABLE:
		table_row(r, rec);
		break;
	case FORMAT_JSON:
		put_row(r, rec, FORMAT_JSON);
		break;
	case FORMAT_CSV:
		put_row(r, rec, FORMAT_CSV);
	}
}
