/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Making task-controlled bytes (comm, AF_UNIX paths) safe to print: a
 * task can name itself anything, including terminal escapes and bytes
 * that are not UTF-8.
 */
#ifndef CONNPROBE_TEXT_H
#define CONNPROBE_TEXT_H

#include <endian.h>
#include <stddef.h>
#include <string.h>

/*
 * Length of the well-formed UTF-8 sequence at @p (at most @left bytes), or
 * 0 if it is not one.  Overlong forms, surrogates and code points above
 * U+10FFFF are rejected, so strict parsers accept what passes.
 */
size_t utf8_seq_len(const unsigned char *p, size_t left);

/*
 * Copy the first @len bytes of @s (stopping at a NUL) to @out, replacing
 * every byte that is not printable ASCII with '?': table columns, where
 * one byte must be one column.  Returns the length; @out needs @len bytes
 * and gets no NUL.
 */
size_t text_ascii(const char *s, size_t len, char *out);

/*
 * Copy @s to @out 8 bytes at a time up to the first byte that is not
 * printable ASCII (NUL included) or is @a or @b, and return its index;
 * @len rounded down to 8 if there is none before.  All @len bytes of @s
 * must be readable, also past a NUL (a record's comm is).  Bit 7 of each byte
 * is its test: below ' ' by a borrow, from DEL up by a carry or its own
 * bit, @a and @b as zeros of an xor.  Only the lowest is sure to be
 * right, all that is asked: a borrow or carry runs up from such a byte.
 */
static inline size_t text_copy_plain(char *out, const char *s, size_t len,
				     unsigned char a, unsigned char b)
{
	const unsigned long long ones = 0x0101010101010101ULL;
	unsigned long long w, x, y, stop;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		memcpy(out + i, &w, 8);
		w = le64toh(w);
		x = w ^ ones * a;
		y = w ^ ones * b;
		stop = (((w - ones * 0x20) & ~w) | ((x - ones) & ~x) |
			((y - ones) & ~y) | w | (w + ones)) & ones << 7;
		if (stop)
			return i + __builtin_ctzll(stop) / 8;
	}
	return i;
}

#endif /* CONNPROBE_TEXT_H */
