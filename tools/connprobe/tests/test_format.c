// SPDX-License-Identifier: GPL-2.0
/* Addresses, AF_UNIX paths and the decoded fields of a record's JSON. */
#include <limits.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "format.h"
#include "row.h"
#include "fixtures.h"
#include "runner.h"

static int test_addr_ipv4(const void *arg)
{
	__u8 addr[CONNPROBE_ADDR_LEN];
	char buf[INET6_ADDRSTRLEN];

	(void)arg;
	/* only the first 4 bytes are the address */
	memset(addr, 0xee, sizeof(addr));
	inet_pton(AF_INET, "192.0.2.1", addr);
	CHECK_STR(addr_str(AF_INET, addr, buf, sizeof(buf)), "192.0.2.1");
	inet_pton(AF_INET, "255.255.255.255", addr);
	CHECK_STR(addr_str(AF_INET, addr, buf, sizeof(buf)), "255.255.255.255");
	inet_pton(AF_INET, "0.10.100.9", addr);
	CHECK_STR(addr_str(AF_INET, addr, buf, sizeof(buf)), "0.10.100.9");
	return 0;
fail:
	return 1;
}

/* Our IPv6 text must be inet_ntop()'s, byte for byte. */
static int same_as_inet_ntop(const __u8 *addr)
{
	char ours[INET6_ADDRSTRLEN], libc[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, addr, libc, sizeof(libc));
	CHECK_STR(addr_str(AF_INET6, addr, ours, sizeof(ours)), libc);
	CHECK_INT(addr_fmt(AF_INET6, addr, ours), strlen(libc));
	return 0;
fail:
	return 1;
}

static int test_addr_ipv6_like_inet_ntop(const void *arg)
{
	static const char *const cases[] = {
		"::", "::1", "1::", "2001:db8::1", "::ffff:10.0.0.1",
		"::10.0.0.1", "fe80::1:2:3:4", "1:0:0:2:0:0:0:3",
		"1:0:0:2:0:0:3:4", "0:0:1:0:0:0:0:0", "1:2:3:4:5:6:7:8",
		"2001:db8:ffff:ffff:ffff:ffff:ffff:1", "::ffff:0:1", "0:0:0:0:0:1:0:0",
	};
	__u8 addr[CONNPROBE_ADDR_LEN];
	unsigned int seed = 1;
	size_t i, j;

	(void)arg;
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		CHECK_INT(inet_pton(AF_INET6, cases[i], addr), 1);
		CHECK_INT(same_as_inet_ntop(addr), 0);
	}
	/* random groups, mostly zero, so that runs of every length occur */
	for (i = 0; i < 20000; i++) {
		for (j = 0; j < 16; j += 2) {
			seed = seed * 1103515245 + 12345;
			addr[j] = (seed >> 16) % 4 ? 0 : seed >> 8;
			addr[j + 1] = (seed >> 16) % 4 ? 0 : seed >> 24;
		}
		if (i % 7 == 0)
			addr[10] = addr[11] = 0xff;
		CHECK_INT(same_as_inet_ntop(addr), 0);
	}
	return 0;
fail:
	return 1;
}

static int test_addr_other_family(const void *arg)
{
	__u8 addr[CONNPROBE_ADDR_LEN] = { 127, 0, 0, 1 };
	char buf[INET6_ADDRSTRLEN];

	(void)arg;
	CHECK(addr_str(AF_UNIX, addr, buf, sizeof(buf)) == NULL);
	CHECK(addr_str(AF_UNSPEC, addr, buf, sizeof(buf)) == NULL);
	CHECK(addr_str(AF_NETLINK, addr, buf, sizeof(buf)) == NULL);
	/* a buffer too small for every address is refused, not overrun */
	CHECK(addr_str(AF_INET, addr, buf, 8) == NULL);
	return 0;
fail:
	return 1;
}

static int test_unix_paths(const void *arg)
{
	struct connprobe_record r = rec_new(1, 0, 1);
	char buf[UNIX_ADDR_BUF_LEN], full[CONNPROBE_PATH_LEN];

	(void)arg;
	/* a path, passed with its NUL (addrlen counts it) */
	rec_unix(&r, SOCK_STREAM, "/run/docker.sock", 17);
	CHECK_INT(rec_daddr_fmt(&r, buf), 16);
	CHECK_STR(buf, "/run/docker.sock");
	/* abstract: '@' for the leading NUL and for each NUL inside */
	rec_unix(&r, SOCK_STREAM, "\0ns\0x", 5);
	rec_daddr_fmt(&r, buf);
	CHECK_STR(buf, "@ns@x");
	/* unnamed: no path at all */
	rec_unix(&r, SOCK_DGRAM, "", 0);
	CHECK_INT(rec_daddr_fmt(&r, buf), 0);
	CHECK_INT(rec_daddr_family(&r), 0);
	/* an addrlen beyond sun_path is clamped to it */
	memset(full, 'a', sizeof(full));
	rec_unix(&r, SOCK_STREAM, full, sizeof(full));
	r.addrlen = 65535;
	CHECK_INT(rec_daddr_fmt(&r, buf), CONNPROBE_PATH_LEN);
	CHECK_INT(rec_daddr_family(&r), AF_UNIX);
	return 0;
fail:
	return 1;
}

