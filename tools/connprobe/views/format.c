// SPDX-License-Identifier: GPL-2.0
/* Names, addresses, times, UTF-8 checks, printable copies, JSON escaping. */
#define _GNU_SOURCE	/* strerrorname_np */
#include <strings.h>

#include "format.h"

/*
 * include/linux/errno.h's kernel-internal codes, from 512: a kretprobe
 * sees them before the syscall exit translates them.  Below 512, libc's
 * strerrorname_np() gives the kernel's name, not an alias (EWOULDBLOCK).
 */
#define KERNEL_ERRNO_BASE	512
static const char *const kernel_errno_names[] = {
	"ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", "ENOIOCTLCMD", "ERESTART_RESTARTBLOCK",
	"EPROBE_DEFER", "EOPENSTALE", "ENOPARAM", NULL, "EBADHANDLE", "ENOTSYNC", "EBADCOOKIE",
	"ENOTSUPP", "ETOOSMALL", "ESERVERFAULT", "EBADTYPE", "EJUKEBOX", "EIOCBQUEUED",
	"ERECALLCONFLICT", "ENOGRACE",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define N(s)	{ s, sizeof(s) - 1 }

/* In the order of the AF_ numbers, the kernel's ABI: 0 to AF_MCTP. */
static const struct cp_name family_names[] = {
	N("unspec"), N("unix"), N("inet"), N("ax25"), N("ipx"), N("appletalk"), N("netrom"),
	N("bridge"), N("atmpvc"), N("x25"), N("inet6"), N("rose"), N("decnet"), N("netbeui"),
	N("security"), N("key"), N("netlink"), N("packet"), N("ash"), N("econet"), N("atmsvc"),
	N("rds"), N("sna"), N("irda"), N("pppox"), N("wanpipe"), N("llc"), N("ib"), N("mpls"),
	N("can"), N("tipc"), N("bluetooth"), N("iucv"), N("rxrpc"), N("isdn"), N("phonet"),
	N("ieee802154"), N("caif"), N("alg"), N("nfc"), N("vsock"), N("kcm"), N("qipcrtr"),
	N("smc"), N("xdp"), N("mctp"),
};
_Static_assert(ARRAY_SIZE(family_names) == AF_MCTP + 1 && AF_INET6 == 10 &&
	       AF_NETLINK == 16 && AF_VSOCK == 40, "family_names in AF_ order");

static const struct cp_name inet_proto_names[] = {
	[IPPROTO_IP] = N("ip"), [IPPROTO_ICMP] = N("icmp"), [IPPROTO_IGMP] = N("igmp"),
	[IPPROTO_TCP] = N("tcp"), [IPPROTO_UDP] = N("udp"), [IPPROTO_DCCP] = N("dccp"),
	[IPPROTO_GRE] = N("gre"), [IPPROTO_ESP] = N("esp"), [IPPROTO_AH] = N("ah"),
	[IPPROTO_ICMPV6] = N("icmpv6"), [IPPROTO_PIM] = N("pim"), [IPPROTO_SCTP] = N("sctp"),
	[IPPROTO_UDPLITE] = N("udplite"), [IPPROTO_RAW] = N("raw"), [IPPROTO_MPTCP] = N("mptcp"),
};

static const struct cp_name sock_type_names[] = {
	[SOCK_STREAM] = N("stream"), [SOCK_DGRAM] = N("dgram"), [SOCK_RAW] = N("raw"),
	[SOCK_RDM] = N("rdm"), [SOCK_SEQPACKET] = N("seqpacket"), [SOCK_DCCP] = N("dccp"),
	[SOCK_PACKET] = N("packet"),
};

/* @table's name for @i, or @prefix and the number in @buf. */
#define NAME_OR_NUMBER(table, i, prefix, buf)				\
	((unsigned long long)(i) < ARRAY_SIZE(table) && (table)[i].len ?	\
	 &(table)[i] : number_name(prefix, i, buf))

static const struct cp_name *number_name(const char *prefix, long long i, struct cp_name *buf)
{
	buf->len = snprintf(buf->s, sizeof(buf->s), "%s%lld", prefix, i);
	return buf;
}

static struct cp_name errno_names[KERNEL_ERRNO_BASE + ARRAY_SIZE(kernel_errno_names)];

/* "0." to "255." and each one's length, "00" to "ff": a byte is a table lookup. */
static char octet_text[256][4], hex_pairs[256][2];
static unsigned char octet_len[256];

static void __attribute__((constructor)) init_tables(void)
{
	struct cp_name *n;
	const char *name;
	char octet[8];
	size_t i;

	for (i = 0; i < 256; i++) {
		/* no room for a NUL after "255." */
		octet_len[i] = snprintf(octet, sizeof(octet), "%zu.", i);
		memcpy(octet_text[i], octet, 4);
		snprintf(octet, sizeof(octet), "%02zx", i);
		memcpy(hex_pairs[i], octet, 2);
	}
	/* not snprintf(): this runs at every start, for 532 numbers */
	for (i = 1, n = errno_names + 1; i < ARRAY_SIZE(errno_names); i++, n++) {
		name = i < KERNEL_ERRNO_BASE ? strerrorname_np(i) :
		       kernel_errno_names[i - KERNEL_ERRNO_BASE];
		if (name)
			n->len = strlen(strncpy(n->s, name, sizeof(n->s) - 1));
	}
}

const struct cp_name *errno_cp_name(long long err, struct cp_name *buf)
{
	return NAME_OR_NUMBER(errno_names, err, "E", buf);
}

long long errno_by_name(const char *name)
{
	size_t e;

	for (e = 1; e < ARRAY_SIZE(errno_names); e++)
		if (errno_names[e].len && !strcasecmp(errno_names[e].s, name))
			return e;
	return -1;
}

const struct cp_name *family_name(unsigned int family, struct cp_name *buf)
{
	return NAME_OR_NUMBER(family_names, family, "af", buf);
}

const struct cp_name *proto_name(unsigned int family, unsigned int type,
				 unsigned int protocol, struct cp_name *buf)
{
	if (family == AF_INET || family == AF_INET6)
		return NAME_OR_NUMBER(inet_proto_names, protocol, "proto", buf);
	return NAME_OR_NUMBER(sock_type_names, type, "type", buf);
}

/* @buf, NAME_BUF_LEN chars, holds a struct cp_name: its text, or the table's. */
_Static_assert(sizeof(struct cp_name) == NAME_BUF_LEN, "a name buffer is a cp_name");

const char *errno_str(long long err, char *buf, size_t len)
{
	return len < NAME_BUF_LEN ? "?" : errno_cp_name(err, (void *)buf)->s;
}

const char *family_str(unsigned int family, char *buf, size_t len)
{
	return len < NAME_BUF_LEN ? "?" : family_name(family, (void *)buf)->s;
}

const char *proto_str(unsigned int family, unsigned int type,
		      unsigned int protocol, char *buf, size_t len)
{
	return len < NAME_BUF_LEN ? "?" : proto_name(family, type, protocol, (void *)buf)->s;
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
 * glibc's resolv/inet_ntop.c to the byte: the longest run of 2+ zero groups
 * (the first of equal ones) is "::", IPv4-mapped and -compatible addresses end
 * in dotted quad.  Each group gets a ':' after it, the run one ':' (two at the
 * start), and the last ':' goes unless the run ends the address.
 */
static size_t ipv6_fmt(const __u8 *addr, char *buf)
{
	unsigned int start = 8, end = 8, cur = 0, len = 0, i;
	char *p = buf;

	for (i = 0; i < 8; i++) {
		if (addr[2 * i] || addr[2 * i + 1])
			len = 0;
		else if (!len++)
			cur = i;
		if (len >= 2 && len > end - start)
			start = cur, end = cur + len;
	}
	if (start == 0 && (end == 6 || (end == 5 && addr[10] == 0xff && addr[11] == 0xff))) {
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

const char *addr_str(unsigned int family, const __u8 *addr, char *buf, size_t len)
{
	return len >= INET6_ADDRSTRLEN && addr_fmt(family, addr, buf) ? buf : NULL;
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
	if (path[0])
		len = strnlen(path, len);
	*(char *)mempcpy(buf, path, len) = '\0';
	/* abstract: the name is every byte after the leading NUL, NULs as '@' */
	for (i = 0; !path[0] && i < len; i++)
		buf[i] = path[i] ?: '@';
	return buf;
}

size_t rec_daddr_fmt(const struct connprobe_record *rec, char *buf)
{
	unsigned int fam = rec_daddr_family(rec);

	/* addrlen comes from the caller; unix_path_str() clamps it */
	if (fam == AF_UNIX)
		return strlen(unix_path_str(rec->sun_path, rec->addrlen - SUN_PATH_OFFSET, buf));
	return addr_fmt(fam, rec->daddr, buf);
}

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
	const unsigned char *u = (const unsigned char *)s;
	size_t n;

	for (;;) {
		/* plain ASCII, the common case by far: a load and a store */
		while (i < len && json_plain[u[i]])
			*p++ = u[i++];
		if (i == len || !u[i])
			break;
		n = 0;
		if (json_short[u[i]])
			p = mempcpy(p, json_short[u[i]], 2);
		else if (u[i] < 0x80)	/* DEL too: legal raw, not sane in a terminal */
			p = mempcpy(mempcpy(p, "\\u00", 4), hex_pairs[u[i]], 2);
		else if ((n = utf8_seq_len(u + i, len - i)) > 0)
			p = mempcpy(p, u + i, n);
		else
			p = mempcpy(p, "\\ufffd", 6);
		i += n ?: 1;
	}
	*p++ = '"';
	return p;
}

void json_string(struct cp_out *o, const char *s, size_t len)
{
	len = strnlen(s, len);
	out_commit(o, json_put_string(out_reserve(o, len * JSON_ESCAPE_MAX + 2), s, len));
}

void json_string_or_null(struct cp_out *o, const char *s)
{
	s ? json_string(o, s, strlen(s)) : out_str(o, "null");
}

void json_key(struct cp_out *o, const char *key)
{
	out_str(o, ",\"");
	out_str(o, key);
	out_str(o, "\":");
}

#define NSEC_PER_SEC	1000000000LL

long long mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

long long realtime_offset_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec - mono_now();
}

/*
 * @ns's second as @fmt shows it (UTC or local; cached in @c), then @digits of
 * the fraction; "?" if it has no broken-down form.  Inline: @digits a constant.
 */
static inline __attribute__((always_inline))
size_t fmt_time(struct cp_timecache *c, char *buf, long long ns, bool utc,
		const char *fmt, unsigned int digits)
{
	/* floored: the second before the epoch has a positive fraction */
	long long frac = ns % NSEC_PER_SEC;
	time_t sec = ns / NSEC_PER_SEC - (frac < 0);
	unsigned int i;
	struct tm tm;
	size_t n;

	if (frac < 0)
		frac += NSEC_PER_SEC;
	if (!c->valid || c->sec != sec) {
		c->sec = sec;
		c->valid = (utc ? gmtime_r(&sec, &tm) : localtime_r(&sec, &tm)) &&
			   (c->len = strftime(c->text, sizeof(c->text), fmt, &tm));
		if (!c->valid) {
			buf[0] = '?';
			return 1;
		}
	}
	n = c->len;
	memcpy(buf, c->text, n);
	for (i = 9; i > digits; i--)
		frac /= 10;
	for (i = digits; i-- > 0; frac /= 10)
		buf[n + i] = '0' + frac % 10;
	return n + digits;
}

size_t fmt_clock(struct cp_timecache *c, char *buf, long long realtime_ns)
{
	return fmt_time(c, buf, realtime_ns, false, "%H:%M:%S.", 3);
}

size_t fmt_rfc3339(struct cp_timecache *c, char *buf, long long realtime_ns)
{
	size_t n = fmt_time(c, buf, realtime_ns, true, "%Y-%m-%dT%H:%M:%S.", 9);

	/* not after "?" */
	if (n > 1)
		buf[n++] = 'Z';
	return n;
}
