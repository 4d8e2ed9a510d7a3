/* SPDX-License-Identifier: GPL-2.0 */
/* Symbolic names for the numbers a record carries. */
#ifndef CONNPROBE_NAMES_H
#define CONNPROBE_NAMES_H

#include <errno.h>
#include <stddef.h>

/* Room for any name below, including the "E<num>"/"af<num>" fallbacks. */
#define NAME_BUF_LEN	24

/*
 * "ECONNREFUSED" for 111, also for the kernel-internal codes that can leak
 * out of a probed function (ERESTARTSYS, ...); "E<num>" in @buf if unknown.
 */
const char *errno_str(long long err, char *buf, size_t len);

/* The number of errno @name (any case, kernel-internal ones too), or -1. */
long long errno_by_name(const char *name);

/* include/linux/errno.h: the restart codes; userspace gets EINTR. */
#define ERESTARTSYS		512
#define ERESTARTNOINTR		513
#define ERESTARTNOHAND		514
#define ENOIOCTLCMD		515	/* not a restart code */
#define ERESTART_RESTARTBLOCK	516

/*
 * What the caller of connect() saw for kernel error @err (positive): a
 * restart code means it got EINTR or the call was restarted.  Inline:
 * every view that groups by outcome asks it per record.
 */
static inline long long caller_errno(long long err)
{
	if (err >= ERESTARTSYS && err <= ERESTART_RESTARTBLOCK &&
	    err != ENOIOCTLCMD)
		return EINTR;
	return err;
}

/*
 * A name and its length, NUL-terminated: a row copies it whole, a few
 * stores, and adds the length.  Room for the "E<num>" of any errno.
 */
struct cp_name {
	char s[NAME_BUF_LEN - 1];
	unsigned char len;
};

/* errno_str() as a struct cp_name; "E<num>" made in @buf. */
const struct cp_name *errno_cp_name(long long err, struct cp_name *buf);

/* "inet", "inet6", "unix", ... or "af<num>" made in @buf. */
const struct cp_name *family_name(unsigned int family, struct cp_name *buf);

/* family_name()'s text; a number is made in @buf. */
const char *family_str(unsigned int family, char *buf, size_t len);

/*
 * Transport name: for inet/inet6 the protocol ("tcp"), for other families
 * the socket type ("stream"), as their protocol numbers mean nothing
 * outside the family; else "proto<num>" or "type<num>" made in @buf.
 */
const struct cp_name *proto_name(unsigned int family, unsigned int type,
				 unsigned int protocol, struct cp_name *buf);

/* proto_name()'s text; a number is made in @buf. */
const char *proto_str(unsigned int family, unsigned int type,
		      unsigned int protocol, char *buf, size_t len);

#endif /* CONNPROBE_NAMES_H */
