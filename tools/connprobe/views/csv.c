// SPDX-License-Identifier: GPL-2.0
/* CSV rendering of records. */
#include <string.h>

#include "csv.h"
#include "format.h"
#include "text.h"

struct csv {
	struct cp_out *o;
	bool first;
};

static void sep(struct csv *c)
{
	if (!c->first)
		out_char(c->o, ',');
	c->first = false;
}

/* Input bytes per out_reserve(), well inside OUT_BUF_SIZE. */
#define CSV_CHUNK	1024

/*
 * Copy @s[*i] onwards into @p until *i reaches @stop (a UTF-8 sequence
 * may end up to 3 bytes past it; @len bounds the look-ahead), each '"'
 * doubled, each byte that is not printable ASCII or part of well-formed
 * UTF-8 as '?'.  @p needs 2 bytes per byte of @s.  Returns the end.
 */
static char *clean_run(char *p, const unsigned char *s, size_t len,
		       size_t *i, size_t stop)
{
	size_t j = *i, n;

	while (j < stop) {
		if (s[j] >= 0x80 && (n = utf8_seq_len(s + j, len - j))) {
			memcpy(p, s + j, n);
			p += n;
			j += n;
			continue;
		}
		if (s[j] == '"')
			*p++ = '"';
		*p++ = s[j] >= 0x20 && s[j] < 0x7f ? s[j] : '?';
		j++;
	}
	*i = j;
	return p;
}

/*
 * Text a task controls (comm, an AF_UNIX path, a cgroup path), whole
 * however long.  A field that starts with '=', '+', '-' or '@' gets a
 * leading "'", so that a spreadsheet shows it rather than runs it as a
 * formula (OWASP's advice).  ',' and '"' are ASCII: never inside a UTF-8
 * sequence, never made by the cleaning, so the raw bytes say whether to
 * quote.
 */
static void c_str(void *ctx, const char *k, const char *s, size_t n)
{
	struct csv *c = ctx;
	size_t i = 0, stop;
	bool quote;
	char *p;

	(void)k;
	sep(c);
	n = strnlen(s, n);
	quote = memchr(s, ',', n) || memchr(s, '"', n);
	if (quote)
		out_char(c->o, '"');
	if (n && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@'))
		out_char(c->o, '\'');
	while (i < n) {
		stop = n - i < CSV_CHUNK ? n : i + CSV_CHUNK;
		p = out_reserve(c->o, (stop - i + 3) * 2);
		out_commit(c->o, clean_run(p, (const unsigned char *)s, n, &i,
					   stop));
	}
	if (quote)
		out_char(c->o, '"');
}

/* Names, addresses, times: printable, never quoted, never a formula. */
static void c_lit(void *ctx, const char *k, const char *s, size_t n)
{
	(void)k;
	sep(ctx);
	out_mem(((struct csv *)ctx)->o, s, n);
}

static void c_num(void *ctx, const char *k, long long v)
{
	(void)k;
	sep(ctx);
	out_s64(((struct csv *)ctx)->o, v);
}

static void c_unum(void *ctx, const char *k, unsigned long long v)
{
	(void)k;
	sep(ctx);
	out_u64(((struct csv *)ctx)->o, v);
}

static void c_empty(void *ctx, const char *k)
{
	(void)k;
	sep(ctx);
}

static void c_bool(void *ctx, const char *k, bool v)
{
	(void)k;
	sep(ctx);
	out_str(((struct csv *)ctx)->o, v ? "true" : "false");
}

static const struct kv_writer csv_writer = {
	.str = c_str, .lit = c_lit, .num = c_num, .unum = c_unum, .null = c_empty,
	.boolean = c_bool, .absent = c_empty,
};

/* The header writes each key where a row writes its value. */
static void h_key(void *ctx, const char *k)
{
	sep(ctx);
	out_str(((struct csv *)ctx)->o, k);
}

static void h_str(void *ctx, const char *k, const char *s, size_t n)
{
	(void)s;
	(void)n;
	h_key(ctx, k);
}

static void h_num(void *ctx, const char *k, long long v)
{
	(void)v;
	h_key(ctx, k);
}

static void h_unum(void *ctx, const char *k, unsigned long long v)
{
	(void)v;
	h_key(ctx, k);
}

static void h_bool(void *ctx, const char *k, bool v)
{
	(void)v;
	h_key(ctx, k);
}

static const struct kv_writer header_writer = {
	.str = h_str, .lit = h_str, .num = h_num, .unum = h_unum, .null = h_key,
	.boolean = h_bool, .absent = h_key,
};

void csv_header(struct cp_out *o, struct emit_state *st)
{
	struct connprobe_record dummy = { .event = CONNPROBE_EVENT_CONNECT };
	struct csv c = { .o = o, .first = true };
	/* the keys do not depend on the values: no cgroup lookup for them */
	struct emit_state keys_only = { .opts = st->opts };

	keys_only.opts.cgroups = NULL;
	record_emit(&keys_only, &dummy, &header_writer, &c);
	out_char(o, '\n');
}

void csv_record(struct cp_out *o, struct emit_state *st,
		const struct connprobe_record *rec)
{
	struct csv c = { .o = o, .first = true };

	record_emit(st, rec, &csv_writer, &c);
	out_char(o, '\n');
}
