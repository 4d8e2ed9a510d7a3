// SPDX-License-Identifier: GPL-2.0
/*
 * One record per connect(), exact for every outcome a call returns with.
 * Each test sets up its peer, empties connprobe's buffers, makes the calls
 * under test inside CLOCK_MONOTONIC windows, then checks that this thread
 * has exactly one record per call and that every field is what the call
 * was: result, caller, socket, destination as passed, source, zero in
 * every field whose validity flag must be clear, and the id: shared by the
 * calls on one TCP attempt, its own for any other call.  (What happens to
 * an attempt after its call returned is connect_async's.)
 *
 * Must run as root with connprobe loaded and debugfs mounted, on a host
 * whose only network device is lo (the test VM): see unreachable_network.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "harness_list.h"

#include "connprobe.h"
#include "loopback.h"
#include "record_reader.h"
#include "record_want.h"

/* Most calls a test makes inside its window. */
#define MAX_CALLS	2

/* An address nothing routes to without a default route (TEST-NET-3). */
#define UNROUTABLE_V4	"203.0.113.1"
/* An IPv6 address for an IPv4 socket: documentation prefix. */
#define DOC_V6		"2001:db8::1"
/* A destination port for calls that fail before sending anything. */
#define ANY_PORT	9

static int new_socket(struct __test_metadata *_metadata, int family, int type)
{
	int fd = socket(family, type, 0);

	ASSERT_LE(0, fd) TH_LOG("socket: %s", strerror(errno));
	return fd;
}

/*
 * Learn who this thread is, then empty the buffers, so that what follows
 * belongs to the test's window.
 */
static void start_window(struct __test_metadata *_metadata)
{
	struct record_set set = {};
	int err = want_identity();

	ASSERT_EQ(0, err) TH_LOG("who am I: %s", strerror(-err));
	ASSERT_EQ(0, records_discard(&set)) TH_LOG("%s", set.error);
}

/*
 * The source after the call, as getsockname() reports it.  @bound states
 * whether the call must leave a source port on the socket; checking it
 * keeps each test honest about the case it claims to cover.
 */
static void want_source_after(struct __test_metadata *_metadata,
			      struct connprobe_record *want, int fd, bool bound)
{
	struct endpoint src;

	ASSERT_EQ(0, endpoint_local(fd, &src))
		TH_LOG("getsockname: %s", strerror(errno));
	ASSERT_EQ(bound, endpoint_port(&src) != 0)
		TH_LOG("source port after the call: %u", endpoint_port(&src));
	if (bound)
		want_source(want, &src);
}

/* How the ids of a test's calls relate, from the second call on. */
enum ids {
	OWN_IDS,	/* each call its own: new sockets, UDP */
	ONE_ATTEMPT,	/* later calls on the first call's TCP attempt */
};

/*
 * This thread's records since start_window() must be exactly @want[0..n),
 * the records of @calls[0..n), made one after the other, their ids as
 * @ids says (the first call's: any but 0, or 0 without a socket).
 */
static void expect_records(struct __test_metadata *_metadata,
			   const struct connprobe_record *want,
			   const struct call *calls, size_t n, enum ids ids)
{
	struct connprobe_record recs[MAX_CALLS], w;
	char why[RECORD_DIFF_LEN];
	ssize_t count;
	size_t i;

	count = records_collect(gettid(), recs, MAX_CALLS, why, sizeof(why));
	ASSERT_LE(0, count) TH_LOG("%s", why);
	ASSERT_EQ(n, count) TH_LOG("%zd records for %zu calls", count, n);
	/* Sorted by ts_ns, the records come in the order of the calls. */
	for (i = 0; i < n; i++) {
		w = want[i];
		if (i && ids == ONE_ATTEMPT)
			want_id_of(&w, &recs[0]);
		else if (i)
			want_id_new(&w, &recs[i - 1]);
		EXPECT_EQ(0, record_diff(&w, &recs[i], calls[i].before,
					 calls[i].after, why, sizeof(why)))
			TH_LOG("record %zu:%s", i, why);
	}
}

/* Calls to a loopback peer, the same for IPv4 and IPv6. */
FIXTURE(loopback) {
	int fd;			/* the socket under test */
	int listener;		/* the peer, if the test has one */
	int queued;		/* the connection filling the peer's queue */
	struct endpoint peer;
};

