// SPDX-License-Identifier: GPL-2.0
/*
 * The end of every TCP connect left in progress.  A connect() that returns
 * EINPROGRESS (non-blocking, or blocking with a send timeout that expires)
 * or is interrupted by a signal leaves its attempt in SYN_SENT; connprobe
 * writes one COMPLETE record when that attempt ends, with the CONNECT
 * record's id and ts_ns, the latency from the call's entry to the end, and
 * the result SO_ERROR then gives: 0 (established), -ECONNREFUSED,
 * -ETIMEDOUT, or 0 with CONNPROBE_F_ABANDONED when the socket was closed or
 * disconnected first.  Each test checks both records of its attempt
 * exactly, and when the end came: inside the call, or after it.
 *
 * Must run as root with connprobe loaded and debugfs mounted (the test VM).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "harness_list.h"

#include "connprobe.h"
#include "loopback.h"
#include "record_reader.h"
#include "record_want.h"

/* Records an attempt may have: CONNECT, COMPLETE, and one more call. */
#define MAX_RECORDS	3

/*
 * How long a test waits for an end that must come: an established or
 * refused connect ends at once, a freed accept queue lets the SYN retry at
 * 1 s in, one SYN retry times out at 3 s.
 */
#define END_WAIT_MS	10000

/*
 * What the kernel returns for a wait interrupted by a signal when the call
 * may be restarted (include/linux/errno.h, not in the uapi): userspace sees
 * EINTR when the handler has no SA_RESTART.
 */
#define ERESTARTSYS	512

/* SO_SNDTIMEO of the blocking connect that must give up first. */
#define SEND_TIMEOUT_MS	200

/* The signal that interrupts a connect: no SA_RESTART, so EINTR. */
static void on_signal(int sig)
{
	(void)sig;
}

FIXTURE(attempt) {
	int fd;			/* the socket under test */
	int listener;		/* the peer, if the test has one */
	int queued;		/* the connection filling the peer's queue */
	struct endpoint peer;
	struct endpoint src;	/* the source the attempt used */
	struct call call;	/* the connect() that left it in progress */
	int call_fd;		/* its fd, which a test may close since */
	int call_signal;	/* the signal that interrupted it, or 0 */
};

FIXTURE_VARIANTS_IP4_IP6(attempt);

FIXTURE_SETUP(attempt)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int err;

	self->fd = -1;
	self->listener = -1;
	self->queued = -1;
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	err = want_identity();
	ASSERT_EQ(0, err) TH_LOG("who am I: %s", strerror(-err));
}

FIXTURE_TEARDOWN(attempt)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->queued >= 0)
		close(self->queued);
	if (self->listener >= 0)
		close(self->listener);
}

/* The peer: a listener, or one whose full accept queue drops every SYN. */
static void listen_peer(struct __test_metadata *_metadata,
			FIXTURE_DATA(attempt) *self, int family, bool full)
{
	if (full)
		self->listener = full_listener(family, &self->peer,
					       &self->queued);
	else
		self->listener = tcp_listener(family, 1, &self->peer);
	ASSERT_LE(0, self->listener) TH_LOG("listener: %s", strerror(errno));
}

static void new_socket(struct __test_metadata *_metadata,
		       FIXTURE_DATA(attempt) *self, int family, int flags)
{
	self->fd = socket(family, SOCK_STREAM | flags, 0);
	ASSERT_LE(0, self->fd) TH_LOG("socket: %s", strerror(errno));
}

/* Empty the buffers, then make the one connect() that starts the attempt. */
static void start_attempt(struct __test_metadata *_metadata,
			  FIXTURE_DATA(attempt) *self)
{
	struct record_set set = {};

	ASSERT_EQ(0, records_discard(&set)) TH_LOG("%s", set.error);
	self->call_fd = self->fd;
	timed_connect(self->fd, &self->peer, &self->call);
}

/*
 * A non-blocking connect: EINPROGRESS, and the source it chose, which
 * getsockname() shows as long as nothing undid the attempt (an end that
 * came inside the call leaves it too: only connect()'s own error path or a
 * disconnect resets it).
 */
