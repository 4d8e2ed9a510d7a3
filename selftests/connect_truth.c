// SPDX-License-Identifier: GPL-2.0
/*
 * Records say what the kernel did, whatever the caller does meanwhile:
 *  - a simultaneous open (a self-connect: SYN_SENT -> SYN_RECV ->
 *    ESTABLISHED) ends with a COMPLETE record like any other attempt;
 *  - a caller that rewrites its sockaddr while the call runs does not
 *    change the destination recorded: it is the address the call was
 *    given, never read again after the call;
 *  - a descriptor replaced (dup2()) while the call runs is not taken for
 *    the call's socket: the record says the descriptor changed, and the
 *    attempt left without a record is counted when its socket goes;
 *  - a thread cancelled inside a blocking connect (pthread_cancel(), which
 *    connect() is a cancellation point of) gets its record, naming the
 *    signal that interrupted it, and its attempt ends, abandoned, when the
 *    cleanup closes the socket.
 * Must run as root with connprobe loaded, in the quiet test VM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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

/* Self-connects, each an attempt of its own. */
#define SELF_CONNECTS	40
#define MAX_RECORDS	(2 * SELF_CONNECTS + 1)
/* How long a test waits for an attempt to end. */
#define END_WAIT_MS	10000
/* SO_SNDTIMEO of a blocking connect to a peer that drops the SYN. */
#define SEND_TIMEOUT_MS	700
/* What __sys_connect() returns when a signal interrupts its wait. */
#define ERESTARTSYS	512
/* The signal pthread_cancel() sends: glibc's SIGCANCEL, __SIGRTMIN. */
#define SIGCANCEL	32

FIXTURE(truth) {
	int fd;			/* the socket under test */
	int listener;		/* its peer, whose full queue drops SYNs */
	int queued;
	struct endpoint peer;
	struct call call;
};

FIXTURE_VARIANTS_IP4_IP6(truth);

FIXTURE_SETUP(truth)
{
	struct record_set set = {};
	int err;

	self->fd = -1;
	self->listener = -1;
	self->queued = -1;
	err = want_identity();
	ASSERT_EQ(0, err) TH_LOG("who am I: %s", strerror(-err));
	ASSERT_EQ(0, records_discard(&set)) TH_LOG("%s", set.error);
}

FIXTURE_TEARDOWN(truth)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->queued >= 0)
		close(self->queued);
	if (self->listener >= 0)
		close(self->listener);
}

/* The CONNECT record wanted for a call on @fd to @dst from @src. */
static void want_tcp_call(struct connprobe_record *want, int fd, int ret,
			  int family, const struct endpoint *dst,
			  const struct endpoint *src)
{
	want_call(want, fd, ret);
	want_socket(want, family, SOCK_STREAM, IPPROTO_TCP);
	want_daddr(want, dst);
	want_source(want, src);
}

/* Wait until @fd's attempt ended; its SO_ERROR, negated. */
static int wait_end(struct __test_metadata *_metadata, int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	socklen_t len = sizeof(int);
	int err = 0;

	ASSERT_EQ(1, poll(&pfd, 1, END_WAIT_MS))
		TH_LOG("the attempt did not end in %d ms", END_WAIT_MS);
	ASSERT_EQ(0, getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len));
	return -err;
}

/*
 * Each self-connect's CONNECT record (EINPROGRESS) is followed by its
 * COMPLETE record, established, with the same id, within the window from
 * the call to the end the test saw.
 */
TEST_F(truth, simultaneous_open_completes)
{
	struct connprobe_record got[MAX_RECORDS], want;
	uint64_t ended[SELF_CONNECTS];
	struct call calls[SELF_CONNECTS];
	struct endpoint self_ep;
	char why[RECORD_DIFF_LEN];
	int fds[SELF_CONNECTS], i;
	ssize_t n;

	for (i = 0; i < SELF_CONNECTS; i++) {
		fds[i] = socket(variant->family, SOCK_STREAM | SOCK_NONBLOCK, 0);
		ASSERT_LE(0, fds[i]);
		endpoint_loopback(&self_ep, variant->family, 0);
		ASSERT_EQ(0, bind(fds[i], &self_ep.sa, self_ep.len));
		ASSERT_EQ(0, endpoint_local(fds[i], &self_ep));
		timed_connect(fds[i], &self_ep, &calls[i]);
		ASSERT_EQ(-EINPROGRESS, calls[i].ret)
			TH_LOG("self-connect: %s", strerror(-calls[i].ret));
		ASSERT_EQ(0, wait_end(_metadata, fds[i]));
		ended[i] = monotonic_ns();
	}
	n = records_collect(gettid(), got, MAX_RECORDS, why, sizeof(why));
	ASSERT_LE(0, n) TH_LOG("%s", why);
	ASSERT_EQ(2 * SELF_CONNECTS, n) TH_LOG("%zd records", n);
	for (i = 0; i < SELF_CONNECTS; i++) {
		ASSERT_EQ(0, endpoint_local(fds[i], &self_ep));
		want_tcp_call(&want, fds[i], -EINPROGRESS, variant->family,
			      &self_ep, &self_ep);
		EXPECT_EQ(0, record_diff(&want, &got[2 * i], calls[i].before,
					 calls[i].after, why, sizeof(why)))
			TH_LOG("#%d CONNECT:%s", i, why);
		want_complete(&want, &got[2 * i], 0);
		EXPECT_EQ(0, record_diff(&want, &got[2 * i + 1],
					 calls[i].before, ended[i], why,
					 sizeof(why)))
			TH_LOG("#%d COMPLETE:%s", i, why);
		close(fds[i]);
	}
}

