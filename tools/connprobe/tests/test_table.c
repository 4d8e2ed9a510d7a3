// SPDX-License-Identifier: GPL-2.0
/* The record table: layout, widening, optional columns, results. */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "row.h"
#include "fixtures.h"
#include "runner.h"

/* 16 bytes, no NUL: quotes, controls, DEL, UTF-8, invalid UTF-8, a surrogate. */
static const char HOSTILE_COMM[CONNPROBE_COMM_LEN] =
	"\"\\\n\t\x01\x1b\x7f\xc3\xa9\xff\xc3" "A\xed\xa0\x80Z";

/* Print the header and @n rows with @opts into @c; its text or NULL. */
static const char *render(struct memout *c, const struct stream_opts *opts,
			  const struct connprobe_record *recs, size_t n)
{
	struct cp_out *o = memout_out(c);
	struct cp_rows t;
	size_t i;

	if (!o)
		return NULL;
	rows_begin(&t, o, opts);
	for (i = 0; i < n; i++)
		rows_record(&t, &recs[i]);
	return memout_text(c);
}

static const char HEADER[] =
	"TIME(s)   PID     TID     COMM             FAM     PROTO  SADDR           SPORT DADDR           DPORT RESULT            LAT(ms)\n";

static int test_rows_narrow(const void *arg)
{
	struct connprobe_record r[2] = {
		rec_refused_v4(1500000000, 0, 1), rec_new(500000000, 1, 1),
	};
	struct stream_opts opts = { 0 };
	struct memout c = { 0 };
	char want[1024];
	int ret = 1;

	(void)arg;
	r[1].pid = 5;
	r[1].tid = 6;
	r[1].ret = -9;
	rec_comm(&r[1], "x");
	snprintf(want, sizeof(want), "%s%s", HEADER,
		 "0.000     100     101     curl             inet    tcp    127.0.0.1       40000 127.0.0.1       80    ECONNREFUSED      0.052\n"
		 /* entered before the first record printed: negative, not huge */
		 "-1.000    5       6       x                -       -      -               -     -               -     EBADF             0.000\n");
	CHECK_STR(render(&c, &opts, r, 2), want);
	ret = 0;
fail:
	memout_close(&c);
	return ret;
}

/*
 * The header is printed once and the rows stay under it: a longer address
 * keeps its tail in the column (whole with -w), a longer name or result
 * pushes only the next cells, until one has room.
 */