static void start_nonblocking(struct __test_metadata *_metadata,
			      FIXTURE_DATA(attempt) *self)
{
	start_attempt(_metadata, self);
	ASSERT_EQ(-EINPROGRESS, self->call.ret)
		TH_LOG("connect: %s", strerror(-self->call.ret));
	ASSERT_EQ(0, endpoint_local(self->fd, &self->src))
		TH_LOG("getsockname: %s", strerror(errno));
	ASSERT_NE(0, endpoint_port(&self->src));
}

/*
 * A blocking connect to a peer that drops the SYN, interrupted by a signal
 * from a second thread once the SYN is out: the kernel returns @ret
 * (-ERESTARTSYS without a send timeout, -EINTR with one; the caller sees
 * EINTR either way) and the attempt goes on in SYN_SENT.
 */
static void start_interrupted(struct __test_metadata *_metadata,
			      FIXTURE_DATA(attempt) *self,
			      int send_timeout_ms, int ret)
{
	struct timeval tv = {
		.tv_sec = send_timeout_ms / 1000,
		.tv_usec = send_timeout_ms % 1000 * 1000,
	};
	struct syn_watch watch = { .sig = SIGUSR1 };
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (send_timeout_ms)
		ASSERT_EQ(0, setsockopt(self->fd, SOL_SOCKET, SO_SNDTIMEO,
					&tv, sizeof(tv)));
	watch.fd = self->fd;
	watch.connector = pthread_self();
	ASSERT_EQ(0, syn_watch_start(&watch));
	start_attempt(_metadata, self);
	ASSERT_EQ(0, syn_watch_join(&watch))
		TH_LOG("watching the attempt: %s", strerror(watch.err));
	ASSERT_EQ(-EINTR, self->call.ret)
		TH_LOG("connect: %s", strerror(-self->call.ret));
	self->call.ret = ret;
	self->call_signal = watch.sig;
	self->src = watch.src;
	ASSERT_EQ(0, getsockopt(self->fd, IPPROTO_TCP, TCP_INFO, &ti, &len));
	ASSERT_EQ(TCP_SYN_SENT, ti.tcpi_state)
		TH_LOG("the interrupted attempt is no longer in progress");
}

/*
 * Wait until the attempt ended: the socket polls writable (connected) or
 * with an error.  Returns SO_ERROR, as a negated errno, and the time the
 * end was seen in *seen.
 */
static int wait_end(struct __test_metadata *_metadata,
		    FIXTURE_DATA(attempt) *self, uint64_t *seen)
{
	struct pollfd pfd = { .fd = self->fd, .events = POLLOUT };
	socklen_t len = sizeof(int);
	int err = 0, n;

	n = poll(&pfd, 1, END_WAIT_MS);
	*seen = monotonic_ns();
	ASSERT_EQ(1, n) TH_LOG("the attempt did not end in %d ms",
			       END_WAIT_MS);
	ASSERT_EQ(0, getsockopt(self->fd, SOL_SOCKET, SO_ERROR, &err, &len));
	return -err;
}

/* The CONNECT record of the call that started the attempt. */
static void want_connect(FIXTURE_DATA(attempt) *self, int family,
			 struct connprobe_record *want)
{
	want_call(want, self->call_fd, self->call.ret);
	want->signal = self->call_signal;
	want_socket(want, family, SOCK_STREAM, IPPROTO_TCP);
	want_daddr(want, &self->peer);
	want_source(want, &self->src);
}

/*
 * This thread's records must be exactly @n: the CONNECT record of the
 * call, then the COMPLETE record of its attempt, which ended with @ret
 * (and @flags) between @end_lo and @end_hi, then, if @n is 3, the record
 * of one more call, left to the test; @got (MAX_RECORDS) gets them.
 */