FIXTURE_VARIANTS_IP4_IP6(loopback);

FIXTURE_SETUP(loopback)
{
	self->fd = -1;
	self->listener = -1;
	self->queued = -1;
}

FIXTURE_TEARDOWN(loopback)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->queued >= 0)
		close(self->queued);
	if (self->listener >= 0)
		close(self->listener);
}

/* The kernel completes the handshake for the listener: no accept() needed. */
TEST_F(loopback, tcp_connects)
{
	struct connprobe_record want;
	struct call call;

	self->listener = tcp_listener(variant->family, 1, &self->peer);
	ASSERT_LE(0, self->listener) TH_LOG("listener: %s", strerror(errno));
	self->fd = new_socket(_metadata, variant->family, SOCK_STREAM);

	start_window(_metadata);
	timed_connect(self->fd, &self->peer, &call);
	ASSERT_EQ(0, call.ret) TH_LOG("connect: %s", strerror(-call.ret));

	want_call(&want, self->fd, 0);
	want_socket(&want, variant->family, SOCK_STREAM, IPPROTO_TCP);
	want_daddr(&want, &self->peer);
	want_source_after(_metadata, &want, self->fd, true);
	expect_records(_metadata, &want, &call, 1, OWN_IDS);
}

/*
 * A blocking call refused at once: the RST arrives inside the call, which
 * then undoes the attempt (tcp_disconnect() resets the source address).
 * The record has the source the SYN left from: the loopback address, and
 * the port, which inet_sport keeps and getsockname() still shows.
 */
TEST_F(loopback, tcp_refused)
{
	static const unsigned char any[CONNPROBE_ADDR_LEN];
	struct connprobe_record want;
	struct endpoint after, used;
	struct call call;
	const void *addr;
	size_t len;

	ASSERT_EQ(0, unused_port(variant->family, SOCK_STREAM, &self->peer))
		TH_LOG("no free port: %s", strerror(errno));
	self->fd = new_socket(_metadata, variant->family, SOCK_STREAM);

	start_window(_metadata);
	timed_connect(self->fd, &self->peer, &call);
	ASSERT_EQ(-ECONNREFUSED, call.ret) TH_LOG("connect: %s",
						  strerror(-call.ret));

	ASSERT_EQ(0, endpoint_local(self->fd, &after))
		TH_LOG("getsockname: %s", strerror(errno));
	ASSERT_NE(0, endpoint_port(&after));
	/* Else this test would no longer show that the source is kept. */
	addr = endpoint_addr(&after, &len);
	ASSERT_EQ(0, memcmp(any, addr, len))
		TH_LOG("the kernel no longer resets the source address");

	want_call(&want, self->fd, -ECONNREFUSED);
	want_socket(&want, variant->family, SOCK_STREAM, IPPROTO_TCP);
	want_daddr(&want, &self->peer);
	endpoint_loopback(&used, variant->family, endpoint_port(&after));
	want_source(&want, &used);
	expect_records(_metadata, &want, &call, 1, OWN_IDS);
}

/*
 * A blocking call to a peer that drops every SYN: one retry (TCP_SYNCNT
 * 1), ETIMEDOUT after about 3 s.  A second thread reads the source while
 * the attempt runs; the record must have it, though the failure clears it.
 */
TEST_F(loopback, tcp_timed_out)
{
	struct syn_watch watch = {};
	struct connprobe_record want;
	struct call call;

	self->listener = full_listener(variant->family, &self->peer,
				       &self->queued);
	ASSERT_LE(0, self->listener)
		TH_LOG("full listener: %s", strerror(errno));
	self->fd = new_socket(_metadata, variant->family, SOCK_STREAM);
	ASSERT_EQ(0, set_syn_retries(self->fd, 1))
		TH_LOG("TCP_SYNCNT: %s", strerror(errno));

	start_window(_metadata);
	watch.fd = self->fd;
	ASSERT_EQ(0, syn_watch_start(&watch));
	timed_connect(self->fd, &self->peer, &call);
	ASSERT_EQ(0, syn_watch_join(&watch))
		TH_LOG("watching the attempt: %s", strerror(watch.err));
	ASSERT_EQ(-ETIMEDOUT, call.ret) TH_LOG("connect: %s",
					       strerror(-call.ret));

	want_call(&want, self->fd, -ETIMEDOUT);
	want_socket(&want, variant->family, SOCK_STREAM, IPPROTO_TCP);
	want_daddr(&want, &self->peer);
	want_source(&want, &watch.src);
	expect_records(_metadata, &want, &call, 1, OWN_IDS);
}

