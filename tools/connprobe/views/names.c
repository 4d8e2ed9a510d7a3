// SPDX-License-Identifier: GPL-2.0
/* errno, address family and protocol names. */
#define _GNU_SOURCE	/* strerrorname_np */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "names.h"

/*
 * The kernel-internal errno values of include/linux/errno.h, from 512,
 * which userspace headers do not define but which a kretprobe sees
 * before the syscall exit path translates them.  Below 512 the names are
 * libc's (strerrorname_np()), which gives each number the name the
 * kernel sources use, not an alias (EWOULDBLOCK, EDEADLOCK, ENOTSUP).
 */
#define KERNEL_ERRNO_BASE	512
static const char *const kernel_errno_names[] = {
	"ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", "ENOIOCTLCMD",
	"ERESTART_RESTARTBLOCK", "EPROBE_DEFER", "EOPENSTALE", "ENOPARAM",
	NULL, "EBADHANDLE", "ENOTSYNC", "EBADCOOKIE", "ENOTSUPP", "ETOOSMALL",
	"ESERVERFAULT", "EBADTYPE", "EJUKEBOX", "EIOCBQUEUED",
	"ERECALLCONFLICT", "ENOGRACE",
};

static const char *const family_names[] = {
	[AF_UNSPEC] = "unspec",		[AF_UNIX] = "unix",
	[AF_INET] = "inet",		[AF_AX25] = "ax25",
	[AF_IPX] = "ipx",		[AF_APPLETALK] = "appletalk",
	[AF_NETROM] = "netrom",		[AF_BRIDGE] = "bridge",
	[AF_ATMPVC] = "atmpvc",		[AF_X25] = "x25",
	[AF_INET6] = "inet6",		[AF_ROSE] = "rose",
	[AF_DECnet] = "decnet",		[AF_NETBEUI] = "netbeui",
	[AF_SECURITY] = "security",	[AF_KEY] = "key",
	[AF_NETLINK] = "netlink",	[AF_PACKET] = "packet",
	[AF_ASH] = "ash",		[AF_ECONET] = "econet",
	[AF_ATMSVC] = "atmsvc",		[AF_RDS] = "rds",
	[AF_SNA] = "sna",		[AF_IRDA] = "irda",
	[AF_PPPOX] = "pppox",		[AF_WANPIPE] = "wanpipe",
	[AF_LLC] = "llc",		[AF_IB] = "ib",
	[AF_MPLS] = "mpls",		[AF_CAN] = "can",
	[AF_TIPC] = "tipc",		[AF_BLUETOOTH] = "bluetooth",
	[AF_IUCV] = "iucv",		[AF_RXRPC] = "rxrpc",
	[AF_ISDN] = "isdn",		[AF_PHONET] = "phonet",
	[AF_IEEE802154] = "ieee802154",	[AF_CAIF] = "caif",
	[AF_ALG] = "alg",		[AF_NFC] = "nfc",
	[AF_VSOCK] = "vsock",		[AF_KCM] = "kcm",
	[AF_QIPCRTR] = "qipcrtr",	[AF_SMC] = "smc",
	[AF_XDP] = "xdp",		[AF_MCTP] = "mctp",
};

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

static const char *const inet_proto_names[] = {
	[IPPROTO_IP] = "ip",		[IPPROTO_ICMP] = "icmp",
	[IPPROTO_IGMP] = "igmp",	[IPPROTO_TCP] = "tcp",
	[IPPROTO_UDP] = "udp",		[IPPROTO_DCCP] = "dccp",
	[IPPROTO_GRE] = "gre",		[IPPROTO_ESP] = "esp",
	[IPPROTO_AH] = "ah",		[IPPROTO_ICMPV6] = "icmpv6",
	[IPPROTO_PIM] = "pim",		[IPPROTO_SCTP] = "sctp",
	[IPPROTO_UDPLITE] = "udplite",	[IPPROTO_RAW] = "raw",
	[IPPROTO_MPTCP] = "mptcp",
};

static const char *const sock_type_names[] = {
	[SOCK_STREAM] = "stream",	[SOCK_DGRAM] = "dgram",
	[SOCK_RAW] = "raw",		[SOCK_RDM] = "rdm",
	[SOCK_SEQPACKET] = "seqpacket",	[SOCK_DCCP] = "dccp",
	[SOCK_PACKET] = "packet",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Look @i up in a sparse table; NULL for holes and out-of-range values. */
#define LOOKUP(table, i) \
	((unsigned long long)(i) < ARRAY_SIZE(table) ? (table)[i] : NULL)

/* The table's name for @i, or @prefix followed by the number. */
#define NAME_OR_NUMBER(table, i, prefix, buf, len)			\
	(LOOKUP(table, i) ? LOOKUP(table, i) :				\
	 (snprintf(buf, len, prefix "%llu", (unsigned long long)(i)), buf))

const char *errno_name(long long err)
{
	if (err >= KERNEL_ERRNO_BASE)
		return LOOKUP(kernel_errno_names, err - KERNEL_ERRNO_BASE);
	return err > 0 ? strerrorname_np(err) : NULL;
}

const char *errno_str(long long err, char *buf, size_t len)
{
	const char *name = errno_name(err);

	if (name)
		return name;
	snprintf(buf, len, "E%lld", err);
	return buf;
}

long long errno_by_name(const char *name)
{
	long long e;

	for (e = 1; e < KERNEL_ERRNO_BASE + (long long)ARRAY_SIZE(kernel_errno_names); e++)
		if (errno_name(e) && !strcasecmp(errno_name(e), name))
			return e;
	return -1;
}

const char *family_str(unsigned int family, char *buf, size_t len)
{
	return NAME_OR_NUMBER(family_names, family, "af", buf, len);
}

const char *proto_str(unsigned int family, unsigned int type,
		      unsigned int protocol, char *buf, size_t len)
{
	if (family == AF_INET || family == AF_INET6)
		return NAME_OR_NUMBER(inet_proto_names, protocol, "proto",
				      buf, len);
	return NAME_OR_NUMBER(sock_type_names, type, "type", buf, len);
}
