// SPDX-License-Identifier: GPL-2.0
/*
 * One record per connect(), exact for every outcome.  Each test sets up its
 * peer, empties connprobe's buffers, makes the one call under test inside a
 * CLOCK_MONOTONIC window, then checks that this thread has exactly one
 * record for it and that every field is what the call was: result, socket,
 * destination as passed, source as getsockname() reports it afterwards, and
 * zero in every field whose validity flag must be clear.
 *
 * Must run as root with connprobe loaded and debugfs mounted, on a host
 * whose only network device is lo (the test VM): see unreachable_network.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "connprobe.h"
#include "loopback.h"
#include "record_reader.h"

/* Most calls a test makes inside its window. */
#define MAX_CALLS	2

/* An address nothing routes to without a default route (TEST-NET-3). */
#define UNROUTABLE_V4	"203.0.113.1"
/* An IPv6 address for an IPv4 socket: documentation prefix. */
#define DOC_V6		"2001:db8::1"
/* A destination port for calls that fail before sending anything. */
#define ANY_PORT	9

/* One connect() under test. */
struct call {
	int ret;		/* 0 or -errno, as the kernel returned it */
	uint64_t before, after;	/* CLOCK_MONOTONIC just around the call */
};

static void timed_connect(int fd, const struct endpoint *dst, struct call *c)
{
	c->before = monotonic_ns();
	c->ret = connect(fd, &dst->sa, dst->len) ? -errno : 0;
	c->after = monotonic_ns();
}

static int new_socket(struct __test_metadata *_metadata, int family, int type)
{
	int fd = socket(family, type, 0);

	ASSERT_LE(0, fd) TH_LOG("socket: %s", strerror(errno));
	return fd;
}

/* Empty the buffers, so that what follows belongs to the test's window. */
static void start_window(struct __test_metadata *_metadata)
{
	struct record_set set = {};

	ASSERT_EQ(0, records_discard(&set)) TH_LOG("%s", set.error);
}

/* The fields every record has; everything else zero until a want_*(). */
static void want_call(struct connprobe_record *want, int fd, int ret)
{
	memset(want, 0, sizeof(*want));
	want->size = sizeof(*want);
	want->version = CONNPROBE_RECORD_VERSION;
	want->event = CONNPROBE_EVENT_CONNECT;
	want->ret = ret;
	want->pid = getpid();
	want->tid = gettid();
	want->fd = fd;
	/* This thread's comm, NUL-padded to 16 bytes like the record's. */
	prctl(PR_GET_NAME, want->comm);
}

static void want_socket(struct connprobe_record *want, int family, int type,
			int protocol)
{
	want->flags |= CONNPROBE_F_SOCK;
	want->family = family;
	want->type = type;
	want->protocol = protocol;
}

static void want_daddr(struct connprobe_record *want,
		       const struct endpoint *dst)
{
	const void *addr;
	size_t len;

	want->flags |= CONNPROBE_F_DADDR;
	want->daddr_family = dst->sa.sa_family;
	want->dport = endpoint_port(dst);
	addr = endpoint_addr(dst, &len);
	memcpy(want->daddr, addr, len);
}

/*
 * The source is what getsockname() says after the call.  @bound states
 * whether the call must leave a source port on the socket; checking it
 * keeps each test honest about the case it claims to cover.
 */
static void want_source(struct __test_metadata *_metadata,
			struct connprobe_record *want, int fd, bool bound)
{
	struct endpoint src;
	const void *addr;
	size_t len;

	ASSERT_EQ(0, endpoint_local(fd, &src))
		TH_LOG("getsockname: %s", strerror(errno));
	ASSERT_EQ(bound, endpoint_port(&src) != 0)
		TH_LOG("source port after the call: %u", endpoint_port(&src));
	if (!bound)
		return;
	want->flags |= CONNPROBE_F_SADDR;
	want->sport = endpoint_port(&src);
	addr = endpoint_addr(&src, &len);
	memcpy(want->saddr, addr, len);
}

