// SPDX-License-Identifier: GPL-2.0
/* errno, family and protocol names. */
#include <netinet/in.h>
#include <sys/socket.h>

#include "format.h"
#include "runner.h"

static int test_errno_known(const void *arg)
{
	char buf[NAME_BUF_LEN];

	(void)arg;
	CHECK_STR(errno_str(111, buf, sizeof(buf)), "ECONNREFUSED");
	CHECK_STR(errno_str(115, buf, sizeof(buf)), "EINPROGRESS");
	CHECK_STR(errno_str(9, buf, sizeof(buf)), "EBADF");
	CHECK_STR(errno_str(11, buf, sizeof(buf)), "EAGAIN");
	CHECK_STR(errno_str(95, buf, sizeof(buf)), "EOPNOTSUPP");
	CHECK_STR(errno_str(101, buf, sizeof(buf)), "ENETUNREACH");
	CHECK_STR(errno_str(1, buf, sizeof(buf)), "EPERM");
	CHECK_STR(errno_str(133, buf, sizeof(buf)), "EHWPOISON");
	return 0;
fail:
	return 1;
}

static int test_errno_kernel_internal(const void *arg)
{
	char buf[NAME_BUF_LEN];

	(void)arg;
	CHECK_STR(errno_str(512, buf, sizeof(buf)), "ERESTARTSYS");
	CHECK_STR(errno_str(513, buf, sizeof(buf)), "ERESTARTNOINTR");
	CHECK_STR(errno_str(516, buf, sizeof(buf)), "ERESTART_RESTARTBLOCK");
	CHECK_STR(errno_str(524, buf, sizeof(buf)), "ENOTSUPP");
	CHECK_STR(errno_str(531, buf, sizeof(buf)), "ENOGRACE");
	return 0;
fail:
	return 1;
}

static int test_errno_unknown(const void *arg)
{
	char buf[NAME_BUF_LEN];

	(void)arg;
	CHECK_STR(errno_str(0, buf, sizeof(buf)), "E0");
	CHECK_STR(errno_str(-5, buf, sizeof(buf)), "E-5");
	CHECK_STR(errno_str(520, buf, sizeof(buf)), "E520");		/* hole in the table */
	CHECK_STR(errno_str(4095, buf, sizeof(buf)), "E4095");
	CHECK_STR(errno_str(2147483648LL, buf, sizeof(buf)), "E2147483648");
	CHECK_STR(errno_str(111, buf, sizeof(buf)), "ECONNREFUSED");
	return 0;
fail:
	return 1;
}

static int test_family_names(const void *arg)
{
	char buf[NAME_BUF_LEN];

	(void)arg;
	CHECK_STR(family_str(AF_INET, buf, sizeof(buf)), "inet");
	CHECK_STR(family_str(AF_INET6, buf, sizeof(buf)), "inet6");
	CHECK_STR(family_str(AF_UNIX, buf, sizeof(buf)), "unix");
	CHECK_STR(family_str(AF_NETLINK, buf, sizeof(buf)), "netlink");
	CHECK_STR(family_str(AF_VSOCK, buf, sizeof(buf)), "vsock");
	CHECK_STR(family_str(AF_UNSPEC, buf, sizeof(buf)), "unspec");
	CHECK_STR(family_str(46, buf, sizeof(buf)), "af46");
	CHECK_STR(family_str(65535, buf, sizeof(buf)), "af65535");
	return 0;
fail:
	return 1;
}

static int test_proto_names_inet(const void *arg)
{
	char buf[NAME_BUF_LEN];

	(void)arg;
	CHECK_STR(proto_str(AF_INET, SOCK_STREAM, IPPROTO_TCP, buf, sizeof(buf)), "tcp");
	CHECK_STR(proto_str(AF_INET6, SOCK_DGRAM, IPPROTO_UDP, buf, sizeof(buf)), "udp");
	CHECK_STR(proto_str(AF_INET, SOCK_DGRAM, IPPROTO_ICMP, buf, sizeof(buf)), "icmp");
	CHECK_STR(proto_str(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6, buf, sizeof(buf)), "icmpv6");
	CHECK_STR(proto_str(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP, buf, sizeof(buf)), "sctp");
	CHECK_STR(proto_str(AF_INET, SOCK_STREAM, 262, buf, sizeof(buf)), "mptcp");
	/* inet names come from the protocol, not the type */
	CHECK_STR(proto_str(AF_INET, SOCK_STREAM, 253, buf, sizeof(buf)), "proto253");
	return 0;
fail:
	return 1;
}

static int test_proto_names_by_type(const void *arg)
{
	char buf[NAME_BUF_LEN];

	(void)arg;
	CHECK_STR(proto_str(AF_UNIX, SOCK_STREAM, 0, buf, sizeof(buf)), "stream");
	CHECK_STR(proto_str(AF_UNIX, SOCK_DGRAM, 0, buf, sizeof(buf)), "dgram");
	CHECK_STR(proto_str(AF_UNIX, SOCK_SEQPACKET, 0, buf, sizeof(buf)), "seqpacket");
	/* netlink's protocol 6 is not TCP */
	CHECK_STR(proto_str(AF_NETLINK, SOCK_RAW, 6, buf, sizeof(buf)), "raw");
	CHECK_STR(proto_str(AF_VSOCK, 9, 0, buf, sizeof(buf)), "type9");
	return 0;
fail:
	return 1;
}

static int test_errno_by_name(const void *arg)
{
	(void)arg;
	CHECK_INT(errno_by_name("ECONNREFUSED"), 111);
	CHECK_INT(errno_by_name("econnrefused"), 111);
	CHECK_INT(errno_by_name("EINTR"), 4);
	CHECK_INT(errno_by_name("ERESTARTSYS"), 512);
	CHECK_INT(errno_by_name("ENOSUCHTHING"), -1);
	CHECK_INT(errno_by_name(""), -1);
	return 0;
fail:
	return 1;
}

static int test_caller_errno(const void *arg)
{
	(void)arg;
	/* the four restart codes reach the caller as EINTR */
	CHECK_INT(caller_errno(512), 4);
	CHECK_INT(caller_errno(513), 4);
	CHECK_INT(caller_errno(514), 4);
	CHECK_INT(caller_errno(516), 4);
	/* everything else as it is */
	CHECK_INT(caller_errno(515), 515);
	CHECK_INT(caller_errno(111), 111);
	CHECK_INT(caller_errno(4), 4);
	return 0;
fail:
	return 1;
}

TEST_LIST(names_tests) = {
	{ "errno by name, any case, kernel-internal too", test_errno_by_name },
	{ "caller_errno: restart codes are EINTR, others unchanged", test_caller_errno },
	{ "errno names: common connect() errors", test_errno_known },
	{ "errno names: kernel-internal ERESTARTSYS..ENOGRACE", test_errno_kernel_internal },
	{ "errno names: unknown -> E<num>", test_errno_unknown },
	{ "family names, unknown -> af<num>", test_family_names },
	{ "proto names for inet/inet6 from the protocol", test_proto_names_inet },
	{ "proto names for other families from the socket type", test_proto_names_by_type },
	{ NULL, NULL },
};