static void expect_attempt(struct __test_metadata *_metadata,
			   FIXTURE_DATA(attempt) *self, int family, int ret,
			   unsigned int flags, uint64_t end_lo,
			   uint64_t end_hi, ssize_t n,
			   struct connprobe_record *got)
{
	struct connprobe_record want;
	char why[RECORD_DIFF_LEN];
	ssize_t seen;

	seen = records_collect(gettid(), got, MAX_RECORDS, why, sizeof(why));
	ASSERT_LE(0, seen) TH_LOG("%s", why);
	ASSERT_EQ(n, seen)
		TH_LOG("%zd records, want CONNECT, COMPLETE%s", seen,
		       n > 2 ? " and a CONNECT" : "");

	want_connect(self, family, &want);
	EXPECT_EQ(0, record_diff(&want, &got[0], self->call.before,
				 self->call.after, why, sizeof(why)))
		TH_LOG("CONNECT:%s", why);
	want_complete(&want, &got[0], ret);
	want.flags |= flags;
	/* The attempt ran from the call's entry to its end. */
	EXPECT_EQ(0, record_diff(&want, &got[1], self->call.before, end_hi,
				 why, sizeof(why)))
		TH_LOG("COMPLETE:%s", why);
	EXPECT_LE(end_lo, got[1].ts_ns + got[1].latency_ns)
		TH_LOG("the attempt ended %lld ns before it could have",
		       (long long)(end_lo - got[1].ts_ns - got[1].latency_ns));
}

/*
 * The attempt ended inside the call, although the call said EINPROGRESS
 * (on loopback, release_sock() at the end of connect() processes the
 * peer's answer): the COMPLETE record follows the CONNECT record at once,
 * written by the same return probe, on the same CPU.
 */
static bool ended_inside_call(const struct connprobe_record *got)
{
	return got[1].ts_ns + got[1].latency_ns <=
	       got[0].ts_ns + got[0].latency_ns;
}

/*
 * Tries of a test that needs the answer processed inside the call: the
 * kernel defers softirq work to ksoftirqd under load, and the answer then
 * comes after the call returned, a case other tests cover.
 */
#define INSIDE_CALL_TRIES	3

/*
 * A non-blocking attempt that ends with @ret inside the call: its CONNECT
 * and COMPLETE records into @got, the attempt tried again (a new socket)
 * while the answer came only after the call returned.
 */
static void attempt_ending_inside_call(struct __test_metadata *_metadata,
				       FIXTURE_DATA(attempt) *self,
				       int family, int ret,
				       struct connprobe_record *got)
{
	uint64_t seen;
	int try;

	for (try = 1; try <= INSIDE_CALL_TRIES; try++) {
		if (self->fd >= 0)
			close(self->fd);
		new_socket(_metadata, self, family, SOCK_NONBLOCK);
		start_nonblocking(_metadata, self);
		ASSERT_EQ(ret, wait_end(_metadata, self, &seen));
		expect_attempt(_metadata, self, family, ret, 0,
			       self->call.before, seen, 2, got);
		if (ended_inside_call(got))
			break;
		TH_LOG("try %d: ended after the call returned", try);
	}
	EXPECT_LE(got[1].ts_ns + got[1].latency_ns,
		  got[0].ts_ns + got[0].latency_ns)
		TH_LOG("the attempt ended after the call returned");
	EXPECT_EQ(got[0].cpu, got[1].cpu);
	EXPECT_EQ(got[0].seq + 1, got[1].seq);
}

/* Close the socket while its attempt is in SYN_SENT: abandoned, then. */
static void expect_abandoned_by_close(struct __test_metadata *_metadata,
				      FIXTURE_DATA(attempt) *self, int family)
{
	struct connprobe_record got[MAX_RECORDS];
	uint64_t before, after;

	before = monotonic_ns();
	close(self->fd);
	after = monotonic_ns();
	self->fd = -1;
	expect_attempt(_metadata, self, family, 0, CONNPROBE_F_ABANDONED,
		       before, after, 2, got);
}

/* The peer answers the SYN: established inside the call. */
TEST_F(attempt, established_inside_call)
{
	struct connprobe_record got[MAX_RECORDS];

	listen_peer(_metadata, self, variant->family, false);
	attempt_ending_inside_call(_metadata, self, variant->family, 0, got);
}

