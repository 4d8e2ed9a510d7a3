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
 * include/linux/errno.h's kernel-internal codes, from 512: a kretprobe
 * sees them before the syscall exit translates them.  Below 512, libc's
 * strerrorname_np() gives the kernel's name, not an alias (EWOULDBLOCK).
 */
#define KERNEL_ERRNO_BASE	512
static const char *const kernel_errno_names[] = {
	"ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", "ENOIOCTLCMD",
	"ERESTART_RESTARTBLOCK", "EPROBE_DEFER", "EOPENSTALE", "ENOPARAM",
	NULL, "EBADHANDLE", "ENOTSYNC", "EBADCOOKIE", "ENOTSUPP", "ETOOSMALL",
	"ESERVERFAULT", "EBADTYPE", "EJUKEBOX", "EIOCBQUEUED",
	"ERECALLCONFLICT", "ENOGRACE",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define N(s)	{ s, sizeof(s) - 1 }

/* In the order of the AF_ numbers, the kernel's ABI: 0 to AF_MCTP. */
static const struct cp_name family_names[] = {
	N("unspec"), N("unix"), N("inet"), N("ax25"), N("ipx"),
	N("appletalk"), N("netrom"), N("bridge"), N("atmpvc"), N("x25"),
	N("inet6"), N("rose"), N("decnet"), N("netbeui"), N("security"),
	N("key"), N("netlink"), N("packet"), N("ash"), N("econet"),
	N("atmsvc"), N("rds"), N("sna"), N("irda"), N("pppox"), N("wanpipe"),
	N("llc"), N("ib"), N("mpls"), N("can"), N("tipc"), N("bluetooth"),
	N("iucv"), N("rxrpc"), N("isdn"), N("phonet"), N("ieee802154"),
	N("caif"), N("alg"), N("nfc"), N("vsock"), N("kcm"), N("qipcrtr"),
	N("smc"), N("xdp"), N("mctp"),
};
_Static_assert(ARRAY_SIZE(family_names) == AF_MCTP + 1 && AF_INET6 == 10 &&
	       AF_NETLINK == 16 && AF_VSOCK == 40, "family_names in AF_ order");

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

static const struct cp_name inet_proto_names[] = {
	[IPPROTO_IP] = N("ip"),			[IPPROTO_ICMP] = N("icmp"),
	[IPPROTO_IGMP] = N("igmp"),		[IPPROTO_TCP] = N("tcp"),
	[IPPROTO_UDP] = N("udp"),		[IPPROTO_DCCP] = N("dccp"),
	[IPPROTO_GRE] = N("gre"),		[IPPROTO_ESP] = N("esp"),
	[IPPROTO_AH] = N("ah"),			[IPPROTO_ICMPV6] = N("icmpv6"),
	[IPPROTO_PIM] = N("pim"),		[IPPROTO_SCTP] = N("sctp"),
	[IPPROTO_UDPLITE] = N("udplite"),	[IPPROTO_RAW] = N("raw"),
	[IPPROTO_MPTCP] = N("mptcp"),
};

static const struct cp_name sock_type_names[] = {
	[SOCK_STREAM] = N("stream"),		[SOCK_DGRAM] = N("dgram"),
	[SOCK_RAW] = N("raw"),			[SOCK_RDM] = N("rdm"),
	[SOCK_SEQPACKET] = N("seqpacket"),	[SOCK_DCCP] = N("dccp"),
	[SOCK_PACKET] = N("packet"),
};

/* @table's name for @i, or @prefix and the number in @buf. */
#define NAME_OR_NUMBER(table, i, prefix, buf)				\
	((unsigned long long)(i) < ARRAY_SIZE(table) && (table)[i].len ?	\
	 &(table)[i] : number_name(prefix, i, buf))

static const struct cp_name *number_name(const char *prefix,
					 long long i, struct cp_name *buf)
{
	buf->len = snprintf(buf->s, sizeof(buf->s), "%s%lld", prefix, i);
	return buf;
}

/* Made at start. */
static struct cp_name errno_names[KERNEL_ERRNO_BASE +
				  ARRAY_SIZE(kernel_errno_names)];

static void __attribute__((constructor)) errno_names_init(void)
{
	struct cp_name *n;
	const char *name;
	size_t e;

	/* not snprintf(): this runs at every start, for 532 numbers */
	for (e = 1; e < ARRAY_SIZE(errno_names); e++) {
		n = &errno_names[e];
		name = e < KERNEL_ERRNO_BASE ? strerrorname_np(e) :
		       kernel_errno_names[e - KERNEL_ERRNO_BASE];
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

/* A table's @name as it is, or a copy in @buf of the number made in @n. */
static const char *name_str(const struct cp_name *name,
			    const struct cp_name *n, char *buf, size_t len)
{
	if (name != n)
		return name->s;
	snprintf(buf, len, "%s", n->s);
	return buf;
}

const char *errno_str(long long err, char *buf, size_t len)
{
	struct cp_name n;

	return name_str(errno_cp_name(err, &n), &n, buf, len);
}

const char *family_str(unsigned int family, char *buf, size_t len)
{
	struct cp_name n;

	return name_str(family_name(family, &n), &n, buf, len);
}

const char *proto_str(unsigned int family, unsigned int type,
		      unsigned int protocol, char *buf, size_t len)
{
	struct cp_name n;

	return name_str(proto_name(family, type, protocol, &n), &n, buf, len);
}
