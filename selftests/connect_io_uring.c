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
 * The ring is set up with the raw syscalls: the test VM has no liburing
 * (nor any library).  A kernel without io_uring, or one that forbids it,
 * skips these tests, which then prove nothing.
 *
 * Must run as root with connprobe loaded and debugfs mounted (the test VM).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "connprobe.h"
#include "loopback.h"
#include "record_reader.h"
#include "record_want.h"

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

/* A ring of one entry, mapped the way io_uring_setup(2) describes. */
struct ring {
	int fd;
	void *sq, *cq;
	size_t sq_len, cq_len;
	struct io_uring_sqe *sqes;
	size_t sqes_len;
	unsigned int *sq_tail, *sq_mask, *sq_array;
	unsigned int *cq_head, *cq_tail, *cq_mask;
	struct io_uring_cqe *cqes;
};

static void ring_unmap(struct ring *r)
{
	if (r->sqes && r->sqes != MAP_FAILED)
		munmap(r->sqes, r->sqes_len);
	if (r->cq && r->cq != MAP_FAILED && r->cq != r->sq)
		munmap(r->cq, r->cq_len);
	if (r->sq && r->sq != MAP_FAILED)
		munmap(r->sq, r->sq_len);
	if (r->fd >= 0)
		close(r->fd);
	memset(r, 0, sizeof(*r));
	r->fd = -1;
}

/* Returns 0 or a negative errno; io_uring_setup()'s is left in *setup_err. */
static int ring_setup(struct ring *r, int *setup_err)
{
	struct io_uring_params p = {};

	r->fd = syscall(__NR_io_uring_setup, 1, &p);
	*setup_err = r->fd < 0 ? errno : 0;
	if (r->fd < 0)
		return -*setup_err;
	r->sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	r->cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP) {
		if (r->cq_len > r->sq_len)
			r->sq_len = r->cq_len;
		r->cq_len = r->sq_len;
	}
	r->sq = mmap(NULL, r->sq_len, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	if (r->sq == MAP_FAILED)
		return -errno;
	if (p.features & IORING_FEAT_SINGLE_MMAP)
		r->cq = r->sq;
	else
		r->cq = mmap(NULL, r->cq_len, PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_POPULATE, r->fd,
			     IORING_OFF_CQ_RING);
	if (r->cq == MAP_FAILED)
		return -errno;
	r->sqes_len = p.sq_entries * sizeof(struct io_uring_sqe);
	r->sqes = mmap(NULL, r->sqes_len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED)
		return -errno;
	r->sq_tail = (unsigned int *)((char *)r->sq + p.sq_off.tail);
	r->sq_mask = (unsigned int *)((char *)r->sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned int *)((char *)r->sq + p.sq_off.array);
	r->cq_head = (unsigned int *)((char *)r->cq + p.cq_off.head);
	r->cq_tail = (unsigned int *)((char *)r->cq + p.cq_off.tail);
	r->cq_mask = (unsigned int *)((char *)r->cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)((char *)r->cq + p.cq_off.cqes);
	return 0;
}

/*
 * Submit one IORING_OP_CONNECT of @fd to @dst and wait for its completion.
 * Returns 0 with the CQE's result in *res, or a negative errno.
 */
static int ring_connect(struct ring *r, int fd, const struct endpoint *dst,
			unsigned int sqe_flags, int *res)
{
	unsigned int tail = *r->sq_tail, head, idx = tail & *r->sq_mask;
	struct io_uring_sqe *sqe = &r->sqes[idx];
	int n;

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_CONNECT;
	sqe->flags = sqe_flags;
	sqe->fd = fd;
	sqe->addr = (uintptr_t)&dst->sa;
	sqe->off = dst->len;		/* addr2: the address length */
	sqe->user_data = 1;
	r->sq_array[idx] = idx;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);

	n = syscall(__NR_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS,
		    NULL, 0);
	if (n < 0)
		return -errno;
	if (n != 1)
		return -EIO;
	head = *r->cq_head;
	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		return -EAGAIN;
	*res = r->cqes[head & *r->cq_mask].res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return 0;
}

FIXTURE(io_uring) {
	struct ring ring;
	const char *skip;	/* why io_uring cannot run here */
	const struct uring_kernel *kernel;
	int fd;
	int listener;
	int queued;
	struct endpoint peer;
	int res;		/* the CQE's result */
	uint64_t before, after;	/* around submission and completion */
	struct connprobe_record recs[MAX_RECORDS];
	ssize_t n;
};

FIXTURE_VARIANTS_IP4_IP6(io_uring);

FIXTURE_SETUP(io_uring)
{
	int err, setup_err;

	self->ring.fd = -1;
	self->fd = -1;
	self->listener = -1;
	self->queued = -1;
	err = ring_setup(&self->ring, &setup_err);
	if (setup_err == ENOSYS)
		self->skip = "io_uring_setup: ENOSYS: no io_uring in this kernel";
	else if (setup_err == EPERM)
		self->skip = "io_uring_setup: EPERM: io_uring is disabled";
	else
		ASSERT_EQ(0, err) TH_LOG("io_uring: %s", strerror(-err));
	self->kernel = uring_kernel();
	ASSERT_NE(NULL, self->kernel) TH_LOG("a kernel older than 5.10");
	TH_LOG("io_uring of %s", self->kernel->what);
	err = want_identity();
	ASSERT_EQ(0, err) TH_LOG("who am I: %s", strerror(-err));
	self->fd = socket(variant->family, SOCK_STREAM, 0);
	ASSERT_LE(0, self->fd) TH_LOG("socket: %s", strerror(errno));
}

FIXTURE_TEARDOWN(io_uring)
{
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
 * writable, which returned @end as well.  All from thread @tid (@comm), all
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
		want_source(&want, &src);
		EXPECT_EQ(0, record_diff(&want, &self->recs[2], self->before,
					 self->after, why, sizeof(why)))
			TH_LOG("second call:%s", why);
		want_source(&want, &tried);
	}
	want_complete(&want, &self->recs[0], end);
	EXPECT_EQ(0, record_diff(&want, &self->recs[1], self->before,
				 self->after, why, sizeof(why)))
		TH_LOG("COMPLETE:%s", why);
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
TEST_F(io_uring, connects)
{
	if (self->skip)
		SKIP(return, "%s", self->skip);
	self->listener = tcp_listener(variant->family, 1, &self->peer);
	ASSERT_LE(0, self->listener) TH_LOG("listener: %s", strerror(errno));
	run_request(_metadata, self, variant->family, 0, 0, true);
}

/*
 * Refused inside the first call; io_uring sees the socket's error when
 * it polls and completes with it, with a second call that returns it or
 * without one (uring_kernels[]).
 */
TEST_F(io_uring, refused)
{
	if (self->skip)
		SKIP(return, "%s", self->skip);
	ASSERT_EQ(0, unused_port(variant->family, SOCK_STREAM, &self->peer))
		TH_LOG("no free port: %s", strerror(errno));
	run_request(_metadata, self, variant->family, 0, -ECONNREFUSED,
		    self->kernel->error_called_again);
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

TEST_HARNESS_MAIN
