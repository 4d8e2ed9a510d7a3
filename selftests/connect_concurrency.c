// SPDX-License-Identifier: GPL-2.0
/*
 * connprobe under concurrency: connect()s made from several threads at once
 * each get their record, with nothing lost or missed; a burst of TCP
 * connects from several threads gives exactly one record per call, each
 * equal to its call; and 256 connect()s blocked at the same time all get
 * theirs too, which takes one kretprobe instance per call in flight
 * (maxactive).
 *
 * Must run as root with connprobe loaded and debugfs mounted, on a host
 * where nothing else connects (the test VM): the stats are global.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "harness_list.h"

#include "connprobe.h"
#include "loopback.h"
#include "record_reader.h"
#include "record_want.h"

/* Kept small: a TCG guest runs ~15x slower than the host. */
#define COUNT_THREADS		4
#define COUNT_CALLS		50	/* per thread */

#define BURST_THREADS		4
#define BURST_CALLS		25	/* per thread */

#define BLOCKED_THREADS		256
/*
 * SYN retries of each blocked connect() (see set_syn_retries()): three
 * give 1 + 2 + 4 + 8 = 15 s before the first call times out.  Starting 256
 * threads takes about 3 s under TCG, more on a busy host; with one retry
 * (3 s) the last call was seen entering 16 ms before the first returned.
 */
#define BLOCKED_SYN_RETRIES	3
#define BLOCKED_TIMEOUT_S	120

/* Threads only call connect(): a small stack lets 256 of them fit anywhere. */
#define WORKER_STACK		(64 * 1024)

/* One call of a burst, and the record it must have. */
struct burst_call {
	struct connprobe_record want;
	struct call call;
};

/*
 * A thread making @calls connect()s, on its own socket @fd, or, with @log,
 * each on a new TCP socket, logged there.  No harness inside.
 */
struct worker {
	pthread_t thread;
	pthread_barrier_t *start;	/* releases all workers at once */
	const struct endpoint *dst;
	int fd;
	int calls;
	int done;			/* calls that returned */
	int ret;			/* last call's 0 or -errno */
	pid_t tid;
	struct burst_call *log;
};

/* A new TCP socket, connected; @c gets the call's record as it must be. */
static int burst_connect(const struct endpoint *dst, struct burst_call *c)
{
	struct endpoint src;
	int fd;

	fd = socket(dst->sa.sa_family, SOCK_STREAM, 0);
	if (fd < 0)
		return -errno;
	timed_connect(fd, dst, &c->call);
	want_call(&c->want, fd, c->call.ret);
	want_socket(&c->want, dst->sa.sa_family, SOCK_STREAM, IPPROTO_TCP);
	want_daddr(&c->want, dst);
	if (!endpoint_local(fd, &src) && endpoint_port(&src))
		want_source(&c->want, &src);
	close(fd);
	return c->call.ret;
}

static void *worker_run(void *arg)
{
	struct worker *w = arg;

	w->tid = gettid();
	pthread_barrier_wait(w->start);
	while (w->done < w->calls) {
		if (w->log)
			w->ret = burst_connect(w->dst, &w->log[w->done]);
		else
			w->ret = connect(w->fd, &w->dst->sa, w->dst->len) ?
				 -errno : 0;
		w->done++;
		if (w->ret)
			break;
	}
	return NULL;
}

/*
 * Run @n workers to the end, all starting together.  [*before, *after]
 * encloses every call.  Returns 0 or an errno; on error some workers may
 * wait at the barrier forever, but the failing test then aborts.
 */
static int run_workers(struct worker *w, int n, uint64_t *before,
		       uint64_t *after)
{
	pthread_barrier_t start;
	pthread_attr_t attr;
	int i, err;

	err = pthread_barrier_init(&start, NULL, n);
	if (err)
		return err;
	err = pthread_attr_init(&attr);
	if (!err)
		err = pthread_attr_setstacksize(&attr, WORKER_STACK);
	*before = monotonic_ns();
	for (i = 0; i < n && !err; i++) {
		w[i].start = &start;
		err = pthread_create(&w[i].thread, &attr, worker_run, &w[i]);
	}
	if (err)
		return err;
	for (i = 0; i < n; i++)
		pthread_join(w[i].thread, NULL);
	*after = monotonic_ns();
	pthread_attr_destroy(&attr);
	pthread_barrier_destroy(&start);
	return 0;
}