/*
 * Connected, then connect() again: EISCONN, a call on the attempt that
 * connected the socket, whose id it carries.
 */
TEST_F(loopback, tcp_already_connected)
{
	struct connprobe_record want[2];
	struct call calls[2];

	self->listener = tcp_listener(variant->family, 1, &self->peer);
	ASSERT_LE(0, self->listener) TH_LOG("listener: %s", strerror(errno));
	self->fd = new_socket(_metadata, variant->family, SOCK_STREAM);

	start_window(_metadata);
	timed_connect(self->fd, &self->peer, &calls[0]);
	timed_connect(self->fd, &self->peer, &calls[1]);
	ASSERT_EQ(0, calls[0].ret)
		TH_LOG("first connect: %s", strerror(-calls[0].ret));
	ASSERT_EQ(-EISCONN, calls[1].ret)
		TH_LOG("second connect: %s", strerror(-calls[1].ret));

	want_call(&want[0], self->fd, 0);
	want_socket(&want[0], variant->family, SOCK_STREAM, IPPROTO_TCP);
	want_daddr(&want[0], &self->peer);
	want_source_after(_metadata, &want[0], self->fd, true);
	want[1] = want[0];
	want[1].ret = -EISCONN;
	expect_records(_metadata, want, calls, 2, ONE_ATTEMPT);
}

/*
 * A UDP connect() sends nothing: no peer needed, but it binds a port.
 * There is no attempt to share: connecting again gives a new id.
 */
TEST_F(loopback, udp_connects)
{
	struct connprobe_record want[2];
	struct call calls[2];

	ASSERT_EQ(0, unused_port(variant->family, SOCK_DGRAM, &self->peer))
		TH_LOG("no free port: %s", strerror(errno));
	self->fd = new_socket(_metadata, variant->family, SOCK_DGRAM);

	start_window(_metadata);
	timed_connect(self->fd, &self->peer, &calls[0]);
	timed_connect(self->fd, &self->peer, &calls[1]);
	ASSERT_EQ(0, calls[0].ret)
		TH_LOG("first connect: %s", strerror(-calls[0].ret));
	ASSERT_EQ(0, calls[1].ret)
		TH_LOG("second connect: %s", strerror(-calls[1].ret));

	want_call(&want[0], self->fd, 0);
	want_socket(&want[0], variant->family, SOCK_DGRAM, IPPROTO_UDP);
	want_daddr(&want[0], &self->peer);
	want_source_after(_metadata, &want[0], self->fd, true);
	want[1] = want[0];
	expect_records(_metadata, want, calls, 2, OWN_IDS);
}

/*
 * The peer's accept queue is full, so it drops the SYN: the non-blocking
 * connect() returns EINPROGRESS with the socket in SYN_SENT, and calling it
 * again while that lasts gives EALREADY.  Two calls, two records, one
 * attempt: the EALREADY record carries the attempt's id.  The attempt is
 * still running when the records are read (its end is connect_async's).
 */
TEST_F(loopback, tcp_nonblocking_in_progress_then_already)
{
	struct connprobe_record want[2];
	struct call calls[2];

	self->listener = full_listener(variant->family, &self->peer,
				       &self->queued);
	ASSERT_LE(0, self->listener)
		TH_LOG("full listener: %s", strerror(errno));
	self->fd = new_socket(_metadata, variant->family,
			      SOCK_STREAM | SOCK_NONBLOCK);

	start_window(_metadata);
	timed_connect(self->fd, &self->peer, &calls[0]);
	timed_connect(self->fd, &self->peer, &calls[1]);
	ASSERT_EQ(-EINPROGRESS, calls[0].ret)
		TH_LOG("first connect: %s", strerror(-calls[0].ret));
	ASSERT_EQ(-EALREADY, calls[1].ret)
		TH_LOG("second connect: %s", strerror(-calls[1].ret));

	want_call(&want[0], self->fd, -EINPROGRESS);
	want_socket(&want[0], variant->family, SOCK_STREAM, IPPROTO_TCP);
	want_daddr(&want[0], &self->peer);
	/* The first call chose the source; the second one left it alone. */
	want_source_after(_metadata, &want[0], self->fd, true);
	want[1] = want[0];
	want[1].ret = -EALREADY;
	expect_records(_metadata, want, calls, 2, ONE_ATTEMPT);
}