/* The JSON line of @rec, in @buf ("" if it could not be made). */
static const char *json_of(const struct connprobe_record *rec, char *buf,
			   size_t len)
{
	struct stream_opts opts = { .format = FORMAT_JSON };
	struct memout c = { 0 };
	struct cp_out *o = memout_out(&c);
	struct cp_rows r;

	buf[0] = '\0';
	if (o) {
		rows_begin(&r, o, &opts);
		rows_record(&r, rec);
		if (memout_text(&c))
			snprintf(buf, len, "%s", memout_text(&c));
	}
	memout_close(&c);
	return buf;
}

/* The record's JSON has @s. */
#define HAS(s)	CHECK(strstr(json_of(&r, buf, sizeof(buf)), s))

static int test_fields_unknown_are_null(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1, 0, 1);
	char buf[2048];

	(void)arg;
	/* every field filled in, but no validity bit: nothing is known */
	r.flags = 0;
	HAS("\"family\":null,\"proto\":null,\"saddr\":null,\"sport\":null,"
	    "\"daddr\":null,\"dport\":null,");
	HAS("\"error\":\"ECONNREFUSED\"");	/* ret is always known */

	/* an address needs its own bit and a family that has one */
	r.flags = CONNPROBE_F_SADDR | CONNPROBE_F_DADDR;	/* no F_SOCK */
	r.daddr_family = AF_UNSPEC;
	HAS("\"saddr\":null,\"sport\":null,\"daddr\":null,\"dport\":null,");

	r.flags = CONNPROBE_F_SOCK;
	r.daddr_family = AF_INET;
	HAS("\"family\":\"inet\",\"proto\":\"tcp\",\"saddr\":null,"
	    "\"sport\":null,\"daddr\":null,");
	return 0;
fail:
	return 1;
}

static int test_fields_error_and_caller_error(const void *arg)
{
	struct connprobe_record r = rec_new(1, 0, 1);
	char buf[2048];

	(void)arg;
	HAS("\"error\":null,");
	HAS("\"caller_error\":null,");
	r.ret = -512;
	HAS("\"error\":\"ERESTARTSYS\",");
	HAS("\"caller_error\":\"EINTR\",");
	r.ret = -516;
	HAS("\"error\":\"ERESTART_RESTARTBLOCK\",");
	HAS("\"caller_error\":\"EINTR\",");
	r.ret = -111;
	HAS("\"caller_error\":\"ECONNREFUSED\",");
	r.ret = -1000;
	HAS("\"error\":\"E1000\",");
	r.ret = INT_MIN;
	HAS("\"error\":\"E2147483648\",");
	/* a positive ret is no error */
	r.ret = 3;
	HAS("\"error\":null,");
	return 0;
fail:
	return 1;
}

static int test_fields_event_via_abandoned(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1, 0, 1);
	struct connprobe_record c = rec_complete(&r, 0, 5);
	char buf[2048];

	(void)arg;
	HAS("{\"event\":\"connect\",");
	HAS("\"via\":\"syscall\",");
	CHECK(!strstr(buf, "abandoned"));
	r.flags |= CONNPROBE_F_IO_URING;
	/* ABANDONED means nothing on a CONNECT record */
	r.flags |= CONNPROBE_F_ABANDONED;
	HAS("\"via\":\"io_uring\",");
	CHECK(!strstr(buf, "abandoned"));
	r = c;
	HAS("{\"event\":\"complete\",");
	HAS("\"abandoned\":false");
	r.flags |= CONNPROBE_F_ABANDONED;
	HAS("\"abandoned\":true");
	return 0;
fail:
	return 1;
}

static int test_fields_unix_daddr(const void *arg)
{
	struct connprobe_record r = rec_new(1, 0, 1);
	char buf[2048];

	(void)arg;
	rec_unix(&r, SOCK_STREAM, "\0abstract", 9);
	HAS("\"family\":\"unix\",\"proto\":\"stream\",\"saddr\":null,"
	    "\"sport\":null,\"daddr\":\"@abstract\",\"dport\":null,");
	return 0;
fail:
	return 1;
}

static int test_fields_short_addrlen(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1, 0, 1);
	char buf[2048];

	(void)arg;
	/* the kernel left daddr and dport zero: not known, not 0.0.0.0:0 */
	r.addrlen = sizeof(struct sockaddr_in) - 1;
	HAS("\"daddr\":null,\"dport\":null,");
	rec_daddr(&r, AF_INET6, "2001:db8::1", 443);
	r.addrlen = 24;		/* sockaddr_in6 without the scope id */
	HAS("\"daddr\":\"2001:db8::1\",\"dport\":443,");
	r.addrlen = 23;
	HAS("\"daddr\":null,\"dport\":null,");
	return 0;
fail:
	return 1;
}

TEST_LIST(format_tests) = {
	{ "IPv4 address from the first 4 bytes", test_addr_ipv4 },
	{ "IPv6 text is inet_ntop()'s, for edge cases and 20000 random", test_addr_ipv6_like_inet_ntop },
	{ "no address rendering for other families or short buffers", test_addr_other_family },
	{ "AF_UNIX: path, abstract '@', unnamed, addrlen clamped", test_unix_paths },
	{ "fields without their validity bit are null", test_fields_unknown_are_null },
	{ "error is the kernel's name, caller_error EINTR for restarts", test_fields_error_and_caller_error },
	{ "event, via and abandoned (COMPLETE only)", test_fields_event_via_abandoned },
	{ "AF_UNIX destination is the path, without port", test_fields_unix_daddr },
	{ "destination unknown when addrlen is too short for it", test_fields_short_addrlen },
	{ NULL, NULL },
};
