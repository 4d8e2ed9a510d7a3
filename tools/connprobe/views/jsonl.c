// SPDX-License-Identifier: GPL-2.0
/*
 * JSON Lines rendering of records, written straight into the output
 * buffer: a row is reserved once, then every key and value is stored
 * without a bounds check, the per-record cost of trace --json being what
 * the traced workload pays for on a one-CPU machine.
 */
#include "json.h"
#include "jsonl.h"

/*
 * What inlined values may take: ~30 keys of at most 14 bytes and their
 * separators, 12 numbers of at most 20 digits and a sign, and 12 strings
 * of at most JSONL_STR_INLINE escaped bytes; a longer string (a cgroup
 * path can be) goes through json_string() and the row is reserved anew.
 */
#define JSONL_STR_INLINE	128
#define JSONL_ROW_MAX		(30 * 18 + 12 * 21 + \
				 12 * (JSONL_STR_INLINE * JSON_ESCAPE_MAX + 2) + \
				 MEMO_SLACK)

struct jsonl {
	struct cp_out *o;
	char *p;		/* the row's end so far, in o's buffer */
	char *start;		/* the row's first byte, until it is '{' */
	char *run;		/* where the current run's text starts */
};

#define JSONL_INLINE	static inline __attribute__((always_inline))

/*
 * ,"key": -- every key comes after a comma; the row's first comma becomes
 * its opening brace.  @k is a literal, so its length is a constant.
 */
JSONL_INLINE void key(struct jsonl *j, const char *k)
{
	size_t n = strlen(k);

	j->p[0] = ',';
	j->p[1] = '"';
	memcpy(j->p + 2, k, n);
	j->p[n + 2] = '"';
	j->p[n + 3] = ':';
	j->p += n + 4;
}

/*
 * A string too long for the row's reservation, through the buffer, which
 * may then be drained: the row's brace goes in first.  Takes and returns
 * the row's end rather than the struct jsonl, which then never leaves
 * the inlined code and lives in registers.
 */
static __attribute__((noinline)) char *long_str(struct cp_out *o,
						 char *start, char *p,
						 const char *s, size_t n)
{
	if (start)
		*start = '{';
	out_commit(o, p);
	json_string(o, s, n);
	return out_reserve(o, JSONL_ROW_MAX);
}

JSONL_INLINE void j_long(struct jsonl *j, const char *s, size_t n)
{
	j->p = long_str(j->o, j->start, j->p, s, n);
	j->start = NULL;
	/* the run's text may have left the buffer: not remembered */
	j->run = NULL;
}

JSONL_INLINE void j_str(void *ctx, const char *k, const char *s, size_t n)
{
	struct jsonl *j = ctx;

	key(j, k);
	if (n > JSONL_STR_INLINE)
		j_long(j, s, n);
	else
		j->p = json_put_string(j->p, s, n);
}

JSONL_INLINE void j_lit(void *ctx, const char *k, const char *s, size_t n)
{
	struct jsonl *j = ctx;

	key(j, k);
	if (n > JSONL_STR_INLINE) {
		j_long(j, s, n);
		return;
	}
	*j->p = '"';
	memcpy(j->p + 1, s, n);
	j->p[n + 1] = '"';
	j->p += n + 2;
}

JSONL_INLINE void j_unum(void *ctx, const char *k, unsigned long long v)
{
	struct jsonl *j = ctx;

	key(j, k);
	j->p += fmt_u64(j->p, v);
}

JSONL_INLINE void j_num(void *ctx, const char *k, long long v)
{
	struct jsonl *j = ctx;

	key(j, k);
	if (v < 0) {
		*j->p++ = '-';
		/* unsigned negation: LLONG_MIN has no positive counterpart */
		j->p += fmt_u64(j->p, -(unsigned long long)v);
		return;
	}
	j->p += fmt_u64(j->p, v);
}

JSONL_INLINE void j_null(void *ctx, const char *k)
{
	struct jsonl *j = ctx;

	key(j, k);
	memcpy(j->p, "null", 4);
	j->p += 4;
}

JSONL_INLINE void j_bool(void *ctx, const char *k, bool v)
{
	struct jsonl *j = ctx;

	key(j, k);
	memcpy(j->p, v ? "true" : "false", 5);
	j->p += v ? 4 : 5;
}

JSONL_INLINE void j_absent(void *ctx, const char *k)
{
	(void)ctx;
	(void)k;
}

JSONL_INLINE bool j_run_begin(void *ctx, struct text_memo *m, const void *key)
{
	struct jsonl *j = ctx;

	return memo_repeat(m, key, &j->p, &j->run);
}

JSONL_INLINE void j_run_end(void *ctx, struct text_memo *m)
{
	struct jsonl *j = ctx;

	memo_keep(m, j->run, j->p);
}

static const struct kv_writer json_writer = {
	.str = j_str, .lit = j_lit, .num = j_num, .unum = j_unum,
	.null = j_null, .boolean = j_bool, .absent = j_absent,
	.run_begin = j_run_begin, .run_end = j_run_end,
};

void jsonl_record(struct cp_out *o, struct emit_state *st,
		  const struct connprobe_record *rec)
{
	struct jsonl j = { .o = o };

	j.p = j.start = out_reserve(o, JSONL_ROW_MAX);
	record_emit(st, rec, &json_writer, &j);
	if (j.start)
		*j.start = '{';
	j.p[0] = '}';
	j.p[1] = '\n';
	out_commit(o, j.p + 2);
}
