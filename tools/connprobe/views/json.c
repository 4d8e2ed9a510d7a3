// SPDX-License-Identifier: GPL-2.0
/* JSON string escaping (RFC 8259 section 7). */
#include <string.h>

#include "json.h"
#include "text.h"

const unsigned char json_plain[256] = {
	[0x20 ... 0x21] = 1, [0x23 ... 0x5b] = 1, [0x5d ... 0x7e] = 1,
};

/* The two-character escapes JSON defines. */
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
