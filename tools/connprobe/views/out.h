/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Buffered output for the per-record paths.  report must format millions
 * of records a second; stdio's per-call locking and format parsing cost
 * more than the formatting itself, so rows are assembled here and handed
 * to stdio in large chunks.
 */
#ifndef CONNPROBE_OUT_H
#define CONNPROBE_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/*
 * Large enough that a live round of thousands of rows costs a handful of
 * write()s: each one is counted against the traced workload's CPU.
 */
#define OUT_BUF_SIZE	(256 * 1024)

struct cp_out {
	FILE *f;
	char *buf;
	size_t len, size;
};

/* Returns -1 if out of memory. */
int out_init(struct cp_out *o, FILE *f);

/* Hand what is buffered to stdio and fflush(); -1 if the stream failed. */
int out_flush(struct cp_out *o);

/* out_flush(), then free the buffer; returns out_flush()'s result. */
int out_close(struct cp_out *o);

/* Drain the buffer to make room for @n bytes, growing it if need be. */
void out_make_room(struct cp_out *o, size_t n);

/*
 * Room for @n bytes at the returned pointer: the row builders write
 * there directly and then out_commit() their end.
 */
static inline char *out_reserve(struct cp_out *o, size_t n)
{
	if (o->size - o->len < n)
		out_make_room(o, n);
	return o->buf + o->len;
}

static inline void out_commit(struct cp_out *o, char *end)
{
	o->len = end - o->buf;
}

static inline void out_mem(struct cp_out *o, const void *p, size_t n)
{
	memcpy(out_reserve(o, n), p, n);
	o->len += n;
}

static inline void out_char(struct cp_out *o, char c)
{
	*out_reserve(o, 1) = c;
	o->len++;
}

static inline void out_str(struct cp_out *o, const char *s)
{
	out_mem(o, s, strlen(s));
}

/*
 * "0000" to "9999", and how many digits each has without its leading
 * zeros: 4 digits are a load and a store.  One more row, for the bytes
 * that a copy of the last row's shorter forms loads past "9999".
 */
extern char fmt_digits4[10001][4];
extern unsigned char fmt_len4[10000];

/* 1 to 4 digits of @v (< 10000), no leading zeros; 4 bytes are written. */
static inline __attribute__((always_inline))
size_t fmt_upto4(char *buf, unsigned int v)
{
	size_t n = fmt_len4[v];

	memcpy(buf, fmt_digits4[v] + 4 - n, 4);
	return n;
}

/* Exactly 8 digits of @v (< 10^8), leading zeros kept. */
static inline __attribute__((always_inline))
void fmt_fixed8(char *buf, unsigned int v)
{
	memcpy(buf, fmt_digits4[v / 10000], 4);
	memcpy(buf + 4, fmt_digits4[v % 10000], 4);
}

/* fmt_u64() of a value below 2^32: 32-bit divisions are cheaper. */
static inline __attribute__((always_inline))
size_t fmt_u32(char *buf, unsigned int u)
{
	size_t n;

	if (u < 10000)
		return fmt_upto4(buf, u);
	if (u < 100000000) {
		n = fmt_upto4(buf, u / 10000);
		memcpy(buf + n, fmt_digits4[u % 10000], 4);
		return n + 4;
	}
	n = fmt_upto4(buf, u / 100000000);
	fmt_fixed8(buf + n, u % 100000000);
	return n + 8;
}

/*
 * Decimal text of @v into @buf (at least 21 bytes), not NUL-terminated;
 * returns the length.  The building block of every number printed per
 * record, hence inline: the magnitude picks how many groups of 4 digits
 * follow the leading ones, each group a table lookup, not a division
 * per digit.  Bytes past the length, up to the 4th, may be written.
 */
static inline __attribute__((always_inline))
size_t fmt_u64(char *buf, unsigned long long v)
{
	unsigned long long top = v / 100000000;
	size_t n;

	if (v <= 0xffffffffULL)
		return fmt_u32(buf, v);
	if (top <= 0xffffffffULL) {
		n = fmt_u32(buf, top);
	} else {
		/* 2^64 / 10^16 < 1845 */
		n = fmt_upto4(buf, top / 100000000);
		fmt_fixed8(buf + n, top % 100000000);
		n += 8;
	}
	fmt_fixed8(buf + n, v % 100000000);
	return n + 8;
}

/*
 * @v / 10^@decimals with exactly @decimals digits after the point, e.g.
 * (1234567, 3) -> "1234.567"; @buf needs 32 bytes.  Returns the length.
 * Inline, so that a constant @decimals makes the divisions multiplies.
 */
static inline size_t fmt_fixed(char *buf, unsigned long long v,
			       unsigned int decimals)
{
	unsigned long long scale = 1;
	unsigned int i;
	size_t n;

	/* 3 below 2^32, every latency and time: "0fff"'s 0 becomes the point */
	if (decimals == 3 && v <= 0xffffffffULL) {
		n = fmt_u32(buf, (unsigned int)v / 1000);
		memcpy(buf + n, fmt_digits4[(unsigned int)v % 1000], 4);
		buf[n] = '.';
		return n + 4;
	}
	for (i = 0; i < decimals; i++)
		scale *= 10;
	n = fmt_u64(buf, v / scale);
	if (!decimals)
		return n;
	/* the fraction with its leading zeros, after a 1 the point replaces */
	n += fmt_u64(buf + n, scale + v % scale);
	buf[n - decimals - 1] = '.';
	return n;
}

/*
 * Nanoseconds as milliseconds with 3 decimals, rounded to the nearest
 * microsecond: the latency columns.  @buf needs 32 bytes.  Inline: a
 * table row has one.
 */
static inline size_t fmt_ns_as_ms(char *buf, unsigned long long ns)
{
	/* round half up without adding first, so no value can wrap */
	unsigned long long us = ns / 1000 + (ns % 1000 >= 500);

	return fmt_fixed(buf, us, 3);
}

/*
 * Write @len bytes of @data to @dir/@name through a temporary file in
 * @dir and rename(), so a reader sees the old file or the new one, never
 * a part.  The temporary name starts with '.' and does not end in ".prom",
 * so the collector never reads it.  -1 with a message in @err.
 */
int textfile_write(const char *dir, const char *name, const void *data,
		   size_t len, char *err, size_t errlen);

#endif /* CONNPROBE_OUT_H */