static const char *hex(const __u8 *bytes, char buf[2 * CONNPROBE_ADDR_LEN + 1])
{
	int i;

	for (i = 0; i < CONNPROBE_ADDR_LEN; i++)
		sprintf(buf + 2 * i, "%02x", bytes[i]);
	return buf;
}

static void expect_record(struct __test_metadata *_metadata,
			  const struct connprobe_record *want,
			  const struct connprobe_record *got,
			  const struct call *call)
{
	char w[2 * CONNPROBE_ADDR_LEN + 1], g[2 * CONNPROBE_ADDR_LEN + 1];

	EXPECT_EQ(want->size, got->size);
	EXPECT_EQ(want->version, got->version);
	EXPECT_EQ(want->event, got->event);
	EXPECT_EQ(want->flags, got->flags)
		TH_LOG("flags 0x%x, want 0x%x", got->flags, want->flags);
	EXPECT_EQ(want->ret, got->ret);
	EXPECT_EQ(want->pid, got->pid);
	EXPECT_EQ(want->tid, got->tid);
	EXPECT_EQ(want->fd, got->fd);
	EXPECT_EQ(want->family, got->family);
	EXPECT_EQ(want->type, got->type);
	EXPECT_EQ(want->protocol, got->protocol);
	EXPECT_EQ(want->daddr_family, got->daddr_family);
	EXPECT_EQ(want->dport, got->dport);
	EXPECT_EQ(0, memcmp(want->daddr, got->daddr, sizeof(want->daddr)))
		TH_LOG("daddr %s, want %s", hex(got->daddr, g),
		       hex(want->daddr, w));
	EXPECT_EQ(want->sport, got->sport);
	EXPECT_EQ(0, memcmp(want->saddr, got->saddr, sizeof(want->saddr)))
		TH_LOG("saddr %s, want %s", hex(got->saddr, g),
		       hex(want->saddr, w));
	EXPECT_EQ(0, memcmp(want->comm, got->comm, sizeof(want->comm)))
		TH_LOG("comm \"%.*s\", want \"%.*s\"", CONNPROBE_COMM_LEN,
		       got->comm, CONNPROBE_COMM_LEN, want->comm);
	/* The call ran inside [before, after]: so must its record. */
	EXPECT_LE(call->before, got->ts_ns);
	EXPECT_LE(got->ts_ns + got->latency_ns, call->after);
}

/*
 * This thread's records since start_window() must be exactly @want[0..n),
 * the records of @calls[0..n), made one after the other.
 */
static void expect_records(struct __test_metadata *_metadata,
			   const struct connprobe_record *want,
			   const struct call *calls, size_t n)
{
	struct record_set set = { .pid = getpid() };
	struct connprobe_record got[MAX_CALLS];
	size_t i, count;

	ASSERT_EQ(0, records_drain(&set)) TH_LOG("%s", set.error);
	count = records_of_tid(&set, gettid(), got, MAX_CALLS);
	records_free(&set);
	ASSERT_EQ(n, count) TH_LOG("%zu records for %zu calls", count, n);
	/* Sorted by ts_ns, the records come in the order of the calls. */
	for (i = 0; i < n; i++)
		expect_record(_metadata, &want[i], &got[i], &calls[i]);
}

/* Calls to a loopback peer, the same for IPv4 and IPv6. */
FIXTURE(loopback) {
	int fd;			/* the socket under test */
	int listener;		/* the peer, if the test has one */
	int queued;		/* the connection filling the peer's queue */
	struct endpoint peer;
};

FIXTURE_VARIANT(loopback) {
	int family;
};

FIXTURE_VARIANT_ADD(loopback, ip4) {
	.family = AF_INET,
};

FIXTURE_VARIANT_ADD(loopback, ip6) {
	.family = AF_INET6,
};

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
	want_source(_metadata, &want, self->fd, true);
	expect_records(_metadata, &want, &call, 1);
}

/*
 * The RST makes tcp_done() give the port back, but inet_sport keeps the
 * port the SYN left from: getsockname() still reports it, with the source
 * address reset to any, and so must the record.
 */