/* Nobody listens: refused inside the call, by the RST. */
TEST_F(attempt, refused_inside_call)
{
	struct connprobe_record got[MAX_RECORDS];

	ASSERT_EQ(0, unused_port(variant->family, SOCK_STREAM, &self->peer))
		TH_LOG("no free port: %s", strerror(errno));
	attempt_ending_inside_call(_metadata, self, variant->family,
				   -ECONNREFUSED, got);
}

/* Make room in the full peer's queue: its next SYN retry gets through. */
static void free_peer_queue(struct __test_metadata *_metadata,
			    FIXTURE_DATA(attempt) *self)
{
	int server = accept(self->listener, NULL, NULL);

	ASSERT_LE(0, server) TH_LOG("accept: %s", strerror(errno));
	close(server);
}

/*
 * The peer drops the first SYN (full queue), then makes room: the SYN
 * retry, 1 s in, gets through, long after the call returned.
 */
TEST_F(attempt, established_after_return)
{
	struct connprobe_record got[MAX_RECORDS];
	uint64_t seen;

	listen_peer(_metadata, self, variant->family, true);
	new_socket(_metadata, self, variant->family, SOCK_NONBLOCK);
	start_nonblocking(_metadata, self);
	free_peer_queue(_metadata, self);
	ASSERT_EQ(0, wait_end(_metadata, self, &seen));

	expect_attempt(_metadata, self, variant->family, 0, 0,
		       self->call.after, seen, 2, got);
}

/* The peer drops every SYN: ETIMEDOUT after one retry, 3 s in. */
TEST_F(attempt, timed_out_after_return)
{
	struct connprobe_record got[MAX_RECORDS];
	uint64_t seen;

	listen_peer(_metadata, self, variant->family, true);
	new_socket(_metadata, self, variant->family, SOCK_NONBLOCK);
	ASSERT_EQ(0, set_syn_retries(self->fd, 1))
		TH_LOG("TCP_SYNCNT: %s", strerror(errno));
	start_nonblocking(_metadata, self);
	ASSERT_EQ(-ETIMEDOUT, wait_end(_metadata, self, &seen));

	expect_attempt(_metadata, self, variant->family, -ETIMEDOUT, 0,
		       self->call.after, seen, 2, got);
}

/*
 * The classic way to learn how a non-blocking connect ended: connect()
 * again once the socket polls writable.  That call returns 0 and has a
 * CONNECT record of its own, after the attempt's two, with the attempt's
 * id.
 */
TEST_F(attempt, connect_again_after_established)
{
	struct connprobe_record want, got[MAX_RECORDS];
	char why[RECORD_DIFF_LEN];
	struct call again;
	uint64_t seen;

	listen_peer(_metadata, self, variant->family, false);
	new_socket(_metadata, self, variant->family, SOCK_NONBLOCK);
	start_nonblocking(_metadata, self);
	ASSERT_EQ(0, wait_end(_metadata, self, &seen));
	timed_connect(self->fd, &self->peer, &again);
	ASSERT_EQ(0, again.ret) TH_LOG("connect: %s", strerror(-again.ret));

	expect_attempt(_metadata, self, variant->family, 0, 0,
		       self->call.before, seen, 3, got);
	self->call = again;
	want_connect(self, variant->family, &want);
	want_id_of(&want, &got[0]);
	EXPECT_EQ(0, record_diff(&want, &got[2], again.before, again.after,
				 why, sizeof(why)))
		TH_LOG("second CONNECT:%s", why);
}

/* Closed while in SYN_SENT: abandoned, at the close. */
TEST_F(attempt, abandoned_by_close)
{
	listen_peer(_metadata, self, variant->family, true);
	new_socket(_metadata, self, variant->family, SOCK_NONBLOCK);
	start_nonblocking(_metadata, self);
	expect_abandoned_by_close(_metadata, self, variant->family);
}

