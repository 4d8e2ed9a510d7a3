// SPDX-License-Identifier: GPL-2.0
/*
 * connect() submitted through io_uring (IORING_OP_CONNECT): io_uring calls
 * __sys_connect_file() itself, never the connect syscall, and connprobe
 * records each such call with CONNPROBE_F_IO_URING and fd -1.  io_uring
 * first tries a non-blocking connect; on EINPROGRESS it waits for the
 * socket to poll writable and calls again.  How it goes on differs by
 * kernel (see uring_kernels[]), and each test expects what the running
 * kernel does.  So a request can give several records; each test checks
 * all of them exactly and that the last says what the completion (CQE)
 * said.
 *
 * The ring is set up with the raw syscalls (uring.c).  A kernel without
 * io_uring, or one that forbids it, skips these tests, which then prove
 * nothing.
 *
 * Must run as root with connprobe loaded and debugfs mounted (the test VM).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "harness_list.h"

#include "connprobe.h"
#include "loopback.h"
#include "record_reader.h"
#include "record_want.h"
#include "uring.h"

/* Records one request may give: two calls and a COMPLETE, with room. */
#define MAX_RECORDS	8

/*
 * What io_uring's connect (io_connect()) does, per kernel line, from the
 * first version of the line on (the last line not newer than the running
 * kernel applies).
 */
static const struct uring_kernel {
	unsigned int major, minor;
	const char *what;
	/*
	 * After EINPROGRESS and the poll, a socket with an error (refused,
	 * timed out) gets a second connect call, which returns that error:
	 * three records, not two.
	 */
	bool error_called_again;
	/*
	 * IOSQE_ASYNC: the io-wq worker makes one blocking call, which
	 * gives one record (the attempt ends inside the call: no COMPLETE),
	 * rather than trying non-blocking first as without the flag.
	 */
	bool async_blocks;
} uring_kernels[] = {
	/*
	 * Debian's 5.10 (as upstream 5.10.y from 5.10.162) carries 5.15's
	 * io_uring: after the poll it always issues the connect again, and
	 * its worker issues requests blocking.
	 */
	{ 5, 10, "5.10 (5.15's io_uring)", true, true },
	/*
	 * 6.1 on: a socket with an error after the poll completes with it,
	 * without a second call; the worker tries non-blocking first and
	 * polls, as the submitting thread does.
	 */
	{ 6, 1, "6.1 and later", false, false },
};

