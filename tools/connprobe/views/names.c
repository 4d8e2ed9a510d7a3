// SPDX-License-Identifier: GPL-2.0
/* errno, address family and protocol names. */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <strings.h>
#include <sys/socket.h>

#include "names.h"

#define NAME(x) [x] = #x

/*
 * Linux errno values (asm-generic/errno*.h) and, from 512, the
 * kernel-internal ones of include/linux/errno.h, which userspace headers do
 * not define but which a kretprobe sees before the syscall exit path
 * translates them.  Aliases (EWOULDBLOCK, EDEADLOCK, ENOTSUP) are left out:
 * each number gets the name the kernel sources use.
 */
static const char *const errno_names[] = {
	NAME(EPERM), NAME(ENOENT), NAME(ESRCH), NAME(EINTR), NAME(EIO),
	NAME(ENXIO), NAME(E2BIG), NAME(ENOEXEC), NAME(EBADF), NAME(ECHILD),
	NAME(EAGAIN), NAME(ENOMEM), NAME(EACCES), NAME(EFAULT),
	NAME(ENOTBLK), NAME(EBUSY), NAME(EEXIST), NAME(EXDEV), NAME(ENODEV),
	NAME(ENOTDIR), NAME(EISDIR), NAME(EINVAL), NAME(ENFILE),
	NAME(EMFILE), NAME(ENOTTY), NAME(ETXTBSY), NAME(EFBIG),
	NAME(ENOSPC), NAME(ESPIPE), NAME(EROFS), NAME(EMLINK), NAME(EPIPE),
	NAME(EDOM), NAME(ERANGE), NAME(EDEADLK), NAME(ENAMETOOLONG),
	NAME(ENOLCK), NAME(ENOSYS), NAME(ENOTEMPTY), NAME(ELOOP),
	NAME(ENOMSG), NAME(EIDRM), NAME(ECHRNG), NAME(EL2NSYNC),
	NAME(EL3HLT), NAME(EL3RST), NAME(ELNRNG), NAME(EUNATCH),
	NAME(ENOCSI), NAME(EL2HLT), NAME(EBADE), NAME(EBADR), NAME(EXFULL),
	NAME(ENOANO), NAME(EBADRQC), NAME(EBADSLT), NAME(EBFONT),
	NAME(ENOSTR), NAME(ENODATA), NAME(ETIME), NAME(ENOSR),
	NAME(ENONET), NAME(ENOPKG), NAME(EREMOTE), NAME(ENOLINK),
	NAME(EADV), NAME(ESRMNT), NAME(ECOMM), NAME(EPROTO),
	NAME(EMULTIHOP), NAME(EDOTDOT), NAME(EBADMSG), NAME(EOVERFLOW),
	NAME(ENOTUNIQ), NAME(EBADFD), NAME(EREMCHG), NAME(ELIBACC),
	NAME(ELIBBAD), NAME(ELIBSCN), NAME(ELIBMAX), NAME(ELIBEXEC),
	NAME(EILSEQ), NAME(ERESTART), NAME(ESTRPIPE), NAME(EUSERS),
	NAME(ENOTSOCK), NAME(EDESTADDRREQ), NAME(EMSGSIZE),
	NAME(EPROTOTYPE), NAME(ENOPROTOOPT), NAME(EPROTONOSUPPORT),
	NAME(ESOCKTNOSUPPORT), NAME(EOPNOTSUPP), NAME(EPFNOSUPPORT),
	NAME(EAFNOSUPPORT), NAME(EADDRINUSE), NAME(EADDRNOTAVAIL),
	NAME(ENETDOWN), NAME(ENETUNREACH), NAME(ENETRESET),
	NAME(ECONNABORTED), NAME(ECONNRESET), NAME(ENOBUFS), NAME(EISCONN),
	NAME(ENOTCONN), NAME(ESHUTDOWN), NAME(ETOOMANYREFS),
	NAME(ETIMEDOUT), NAME(ECONNREFUSED), NAME(EHOSTDOWN),
	NAME(EHOSTUNREACH), NAME(EALREADY), NAME(EINPROGRESS),
	NAME(ESTALE), NAME(EUCLEAN), NAME(ENOTNAM), NAME(ENAVAIL),
	NAME(EISNAM), NAME(EREMOTEIO), NAME(EDQUOT), NAME(ENOMEDIUM),
	NAME(EMEDIUMTYPE), NAME(ECANCELED), NAME(ENOKEY),
	NAME(EKEYEXPIRED), NAME(EKEYREVOKED), NAME(EKEYREJECTED),
	NAME(EOWNERDEAD), NAME(ENOTRECOVERABLE), NAME(ERFKILL),
	NAME(EHWPOISON),
	[ERESTARTSYS] = "ERESTARTSYS",
	[ERESTARTNOINTR] = "ERESTARTNOINTR",
	[ERESTARTNOHAND] = "ERESTARTNOHAND",
	[ENOIOCTLCMD] = "ENOIOCTLCMD",
	[ERESTART_RESTARTBLOCK] = "ERESTART_RESTARTBLOCK",
	[517] = "EPROBE_DEFER",
	[518] = "EOPENSTALE",
	[519] = "ENOPARAM",
	[521] = "EBADHANDLE",
	[522] = "ENOTSYNC",
	[523] = "EBADCOOKIE",
	[524] = "ENOTSUPP",
	[525] = "ETOOSMALL",
	[526] = "ESERVERFAULT",
	[527] = "EBADTYPE",
	[528] = "EJUKEBOX",
	[529] = "EIOCBQUEUED",
	[530] = "ERECALLCONFLICT",
	[531] = "ENOGRACE",
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
	return err > 0 ? LOOKUP(errno_names, err) : NULL;
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
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errno_names); i++)
		if (errno_names[i] && !strcasecmp(errno_names[i], name))
			return i;
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
