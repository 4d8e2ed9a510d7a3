/* SPDX-License-Identifier: GPL-2.0 */
/* Symbolic names for the numbers a record carries. */
#ifndef CONNPROBE_NAMES_H
#define CONNPROBE_NAMES_H

#include <errno.h>
#include <stddef.h>

/* Room for any name below, including the "E<num>"/"af<num>" fallbacks. */
#define NAME_BUF_LEN	24

/* A name and its length: a row copies it whole, a few stores. */
struct cp_name {
	char s[NAME_BUF_LEN - 1];
	unsigned char len;
};

/*
 * Each gives the table's name or, for an unknown number, "E<num>",
 * "af<num>", "proto<num>" or "type<num>" made in @buf.  Errno names
 * include the kernel-internal codes that leak out of a probed function
 * (ERESTARTSYS, ...).  A protocol is named for inet/inet6 only; other
 * families go by socket type ("stream"), as their protocol numbers mean
 * nothing outside the family.
 */
const struct cp_name *errno_cp_name(long long err, struct cp_name *buf);
const struct cp_name *family_name(unsigned int family, struct cp_name *buf);
const struct cp_name *proto_name(unsigned int family, unsigned int type,
				 unsigned int protocol, struct cp_name *buf);
/* The same as text */
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

#endif /* CONNPROBE_NAMES_H */
