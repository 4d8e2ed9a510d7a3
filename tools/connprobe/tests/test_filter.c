// SPDX-License-Identifier: GPL-2.0
/* Each filter field, on its own and together. */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "sink.h"
#include "fixtures.h"
#include "runner.h"

static bool match(const struct cp_filter *f, const struct connprobe_record *r)
{
	return filter_match(f, r, NULL);
}

static int test_empty_matches_all(const void *arg)
{
	struct connprobe_record r = rec_new(1, 0, 1);
	struct cp_filter f = { 0 };

	(void)arg;
	CHECK(match(&f, &r));
	return 0;
fail:
	return 1;
}

static int test_pid_tid_uid_comm(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1, 0, 1);
	struct cp_filter f = { 0 };

	(void)arg;
	r.uid = 1000;
	f.mask = CP_FILTER_PID;
	f.pid = 100;
	CHECK(match(&f, &r));
	f.pid = 101;	/* the tid is not the pid */
	CHECK(!match(&f, &r));
	f.mask = CP_FILTER_TID;
	f.tid = 101;
	CHECK(match(&f, &r));
	f.mask = CP_FILTER_UID;
	f.uid = 1000;
	CHECK(match(&f, &r));
	f.uid = 0;
	CHECK(!match(&f, &r));
	f.mask = CP_FILTER_COMM;
	memcpy(f.comm, "curl", 5);
	CHECK(match(&f, &r));
	memcpy(f.comm, "cur", 4);	/* exact, not a prefix */
	CHECK(!match(&f, &r));
	return 0;
fail:
	return 1;
}

static int test_ports(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1, 0, 1);
	struct cp_filter f = { .mask = CP_FILTER_PORT, .nr_ports = 2,
			       .ports = { 443, 80 } };

	(void)arg;
	CHECK(match(&f, &r));
	f.ports[1] = 8080;
	CHECK(!match(&f, &r));
	/* the destination port: the source port never matches */
	f.ports[1] = 40000;
	CHECK(!match(&f, &r));
	/* an addrlen too short for the port: it is not known, not 0 */
	f.ports[1] = 0;
	r.addrlen = 8;
	r.dport = 0;
	CHECK(!match(&f, &r));
	/* no destination, no port */
	f.ports[1] = 80;
	r.addrlen = 16;
	r.dport = 80;
	r.flags &= ~CONNPROBE_F_DADDR;
	CHECK(!match(&f, &r));
	return 0;
fail:
	return 1;
}

static int test_families_and_mapped(const void *arg)
{
	struct connprobe_record v4 = rec_refused_v4(1, 0, 1);
	struct connprobe_record v6 = rec_new(1, 0, 1), mapped, unix_r, sock_only;
	struct cp_filter f4 = { .mask = CP_FILTER_IPV4 };
	struct cp_filter f6 = { .mask = CP_FILTER_IPV6 };
	struct cp_filter both = { .mask = CP_FILTER_IPV4 | CP_FILTER_IPV6 };

	(void)arg;
	rec_sock(&v6, AF_INET6, SOCK_STREAM, IPPROTO_TCP);
	rec_daddr(&v6, AF_INET6, "2001:db8::1", 443);
	mapped = v6;
	rec_daddr(&mapped, AF_INET6, "::ffff:192.0.2.7", 443);
	unix_r = rec_new(1, 0, 1);
	rec_unix(&unix_r, SOCK_STREAM, "/run/x", 7);
	/* EBADF-like: no destination, but an IPv6 socket */
	sock_only = rec_new(1, 0, 1);
	rec_sock(&sock_only, AF_INET6, SOCK_STREAM, IPPROTO_TCP);

	CHECK(match(&f4, &v4) && !match(&f6, &v4));
	CHECK(!match(&f4, &v6) && match(&f6, &v6));
	/* IPv4-mapped leaves as IPv4: -4 takes it, -6 does not */
	CHECK(match(&f4, &mapped) && !match(&f6, &mapped));
	CHECK(!match(&f4, &unix_r) && !match(&f6, &unix_r));
	CHECK(match(&f6, &sock_only) && !match(&f4, &sock_only));
	CHECK(match(&both, &v4) && match(&both, &v6) && !match(&both, &unix_r));
	CHECK(!match(&f4, &(struct connprobe_record){ 0 }));
	return 0;
fail:
	return 1;
}