/* What a second thread does to a blocking connect once its SYN is out. */
struct meddler {
	int fd;				/* the connecting socket */
	struct endpoint *dst;		/* the connect's sockaddr: rewritten */
	int replacement;		/* dup2()ed over @fd, if not -1 */
	struct endpoint src;		/* out: the attempt's source */
	int err;			/* out: 0 or why it gave up */
};

/* Wait until @fd is in SYN_SENT with its source chosen (bounded). */
static int wait_syn_sent(int fd, struct endpoint *src)
{
	struct tcp_info ti;
	socklen_t len;
	int i;

	for (i = 0; i < END_WAIT_MS; i++) {
		len = sizeof(ti);
		if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
			return errno;
		if (ti.tcpi_state == TCP_SYN_SENT && !endpoint_local(fd, src) &&
		    endpoint_port(src))
			return 0;
		usleep(1000);
	}
	return ETIMEDOUT;
}

static void *meddle(void *arg)
{
	struct meddler *m = arg;

	m->err = wait_syn_sent(m->fd, &m->src);
	if (m->err)
		return NULL;
	/* Port 1: nobody listens there, and it is no port the test uses. */
	if (m->dst->sa.sa_family == AF_INET)
		m->dst->v4.sin_port = htons(1);
	else
		m->dst->v6.sin6_port = htons(1);
	if (m->replacement >= 0 && dup2(m->replacement, m->fd) < 0)
		m->err = errno;
	return NULL;
}

/*
 * A blocking connect to a peer that drops the SYN gives up after
 * SEND_TIMEOUT_MS with EINPROGRESS; meanwhile @m meddles.
 */
static void connect_meddled(struct __test_metadata *_metadata,
			    FIXTURE_DATA(truth) *self, int family,
			    struct meddler *m, struct endpoint *dst)
{
	struct timeval tv = { .tv_usec = SEND_TIMEOUT_MS * 1000 };
	struct record_set set = {};
	pthread_t thread;

	self->listener = full_listener(family, &self->peer, &self->queued);
	ASSERT_LE(0, self->listener) TH_LOG("listener: %s", strerror(errno));
	/* Not the connect that filled the peer's queue. */
	ASSERT_EQ(0, records_discard(&set)) TH_LOG("%s", set.error);
	self->fd = socket(family, SOCK_STREAM, 0);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, setsockopt(self->fd, SOL_SOCKET, SO_SNDTIMEO, &tv,
				sizeof(tv)));
	*dst = self->peer;
	m->fd = self->fd;
	m->dst = dst;
	ASSERT_EQ(0, pthread_create(&thread, NULL, meddle, m));
	timed_connect(self->fd, dst, &self->call);
	ASSERT_EQ(0, pthread_join(thread, NULL));
	ASSERT_EQ(0, m->err) TH_LOG("meddling: %s", strerror(m->err));
	ASSERT_EQ(-EINPROGRESS, self->call.ret)
		TH_LOG("connect: %s", strerror(-self->call.ret));
}

/*
 * The destination recorded is the address the call was given: the
 * caller's rewrite, after the kernel copied it, changes nothing, and the
 * socket went where the record says (no DADDR_CHANGED).
 */
TEST_F(truth, rewritten_address_is_not_recorded)
{
	struct connprobe_record got[3], want;
	struct meddler m = { .replacement = -1 };
	char why[RECORD_DIFF_LEN];
	struct endpoint dst;
	uint64_t closed;
	ssize_t n;

	connect_meddled(_metadata, self, variant->family, &m, &dst);
	close(self->fd);
	closed = monotonic_ns();
	n = records_collect(gettid(), got, 3, why, sizeof(why));
	ASSERT_LE(0, n) TH_LOG("%s", why);
	ASSERT_EQ(2, n) TH_LOG("%zd records, want CONNECT and COMPLETE", n);
	want_tcp_call(&want, self->fd, -EINPROGRESS, variant->family,
		      &self->peer, &m.src);
	self->fd = -1;
	EXPECT_EQ(0, record_diff(&want, &got[0], self->call.before,
				 self->call.after, why, sizeof(why)))
		TH_LOG("CONNECT:%s", why);
	want_complete(&want, &got[0], 0);
	want.flags |= CONNPROBE_F_ABANDONED;
	EXPECT_EQ(0, record_diff(&want, &got[1], self->call.before, closed,
				 why, sizeof(why)))
		TH_LOG("COMPLETE:%s", why);
}

