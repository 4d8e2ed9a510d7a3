// SPDX-License-Identifier: GPL-2.0
/* Address formatting, unknown fields, JSON escaping, table and JSON rows. */
#include <limits.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "../format.h"
#include "../json.h"
#include "fixtures.h"
#include "runner.h"

/* 16 bytes, no NUL: quotes, controls, DEL, UTF-8, invalid UTF-8, a surrogate. */
static const char HOSTILE_COMM[CONNPROBE_COMM_LEN] =
	"\"\\\n\t\x01\x1b\x7f\xc3\xa9\xff\xc3" "A\xed\xa0\x80Z";
static const char HOSTILE_COMM_JSON[] =
	"\"\\\"\\\\\\n\\t\\u0001\\u001b\\u007f\xc3\xa9\\ufffd\\ufffdA\\ufffd\\ufffd\\ufffdZ\"";

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
	return 0;
fail:
	return 1;
}

static int test_addr_ipv6(const void *arg)
{
	__u8 addr[CONNPROBE_ADDR_LEN];
	char buf[INET6_ADDRSTRLEN];
	static const char *const cases[] = {
		"::1", "2001:db8::1", "::ffff:10.0.0.1", "fe80::1:2:3:4",
		"2001:db8:ffff:ffff:ffff:ffff:ffff:1",
	};
	size_t i;

	(void)arg;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		inet_pton(AF_INET6, cases[i], addr);
		CHECK_STR(addr_str(AF_INET6, addr, buf, sizeof(buf)), cases[i]);
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
	return 0;
fail:
	return 1;
}

static int test_fields_unknown_are_null(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1, 0, 1);
	struct cp_fields f;

	(void)arg;
	/* every field filled in, but no validity bit: nothing is known */
	r.flags = 0;
	record_fields(&r, &f);
	CHECK(f.family == NULL);
	CHECK(f.proto == NULL);
	CHECK(f.saddr == NULL);
	CHECK(f.daddr == NULL);
	CHECK_INT(f.sport, -1);
	CHECK_INT(f.dport, -1);
	CHECK_STR(f.error, "ECONNREFUSED");	/* ret is always known */

	/* an address needs its own bit and a family that has one */
	r.flags = CONNPROBE_F_SADDR | CONNPROBE_F_DADDR;	/* no F_SOCK */
	r.daddr_family = AF_UNSPEC;
	record_fields(&r, &f);
	CHECK(f.saddr == NULL);
	CHECK_INT(f.sport, -1);
	CHECK(f.daddr == NULL);
	CHECK_INT(f.dport, -1);

	r.flags = CONNPROBE_F_SOCK;
	r.daddr_family = AF_INET;
	record_fields(&r, &f);
	CHECK_STR(f.family, "inet");
	CHECK_STR(f.proto, "tcp");
	CHECK(f.saddr == NULL);
	CHECK(f.daddr == NULL);
	return 0;
fail:
	return 1;
}

static int test_fields_error(const void *arg)
{
	struct connprobe_record r = rec_new(1, 0, 1);
	struct cp_fields f;

	(void)arg;
	record_fields(&r, &f);
	CHECK(f.error == NULL);
	r.ret = -512;
	record_fields(&r, &f);
	CHECK_STR(f.error, "ERESTARTSYS");
	r.ret = -1000;
	record_fields(&r, &f);
	CHECK_STR(f.error, "E1000");
	r.ret = INT_MIN;
	record_fields(&r, &f);
	CHECK_STR(f.error, "E2147483648");
	return 0;
fail:
	return 1;
}

static int test_json_escape_hostile(const void *arg)
{
	struct capture c = { 0 };
	int ret = 1;

	(void)arg;
	CHECK(capture_open(&c));
	json_string(c.f, HOSTILE_COMM, sizeof(HOSTILE_COMM));
	CHECK_STR(capture_text(&c), HOSTILE_COMM_JSON);
	ret = 0;
fail:
	capture_close(&c);
	return ret;
}

static int test_json_record(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1500000000, 2, 7);
	struct capture c = { 0 };
	int ret = 1;

	(void)arg;
	CHECK(capture_open(&c));
	print_json_record(c.f, &r);
	CHECK_STR(capture_text(&c),
		  "{\"event\":\"connect\",\"ts_ns\":1500000000,\"cpu\":2,\"pid\":100,\"tid\":101,"
		  "\"comm\":\"curl\",\"family\":\"inet\",\"proto\":\"tcp\",\"saddr\":\"127.0.0.1\","
		  "\"sport\":40000,\"daddr\":\"127.0.0.1\",\"dport\":80,\"ret\":-111,"
		  "\"error\":\"ECONNREFUSED\",\"latency_ns\":52000,\"seq\":7,\"fd\":3}\n");
	ret = 0;