/*
 * Empty the buffers, run @n workers, then read what they left: the stats
 * before and after in @before and @after, the records in @set, the window
 * around every call in [*t0, *t1].
 */
static void run_counted(struct __test_metadata *_metadata,
			struct record_set *set, struct worker *w, int n,
			struct probe_stats *before, struct probe_stats *after,
			uint64_t *t0, uint64_t *t1)
{
	ASSERT_EQ(0, records_discard(set)) TH_LOG("%s", set->error);
	ASSERT_EQ(0, stats_read(before));
	ASSERT_EQ(0, run_workers(w, n, t0, t1));
	ASSERT_EQ(0, stats_read(after));
	ASSERT_EQ(0, records_drain(set)) TH_LOG("%s", set->error);
}

/* Nothing dropped, missed or left untracked between the two readings. */
static void expect_none_dropped(struct __test_metadata *_metadata,
				const struct probe_stats *before,
				const struct probe_stats *after)
{
	EXPECT_EQ(before->lost, after->lost);
	EXPECT_EQ(before->nmissed, after->nmissed);
	EXPECT_EQ(before->kp_nmissed, after->kp_nmissed);
	EXPECT_EQ(before->untracked, after->untracked);
}

/*
 * What is wrong with @rec as the record of a call by worker @w in
 * [before, after], or NULL.  The first problem only: the tests log it for
 * the first bad record, which is enough to tell what broke.
 */
static const char *record_problem(const struct connprobe_record *rec,
				  const struct worker *w, int protocol,
				  uint64_t before, uint64_t after)
{
	if (rec->event != CONNPROBE_EVENT_CONNECT)
		return "event";
	if (rec->ret != w->ret)
		return "ret";
	if (rec->fd != w->fd)
		return "fd";
	if (!(rec->flags & CONNPROBE_F_SOCK) || rec->protocol != protocol)
		return "socket";
	if (!(rec->flags & CONNPROBE_F_DADDR) ||
	    rec->dport != endpoint_port(w->dst))
		return "destination";
	if (rec->ts_ns < before || rec->ts_ns + rec->latency_ns > after)
		return "outside the window";
	return NULL;
}

FIXTURE(concurrency) {
	int listener;
	int queued;
	struct worker workers[BLOCKED_THREADS];
	struct record_set set;
};

FIXTURE_SETUP(concurrency)
{
	int i;

	self->listener = -1;
	self->queued = -1;
	for (i = 0; i < BLOCKED_THREADS; i++)
		self->workers[i].fd = -1;
	self->set.pid = getpid();
}

FIXTURE_TEARDOWN(concurrency)
{
	int i;

	for (i = 0; i < BLOCKED_THREADS; i++)
		if (self->workers[i].fd >= 0)
			close(self->workers[i].fd);
	if (self->queued >= 0)
		close(self->queued);
	if (self->listener >= 0)
		close(self->listener);
	records_free(&self->set);
}

/*
 * UDP connect()s: cheap and certain to succeed, so the threads really race
 * through the probe and into the per-CPU buffers together.
 */