/*
 * The descriptor names another socket when the call returns: the record
 * keeps the call's fd and address, says the descriptor changed, and
 * claims no socket.  The attempt, whose end no call will report, goes
 * with its socket and is counted as reclaimed without a record.
 */
TEST_F(truth, replaced_descriptor_is_not_taken_for_the_socket)
{
	struct meddler m = { .replacement = -1 };
	struct connprobe_record got[3], want;
	struct probe_stats before, after;
	char why[RECORD_DIFF_LEN];
	struct endpoint dst;
	ssize_t n;

	m.replacement = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, m.replacement);
	ASSERT_EQ(0, stats_read(&before));
	connect_meddled(_metadata, self, variant->family, &m, &dst);
	close(m.replacement);
	n = records_collect(gettid(), got, 3, why, sizeof(why));
	ASSERT_LE(0, n) TH_LOG("%s", why);
	ASSERT_EQ(1, n) TH_LOG("%zd records, want the CONNECT alone", n);
	want_call(&want, self->fd, -EINPROGRESS);
	want_daddr(&want, &self->peer);
	want.flags |= CONNPROBE_F_FD_CHANGED;
	EXPECT_EQ(0, record_diff(&want, &got[0], self->call.before,
				 self->call.after, why, sizeof(why)))
		TH_LOG("CONNECT:%s", why);
	/* The replaced socket went when the call let go of it. */
	ASSERT_EQ(0, stats_read(&after));
	EXPECT_EQ(before.reclaimed + 1, after.reclaimed);
}

/* The cancelled thread's part: its tid, and a cleanup that closes. */
struct cancellee {
	int fd;
	const struct endpoint *dst;
	pid_t tid;
	struct call call;
};

static void close_on_cancel(void *arg)
{
	struct cancellee *c = arg;

	c->call.after = monotonic_ns();
	close(c->fd);
}

static void *connect_until_cancelled(void *arg)
{
	struct cancellee *c = arg;

	c->tid = gettid();
	pthread_cleanup_push(close_on_cancel, c);
	c->call.before = monotonic_ns();
	connect(c->fd, &c->dst->sa, c->dst->len);
	pthread_cleanup_pop(0);
	return NULL;
}

/*
 * pthread_cancel() of a thread blocked in connect(): its CONNECT record
 * has the kernel's ERESTARTSYS and SIGCANCEL, then the cleanup's close
 * abandons the attempt, which gets its COMPLETE record.
 */
TEST_F(truth, cancelled_thread_gets_its_records)
{
	struct connprobe_record got[3], want;
	struct cancellee c = { .tid = 0 };
	char why[RECORD_DIFF_LEN];
	struct endpoint src;
	pthread_t thread;
	void *res;
	ssize_t n;

	self->listener = full_listener(variant->family, &self->peer,
				       &self->queued);
	ASSERT_LE(0, self->listener) TH_LOG("listener: %s", strerror(errno));
	c.fd = socket(variant->family, SOCK_STREAM, 0);
	ASSERT_LE(0, c.fd);
	c.dst = &self->peer;
	ASSERT_EQ(0, pthread_create(&thread, NULL, connect_until_cancelled,
				    &c));
	ASSERT_EQ(0, wait_syn_sent(c.fd, &src));
	ASSERT_EQ(0, pthread_cancel(thread));
	ASSERT_EQ(0, pthread_join(thread, &res));
	ASSERT_EQ(PTHREAD_CANCELED, res);

	n = records_collect(c.tid, got, 3, why, sizeof(why));
	ASSERT_LE(0, n) TH_LOG("%s", why);
	ASSERT_EQ(2, n) TH_LOG("%zd records, want CONNECT and COMPLETE", n);
	want_tcp_call(&want, c.fd, -ERESTARTSYS, variant->family,
		      &self->peer, &src);
	want.tid = c.tid;
	want.signal = SIGCANCEL;
	EXPECT_EQ(0, record_diff(&want, &got[0], c.call.before, c.call.after,
				 why, sizeof(why)))
		TH_LOG("CONNECT:%s", why);
	want_complete(&want, &got[0], 0);
	want.flags |= CONNPROBE_F_ABANDONED;
	EXPECT_EQ(0, record_diff(&want, &got[1], c.call.before,
				 monotonic_ns(), why, sizeof(why)))
		TH_LOG("COMPLETE:%s", why);
}

TEST_HARNESS_MAIN
