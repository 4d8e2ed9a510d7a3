// SPDX-License-Identifier: GPL-2.0
/* Aligned table rows; header and rows share one column layout. */
#include <string.h>
#include <sys/socket.h>

#include "format.h"
#include "names.h"
#include "outcome.h"
#include "table.h"
#include "text.h"

/* "255.255.255.255": what bcc's tools reserve. */
#define ADDR_WIDTH_V4	15
/* "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff": -w. */
#define ADDR_WIDTH_MAX	39
#define CONTAINER_SHORT	12	/* as docker ps shows ids */

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

/* Longer than any row: every cell is bounded (48-byte time, 39 address). */
#define ROW_MAX		1024

/*
 * Rows are written straight into the output buffer, column by column:
 * at millions of rows a second, a call to memcpy() per cell costs more
 * than the cell.  Short strings are copied by the loop below, and padding
 * is stored 16 spaces at a time (what lands past the padding is inside
 * ROW_MAX and overwritten by the next column).
 */
static char *put_str(char *p, const char *s)
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

static char *put_str_n(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

static char *put_dash(char *p)
{
	*p++ = '-';
	return p;
}

/* The last shown column: it gets no padding. */
static int last_col(const struct cp_table *t)
{
	int last = NR_TABLE_COLS - 1;

	while (!t->shown[last])
		last--;
	return last;
}

static void end_row(struct cp_table *t, char *p)
{
	*p++ = '\n';
	out_commit(t->out, p);
}

void table_header(struct cp_table *t)
{
	char *p = out_reserve(t->out, ROW_MAX), *row = p;
	int i, last = last_col(t);

	for (i = 0; i <= last; i++) {
		if (!t->shown[i])
			continue;
		p = put_str(p, i == COL_TIME && t->opts.wallclock ? "TIME"
								 : titles[i]);
		if (i < last)
			p = pad_to(p, row, t->stop[i]);
	}
	end_row(t, p);
}

/*
 * The destination as the table shows it, at @p, cut to @width: an
 * AF_UNIX path keeps its tail, where the socket's name is.  An AF_UNIX
 * path is the only address that can hold unprintable bytes.
 */
static char *put_daddr(char *p, const struct connprobe_record *rec,
		       unsigned int family, unsigned int width)
{
	size_t n = rec_daddr_fmt(rec, p);

	if (!n)
		return put_dash(p);
	if (family == AF_UNIX)
		n = text_ascii(p, n, p);
	return fit(p, n, width);
}

static char *put_saddr(char *p, const struct connprobe_record *rec,
		       unsigned int width)
{
	size_t n = 0;

	if (rec_saddr_family(rec))
		n = addr_fmt(rec->family, rec->saddr, p);
	return n ? fit(p, n, width) : put_dash(p);
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

static char *put_container(struct cp_table *t,
			   const struct connprobe_record *rec, char *p)
{
	const struct cp_cgroup *cg = NULL;

	if (t->opts.cgroups)
		cg = cgroups_lookup(t->opts.cgroups, rec->cgroup_id);
	if (!cg || !cg->container[0])
		return put_dash(p);
	memcpy(p, cg->container, CONTAINER_SHORT);
	return p + CONTAINER_SHORT;
}

/* Column @c is done: pad the row to its stop, unless it is the last. */
#define NEXT(c) do {							\
		if ((c) != last)					\
			p = pad_to(p, row, t->stop[c]);			\
	} while (0)

/* PID to SADDR. */
static char *put_task(struct cp_table *t, const struct connprobe_record *rec,
		      char *p, const char *row, int last)
{
	char name[NAME_BUF_LEN];
	bool sock = rec->flags & CONNPROBE_F_SOCK;

	p += fmt_u64(p, rec->pid);
	NEXT(COL_PID);
	p += fmt_u64(p, rec->tid);
	NEXT(COL_TID);
	if (t->shown[COL_UID]) {
		p += fmt_u64(p, rec->uid);
		NEXT(COL_UID);
	}
	p += text_ascii(rec->comm, CONNPROBE_COMM_LEN, p);
	NEXT(COL_COMM);
	if (t->shown[COL_CONTAINER]) {
		p = put_container(t, rec, p);
		NEXT(COL_CONTAINER);
	}
	p = put_str(p, sock ? family_str(rec->family, name, sizeof(name)) : "-");
	NEXT(COL_FAM);
	p = put_str(p, sock ? proto_str(rec->family, rec->type, rec->protocol,
					name, sizeof(name)) : "-");
	NEXT(COL_PROTO);
	p = put_saddr(p, rec, t->width[COL_SADDR]);
	NEXT(COL_SADDR);
	return p;
}

/* DADDR and DPORT. */
static char *put_dest(struct cp_table *t, const struct connprobe_record *rec,
		      char *p, const char *row, int last)
{
	unsigned int dfam = rec_daddr_family(rec);

	p = put_daddr(p, rec, dfam, t->width[COL_DADDR]);
	NEXT(COL_DADDR);
	p = dfam && dfam != AF_UNIX ? p + fmt_u64(p, rec->dport) : put_dash(p);
	NEXT(COL_DPORT);
	return p;
}

/*
 * Write the row at @p, the columns in enum table_col order.  The text of
 * the task and addresses is remembered (struct row_memo) without UID and
 * CONTAINER, which depend on more; it is padded to the columns' stops,
 * so it is good only where it starts in line, not pushed right by a long
 * cell.
 */
static char *put_row(struct cp_table *t, const struct connprobe_record *rec,
		     char *p)
{
	char result[OUTCOME_BUF_LEN], *row = p, *head = p, *mid = p, *tail;
	struct cp_outcome oc = outcome_of(rec);
	struct row_memo *m = &t->memo;
	int last = last_col(t);
	enum row_memo_use use = MEMO_MISS;

	p = put_time(t, rec, p);
	NEXT(COL_TIME);
	if (!t->shown[COL_UID] && !t->shown[COL_CONTAINER] &&
	    p - row == t->stop[COL_TIME])
		use = row_memo_find(m, rec);
	if (use == MEMO_HIT) {
		p = put_str_n(p, m->text, m->head);
	} else {
		head = p;
		p = mid = put_task(t, rec, p, row, last);
	}
	p = rec_saddr_family(rec) ? p + fmt_u64(p, rec->sport) : put_dash(p);
	NEXT(COL_SPORT);
	tail = p;
	if (p - row != t->stop[COL_SPORT])
		use = MEMO_MISS;
	if (use == MEMO_HIT) {
		p = put_str_n(p, m->text + m->head, m->len - m->head);
	} else {
		p = put_dest(t, rec, p, row, last);
		if (use == MEMO_KEEP)
			row_memo_keep(m, head, mid, tail, p);
	}
	p = put_str(p, outcome_label(&oc, result, sizeof(result)));
	NEXT(COL_RESULT);
	return p + fmt_ns_as_ms(p, rec->latency_ns);
}

void table_row(struct cp_table *t, const struct connprobe_record *rec)
{
	end_row(t, put_row(t, rec, out_reserve(t->out, ROW_MAX)));
}
