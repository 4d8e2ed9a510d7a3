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

void json_string(struct cp_out *o, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	char uesc[6] = { '\\', 'u', '0', '0' };
	size_t i, n, run;

	len = strnlen(s, len);
	out_char(o, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = p[i];
		const char *esc;

		/* Plain ASCII goes out in runs: the common case by far. */
		for (run = i; run < len && p[run] >= 0x20 && p[run] < 0x7f &&
		     p[run] != '"' && p[run] != '\\'; run++)
			;
		if (run > i) {
			out_mem(o, p + i, run - i);
			i = run - 1;
			continue;
		}
		esc = json_short_escape(c);
		if (esc) {
			out_str(o, esc);
		} else if (c < 0x20 || c == 0x7f) {
			/* DEL is legal raw, but escaping it keeps terminals sane. */
			uesc[4] = hex[c >> 4];
			uesc[5] = hex[c & 0xf];
			out_mem(o, uesc, sizeof(uesc));
		} else if ((n = utf8_seq_len(p + i, len - i)) > 0) {
			out_mem(o, p + i, n);
			i += n - 1;
		} else {
			out_str(o, "\\ufffd");
		}
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
