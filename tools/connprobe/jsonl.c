// SPDX-License-Identifier: GPL-2.0
/* JSON Lines rendering of records. */
#include "json.h"
#include "jsonl.h"

struct jsonl {
	struct cp_out *o;
	bool first;
};

static void key(struct jsonl *j, const char *k)
{
	out_str(j->o, j->first ? "{\"" : ",\"");
	j->first = false;
	out_str(j->o, k);
	out_mem(j->o, "\":", 2);
}

static void j_str(void *ctx, const char *k, const char *s, size_t n)
{
	key(ctx, k);
	json_string(((struct jsonl *)ctx)->o, s, n);
}

static void j_num(void *ctx, const char *k, long long v)
{
	key(ctx, k);
	out_s64(((struct jsonl *)ctx)->o, v);
}

static void j_unum(void *ctx, const char *k, unsigned long long v)
{
	key(ctx, k);
	out_u64(((struct jsonl *)ctx)->o, v);
}

static void j_null(void *ctx, const char *k)
{
	key(ctx, k);
	out_mem(((struct jsonl *)ctx)->o, "null", 4);
}

static void j_bool(void *ctx, const char *k, bool v)
{
	key(ctx, k);
	out_str(((struct jsonl *)ctx)->o, v ? "true" : "false");
}

static void j_absent(void *ctx, const char *k)
{
	(void)ctx;
	(void)k;
}

static const struct kv_writer json_writer = {
	.str = j_str, .num = j_num, .unum = j_unum, .null = j_null,
	.boolean = j_bool, .absent = j_absent,
};

void jsonl_record(struct cp_out *o, struct emit_state *st,
		  const struct connprobe_record *rec)
{
	struct jsonl j = { .o = o, .first = true };

	record_emit(st, rec, &json_writer, &j);
	out_char(o, '}');
	out_char(o, '\n');
}
