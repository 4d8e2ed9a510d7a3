// SPDX-License-Identifier: GPL-2.0
/* JSON string escaping (RFC 8259 section 7). */
#include <string.h>

#include "json.h"
#include "text.h"

/* The two-character escapes JSON defines, or NULL. */
static const char *json_short_escape(unsigned char c)
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\b':
		return "\\b";
	case '\f':
		return "\\f";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	}
	return NULL;
}

/* Printable ASCII but '"' (0x22) and '\\' (0x5c): copied as it is. */
static const unsigned char json_plain[256] = {
	[0x20 ... 0x21] = 1, [0x23 ... 0x5b] = 1, [0x5d ... 0x7e] = 1,
};

/*
 * Escape @s[*i] onwards into @p until *i reaches @stop (a UTF-8 sequence
 * may end up to 3 bytes past it; @len bounds the look-ahead); @p needs
 * JSON_ESCAPE_MAX bytes per byte of @s.  Returns the end of the text.
 */
static char *escape_run(char *p, const unsigned char *s, size_t len,
			size_t *i, size_t stop)
{
	static const char hex[] = "0123456789abcdef";
	const char *esc;
	size_t j = *i, n;
	unsigned char c;

	while (j < stop) {
		c = s[j];
		/* plain ASCII, the common case by far: a load and a store */
		if (json_plain[c]) {
			*p++ = c;
			j++;
			continue;
		}
		esc = json_short_escape(c);
		if (esc) {
			memcpy(p, esc, 2);
			p += 2;
		} else if (c < 0x20 || c == 0x7f) {
			/* DEL is legal raw, but escaping it keeps terminals sane. */
			memcpy(p, "\\u00", 4);
			p[4] = hex[c >> 4];
			p[5] = hex[c & 0xf];
			p += 6;
		} else if ((n = utf8_seq_len(s + j, len - j)) > 0) {
			memcpy(p, s + j, n);
			p += n;
			j += n - 1;
		} else {
			memcpy(p, "\\ufffd", 6);
			p += 6;
		}
		j++;
	}
	*i = j;
	return p;
}

char *json_put_string(char *p, const char *s, size_t len)
{
	size_t i = 0;

	len = strnlen(s, len);
	*p++ = '"';
	p = escape_run(p, (const unsigned char *)s, len, &i, len);
	*p++ = '"';
	return p;
}

/* Input bytes escaped per out_reserve(), well within OUT_BUF_SIZE. */
#define JSON_CHUNK	1024

void json_string(struct cp_out *o, const char *s, size_t len)
{
	size_t i = 0, stop;
	char *p;

	len = strnlen(s, len);
	out_char(o, '"');
	while (i < len) {
		stop = len - i < JSON_CHUNK ? len : i + JSON_CHUNK;
		p = out_reserve(o, (stop - i + 3) * JSON_ESCAPE_MAX);
		out_commit(o, escape_run(p, (const unsigned char *)s, len,
					 &i, stop));
	}
	out_char(o, '"');
}

void json_string_or_null(struct cp_out *o, const char *s)
{
	if (s)
		json_string(o, s, strlen(s));
	else
		out_str(o, "null");
}

void json_key(struct cp_out *o, const char *key)
{
	out_char(o, ',');
	out_char(o, '"');
	out_str(o, key);
	out_char(o, '"');
	out_char(o, ':');
}
