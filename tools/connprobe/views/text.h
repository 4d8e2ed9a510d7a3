/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Making task-controlled bytes (comm, AF_UNIX paths) safe to print: a
 * task can name itself anything, including terminal escapes and bytes
 * that are not UTF-8.
 */
#ifndef CONNPROBE_TEXT_H
#define CONNPROBE_TEXT_H

#include <stddef.h>
#include <string.h>

/*
 * Length of the well-formed UTF-8 sequence at @p (at most @left bytes), or
 * 0 if it is not one.  Overlong forms, surrogates and code points above
 * U+10FFFF are rejected, so strict parsers accept what passes.
 */
size_t utf8_seq_len(const unsigned char *p, size_t left);

/*
 * The first @len bytes of @s (up to a NUL) into @out, no NUL, '?' for
 * each byte not printable ASCII: in a table, one byte is one column.
 */
size_t text_ascii(const char *s, size_t len, char *out);

#endif /* CONNPROBE_TEXT_H */
