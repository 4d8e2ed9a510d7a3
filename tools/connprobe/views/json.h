/* SPDX-License-Identifier: GPL-2.0 */
/* JSON string output shared by every JSON printer. */
#ifndef CONNPROBE_JSON_H
#define CONNPROBE_JSON_H

#include <stddef.h>

#include "out.h"

/*
 * Print the first @len bytes of @s (stopping early at a NUL) as a quoted
 * JSON string.  Any byte may appear: control characters are escaped and
 * bytes that are not valid UTF-8 become U+FFFD, so the output is always
 * valid JSON whatever a task named itself.
 */
void json_string(struct cp_out *o, const char *s, size_t len);

/* The most one input byte becomes: "\u001b", "\ufffd". */
#define JSON_ESCAPE_MAX		6

/* Printable ASCII but '"' and '\\': copied as it is. */
extern const unsigned char json_plain[256];

/* json_put_string() from @s[@i] on, the first byte to escape. */
char *json_put_rest(char *p, const char *s, size_t i, size_t len);

/*
 * json_string() straight into memory at @p, which needs
 * @len * JSON_ESCAPE_MAX + 2 bytes; returns the end of the text.  The
 * text of most strings needs no escaping: inline, that costs a load and
 * a store a byte.
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
