/* SPDX-License-Identifier: GPL-2.0 */
/* JSON string output shared by every JSON printer. */
#ifndef CONNPROBE_JSON_H
#define CONNPROBE_JSON_H

#include <stddef.h>

#include "out.h"

/*
 * The first @len bytes of @s (up to a NUL) as a JSON string: control
 * characters escaped, invalid UTF-8 as U+FFFD, valid whatever a task
 * named itself.
 */
void json_string(struct cp_out *o, const char *s, size_t len);

/* The most one input byte becomes: "\u001b", "\ufffd". */
#define JSON_ESCAPE_MAX		6

/* Printable ASCII but '"' and '\\': copied as it is. */
extern const unsigned char json_plain[256];

/* json_put_string() from @s[@i] on, the first byte to escape. */
char *json_put_rest(char *p, const char *s, size_t i, size_t len);

/*
 * json_string() into @p (@len * JSON_ESCAPE_MAX + 2 bytes); its end.
 * Inline: most text needs no escaping, a load and a store a byte.
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

/* Print a JSON string, or null when @s is NULL. */
void json_string_or_null(struct cp_out *o, const char *s);

/* Print ,"@key": (@key is a literal needing no escaping). */
void json_key(struct cp_out *o, const char *key);

#endif /* CONNPROBE_JSON_H */