TEST_F(concurrency, threads_every_call_recorded)
{
	const int total = COUNT_THREADS * COUNT_CALLS;
	struct probe_stats before, after;
	uint64_t t0, t1;
	struct endpoint dst;
	int i, bad = 0;

	ASSERT_EQ(0, unused_port(AF_INET, SOCK_DGRAM, &dst))
		TH_LOG("no free port: %s", strerror(errno));
	for (i = 0; i < COUNT_THREADS; i++) {
		struct worker *w = &self->workers[i];

		w->fd = socket(AF_INET, SOCK_DGRAM, 0);
		ASSERT_LE(0, w->fd) TH_LOG("socket: %s", strerror(errno));
		w->dst = &dst;
		w->calls = COUNT_CALLS;
	}

	run_counted(_metadata, &self->set, self->workers, COUNT_THREADS, &before,
		    &after, &t0, &t1);

	for (i = 0; i < COUNT_THREADS; i++) {
		ASSERT_EQ(0, self->workers[i].ret)
			TH_LOG("thread %d: connect: %s", i,
			       strerror(-self->workers[i].ret));
		ASSERT_EQ(COUNT_CALLS, self->workers[i].done);
		EXPECT_EQ(COUNT_CALLS, records_of_tid(&self->set,
						      self->workers[i].tid,
						      NULL, 0))
			TH_LOG("records of thread %d", i);
	}
	/* Exactly the calls: every record of this process is one of them. */
	EXPECT_EQ(total, self->set.n)
		TH_LOG("nmissed %llu -> %llu, lost %llu -> %llu",
		       (unsigned long long)before.nmissed,
		       (unsigned long long)after.nmissed,
		       (unsigned long long)before.lost,
		       (unsigned long long)after.lost);
	for (i = 0; i < (int)self->set.n; i++) {
		const struct connprobe_record *rec = &self->set.recs[i];
		const struct worker *w = NULL;
		const char *why;
		int j;

		for (j = 0; j < COUNT_THREADS; j++)
			if (rec->tid == (__u32)self->workers[j].tid)
				w = &self->workers[j];
		why = w ? record_problem(rec, w, IPPROTO_UDP, t0, t1) :
			  "not from a worker";
		if (why && !bad++)
			TH_LOG("record of tid %u: %s", rec->tid, why);
	}
	EXPECT_EQ(0, bad);

	/* Others may connect meanwhile, but nothing may be dropped. */
	EXPECT_LE(before.written + total, after.written);
	expect_none_dropped(_metadata, &before, &after);
}

/* A burst of TCP connects from several threads, to one loopback listener. */
FIXTURE(burst) {
	int listener;
	struct endpoint peer;
	struct worker workers[BURST_THREADS];
	struct burst_call log[BURST_THREADS][BURST_CALLS];
	struct record_set set;
};

FIXTURE_VARIANTS_IP4_IP6(burst);

FIXTURE_SETUP(burst)
{
	int err;

	self->set.pid = getpid();
	err = want_identity();
	ASSERT_EQ(0, err) TH_LOG("who am I: %s", strerror(-err));
	/* Room for every connection: the kernel accepts them all. */
	self->listener = tcp_listener(variant->family,
				      2 * BURST_THREADS * BURST_CALLS,
				      &self->peer);
	ASSERT_LE(0, self->listener) TH_LOG("listener: %s", strerror(errno));
}

FIXTURE_TEARDOWN(burst)
{
	if (self->listener >= 0)
		close(self->listener);
	records_free(&self->set);
}

static int by_id(const void *a, const void *b)
{
	const struct connprobe_record *ra = a, *rb = b;

	return (ra->id > rb->id) - (ra->id < rb->id);
}

/*
 * Every call has exactly its record: per thread, the records sorted by
 * time are the calls in their order, field for field, each inside its own
 * call's window; no record is left over; every attempt has its own id.
 */
TEST_F(burst, records_equal_calls)
{
	const int total = BURST_THREADS * BURST_CALLS;
	struct connprobe_record got[BURST_CALLS];
	struct probe_stats before, after;
	char why[RECORD_DIFF_LEN];
	uint64_t t0, t1;
	int i, j, bad = 0;

	for (i = 0; i < BURST_THREADS; i++) {
		self->workers[i].dst = &self->peer;
		self->workers[i].fd = -1;
		self->workers[i].calls = BURST_CALLS;
		self->workers[i].log = self->log[i];
	}

	run_counted(_metadata, &self->set, self->workers, BURST_THREADS, &before,
		    &after, &t0, &t1);

	ASSERT_EQ(total, self->set.n)
		TH_LOG("%zu records for %d calls", self->set.n, total);
	for (i = 0; i < BURST_THREADS; i++) {
		const struct worker *w = &self->workers[i];

		ASSERT_EQ(BURST_CALLS, w->done)
			TH_LOG("thread %d: connect: %s", i, strerror(-w->ret));
		ASSERT_EQ(0, w->ret)
			TH_LOG("thread %d: connect: %s", i, strerror(-w->ret));
		ASSERT_EQ(BURST_CALLS, records_of_tid(&self->set, w->tid, got,
						      BURST_CALLS))
			TH_LOG("records of thread %d", i);
		for (j = 0; j < BURST_CALLS; j++) {
			const struct burst_call *c = &self->log[i][j];

			if (record_diff(&c->want, &got[j], c->call.before,
					c->call.after, why, sizeof(why)) &&
			    !bad++)
				TH_LOG("thread %d, call %d:%s", i, j, why);
		}
	}
	EXPECT_EQ(0, bad);

	qsort(self->set.recs, self->set.n, sizeof(*self->set.recs), by_id);
	for (i = 1; i < (int)self->set.n; i++)
		EXPECT_NE(self->set.recs[i - 1].id, self->set.recs[i].id);

	expect_none_dropped(_metadata, &before, &after);
}