static int test_failed(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1, 0, 1), done;
	struct cp_filter f = { .mask = CP_FILTER_FAILED };

	(void)arg;
	CHECK(match(&f, &r));			/* ECONNREFUSED */
	r.ret = 0;
	CHECK(!match(&f, &r));
	r.ret = -115;				/* EINPROGRESS goes on */
	CHECK(!match(&f, &r));
	r.ret = -512;				/* EINTR for the caller */
	CHECK(match(&f, &r));
	r.ret = -115;
	done = rec_complete(&r, 0, 1);
	CHECK(!match(&f, &done));
	done.ret = -110;
	CHECK(match(&f, &done));
	done.ret = 0;
	done.flags |= CONNPROBE_F_ABANDONED;
	CHECK(match(&f, &done));
	return 0;
fail:
	return 1;
}

static int test_errno_both_names(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1, 0, 1);
	struct cp_filter f = { .mask = CP_FILTER_ERRNO, .nr_errnos = 1,
			       .errnos = { 4 } };	/* EINTR */

	(void)arg;
	CHECK(!match(&f, &r));
	r.ret = -512;			/* ERESTARTSYS: the caller saw EINTR */
	CHECK(match(&f, &r));
	f.errnos[0] = 512;		/* and by the kernel's name */
	CHECK(match(&f, &r));
	r.ret = 0;
	CHECK(!match(&f, &r));
	f.nr_errnos = 2;
	f.errnos[1] = 111;
	r.ret = -111;
	CHECK(match(&f, &r));
	return 0;
fail:
	return 1;
}

static int test_min_latency_and_all(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1, 0, 1);	/* 52 us */
	struct cp_filter f = { .mask = CP_FILTER_LATENCY, .min_latency_ns = 52000 };

	(void)arg;
	CHECK(match(&f, &r));		/* at least, inclusive */
	f.min_latency_ns = 52001;
	CHECK(!match(&f, &r));
	/* all fields in force must match */
	f.min_latency_ns = 1;
	f.mask |= CP_FILTER_PID | CP_FILTER_FAILED;
	f.pid = 100;
	CHECK(match(&f, &r));
	f.pid = 1;
	CHECK(!match(&f, &r));
	return 0;
fail:
	return 1;
}

static bool under_42(void *ctx, __u64 id)
{
	(void)ctx;
	return id == 42;
}

static int test_cgroup_asks_the_test(const void *arg)
{
	struct connprobe_record r = rec_new(1, 0, 1);
	struct cp_filter f = { .mask = CP_FILTER_CGROUP };
	struct cp_cgroup_test t = { under_42, NULL };

	(void)arg;
	r.cgroup_id = 42;
	CHECK(filter_match(&f, &r, &t));
	r.cgroup_id = 43;
	CHECK(!filter_match(&f, &r, &t));
	/* without an answer to ask, nothing is under the cgroup */
	CHECK(!filter_match(&f, &r, NULL));
	return 0;
fail:
	return 1;
}

TEST_LIST(filter_tests) = {
	{ "filter: empty matches every record", test_empty_matches_all },
	{ "filter: -p, -t, -u, --comm exact", test_pid_tid_uid_comm },
	{ "filter: -P matches any listed destination port", test_ports },
	{ "filter: -4/-6, IPv4-mapped counts as IPv4", test_families_and_mapped },
	{ "filter: --failed, EINPROGRESS is not, abandoned is", test_failed },
	{ "filter: --errno by kernel or caller error", test_errno_both_names },
	{ "filter: --min-latency inclusive; all fields must match", test_min_latency_and_all },
	{ "filter: --cgroup asks the ancestry test", test_cgroup_asks_the_test },
	{ NULL, NULL },
};
