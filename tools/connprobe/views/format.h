/* SPDX-License-Identifier: GPL-2.0 */
/* The printable view of one record, shared by the table, JSON and CSV. */
#ifndef CONNPROBE_FORMAT_H
#define CONNPROBE_FORMAT_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include <connprobe.h>

#include "memo.h"
#include "names.h"

/* An AF_UNIX destination: '@' or the first byte, up to 107 more, a NUL. */
#define UNIX_ADDR_BUF_LEN	(CONNPROBE_PATH_LEN + 1)

/* sockaddr_un.sun_path starts after the 2-byte sun_family. */
#define SUN_PATH_OFFSET		2

/*
 * Every field a validity bit does not cover is NULL (or -1 for ports): the
 * renderers print that as null or "-", never as the zero the kernel left
 * in the record.  Text fields may hold any byte but NUL (comm, AF_UNIX
 * paths): renderers escape or replace what their format cannot carry.
 */
struct cp_fields {
	const char *event;		/* "connect" or "complete" */
	const char *family;
	const char *proto;
	const char *saddr;
	const char *daddr;		/* for AF_UNIX the path, '@' if abstract */
	int sport;
	int dport;
	const char *error;		/* the kernel's name; NULL when ret >= 0 */
	const char *caller_error;	/* what the caller saw; NULL when ret >= 0 */
	const char *via;		/* "syscall" or "io_uring" */
	/* each string's length (0 when NULL): writers need not strlen() */
	unsigned short event_len, family_len, proto_len, saddr_len;
	unsigned short daddr_len, error_len, caller_error_len, via_len;
	bool complete;			/* a COMPLETE record */
	bool abandoned;			/* COMPLETE: closed or aborted first */

	/* storage the pointers above may point into */
	char family_buf[NAME_BUF_LEN];
	char proto_buf[NAME_BUF_LEN];
	char error_buf[NAME_BUF_LEN];
	char saddr_buf[INET6_ADDRSTRLEN];
	char daddr_buf[UNIX_ADDR_BUF_LEN > INET6_ADDRSTRLEN ?
		       UNIX_ADDR_BUF_LEN : INET6_ADDRSTRLEN];
};

/*
 * Each fills its part of @f: event, via, abandoned, error, caller_error;
 * family and proto; saddr and sport; daddr and dport.  Apart, so that a
 * renderer that repeats what it printed for the previous record skips
 * the work of the parts it repeats.
 */
void fields_result(const struct connprobe_record *rec, struct cp_fields *f);
void fields_sock(const struct connprobe_record *rec, struct cp_fields *f);
void fields_saddr(const struct connprobe_record *rec, struct cp_fields *f);
void fields_daddr(const struct connprobe_record *rec, struct cp_fields *f);

/*
 * What fields_saddr() and fields_daddr() decide, for renderers that write straight into
 * their output: the family of the source address if the record has one
 * to show (AF_INET, AF_INET6), else 0; the same for the destination
 * (AF_INET, AF_INET6, or AF_UNIX for a path), else 0, also when the
 * caller's addrlen was too short for the kernel to know it.  A port is
 * shown with its address, an AF_UNIX path has none.
 */
static inline unsigned int rec_saddr_family(const struct connprobe_record *rec)
{
	/* saddr carries no family of its own: it is the socket's. */
	if ((rec->flags & (CONNPROBE_F_SOCK | CONNPROBE_F_SADDR)) !=
	    (CONNPROBE_F_SOCK | CONNPROBE_F_SADDR))
		return 0;
	return rec->family == AF_INET || rec->family == AF_INET6 ?
	       rec->family : 0;
}

/* sockaddr_in6 without sin6_scope_id, as the kernel accepts it (RFC 2133). */
#define SIN6_LEN_NO_SCOPE	24

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
		return rec->addrlen >= SIN6_LEN_NO_SCOPE ? AF_INET6 : 0;
	case AF_UNIX:
		/* an unnamed address has no path */
		return rec->addrlen > SUN_PATH_OFFSET ? AF_UNIX : 0;
	}
	return 0;
}

