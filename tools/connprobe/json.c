// SPDX-License-Identifier: GPL-2.0
/* JSON string escaping (RFC 8259 section 7). */
#include <string.h>

#include "json.h"

/*
 * Length of the well-formed UTF-8 sequence at @p (at most @left bytes), or 0
 * if it is not one.  Overlong forms, surrogates and code points above
 * U+10FFFF are rejected so that strict JSON parsers accept the output.
 */
static size_t utf8_seq_len(const unsigned char *p, size_t left)
{
	unsigned int cp, min;
	size_t n, i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		cp = p[0] & 0x1f;
		min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		cp = p[0] & 0x0f;
		min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		cp = p[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

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

void json_string(FILE *f, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, n;

	len = strnlen(s, len);
	fputc('"', f);
	for (i = 0; i < len; i++) {
		unsigned char c = p[i];
		const char *esc = json_short_escape(c);

		if (esc) {
			fputs(esc, f);
		} else if (c < 0x20 || c == 0x7f) {
			/* DEL is legal raw, but escaping it keeps terminals sane. */
			fprintf(f, "\\u%04x", c);
		} else if (c < 0x80) {
			fputc(c, f);
		} else if ((n = utf8_seq_len(p + i, len - i)) > 0) {
			fwrite(p + i, 1, n, f);
			i += n - 1;
		} else {
			fputs("\\ufffd", f);
		}
	}
	fputc('"', f);
}

void json_string_or_null(FILE *f, const char *s)
{
	if (s)
		json_string(f, s, strlen(s));
	else
		fputs("null", f);
}
