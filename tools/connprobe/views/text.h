/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Task-controlled bytes (comm, AF_UNIX paths) made safe to print: a task
 * can name itself anything, terminal escapes and invalid UTF-8 included.
 */
#ifndef CONNPROBE_TEXT_H
#define CONNPROBE_TEXT_H

#include <stddef.h>

struct cp_out;

/*
 * Length of the well-formed UTF-8 sequence at @p (at most @left bytes), or
 * 0.  Overlong forms, surrogates and code points above U+10FFFF are
 * rejected, so strict parsers accept what passes.
 */
size_t utf8_seq_len(const unsigned char *p, size_t left);

/*
 * The first @len bytes of @s (up to a NUL) into @out, no NUL, '?' for
 * each byte not printable ASCII: in a table, one byte is one column.
 */
size_t text_ascii(const char *s, size_t len, char *out);

/* The most one input byte becomes in JSON: "\u001b", "\ufffd". */
#define JSON_ESCAPE_MAX		6

/* Printable ASCII but '"' and '\\': copied as it is. */
extern const unsigned char json_plain[256];

char *json_put_rest(char *p, const char *s, size_t i, size_t len);

/*
 * The first @len bytes of @s (up to a NUL) as a JSON string into @p
 * (@len * JSON_ESCAPE_MAX + 2 bytes); its end.  Inline: most text needs
 * no escaping, a load and a store a byte.
 */
static inline char *json_put_string(char *p, const char *s, size_t len)
{
	size_t i = 0;

	*p++ = '"';
	while (i < len && json_plain[(unsigned char)s[i]])
		*p++ = s[i++];
	if (i < len && s[i])
		return json_put_rest(p, s, i, len);
	*p++ = '"';
	return p;
}

void json_string(struct cp_out *o, const char *s, size_t len);
/* null when @s is NULL */
void json_string_or_null(struct cp_out *o, const char *s);
/* ,"@key": (a literal needing no escaping) */
void json_key(struct cp_out *o, const char *key);

#endif /* CONNPROBE_TEXT_H */
