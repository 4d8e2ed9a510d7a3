/* SPDX-License-Identifier: GPL-2.0 */
/* The addresses of a record as text, for the table, JSON, CSV and groups. */
#ifndef CONNPROBE_FORMAT_H
#define CONNPROBE_FORMAT_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <sys/socket.h>

#include <connprobe.h>

/* An AF_UNIX destination: '@' or the first byte, up to 107 more, a NUL. */
#define UNIX_ADDR_BUF_LEN	(CONNPROBE_PATH_LEN + 1)

/* sockaddr_un.sun_path starts after the 2-byte sun_family. */
#define SUN_PATH_OFFSET		2

/* The family of the address to show (AF_INET, AF_INET6), else 0. */
static inline __attribute__((always_inline))
unsigned int rec_saddr_family(const struct connprobe_record *rec)
{
	/* saddr carries no family of its own: it is the socket's. */
	if ((rec->flags & (CONNPROBE_F_SOCK | CONNPROBE_F_SADDR)) !=
	    (CONNPROBE_F_SOCK | CONNPROBE_F_SADDR))
		return 0;
	return rec->family == AF_INET || rec->family == AF_INET6 ?
	       rec->family : 0;
}

/* As rec_saddr_family(); AF_UNIX for a path.  A port is shown with it. */
static inline unsigned int rec_daddr_family(const struct connprobe_record *rec)
{
	if (!(rec->flags & CONNPROBE_F_DADDR))
		return 0;
	/*
	 * The kernel leaves daddr and dport zero (unknown) when the caller's
	 * addrlen is too short to hold them.
	 */
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

/*
 * inet_ntop()'s text of @addr to the byte, without its cost, into @buf
 * (INET6_ADDRSTRLEN bytes); its length, 0 for another @family.
 */
size_t addr_fmt(unsigned int family, const __u8 *addr, char *buf);

/* addr_fmt(), as @buf or NULL; NULL too if @len < INET6_ADDRSTRLEN. */
const char *addr_str(unsigned int family, const __u8 *addr,
		     char *buf, size_t len);

/*
 * The @len bytes of sun_path at @path: a path up to its first NUL, or an
 * abstract name with each NUL shown as '@' (as ss(8) does); NULL for an
 * unnamed address.  @buf needs UNIX_ADDR_BUF_LEN bytes.
 */
const char *unix_path_str(const char *path, size_t len, char *buf);

/* ::ffff:a.b.c.d */
bool ipv4_mapped(const __u8 *addr);

#endif /* CONNPROBE_FORMAT_H */