/* Calls that fail in this kernel, before any packet is sent. */
FIXTURE(fails_locally) {
	int fd;
	int other;		/* the second fd of a pipe */
};

FIXTURE_SETUP(fails_locally)
{
	self->fd = -1;
	self->other = -1;
}

FIXTURE_TEARDOWN(fails_locally)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->other >= 0)
		close(self->other);
}

/*
 * Only a host without routes beyond lo is sure to answer ENETUNREACH: on
 * any other the call might go out or even succeed.  Such a host fails this
 * test rather than pass or skip it, so that it is never counted as proof.
 */
TEST_F(fails_locally, unreachable_network)
{
	struct connprobe_record want;
	struct endpoint dst;
	struct call call;
	char others[256];

	devices_besides_lo(others, sizeof(others));
	ASSERT_STREQ("", others)
		TH_LOG("refusing to run: this host has network devices besides lo (%s); run it in the test VM",
		       others);

	memset(&dst, 0, sizeof(dst));
	dst.v4.sin_family = AF_INET;
	dst.v4.sin_port = htons(ANY_PORT);
	ASSERT_EQ(1, inet_pton(AF_INET, UNROUTABLE_V4, &dst.v4.sin_addr));
	dst.len = sizeof(dst.v4);
	self->fd = new_socket(_metadata, AF_INET, SOCK_STREAM);

	start_window(_metadata);
	timed_connect(self->fd, &dst, &call);
	ASSERT_EQ(-ENETUNREACH, call.ret) TH_LOG("connect: %s",
						 strerror(-call.ret));

	want_call(&want, self->fd, -ENETUNREACH);
	want_socket(&want, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	want_daddr(&want, &dst);
	/* The route lookup failed before a source port was chosen. */
	want_source_after(_metadata, &want, self->fd, false);
	expect_records(_metadata, &want, &call, 1, OWN_IDS);
}

/*
 * An IPv6 address for an IPv4 socket: the kernel copied it in, so the
 * record carries it as passed, then tcp_v4_connect() refused its family.
 */
TEST_F(fails_locally, address_family_mismatch)
{
	struct connprobe_record want;
	struct endpoint dst;
	struct call call;

	memset(&dst, 0, sizeof(dst));
	dst.v6.sin6_family = AF_INET6;
	dst.v6.sin6_port = htons(ANY_PORT);
	ASSERT_EQ(1, inet_pton(AF_INET6, DOC_V6, &dst.v6.sin6_addr));
	dst.len = sizeof(dst.v6);
	self->fd = new_socket(_metadata, AF_INET, SOCK_STREAM);

	start_window(_metadata);
	timed_connect(self->fd, &dst, &call);
	ASSERT_EQ(-EAFNOSUPPORT, call.ret) TH_LOG("connect: %s",
						  strerror(-call.ret));

	want_call(&want, self->fd, -EAFNOSUPPORT);
	want_socket(&want, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	want_daddr(&want, &dst);
	want_source_after(_metadata, &want, self->fd, false);
	expect_records(_metadata, &want, &call, 1, OWN_IDS);
}

/* No file behind the fd: the kernel knew neither a socket nor an address. */
TEST_F(fails_locally, closed_fd)
{
	struct connprobe_record want;
	struct endpoint dst;
	struct call call;
	int fd;

	endpoint_loopback(&dst, AF_INET, ANY_PORT);
	fd = new_socket(_metadata, AF_INET, SOCK_STREAM);
	/* Free from now on: start_window() opens files but closes them all. */
	close(fd);

	start_window(_metadata);
	timed_connect(fd, &dst, &call);
	ASSERT_EQ(-EBADF, call.ret) TH_LOG("connect: %s", strerror(-call.ret));

	want_call(&want, fd, -EBADF);
	expect_records(_metadata, &want, &call, 1, OWN_IDS);
}

/*
 * __sys_connect() copies the address in before it finds the fd is no
 * socket: the record has the address, and nothing of a socket.
 */
TEST_F(fails_locally, pipe_fd)
{
	struct connprobe_record want;
	struct endpoint dst;
	struct call call;
	int pipefd[2];

	endpoint_loopback(&dst, AF_INET, ANY_PORT);
	ASSERT_EQ(0, pipe(pipefd)) TH_LOG("pipe: %s", strerror(errno));
	self->fd = pipefd[0];
	self->other = pipefd[1];

	start_window(_metadata);
	timed_connect(self->fd, &dst, &call);
	ASSERT_EQ(-ENOTSOCK, call.ret) TH_LOG("connect: %s",
					      strerror(-call.ret));

	want_call(&want, self->fd, -ENOTSOCK);
	want_daddr(&want, &dst);
	expect_records(_metadata, &want, &call, 1, OWN_IDS);
}

/*
 * The address pointer points at a page that cannot be read: the copy in
 * __sys_connect() faults, so the kernel never had an address (no DADDR),
 * but the socket was there (SOCK).  The pointer is a PROT_NONE mapping
 * rather than a made-up value, so that the fault is certain.
 */
TEST_F(fails_locally, bad_address_pointer)
{
	struct connprobe_record want;
	struct call call;
	void *page;

	page = mmap(NULL, getpagesize(), PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page) TH_LOG("mmap: %s", strerror(errno));
	self->fd = new_socket(_metadata, AF_INET, SOCK_STREAM);

	start_window(_metadata);
	call.before = monotonic_ns();
	call.ret = connect(self->fd, page, sizeof(struct sockaddr_in)) ?
		   -errno : 0;
	call.after = monotonic_ns();
	munmap(page, getpagesize());
	ASSERT_EQ(-EFAULT, call.ret) TH_LOG("connect: %s", strerror(-call.ret));

	want_call(&want, self->fd, -EFAULT);
	want_socket(&want, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	expect_records(_metadata, &want, &call, 1, OWN_IDS);
}

/*
 * An address length the kernel refuses with EINVAL, at each layer that
 * checks one.  The bytes after the family are filled with a pattern that
 * no record field may show: only @addrlen bytes were passed.
 */
FIXTURE(bad_addrlen) {
	int fd;
};

FIXTURE_VARIANT(bad_addrlen) {
	int family, type;	/* the socket */
	int addrlen;
	/* The kernel copied the family: the record has it (DADDR). */
	bool daddr;
	/* The call binds a source port before it checks the length. */
	bool autobind;
	const char *layer;	/* who refuses it, for the log */
};

/* More than a sockaddr_storage: refused before anything is copied. */
FIXTURE_VARIANT_ADD(bad_addrlen, too_long_for_any_family) {
	.family = AF_INET, .type = SOCK_STREAM,
	.addrlen = sizeof(struct sockaddr_storage) + 1,
	.layer = "move_addr_to_kernel() in __sys_connect()",
};

/* One byte: not even the family, copied but not enough to read it. */
FIXTURE_VARIANT_ADD(bad_addrlen, shorter_than_the_family) {
	.family = AF_INET, .type = SOCK_STREAM, .addrlen = 1,
	.layer = "__inet_stream_connect()",
};

FIXTURE_VARIANT_ADD(bad_addrlen, tcp4_family_only) {
	.family = AF_INET, .type = SOCK_STREAM,
	.addrlen = sizeof(sa_family_t), .daddr = true,
	.layer = "tcp_v4_connect()",
};

FIXTURE_VARIANT_ADD(bad_addrlen, tcp6_family_only) {
	.family = AF_INET6, .type = SOCK_STREAM,
	.addrlen = sizeof(sa_family_t), .daddr = true,
	.layer = "tcp_v6_connect()",
};

/* inet_dgram_connect() autobinds before the protocol checks the length. */
FIXTURE_VARIANT_ADD(bad_addrlen, udp4_family_only) {
	.family = AF_INET, .type = SOCK_DGRAM,
	.addrlen = sizeof(sa_family_t), .daddr = true, .autobind = true,
	.layer = "__ip4_datagram_connect(), after inet_autobind()",
};

FIXTURE_VARIANT_ADD(bad_addrlen, udp6_family_only) {
	.family = AF_INET6, .type = SOCK_DGRAM,
	.addrlen = sizeof(sa_family_t), .daddr = true, .autobind = true,
	.layer = "__ip6_datagram_connect(), after inet_autobind()",
};

FIXTURE_VARIANT_ADD(bad_addrlen, unix_family_only) {
	.family = AF_UNIX, .type = SOCK_STREAM,
	.addrlen = sizeof(sa_family_t), .daddr = true,
	.layer = "unix_validate_addr() in unix_stream_connect()",
};

FIXTURE_SETUP(bad_addrlen)
{
	self->fd = -1;
}

FIXTURE_TEARDOWN(bad_addrlen)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(bad_addrlen, fails_with_einval)
{
	const int protocol = variant->family == AF_UNIX ? 0 :
			     variant->type == SOCK_DGRAM ? IPPROTO_UDP :
			     IPPROTO_TCP;
	struct connprobe_record want;
	struct endpoint dst;
	struct call call;

	TH_LOG("refused by %s", variant->layer);
	memset(&dst, 0xa5, sizeof(dst));
	dst.sa.sa_family = variant->family;
	dst.len = variant->addrlen;
	self->fd = new_socket(_metadata, variant->family, variant->type);

	start_window(_metadata);
	timed_connect(self->fd, &dst, &call);
	ASSERT_EQ(-EINVAL, call.ret) TH_LOG("connect: %s", strerror(-call.ret));

	want_call(&want, self->fd, -EINVAL);
	want_socket(&want, variant->family, variant->type, protocol);
	if (variant->daddr) {
		/* The family and the length, nothing else was passed. */
		want.flags |= CONNPROBE_F_DADDR;
		want.daddr_family = variant->family;
		want.addrlen = variant->addrlen;
	}
	if (variant->family != AF_UNIX)
		want_source_after(_metadata, &want, self->fd,
				  variant->autobind);
	expect_records(_metadata, &want, &call, 1, OWN_IDS);
}

/*
 * Routes that refuse: in a network namespace of the test's own, a route of
 * type unreachable gives EHOSTUNREACH and one of type prohibit gives EACCES,
 * both in the route lookup of tcp_v4_connect(), before a source port.
 */
FIXTURE(route_refuses) {
	int fd;
};

FIXTURE_VARIANT(route_refuses) {
	const char *route;	/* the route, for busybox's ip */
	const char *daddr;	/* an address it covers (TEST-NET-2) */
	int err;
};

FIXTURE_VARIANT_ADD(route_refuses, unreachable) {
	.route = "unreachable 198.51.100.0/25",
	.daddr = "198.51.100.1", .err = EHOSTUNREACH,
};

FIXTURE_VARIANT_ADD(route_refuses, prohibit) {
	.route = "prohibit 198.51.100.128/25",
	.daddr = "198.51.100.200", .err = EACCES,
};

FIXTURE_SETUP(route_refuses)
{
	char cmd[128];

	self->fd = -1;
	/* The harness forks each test: the namespace is this test's alone. */
	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %s",
						  strerror(errno));
	snprintf(cmd, sizeof(cmd), "ip route add %s", variant->route);
	ASSERT_EQ(0, system(cmd)) TH_LOG("%s failed", cmd);
}

FIXTURE_TEARDOWN(route_refuses)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(route_refuses, tcp_connect_fails)
{
	struct connprobe_record want;
	struct endpoint dst;
	struct call call;

	memset(&dst, 0, sizeof(dst));
	dst.v4.sin_family = AF_INET;
	dst.v4.sin_port = htons(ANY_PORT);
	ASSERT_EQ(1, inet_pton(AF_INET, variant->daddr, &dst.v4.sin_addr));
	dst.len = sizeof(dst.v4);
	self->fd = new_socket(_metadata, AF_INET, SOCK_STREAM);

	start_window(_metadata);
	timed_connect(self->fd, &dst, &call);
	ASSERT_EQ(-variant->err, call.ret) TH_LOG("connect: %s",
						  strerror(-call.ret));

	want_call(&want, self->fd, -variant->err);
	want_socket(&want, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	want_daddr(&want, &dst);
	want_source_after(_metadata, &want, self->fd, false);
	expect_records(_metadata, &want, &call, 1, OWN_IDS);
}

TEST_HARNESS_MAIN