/*
 * The destination's text into @buf (UNIX_ADDR_BUF_LEN bytes), its length;
 * 0 if rec_daddr_family() is 0.  An AF_UNIX path is as the caller passed
 * it: any bytes but NUL.
 */
size_t rec_daddr_fmt(const struct connprobe_record *rec, char *buf);

/*
 * Text form of the CONNPROBE_ADDR_LEN bytes at @addr for @family (AF_INET
 * uses the first 4) into @buf (INET6_ADDRSTRLEN bytes), NUL-terminated;
 * returns its length, 0 for families without an address rendering.
 * inet_ntop()'s text to the byte, without its cost.
 */
size_t addr_fmt(unsigned int family, const __u8 *addr, char *buf);

/* addr_fmt(), as @buf or NULL; NULL too if @len < INET6_ADDRSTRLEN. */
const char *addr_str(unsigned int family, const __u8 *addr,
		     char *buf, size_t len);

/*
 * The AF_UNIX destination of @rec as the caller passed it: a path up to
 * its first NUL, or for an abstract name '@' and the name's bytes with
 * each NUL in it shown as '@' (as ss(8) does).  NULL for an unnamed
 * address (addrlen too short to hold a path).  @buf needs
 * UNIX_ADDR_BUF_LEN bytes.
 */
const char *unix_addr_str(const struct connprobe_record *rec, char *buf);

/* unix_addr_str() for the @len bytes of sun_path at @path. */
const char *unix_path_str(const char *path, size_t len, char *buf);

/* True for an IPv6 address of the form ::ffff:a.b.c.d. */
bool ipv4_mapped(const __u8 *addr);

/*
 * What the text of the task (pid, tid, comm, family, proto), of the
 * source address and of the destination with its port depends on: keys
 * for remembered text (memo.h), every field they print from, zeroed
 * where not shown.
 */
struct task_key {
	__u32 pid, tid;
	char comm[CONNPROBE_COMM_LEN];
	__u16 sock, family, type, protocol;
};

struct addr_key {
	__u32 family;		/* rec_saddr_family(), rec_daddr_family() */
	__u32 port;
	__u8 addr[CONNPROBE_ADDR_LEN];
	__u64 __pad;
};

_Static_assert(sizeof(struct task_key) == MEMO_KEY_LEN &&
	       sizeof(struct addr_key) == MEMO_KEY_LEN,
	       "task and address keys are memo keys");

static inline void task_key_of(const struct connprobe_record *rec,
			       struct task_key *k)
{
	memset(k, 0, sizeof(*k));
	k->pid = rec->pid;
	k->tid = rec->tid;
	memcpy(k->comm, rec->comm, sizeof(k->comm));
	if (rec->flags & CONNPROBE_F_SOCK) {
		k->sock = 1;
		k->family = rec->family;
		k->type = rec->type;
		k->protocol = rec->protocol;
	}
}

static inline void saddr_key_of(const struct connprobe_record *rec,
				struct addr_key *k)
{
	memset(k, 0, sizeof(*k));
	k->family = rec_saddr_family(rec);
	if (k->family)
		memcpy(k->addr, rec->saddr, sizeof(k->addr));
}

/* False for an AF_UNIX path: up to 108 bytes, not keyed. */
static inline bool daddr_key_of(const struct connprobe_record *rec,
				struct addr_key *k)
{
	memset(k, 0, sizeof(*k));
	k->family = rec_daddr_family(rec);
	if (k->family == AF_UNIX)
		return false;
	if (k->family) {
		memcpy(k->addr, rec->daddr, sizeof(k->addr));
		k->port = rec->dport;
	}
	return true;
}

#endif /* CONNPROBE_FORMAT_H */
