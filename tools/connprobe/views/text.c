// SPDX-License-Identifier: GPL-2.0
/* UTF-8 validation and printable copies of untrusted text. */
#include <string.h>

#include "text.h"

size_t utf8_seq_len(const unsigned char *p, size_t left)
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

static int is_printable_ascii(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

size_t text_ascii(const char *s, size_t len, char *out)
{
	size_t i;

	/* one pass: a comm is short, a call to strnlen() first is not */
	for (i = 0; i < len && s[i]; i++)
		out[i] = is_printable_ascii(s[i]) ? s[i] : '?';
	return i;
}