/*
 * Disconnected while in SYN_SENT by connect(AF_UNSPEC): abandoned, inside
 * that second call, which gets its own CONNECT record (ret 0, the family
 * it passed, the source as the disconnect left it: the port, which
 * inet_sport keeps, with the address reset to any; the attempt's id).
 */
TEST_F(attempt, abandoned_by_disconnect)
{
	struct connprobe_record want, got[MAX_RECORDS];
	char why[RECORD_DIFF_LEN];
	struct endpoint unspec = {
		.sa.sa_family = AF_UNSPEC,
		.len = sizeof(struct sockaddr),
	};
	struct endpoint after;
	struct call disconnect;

	listen_peer(_metadata, self, variant->family, true);
	new_socket(_metadata, self, variant->family, SOCK_NONBLOCK);
	start_nonblocking(_metadata, self);
	timed_connect(self->fd, &unspec, &disconnect);
	ASSERT_EQ(0, disconnect.ret)
		TH_LOG("connect(AF_UNSPEC): %s", strerror(-disconnect.ret));
	ASSERT_EQ(0, endpoint_local(self->fd, &after));

	expect_attempt(_metadata, self, variant->family, 0,
		       CONNPROBE_F_ABANDONED, disconnect.before,
		       disconnect.after, 3, got);
	want_call(&want, self->fd, 0);
	want_socket(&want, variant->family, SOCK_STREAM, IPPROTO_TCP);
	want_daddr(&want, &unspec);
	if (endpoint_port(&after))
		want_source(&want, &after);
	want_id_of(&want, &got[0]);
	EXPECT_EQ(0, record_diff(&want, &got[2], disconnect.before,
				 disconnect.after, why, sizeof(why)))
		TH_LOG("CONNECT(AF_UNSPEC):%s", why);
}

/* Interrupted (-ERESTARTSYS), then closed: abandoned. */
TEST_F(attempt, interrupted_then_abandoned)
{
	listen_peer(_metadata, self, variant->family, true);
	new_socket(_metadata, self, variant->family, 0);
	start_interrupted(_metadata, self, 0, -ERESTARTSYS);
	expect_abandoned_by_close(_metadata, self, variant->family);
}

/* Interrupted (-ERESTARTSYS), then the SYN retry gets through. */
TEST_F(attempt, interrupted_then_established)
{
	struct connprobe_record got[MAX_RECORDS];
	uint64_t seen;

	listen_peer(_metadata, self, variant->family, true);
	new_socket(_metadata, self, variant->family, 0);
	start_interrupted(_metadata, self, 0, -ERESTARTSYS);
	free_peer_queue(_metadata, self);
	ASSERT_EQ(0, wait_end(_metadata, self, &seen));

	expect_attempt(_metadata, self, variant->family, 0, 0,
		       self->call.after, seen, 2, got);
}

/*
 * With a send timeout the kernel returns -EINTR itself (sock_intr_errno()
 * of a finite timeout); the attempt goes on all the same.
 */
TEST_F(attempt, interrupted_with_send_timeout_then_abandoned)
{
	listen_peer(_metadata, self, variant->family, true);
	new_socket(_metadata, self, variant->family, 0);
	start_interrupted(_metadata, self, END_WAIT_MS, -EINTR);
	expect_abandoned_by_close(_metadata, self, variant->family);
}

/*
 * A blocking connect whose send timeout expires returns EINPROGRESS, not
 * ETIMEDOUT: the attempt goes on, and ends here by close.
 */
TEST_F(attempt, send_timeout_leaves_in_progress)
{
	struct timeval tv = { .tv_usec = SEND_TIMEOUT_MS * 1000 };

	listen_peer(_metadata, self, variant->family, true);
	new_socket(_metadata, self, variant->family, 0);
	ASSERT_EQ(0, setsockopt(self->fd, SOL_SOCKET, SO_SNDTIMEO, &tv,
				sizeof(tv)));
	start_nonblocking(_metadata, self);
	expect_abandoned_by_close(_metadata, self, variant->family);
}

TEST_HARNESS_MAIN
