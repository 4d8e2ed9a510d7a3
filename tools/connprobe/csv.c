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

static void c_str(void *ctx, const char *k, const char *s, size_t n)
{
	struct csv *c = ctx;
	char clean[UNIX_ADDR_BUF_LEN + 64];
	size_t i;

	(void)k;
	sep(c);
	if (n > sizeof(clean))
		n = sizeof(clean);
	n = text_utf8(s, n, clean);
	if (!memchr(clean, ',', n) && !memchr(clean, '"', n)) {
		out_mem(c->o, clean, n);
		return;
	}
	out_char(c->o, '"');
	for (i = 0; i < n; i++) {
		if (clean[i] == '"')
			out_char(c->o, '"');
		out_char(c->o, clean[i]);
	}
	out_char(c->o, '"');
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
	.str = c_str, .lit = c_str, .num = c_num, .unum = c_unum, .null = c_empty,
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