TEST_F(loopback, tcp_refused)
{
	struct connprobe_record want;
	struct call call;

	ASSERT_EQ(0, unused_port(variant->family, SOCK_STREAM, &self->peer))
		TH_LOG("no free port: %s", strerror(errno));
	self->fd = new_socket(_metadata, variant->family, SOCK_STREAM);

	start_window(_metadata);
	timed_connect(self->fd, &self->peer, &call);
	ASSERT_EQ(-ECONNREFUSED, call.ret) TH_LOG("connect: %s",
						  strerror(-call.ret));

	want_call(&want, self->fd, -ECONNREFUSED);
	want_socket(&want, variant->family, SOCK_STREAM, IPPROTO_TCP);
	want_daddr(&want, &self->peer);
	want_source(_metadata, &want, self->fd, true);
	expect_records(_metadata, &want, &call, 1);
}

TEST_F(loopback, tcp_already_connected)
{
	struct connprobe_record want;
	struct call call;

	self->listener = tcp_listener(variant->family, 1, &self->peer);
	ASSERT_LE(0, self->listener) TH_LOG("listener: %s", strerror(errno));
	self->fd = new_socket(_metadata, variant->family, SOCK_STREAM);
	/* The first connect() is setup; only the second one is under test. */
	ASSERT_EQ(0, connect(self->fd, &self->peer.sa, self->peer.len))
		TH_LOG("first connect: %s", strerror(errno));

	start_window(_metadata);
	timed_connect(self->fd, &self->peer, &call);
	ASSERT_EQ(-EISCONN, call.ret) TH_LOG("connect: %s", strerror(-call.ret));

	want_call(&want, self->fd, -EISCONN);
	want_socket(&want, variant->family, SOCK_STREAM, IPPROTO_TCP);
	want_daddr(&want, &self->peer);
	want_source(_metadata, &want, self->fd, true);
	expect_records(_metadata, &want, &call, 1);
}

/* A UDP connect() sends nothing: no peer needed, but it binds a port. */
TEST_F(loopback, udp_connects)
{
	struct connprobe_record want;
	struct call call;

	ASSERT_EQ(0, unused_port(variant->family, SOCK_DGRAM, &self->peer))
		TH_LOG("no free port: %s", strerror(errno));
	self->fd = new_socket(_metadata, variant->family, SOCK_DGRAM);

	start_window(_metadata);
	timed_connect(self->fd, &self->peer, &call);
	ASSERT_EQ(0, call.ret) TH_LOG("connect: %s", strerror(-call.ret));

	want_call(&want, self->fd, 0);
	want_socket(&want, variant->family, SOCK_DGRAM, IPPROTO_UDP);
	want_daddr(&want, &self->peer);
	want_source(_metadata, &want, self->fd, true);
	expect_records(_metadata, &want, &call, 1);
}

/*
 * The peer's accept queue is full, so it drops the SYN: the non-blocking
 * connect() returns EINPROGRESS with the socket in SYN_SENT, and calling it
 * again while that lasts gives EALREADY.  Two calls, two records.
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
	want_source(_metadata, &want[0], self->fd, true);
	want[1] = want[0];
	want[1].ret = -EALREADY;
	expect_records(_metadata, want, calls, 2);
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

/* The network devices other than lo, e.g. "eth0 wlan0"; "" if none. */
static void devices_besides_lo(char *buf, size_t len)
{
	struct dirent *de;
	DIR *dir;

	buf[0] = '\0';
	dir = opendir("/sys/class/net");
	if (!dir) {
		snprintf(buf, len, "(/sys/class/net: %s)", strerror(errno));
		return;
	}
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "lo"))
			continue;
		/* Interface names are at most IFNAMSIZ - 1 long. */
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%.15s",
			 buf[0] ? " " : "", de->d_name);
	}
	closedir(dir);
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
	want_source(_metadata, &want, self->fd, false);
	expect_records(_metadata, &want, &call, 1);
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
	want_source(_metadata, &want, self->fd, false);
	expect_records(_metadata, &want, &call, 1);
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
	expect_records(_metadata, &want, &call, 1);
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
	expect_records(_metadata, &want, &call, 1);
}

TEST_HARNESS_MAIN
