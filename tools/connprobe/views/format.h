/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A record's values as text: names, addresses, times, and the bytes a task
 * controls (comm, AF_UNIX paths) made safe to print: terminal escapes, bad UTF-8.
 */
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

/*
 * The name, or "E<num>", "af<num>", "proto<num>", "type<num>" made in @buf;
 * errnos include kernel-internal ones (ERESTARTSYS).  Other families than
 * inet/inet6 go by socket type: their protocol numbers mean nothing outside.
 */
const struct cp_name *errno_cp_name(long long err, struct cp_name *buf);
const struct cp_name *family_name(unsigned int family, struct cp_name *buf);
const struct cp_name *proto_name(unsigned int family, unsigned int type,
				 unsigned int protocol, struct cp_name *buf);
/* The same, as text */
const char *errno_str(long long err, char *buf, size_t len);
const char *family_str(unsigned int family, char *buf, size_t len);
const char *proto_str(unsigned int family, unsigned int type,
		      unsigned int protocol, char *buf, size_t len);
/* The number of errno @name (any case, kernel-internal ones too), or -1. */
long long errno_by_name(const char *name);

/*
 * What the caller of connect() saw for kernel error @err (positive): the
 * restart codes (include/linux/errno.h: 512-516 but ENOIOCTLCMD, 515)
 * mean EINTR or a restarted call.  Inline: views ask it per record.
 */
static inline long long caller_errno(long long err)
{
	return err >= 512 && err <= 516 && err != 515 ? EINTR : err;
}

#define UNIX_ADDR_BUF_LEN	(CONNPROBE_PATH_LEN + 1)	/* sun_path's bytes and a NUL */
#define SUN_PATH_OFFSET		2	/* of sockaddr_un.sun_path */

/* The family of the address to show (AF_INET, AF_INET6), else 0. */
static inline __attribute__((always_inline))
unsigned int rec_saddr_family(const struct connprobe_record *rec)
{
	/* saddr carries no family of its own: it is the socket's. */
	if ((rec->flags & (CONNPROBE_F_SOCK | CONNPROBE_F_SADDR)) !=
	    (CONNPROBE_F_SOCK | CONNPROBE_F_SADDR))
		return 0;
	return rec->family == AF_INET || rec->family == AF_INET6 ? rec->family : 0;
}

/* As rec_saddr_family(); AF_UNIX for a path.  A port is shown with it. */
static inline unsigned int rec_daddr_family(const struct connprobe_record *rec)
{
	if (!(rec->flags & CONNPROBE_F_DADDR))
		return 0;
	/* the kernel leaves daddr, dport zero if the caller's addrlen is short */
	switch (rec->daddr_family) {
	case AF_INET:
		return rec->addrlen >= sizeof(struct sockaddr_in) ? AF_INET : 0;
	case AF_INET6:
		/* sockaddr_in6 without sin6_scope_id (RFC 2133) is accepted */
		return rec->addrlen >= 24 ? AF_INET6 : 0;
	case AF_UNIX:
		/* an unnamed address has no path */
		return rec->addrlen > SUN_PATH_OFFSET ? AF_UNIX : 0;
	}
	return 0;
}

/* The destination's text into @buf (UNIX_ADDR_BUF_LEN bytes); its length. */
size_t rec_daddr_fmt(const struct connprobe_record *rec, char *buf);
/* inet_ntop()'s text, at less cost, into @buf; its length, 0 if not inet. */
size_t addr_fmt(unsigned int family, const __u8 *addr, char *buf);
/* addr_fmt(), as @buf or NULL; NULL too if @len < INET6_ADDRSTRLEN. */
const char *addr_str(unsigned int family, const __u8 *addr, char *buf, size_t len);
/* sun_path's @len bytes: a path, or an abstract name with NULs as '@' (as ss(8)); NULL: unnamed */
const char *unix_path_str(const char *path, size_t len, char *buf);
bool ipv4_mapped(const __u8 *addr);	/* ::ffff:a.b.c.d */

/* Length of the UTF-8 sequence at @p (<= @left bytes); 0: overlong, surrogate, > U+10FFFF. */
size_t utf8_seq_len(const unsigned char *p, size_t left);
/* @s's first @len bytes (to a NUL) into @out, '?' if not printable ASCII: a byte a column. */
size_t text_ascii(const char *s, size_t len, char *out);

/* The most one input byte becomes in JSON: "\u001b", "\ufffd". */
#define JSON_ESCAPE_MAX		6
/* Printable ASCII but '"' and '\\': copied as it is. */
extern const unsigned char json_plain[256];
char *json_put_rest(char *p, const char *s, size_t i, size_t len);

/*
 * @s's first @len bytes (to a NUL) as a JSON string into @p (@len *
 * JSON_ESCAPE_MAX + 2 bytes); its end.  Inline: most bytes need no escape.
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

void json_string(struct cp_out *o, const char *s, size_t len);
/* null when @s is NULL */
void json_string_or_null(struct cp_out *o, const char *s);
/* ,"@key": (a literal needing no escaping) */
void json_key(struct cp_out *o, const char *key);

/* The last second's text is cached: localtime_r() per record costs a row's worth. */
struct cp_timecache {
	bool valid;
	time_t sec;
	char text[40];		/* the cached second, formatted */
	size_t len;
};

/* In ns, now: CLOCK_REALTIME - CLOCK_MONOTONIC, and CLOCK_MONOTONIC. */
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