fail:
	capture_close(&c);
	return ret;
}

static int test_json_record_unknown_and_hostile(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(5, 0, 1);
	struct capture c = { 0 };
	char want[512];
	int ret = 1;

	(void)arg;
	r.flags = 0;
	r.ret = 0;
	r.fd = -1;
	memcpy(r.comm, HOSTILE_COMM, sizeof(r.comm));
	snprintf(want, sizeof(want),
		 "{\"event\":\"connect\",\"ts_ns\":5,\"cpu\":0,\"pid\":100,\"tid\":101,"
		 "\"comm\":%s,\"family\":null,\"proto\":null,\"saddr\":null,"
		 "\"sport\":null,\"daddr\":null,\"dport\":null,\"ret\":0,"
		 "\"error\":null,\"latency_ns\":52000,\"seq\":1,\"fd\":-1}\n",
		 HOSTILE_COMM_JSON);
	CHECK(capture_open(&c));
	print_json_record(c.f, &r);
	CHECK_STR(capture_text(&c), want);
	ret = 0;
fail:
	capture_close(&c);
	return ret;
}

static int test_table_rows(const void *arg)
{
	struct connprobe_record v4 = rec_refused_v4(1500000000, 0, 1);
	struct connprobe_record unk = rec_new(500000000, 1, 1);
	struct capture c = { 0 };
	int ret = 1;

	(void)arg;
	unk.pid = 5;
	unk.tid = 6;
	unk.ret = -9;
	rec_comm(&unk, "x");
	CHECK(capture_open(&c));
	print_table_header(c.f);
	print_table_row(c.f, &v4, 1000000000);
	/* entered before the first record printed: negative, not huge */
	print_table_row(c.f, &unk, 1000000000);
	CHECK_STR(capture_text(&c),
		  "TIME(s)   PID     TID     COMM             FAM     PROTO     SADDR                                   SPORT DADDR                                   DPORT RESULT         LAT(ms)\n"
		  "0.500     100     101     curl             inet    tcp       127.0.0.1                               40000 127.0.0.1                               80    ECONNREFUSED   0.052\n"
		  "-0.500    5       6       x                -       -         -                                       -     -                                       -     EBADF          0.000\n");
	ret = 0;
fail:
	capture_close(&c);
	return ret;
}

static int test_table_ipv6_aligned(const void *arg)
{
	struct connprobe_record r = rec_new(7, 0, 1);
	struct capture c = { 0 };
	int ret = 1;

	(void)arg;
	r.pid = r.tid = 7;
	r.latency_ns = 1234567;
	memcpy(r.comm, HOSTILE_COMM, sizeof(r.comm));
	rec_sock(&r, AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
	rec_saddr(&r, "2001:db8::1", 0);
	rec_daddr(&r, AF_INET6, "2001:db8:ffff:ffff:ffff:ffff:ffff:1", 53);
	CHECK(capture_open(&c));
	print_table_header(c.f);
	print_table_row(c.f, &r, 7);
	/* the widest address and a hostile comm keep every column in place */
	CHECK_STR(capture_text(&c),
		  "TIME(s)   PID     TID     COMM             FAM     PROTO     SADDR                                   SPORT DADDR                                   DPORT RESULT         LAT(ms)\n"
		  "0.000     7       7       \"\\?????????A???Z inet6   udp       2001:db8::1                             0     2001:db8:ffff:ffff:ffff:ffff:ffff:1     53    OK             1.235\n");
	ret = 0;
fail:
	capture_close(&c);
	return ret;
}

TEST_LIST(format_tests) = {
	{ "IPv4 address from the first 4 bytes", test_addr_ipv4 },
	{ "IPv6 address formatting", test_addr_ipv6 },
	{ "no address rendering for other families", test_addr_other_family },
	{ "fields without their validity bit are null", test_fields_unknown_are_null },
	{ "error name from ret, incl. ERESTARTSYS and INT_MIN", test_fields_error },
	{ "JSON escaping of a hostile comm", test_json_escape_hostile },
	{ "JSON line for a full record", test_json_record },
	{ "JSON line: unknown fields null, hostile comm escaped", test_json_record_unknown_and_hostile },
	{ "table header and rows, unknown as '-'", test_table_rows },
	{ "table row: IPv6 and hostile comm stay aligned", test_table_ipv6_aligned },
	{ NULL, NULL },
};