static int test_columns_stay(const void *arg)
{
	struct connprobe_record r[4] = {
		rec_refused_v4(1000000000, 0, 1), rec_new(1000000000, 0, 2),
		rec_new(1000000000, 0, 3), rec_new(1000000000, 0, 4),
	};
	struct stream_opts opts = { 0 };
	struct memout c = { 0 };
	char want[2048];
	int ret = 1;

	(void)arg;
	r[1].pid = r[1].tid = 7;
	r[1].latency_ns = 1234567;
	rec_comm(&r[1], "dig");
	rec_sock(&r[1], AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
	rec_saddr(&r[1], "2001:db8::1", 0);
	rec_daddr(&r[1], AF_INET6, "2001:db8:ffff:ffff:ffff:ffff:ffff:1", 53);
	/* netlink fits its column */
	r[2].pid = r[2].tid = 1;
	rec_comm(&r[2], "systemd");
	rec_sock(&r[2], AF_NETLINK, SOCK_RAW, 0);
	/* longer than their columns: the row is in line again by SADDR */
	r[3].pid = r[3].tid = 2;
	rec_comm(&r[3], "bt");
	rec_sock(&r[3], AF_BLUETOOTH, SOCK_SEQPACKET, 0);
	r[3].ret = -99;
	snprintf(want, sizeof(want), "%s%s%s%s%s", HEADER,
		 "0.000     100     101     curl             inet    tcp    127.0.0.1       40000 127.0.0.1       80    ECONNREFUSED      0.052\n",
		 "0.000     7       7       dig              inet6   udp    2001:db8::1     0     ..f:ffff:ffff:1 53    OK                1.235\n",
		 "0.000     1       1       systemd          netlink raw    -               -     -               -     OK                0.000\n",
		 "0.000     2       2       bt               bluetooth seqpacket -          -     -               -     EADDRNOTAVAIL     0.000\n");
	CHECK_STR(render(&c, &opts, r, 4), want);
	/* -w: the whole address */
	opts.wide = true;
	memout_close(&c);
	CHECK_HAS(render(&c, &opts, r, 2),
		  " 2001:db8:ffff:ffff:ffff:ffff:ffff:1     53    OK ");
	ret = 0;
fail:
	memout_close(&c);
	return ret;
}

static int test_wide_uid_container(const void *arg)
{
	static const char ID[] =
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	struct connprobe_record r = rec_refused_v4(1000000000, 0, 1);
	struct cp_cgroups cg;
	struct stream_opts opts = { .wide = true, .cgroups = &cg };
	struct memout c = { 0 };
	char path[128];
	int ret = 1;

	(void)arg;
	cgroups_init(&cg);
	snprintf(path, sizeof(path), "/system.slice/docker-%s.scope", ID);
	CHECK_INT(cgroups_add(&cg, 4242, path, strlen(path)), 0);
	r.cgroup_id = 4242;
	r.uid = 1000;
	CHECK_STR(render(&c, &opts, &r, 1),
		  "TIME(s)   PID     TID     UID    COMM             CONTAINER    FAM     PROTO  SADDR                                   SPORT DADDR                                   DPORT RESULT            LAT(ms)\n"
		  "0.000     100     101     1000   curl             0123456789ab inet    tcp    127.0.0.1                               40000 127.0.0.1                               80    ECONNREFUSED      0.052\n");
	ret = 0;
fail:
	memout_close(&c);
	cgroups_free(&cg);
	return ret;
}

static int test_uid_and_clock(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(3723004000000ULL, 0, 1);
	struct stream_opts opts = {
		.print_uid = true, .wallclock = true,
		.realtime_offset_ns = TEST_REALTIME_OFFSET,
	};
	struct memout c = { 0 };
	int ret = 1;

	(void)arg;
	r.uid = 0;
	/* the runner sets TZ=UTC; -T shows the time of day of ts_ns */
	CHECK_STR(render(&c, &opts, &r, 1),
		  "TIME         PID     TID     UID    COMM             FAM     PROTO  SADDR           SPORT DADDR           DPORT RESULT            LAT(ms)\n"
		  "01:02:03.004 100     101     0      curl             inet    tcp    127.0.0.1       40000 127.0.0.1       80    ECONNREFUSED      0.052\n");
	ret = 0;
fail:
	memout_close(&c);
	return ret;
}

static int test_complete_results(const void *arg)
{
	struct connprobe_record r[3];
	struct stream_opts opts = { 0 };
	struct memout c = { 0 };
	const char *text;
	int ret = 1;

	(void)arg;
	r[0] = rec_refused_v4(1000000000, 0, 1);
	r[0].ret = -115;
	r[1] = rec_complete(&r[0], 0, 2500000);
	r[2] = rec_complete(&r[0], -111, 2500000);
	r[2].flags |= CONNPROBE_F_ABANDONED;
	text = render(&c, &opts, r, 3);
	CHECK_HAS(text, " EINPROGRESS       0.052\n");
	CHECK_HAS(text, " done:OK           2.500\n");
	/* abandoned wins over the error it carries */
	CHECK_HAS(text, " abandoned         2.500\n");
	r[1].ret = -111;
	memout_close(&c);
	text = render(&c, &opts, r, 2);
	CHECK_HAS(text, " done:ECONNREFUSED 2.500\n");
	/* what the caller got: EINTR, not the kernel's ERESTARTSYS */
	r[0].ret = -512;
	memout_close(&c);
	text = render(&c, &opts, r, 1);
	CHECK_HAS(text, " EINTR             0.052\n");
	ret = 0;
fail:
	memout_close(&c);
	return ret;
}

/*
 * A done: line's TIME is when the attempt ended, the moment it reports,
 * as tcpconnlat's TIME is when the connection came up: its connect's
 * TIME plus its LAT.
 */
static int test_done_time_is_the_end(const void *arg)
{
	struct connprobe_record r[3];
	struct stream_opts opts = { 0 };
	struct memout c = { 0 };
	const char *text;
	int ret = 1;

	(void)arg;
	r[0] = rec_refused_v4(1000000000, 0, 1);
	r[0].ret = -115;
	r[1] = rec_refused_v4(1100000000, 0, 2);
	r[2] = rec_complete(&r[0], 0, 250000000);
	text = render(&c, &opts, r, 3);
	CHECK_HAS(text, "\n0.000     100 ");
	CHECK_HAS(text, "\n0.100     100 ");
	CHECK_HAS(text, "\n0.250     100 ");
	CHECK_HAS(text, " done:OK           250.000\n");
	/* -T too: 00:00:01.000 plus 250 ms */
	opts.wallclock = true;
	opts.realtime_offset_ns = TEST_REALTIME_OFFSET;
	memout_close(&c);
	text = render(&c, &opts, r, 3);
	CHECK_HAS(text, "\n00:00:01.250 100 ");
	ret = 0;
fail:
	memout_close(&c);
	return ret;
}

static int test_hostile_comm_and_unix_path(const void *arg)
{
	struct connprobe_record r[2] = { rec_new(7, 0, 1), rec_new(7, 0, 2) };
	char path[100];
	struct stream_opts opts = { 0 };
	struct memout c = { 0 };
	const char *text;
	int ret = 1;

	(void)arg;
	memcpy(r[0].comm, HOSTILE_COMM, sizeof(r[0].comm));
	rec_unix(&r[0], SOCK_STREAM, "\0evil\x1b[2J", 9);
	memset(path, 'p', sizeof(path));
	memcpy(path, "/very/long/", 11);
	memcpy(path + sizeof(path) - 9, "/app.sock", 9);
	rec_unix(&r[1], SOCK_STREAM, path, sizeof(path));
	text = render(&c, &opts, r, 2);
	/* one byte, one column: no escape reaches the terminal */
	CHECK_HAS(text, "\"\\?????????A???Z unix    stream -               -     @evil?[2J       -     OK");
	/* a path longer than the column keeps its tail */
	CHECK_HAS(text, " ..pppp/app.sock -     OK ");
	CHECK(!strchr(text, '\x1b'));
	ret = 0;
fail:
	memout_close(&c);
	return ret;
}

TEST_LIST(table_tests) = {
	{ "table: IPv4-wide by default, unknown as '-', negative time", test_rows_narrow },
	{ "table: header once, columns stay: long address cut, netlink fits, long names carried", test_columns_stay },
	{ "table -w: IPv6 width, UID and short container id", test_wide_uid_container },
	{ "table -U -T: UID column, local time of day", test_uid_and_clock },
	{ "table: COMPLETE results done:OK, done:ERR, abandoned", test_complete_results },
	{ "table: a done: line's TIME is the end of the attempt", test_done_time_is_the_end },
	{ "table: hostile comm and AF_UNIX path stay printable", test_hostile_comm_and_unix_path },
	{ NULL, NULL },
};
