/* SPDX-License-Identifier: GPL-2.0 */
/* A record's values as text; the bytes a task controls made safe to print. */
#ifndef CONNPROBE_FORMAT_H
#define CONNPROBE_FORMAT_H

#include <arpa/inet.h>
#include <errno.h>
#include <sys/socket.h>
#include <time.h>

#include <connprobe.h>

#include "out.h"

#define NAME_BUF_LEN	24	/* any name below, "E<num>" and "af<num>" too */

/* A name and its length: a row copies it whole, a few stores. */
struct cp_name {
	char s[NAME_BUF_LEN - 1];
	unsigned char len;
};

/* The name, or "E<num>" etc. made in @buf; non-inet families go by socket type. */
const struct cp_name *errno_cp_name(long long err, struct cp_name *buf);
const struct cp_name *family_name(unsigned int family, struct cp_name *buf);
const struct cp_name *proto_name(unsigned int family, unsigned int type,
				 unsigned int protocol, struct cp_name *buf);
/* The same, as text; @buf: NAME_BUF_LEN bytes */
const char *errno_str(long long err, char *buf, size_t len);
const char *family_str(unsigned int family, char *buf, size_t len);
const char *proto_str(unsigned int family, unsigned int type,
		      unsigned int protocol, char *buf, size_t len);
/* The number of errno @name (any case), or -1. */
long long errno_by_name(const char *name);

/* What the caller saw for kernel error @err: the restart codes (512-516 but 515) are EINTR. */
static inline long long caller_errno(long long err)
{
	return err >= 512 && err <= 516 && err != 515 ? EINTR : err;
}

#define UNIX_ADDR_BUF_LEN	(CONNPROBE_PATH_LEN + 1)	/* sun_path's bytes and a NUL */
#define SUN_PATH_OFFSET		2	/* of sockaddr_un.sun_path */

/* AF_INET or AF_INET6 if there is an address to show, else 0. */
static inline __attribute__((always_inline))
unsigned int rec_saddr_family(const struct connprobe_record *rec)
{
	/* saddr carries no family of its own: it is the socket's. */
	if ((rec->flags & (CONNPROBE_F_SOCK | CONNPROBE_F_SADDR)) !=
	    (CONNPROBE_F_SOCK | CONNPROBE_F_SADDR))
		return 0;
	return rec->family == AF_INET || rec->family == AF_INET6 ? rec->family : 0;
}

/* As rec_saddr_family(); AF_UNIX for a path. */
static inline unsigned int rec_daddr_family(const struct connprobe_record *rec)
{
	if (!(rec->flags & CONNPROBE_F_DADDR))
		return 0;
	/* the kernel leaves daddr, dport zero if the caller's addrlen is short */
	switch (rec->daddr_family) {
	case AF_INET:
		return rec->addrlen >= sizeof(struct sockaddr_in) ? AF_INET : 0;
	case AF_INET6:	/* sockaddr_in6 without sin6_scope_id (RFC 2133) will do */
		return rec->addrlen >= 24 ? AF_INET6 : 0;
	case AF_UNIX:	/* an unnamed address has no path */
		return rec->addrlen > SUN_PATH_OFFSET ? AF_UNIX : 0;
	}
	return 0;
}

/* Into @buf (UNIX_ADDR_BUF_LEN bytes); the length. */
size_t rec_daddr_fmt(const struct connprobe_record *rec, char *buf);
/* inet_ntop()'s text, at less cost; 0 / NULL if not inet (or @len too short). */
size_t addr_fmt(unsigned int family, const __u8 *addr, char *buf);
const char *addr_str(unsigned int family, const __u8 *addr, char *buf, size_t len);
/* A path, or an abstract name with NULs as '@' (as ss(8)); NULL: unnamed */
const char *unix_path_str(const char *path, size_t len, char *buf);
bool ipv4_mapped(const __u8 *addr);	/* ::ffff:a.b.c.d */

/* Length of the valid UTF-8 sequence at @p (<= @left bytes), else 0. */
size_t utf8_seq_len(const unsigned char *p, size_t left);
/* @s's first @len bytes (to a NUL), '?' if not printable ASCII: a byte a column. */
size_t text_ascii(const char *s, size_t len, char *out);

#define JSON_ESCAPE_MAX		6	/* bytes one input byte may become: "\ufffd" */
extern const unsigned char json_plain[256];	/* copied as it is */
char *json_put_rest(char *p, const char *s, size_t i, size_t len);

/* @s's first @len bytes (to a NUL) as JSON at @p (@len * JSON_ESCAPE_MAX + 2 bytes); its end */
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

void json_string(struct cp_out *o, const char *s, size_t len);
void json_string_or_null(struct cp_out *o, const char *s);
/* ,"@key": (a literal needing no escaping) */
void json_key(struct cp_out *o, const char *key);

/* The last second's text is cached: localtime_r() per record costs a row's worth. */
struct cp_timecache {
	bool valid;
	time_t sec;
	char text[40];
	size_t len;
};

/* ns: CLOCK_REALTIME - CLOCK_MONOTONIC, and CLOCK_MONOTONIC. */
long long realtime_offset_now(void);
long long mono_now(void);

/* Signed seconds with 3 decimals, rounded: "-0.500".  @buf: 32 bytes. */
static inline size_t fmt_relative(char *buf, long long ns)
{
	unsigned long long a = ns < 0 ? -(unsigned long long)ns : (unsigned long long)ns;
	unsigned long long ms = a / 1000000 + (a % 1000000 >= 500000);
	size_t n = 0;

	if (ns < 0)
		buf[n++] = '-';
	return n + fmt_fixed(buf + n, ms, 3);
}

/* Local "HH:MM:SS.mmm" (bcc's -T, with milliseconds).  @buf: 48 bytes. */
size_t fmt_clock(struct cp_timecache *c, char *buf, long long realtime_ns);
/* RFC 3339 UTC with nanoseconds: "2026-11-26T10:00:01.123456789Z" (48). */
size_t fmt_rfc3339(struct cp_timecache *c, char *buf, long long realtime_ns);

/* Wall-clock ns of a record's ts_ns; wraps instead of overflowing. */
static inline long long realtime_of(unsigned long long ts_ns, long long offset_ns)
{
	return (long long)(ts_ns + (unsigned long long)offset_ns);
}

#endif /* CONNPROBE_FORMAT_H */
