// SPDX-License-Identifier: GPL-2.0
/* Decoding a record's numbers and addresses into text. */
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "out.h"

/* "0." to "255.", and each one's length: an octet is a table lookup. */
static char octet_text[256][4];
static unsigned char octet_len[256];

/* "00" to "ff": a byte of an IPv6 group is a table lookup too. */
static char hex_pairs[256][2];

static void __attribute__((constructor)) init_tables(void)
{
	static const char hex[] = "0123456789abcdef";
	char octet[8];
	int i;

	for (i = 0; i < 256; i++) {
		/* no room for a NUL after "255." */
		octet_len[i] = snprintf(octet, sizeof(octet), "%d.", i);
		memcpy(octet_text[i], octet, 4);
		hex_pairs[i][0] = hex[i >> 4];
		hex_pairs[i][1] = hex[i & 0xf];
	}
}

/* inet_ntop() goes through snprintf(): too slow for every record. */
static size_t ipv4_fmt(const __u8 *addr, char *buf)
{
	size_t n = 0;
	int i;

	/* unrolled: the loop would cost a third more */
#pragma GCC unroll 4
	for (i = 0; i < 4; i++) {
		/* the 4 bytes of "255.", fewer of shorter octets */
		memcpy(buf + n, octet_text[addr[i]], 4);
		n += octet_len[addr[i]];
	}
	buf[n - 1] = '\0';
	return n - 1;
}

/* Lower-case hex of the group @hi:@lo without leading zeros, as "%x". */
static char *put_group(char *p, unsigned int hi, unsigned int lo)
{
	if (hi) {
		if (hi >= 0x10)
			*p++ = hex_pairs[hi][0];
		*p++ = hex_pairs[hi][1];
	} else if (lo < 0x10) {
		*p++ = hex_pairs[lo][1];
		return p;
	}
	memcpy(p, hex_pairs[lo], 2);
	return p + 2;
}

/*
 * inet_ntop(AF_INET6)'s output to the byte, as glibc's resolv/inet_ntop.c:
 * the longest run of two or more zero groups (the first of equal ones) is
 * "::", and IPv4-mapped and -compatible addresses end in dotted quad.
 * Each group gets a ':' after it, the run one ':' (two at the start), and
 * the last ':' goes unless the run ends the address.
 */
static size_t ipv6_fmt(const __u8 *addr, char *buf)
{
	unsigned int start = 8, end = 8, cur = 0, len = 0, i;
	char *p = buf;

	for (i = 0; i < 8; i++) {
		if (addr[2 * i] || addr[2 * i + 1]) {
			len = 0;
			continue;
		}
		if (!len++)
			cur = i;
		if (len >= 2 && len > end - start)
			start = cur, end = cur + len;
	}
	if (start == 0 && (end == 6 ||
			   (end == 5 && addr[10] == 0xff && addr[11] == 0xff))) {
		memcpy(p, "::ffff:", 7);
		p += end == 6 ? 2 : 7;
		return p - buf + ipv4_fmt(addr + 12, p);
	}
	for (i = 0; i < 8; i++) {
		if (i == start) {
			if (!i)
				*p++ = ':';
			*p++ = ':';
			i = end - 1;
			continue;
		}
		p = put_group(p, addr[2 * i], addr[2 * i + 1]);
		*p++ = ':';
	}
	p -= start == 8 || end != 8;
	*p = '\0';
	return p - buf;
}

size_t addr_fmt(unsigned int family, const __u8 *addr, char *buf)
{
	if (family == AF_INET)
		return ipv4_fmt(addr, buf);
	if (family == AF_INET6)
		return ipv6_fmt(addr, buf);
	buf[0] = '\0';
	return 0;
}

const char *addr_str(unsigned int family, const __u8 *addr,
		     char *buf, size_t len)
{
	if (len < INET6_ADDRSTRLEN)
		return NULL;
	return addr_fmt(family, addr, buf) ? buf : NULL;
}

bool ipv4_mapped(const __u8 *addr)
{
	static const __u8 prefix[12] = { [10] = 0xff, [11] = 0xff };

	return !memcmp(addr, prefix, sizeof(prefix));
}

const char *unix_path_str(const char *path, size_t len, char *buf)
{
	size_t i;

	len = len < CONNPROBE_PATH_LEN ? len : CONNPROBE_PATH_LEN;
	if (!len)
		return NULL;
	/* a path ends at a NUL; an abstract name is every byte after its first */
	if (path[0])
		len = strnlen(path, len);
	for (i = 0; i < len; i++)
		buf[i] = path[i] ? path[i] : '@';
	buf[len] = '\0';
	return buf;
}

size_t rec_daddr_fmt(const struct connprobe_record *rec, char *buf)
{
	switch (rec_daddr_family(rec)) {
	case AF_UNIX:
		/* addrlen comes from the caller; unix_path_str() clamps it */
		return strlen(unix_path_str(rec->sun_path,
					    rec->addrlen - SUN_PATH_OFFSET, buf));
	case 0:
		buf[0] = '\0';
		return 0;
	}
	return addr_fmt(rec->daddr_family, rec->daddr, buf);
}