/* The entry of uring_kernels[] that the running kernel follows, or NULL. */
static const struct uring_kernel *uring_kernel(void)
{
	const struct uring_kernel *k, *found = NULL;
	unsigned int major, minor;
	struct utsname u;

	if (uname(&u) || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return NULL;
	for (k = uring_kernels;
	     k < uring_kernels + sizeof(uring_kernels) / sizeof(*k); k++)
		if (major > k->major ||
		    (major == k->major && minor >= k->minor))
			found = k;
	return found;
}

FIXTURE(io_uring) {
	struct ring ring;
	const char *skip;	/* why io_uring cannot run here */
	int fd;
	int listener;
	int queued;
	struct endpoint peer;
	int res;		/* the CQE's result */
	uint64_t before, after;	/* around submission and completion */
	struct connprobe_record recs[MAX_RECORDS];
	ssize_t n;
	const struct uring_kernel *kernel;
	int optimization;	/* kprobes' to put back, or -1 */
};

FIXTURE_VARIANTS_IP4_IP6(io_uring);

FIXTURE_SETUP(io_uring)
{
	int err, setup_err;

	self->ring.fd = -1;
	self->fd = -1;
	self->listener = -1;
	self->queued = -1;
	self->optimization = -1;
	err = ring_setup(&self->ring, &setup_err);
	if (setup_err == ENOSYS)
		self->skip = "io_uring_setup: ENOSYS: no io_uring in this kernel";
	else if (setup_err == EPERM)
		self->skip = "io_uring_setup: EPERM: io_uring is disabled";
	else
		ASSERT_EQ(0, err) TH_LOG("io_uring: %s", strerror(-err));
	err = want_identity();
	ASSERT_EQ(0, err) TH_LOG("who am I: %s", strerror(-err));
	self->kernel = uring_kernel();
	ASSERT_NE(NULL, self->kernel) TH_LOG("a kernel older than 5.10");
	TH_LOG("io_uring of %s", self->kernel->what);
	self->fd = socket(variant->family, SOCK_STREAM, 0);
	ASSERT_LE(0, self->fd) TH_LOG("socket: %s", strerror(errno));
}

/* Where kprobes' jump optimization is switched (CONFIG_OPTPROBES). */
#define KPROBES_OPTIMIZATION	"/proc/sys/debug/kprobes-optimization"

/*
 * Set kprobes' jump optimization @on or off, for every probe at once (the
 * kernel has unoptimized them all when the write returns).  Returns the
 * setting before, or -1 where there is none to change.
 */
static int kprobes_optimization(int on)
{
	int was = -1;
	FILE *f;

	f = fopen(KPROBES_OPTIMIZATION, "r+");
	if (!f)
		return -1;
	if (fscanf(f, "%d", &was) != 1 || fseek(f, 0, SEEK_SET) ||
	    fprintf(f, "%d\n", on) < 0)
		was = -1;
	if (fclose(f))
		was = -1;
	return was;
}

/* Whether a probe in io_connect() is still jump-optimized. */
static bool io_connect_optimized(void)
{
	char line[512];
	bool found = false;
	FILE *f;

	f = fopen("/sys/kernel/debug/kprobes/list", "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, " io_connect+") &&
			strstr(line, "[OPTIMIZED]");
	fclose(f);
	return found;
}

FIXTURE_TEARDOWN(io_uring)
{
	if (self->optimization >= 0)
		kprobes_optimization(self->optimization);
	ring_unmap(&self->ring);
	if (self->fd >= 0)
		close(self->fd);
	if (self->queued >= 0)
		close(self->queued);
	if (self->listener >= 0)
		close(self->listener);
}

/* Connect through the ring; every record of this process lands in recs. */
static void uring_connect(struct __test_metadata *_metadata,
			  FIXTURE_DATA(io_uring) *self, unsigned int sqe_flags)
{
	struct record_set set = {};
	char err[256];
	int ret;

	ASSERT_EQ(0, records_discard(&set)) TH_LOG("%s", set.error);
	self->before = monotonic_ns();
	ret = ring_connect(&self->ring, self->fd, &self->peer, sqe_flags,
			   &self->res);
	self->after = monotonic_ns();
	ASSERT_EQ(0, ret) TH_LOG("io_uring_enter: %s", strerror(-ret));
	/* io-wq workers are threads of this process, with tids of their own. */
	self->n = records_collect(0, self->recs, MAX_RECORDS, err,
				  sizeof(err));
	ASSERT_LE(0, self->n) TH_LOG("%s", err);
}

/*
 * The io-wq worker that ran this thread's requests: a thread of this
 * process named "iou-wrk-<tid>", which lingers idle for seconds after its
 * work.  Returns its tid, or 0.
 */
static pid_t io_worker(char comm[CONNPROBE_COMM_LEN])
{
	char path[64], name[CONNPROBE_COMM_LEN + 2];
	pid_t tid, found = 0;
	FILE *f;
	DIR *dir;
	struct dirent *de;

	snprintf(comm, CONNPROBE_COMM_LEN, "iou-wrk-%d", gettid());
	dir = opendir("/proc/self/task");
	if (!dir)
		return 0;
	while (!found && (de = readdir(dir))) {
		tid = atoi(de->d_name);
		if (tid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%d/comm", tid);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(name, sizeof(name), f) &&
		    !strncmp(name, comm, strlen(comm)) &&
		    name[strlen(comm)] == '\n')
			found = tid;
		fclose(f);
	}
	closedir(dir);
	return found;
}

/*
 * What the request must have given, in order: the first, non-blocking
 * call, EINPROGRESS; the COMPLETE record of its attempt, which ended with
 * @end; and, if @retried, the call io_uring made once the socket polled
 * writable, which returned @end as well, a call on the same attempt, with
 * its id.  All from thread @tid (@comm), all
 * within the request's window, the source being what getsockname() shows
 * now.  The last record must say what the CQE said.
 *
 * A second call that fails disconnects the socket (tcp_disconnect()),
 * which clears its address but not its port: the attempt, first call and
 * COMPLETE, then had the loopback address at that port, which only the
 * second call's record no longer shows.
 */
static void expect_request(struct __test_metadata *_metadata,
			   FIXTURE_DATA(io_uring) *self, int family,
			   pid_t tid, const char comm[CONNPROBE_COMM_LEN],
			   int end, bool retried)
{
	struct connprobe_record want;
	char why[RECORD_DIFF_LEN];
	struct endpoint src, tried;
	int i;

	for (i = 0; i < self->n && i < MAX_RECORDS; i++)
		TH_LOG("record %d: event %u ret %d tid %u id %llu", i,
		       self->recs[i].event, self->recs[i].ret,
		       self->recs[i].tid,
		       (unsigned long long)self->recs[i].id);
	ASSERT_EQ(retried ? 3 : 2, self->n);
	ASSERT_EQ(0, endpoint_local(self->fd, &src));
	ASSERT_NE(0, endpoint_port(&src));
	tried = src;
	if (retried && end)
		endpoint_loopback(&tried, family, endpoint_port(&src));

	want_call(&want, -1, -EINPROGRESS);
	want.flags |= CONNPROBE_F_IO_URING;
	want.tid = tid;
	memcpy(want.comm, comm, sizeof(want.comm));
	want_socket(&want, family, SOCK_STREAM, IPPROTO_TCP);
	want_daddr(&want, &self->peer);
	want_source(&want, &tried);
	EXPECT_EQ(0, record_diff(&want, &self->recs[0], self->before,
				 self->after, why, sizeof(why)))
		TH_LOG("first call:%s", why);
	if (retried) {
		want.ret = end;
		want_id_of(&want, &self->recs[0]);
		want_source(&want, &src);
		EXPECT_EQ(0, record_diff(&want, &self->recs[2], self->before,
					 self->after, why, sizeof(why)))
			TH_LOG("second call:%s", why);
	}
	want_source(&want, &tried);
	want_complete(&want, &self->recs[0], end);
	EXPECT_EQ(0, record_diff(&want, &self->recs[1], self->before,
				 self->after, why, sizeof(why)))
		TH_LOG("COMPLETE:%s", why);
	/* A timeout ends the attempt seconds after the first call returned. */
	if (end == -ETIMEDOUT)
		EXPECT_LE(self->recs[0].ts_ns + self->recs[0].latency_ns,
			  self->recs[1].ts_ns + self->recs[1].latency_ns);
	EXPECT_EQ(self->res, self->recs[self->n - 1].ret);
}

/*
 * What a request that made one blocking call must have given: that call,
 * which returned @end, from thread @tid (@comm), within the request's
 * window, the source being what getsockname() shows now.
 */
static void expect_blocking(struct __test_metadata *_metadata,
			    FIXTURE_DATA(io_uring) *self, int family,
			    pid_t tid, const char comm[CONNPROBE_COMM_LEN],
			    int end)
{
	struct connprobe_record want;
	char why[RECORD_DIFF_LEN];
	struct endpoint src;
	int i;

	for (i = 0; i < self->n && i < MAX_RECORDS; i++)
		TH_LOG("record %d: event %u ret %d tid %u id %llu", i,
		       self->recs[i].event, self->recs[i].ret,
		       self->recs[i].tid,
		       (unsigned long long)self->recs[i].id);
	ASSERT_EQ(1, self->n);
	ASSERT_EQ(0, endpoint_local(self->fd, &src));
	ASSERT_NE(0, endpoint_port(&src));

	want_call(&want, -1, end);
	want.flags |= CONNPROBE_F_IO_URING;
	want.tid = tid;
	memcpy(want.comm, comm, sizeof(want.comm));
	want_socket(&want, family, SOCK_STREAM, IPPROTO_TCP);
	want_daddr(&want, &self->peer);
	want_source(&want, &src);
	EXPECT_EQ(0, record_diff(&want, &self->recs[0], self->before,
				 self->after, why, sizeof(why)))
		TH_LOG("the call:%s", why);
	EXPECT_EQ(self->res, self->recs[0].ret);
}

/*
 * Submit the request (with @sqe_flags), which must complete with @res,
 * then check its records, made by this thread, or, with IOSQE_ASYNC, by
 * its io-wq worker: one blocking call there where this kernel's worker
 * blocks, else as expect_request() says.
 */
static void run_request(struct __test_metadata *_metadata,
			FIXTURE_DATA(io_uring) *self, int family,
			unsigned int sqe_flags, int res, bool retried)
{
	char comm[CONNPROBE_COMM_LEN] = "";
	pid_t tid = gettid();

	uring_connect(_metadata, self, sqe_flags);
	ASSERT_EQ(res, self->res) TH_LOG("CQE: %s", strerror(-self->res));
	if (sqe_flags & IOSQE_ASYNC) {
		tid = io_worker(comm);
		ASSERT_NE(0, tid) TH_LOG("no thread named %s", comm);
		if (self->kernel->async_blocks) {
			expect_blocking(_metadata, self, family, tid, comm,
					res);
			return;
		}
	} else {
		prctl(PR_GET_NAME, comm);
	}
	expect_request(_metadata, self, family, tid, comm, res, retried);
}

/* Established inside the first call; the second call then returns 0. */
static void run_connects(struct __test_metadata *_metadata,
			 FIXTURE_DATA(io_uring) *self, int family)
{
	self->listener = tcp_listener(family, 1, &self->peer);
	ASSERT_LE(0, self->listener) TH_LOG("listener: %s", strerror(errno));
	run_request(_metadata, self, family, 0, 0, true);
}

/*
 * Refused inside the first call; io_uring sees the socket's error when
 * it polls and completes with it, with a second call that returns it or
 * without one (uring_kernels[]).
 */
static void run_refused(struct __test_metadata *_metadata,
			FIXTURE_DATA(io_uring) *self, int family)
{
	ASSERT_EQ(0, unused_port(family, SOCK_STREAM, &self->peer))
		TH_LOG("no free port: %s", strerror(errno));
	run_request(_metadata, self, family, 0, -ECONNREFUSED,
		    self->kernel->error_called_again);
}

TEST_F(io_uring, connects)
{
	if (self->skip)
		SKIP(return, "%s", self->skip);
	run_connects(_metadata, self, variant->family);
}

TEST_F(io_uring, refused)
{
	if (self->skip)
		SKIP(return, "%s", self->skip);
	run_refused(_metadata, self, variant->family);
}

/* The SYN is dropped: ETIMEDOUT after one retry, 3 s in. */
TEST_F(io_uring, timed_out)
{
	if (self->skip)
		SKIP(return, "%s", self->skip);
	self->listener = full_listener(variant->family, &self->peer,
				       &self->queued);
	ASSERT_LE(0, self->listener) TH_LOG("listener: %s", strerror(errno));
	ASSERT_EQ(0, set_syn_retries(self->fd, 1));
	run_request(_metadata, self, variant->family, 0, -ETIMEDOUT,
		    self->kernel->error_called_again);
}

/*
 * IOSQE_ASYNC: the request runs in an io-wq worker thread, whose records
 * are the worker's (its tid and comm), in this process; a blocking call
 * there, or the same calls as without the flag (uring_kernels[]).
 */
TEST_F(io_uring, connects_in_worker)
{
	if (self->skip)
		SKIP(return, "%s", self->skip);
	self->listener = tcp_listener(variant->family, 1, &self->peer);
	ASSERT_LE(0, self->listener) TH_LOG("listener: %s", strerror(errno));
	run_request(_metadata, self, variant->family, IOSQE_ASYNC, 0, true);
}

/*
 * connects and refused with kprobes' jump optimization off: every hit of
 * io_connect()'s probes is an int3, whose handlers run in NMI context,
 * and the records are written after the return, by an irq_work.  With it
 * on (the other tests), the kernel may have optimized a probe by then,
 * whose handler runs in normal context, or not: 6.1's cloud kernel
 * optimizes neither, the debug kernel the one after the call.
 */
/* Why a test from int3 cannot run, or NULL with the optimization off. */
static const char *from_int3(FIXTURE_DATA(io_uring) *self)
{
	if (self->skip)
		return self->skip;
	self->optimization = kprobes_optimization(0);
	return self->optimization < 0 ? "no " KPROBES_OPTIMIZATION " to set" : NULL;
}

TEST_F(io_uring, connects_from_int3)
{
	const char *why = from_int3(self);

	if (why)
		SKIP(return, "%s", why);
	ASSERT_FALSE(io_connect_optimized());
	run_connects(_metadata, self, variant->family);
}

TEST_F(io_uring, refused_from_int3)
{
	const char *why = from_int3(self);

	if (why)
		SKIP(return, "%s", why);
	ASSERT_FALSE(io_connect_optimized());
	run_refused(_metadata, self, variant->family);
}

/* SO_SNDTIMEO of the connect(2) that the retry interrupts. */
#define BLOCKED_CONNECT_MS	4000

/*
 * io_uring's retry, run on the way out of a connect(2) of the same
 * thread: the request's SYN is dropped by a full listener, whose queue is
 * then emptied, so that the SYN sent again 1 s later connects; meanwhile
 * the thread is blocked in connect(2) on another socket.  io_uring's task
 * work wakes it and runs the retry before connect(2) restarts: a call of
 * __sys_connect_file() from io_uring inside the connect system call,
 * which connprobe must record as io_uring's (the system call under way
 * does not tell), and it must show that it ran in that window.
 */
TEST_F(io_uring, retry_inside_another_connect)
{
	struct timeval tv = { .tv_sec = BLOCKED_CONNECT_MS / 1000 };
	struct connprobe_record all[4 * MAX_RECORDS];
	int other_queued = -1, other_listener, other, ret, i;
	struct endpoint other_peer;
	struct record_set set = {};
	uint64_t blocked_from, blocked_to;
	char comm[CONNPROBE_COMM_LEN];
	char err[256];
	ssize_t n;

	if (self->skip)
		SKIP(return, "%s", self->skip);
	self->listener = full_listener(variant->family, &self->peer,
				       &self->queued);
	ASSERT_LE(0, self->listener) TH_LOG("listener: %s", strerror(errno));
	other_listener = full_listener(variant->family, &other_peer,
				       &other_queued);
	ASSERT_LE(0, other_listener) TH_LOG("listener: %s", strerror(errno));
	other = socket(variant->family, SOCK_STREAM, 0);
	ASSERT_LE(0, other);
	ASSERT_EQ(0, setsockopt(other, SOL_SOCKET, SO_SNDTIMEO, &tv,
				sizeof(tv)));
	ASSERT_EQ(0, records_discard(&set)) TH_LOG("%s", set.error);

	self->before = monotonic_ns();
	ret = ring_submit_connect(&self->ring, self->fd, &self->peer, 0);
	ASSERT_EQ(0, ret) TH_LOG("io_uring_enter: %s", strerror(-ret));
	/* Room in the queue for the SYN sent again in a second. */
	close(accept(self->listener, NULL, NULL));
	blocked_from = monotonic_ns();
	connect(other, &other_peer.sa, other_peer.len);
	blocked_to = monotonic_ns();
	ret = ring_wait(&self->ring, &self->res);
	self->after = monotonic_ns();
	close(other);
	close(other_queued);
	close(other_listener);
	ASSERT_EQ(0, ret) TH_LOG("io_uring_enter: %s", strerror(-ret));
	ASSERT_EQ(0, self->res) TH_LOG("CQE: %s", strerror(-self->res));

	/*
	 * The request's records, apart from the other socket's: io_uring's
	 * calls, and the COMPLETE record with the first one's id.
	 */
	n = records_collect(gettid(), all, 4 * MAX_RECORDS, err, sizeof(err));
	ASSERT_LE(0, n) TH_LOG("%s", err);
	self->n = 0;
	for (i = 0; i < n && self->n < MAX_RECORDS; i++)
		if ((all[i].flags & CONNPROBE_F_IO_URING) ||
		    (self->n && all[i].event == CONNPROBE_EVENT_COMPLETE &&
		     all[i].id == self->recs[0].id))
			self->recs[self->n++] = all[i];
	prctl(PR_GET_NAME, comm);
	expect_request(_metadata, self, variant->family, gettid(), comm, 0,
		       true);
	/* The retry ran while the thread was in connect(2). */
	EXPECT_LE(blocked_from, self->recs[2].ts_ns);
	EXPECT_GE(blocked_to, self->recs[2].ts_ns + self->recs[2].latency_ns);
}

TEST_HARNESS_MAIN