/*
 * 256 threads blocked in connect() to a listener that drops every SYN.  All
 * calls must be recorded (none missed for want of a kretprobe instance),
 * and their [ts_ns, ts_ns + latency_ns] intervals must share an instant:
 * the latest entry comes before the earliest return, so they really were
 * all in flight together.
 */
TEST_F_TIMEOUT(concurrency, blocked_256_in_flight_together, BLOCKED_TIMEOUT_S)
{
	const int syn_retries = BLOCKED_SYN_RETRIES;
	uint64_t t0, t1, last_entry = 0, first_return = UINT64_MAX;
	struct probe_stats before, after;
	struct endpoint peer;
	int i, bad = 0;

	self->listener = full_listener(AF_INET, &peer, &self->queued);
	ASSERT_LE(0, self->listener)
		TH_LOG("full listener: %s", strerror(errno));
	for (i = 0; i < BLOCKED_THREADS; i++) {
		struct worker *w = &self->workers[i];

		w->fd = socket(AF_INET, SOCK_STREAM, 0);
		ASSERT_LE(0, w->fd) TH_LOG("socket %d: %s", i, strerror(errno));
		ASSERT_EQ(0, set_syn_retries(w->fd, syn_retries))
			TH_LOG("TCP_SYNCNT: %s", strerror(errno));
		w->dst = &peer;
		w->calls = 1;
	}

	run_counted(_metadata, &self->set, self->workers, BLOCKED_THREADS, &before,
		    &after, &t0, &t1);

	/* Exactly the calls: every record of this process is one of them. */
	ASSERT_EQ(BLOCKED_THREADS, self->set.n)
		TH_LOG("nmissed %llu -> %llu, lost %llu -> %llu",
		       (unsigned long long)before.nmissed,
		       (unsigned long long)after.nmissed,
		       (unsigned long long)before.lost,
		       (unsigned long long)after.lost);
	for (i = 0; i < BLOCKED_THREADS; i++) {
		const struct worker *w = &self->workers[i];
		struct connprobe_record rec;
		const char *why = NULL;
		char ret[64];
		size_t n;

		/* With the queue full before the first SYN, none gets in. */
		if (w->ret != -ETIMEDOUT) {
			snprintf(ret, sizeof(ret), "connect returned %d, not -ETIMEDOUT",
				 w->ret);
			why = ret;
		}
		n = records_of_tid(&self->set, w->tid, &rec, 1);
		if (!why && n != 1)
			why = "not one record";
		if (!why)
			why = record_problem(&rec, w, IPPROTO_TCP, t0, t1);
		if (why) {
			if (!bad++)
				TH_LOG("thread %d: %s", i, why);
			continue;
		}
		if (rec.ts_ns > last_entry)
			last_entry = rec.ts_ns;
		if (rec.ts_ns + rec.latency_ns < first_return)
			first_return = rec.ts_ns + rec.latency_ns;
	}
	ASSERT_EQ(0, bad);
	ASSERT_LT(last_entry, first_return)
		TH_LOG("not all in flight at once: the last call entered %.3f s after the first returned",
		       (double)(last_entry - first_return) / 1e9);
	/* The margin says how close a slow VM came to failing this. */
	TH_LOG("all %d calls in flight together for %.3f s", BLOCKED_THREADS,
	       (double)(first_return - last_entry) / 1e9);

	expect_none_dropped(_metadata, &before, &after);
}

TEST_HARNESS_MAIN
