// SPDX-License-Identifier: GPL-2.0
/* UTF-8 validation, printable copies, JSON string escaping (RFC 8259 7). */
#include "out.h"
#include "text.h"

size_t utf8_seq_len(const unsigned char *p, size_t left)
{
	/* the least code point of each length: less is an overlong form */
	static const unsigned int min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc0 ? 2 : 0;
	unsigned int cp = p[0] & (0x7f >> n), i;

	if (!n || n > left || p[0] > 0xf4)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

size_t text_ascii(const char *s, size_t len, char *out)
{
	size_t i;

	/* one pass: a comm is short, a call to strnlen() first is not */
	for (i = 0; i < len && s[i]; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	return i;
}

const unsigned char json_plain[256] = {
	[0x20 ... 0x21] = 1, [0x23 ... 0x5b] = 1, [0x5d ... 0x7e] = 1,
};

static const char *const json_short[256] = {
	['"'] = "\\\"", ['\\'] = "\\\\", ['\b'] = "\\b", ['\f'] = "\\f",
	['\n'] = "\\n", ['\r'] = "\\r", ['\t'] = "\\t",
};

char *json_put_rest(char *p, const char *s, size_t i, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t n;

	for (;;) {
		/* plain ASCII, the common case by far: a load and a store */
		while (i < len && json_plain[u[i]])
			*p++ = u[i++];
		if (i == len || !u[i])
			break;
		if (json_short[u[i]]) {
			memcpy(p, json_short[u[i]], 2);
			p += 2;
		} else if (u[i] < 0x80) {
			/* DEL is legal raw, but escaping it keeps terminals sane. */
			memcpy(p, "\\u00", 4);
			p[4] = hex[u[i] >> 4];
			p[5] = hex[u[i] & 0xf];
			p += 6;
		} else if ((n = utf8_seq_len(u + i, len - i)) > 0) {
			memcpy(p, u + i, n);
			p += n;
			i += n - 1;
		} else {
			memcpy(p, "\\ufffd", 6);
			p += 6;
		}
		i++;
	}
	*p++ = '"';
	return p;
}

void json_string(struct cp_out *o, const char *s, size_t len)
{
	len = strnlen(s, len);
	out_commit(o, json_put_string(out_reserve(o, len * JSON_ESCAPE_MAX + 2),
				      s, len));
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
	out_str(o, ",\"");
	out_str(o, key);
	out_str(o, "\":");
}
