// SPDX-License-Identifier: GPL-2.0
/*
 * connprobe under concurrency: connect()s made from several threads at once
 * each get their record, with nothing lost or missed; and 256 connect()s
 * blocked at the same time all get theirs too, which takes one kretprobe
 * instance per call in flight (maxactive).
 *
 * Must run as root with connprobe loaded and debugfs mounted, on a host
 * where nothing else connects (the test VM): the stats are global.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "connprobe.h"
#include "loopback.h"
#include "record_reader.h"

/* Kept small: a TCG guest runs ~15x slower than the host. */
#define COUNT_THREADS		4
#define COUNT_CALLS		50	/* per thread */

#define BLOCKED_THREADS		256
/*
 * SYN retries of each blocked connect(): SYN at 0 s, one retry at 1 s,
 * ETIMEDOUT at 3 s.  Set per socket with TCP_SYNCNT rather than with the
 * tcp_syn_retries sysctl: the same timeout, but no global state to
 * restore, even when the harness kills a timed-out test (which then never
 * reaches its teardown).
 */
#define BLOCKED_SYN_RETRIES	1
#define BLOCKED_TIMEOUT_S	120

/* Threads only call connect(): a small stack lets 256 of them fit anywhere. */
#define WORKER_STACK		(64 * 1024)

/* A thread making @calls connect()s on its own socket; no harness inside. */
struct worker {
	pthread_t thread;
	pthread_barrier_t *start;	/* releases all workers at once */
	const struct endpoint *dst;
	int fd;
	int calls;
	int done;			/* calls that returned */
	int ret;			/* last call's 0 or -errno */
	pid_t tid;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;

	w->tid = gettid();
	pthread_barrier_wait(w->start);
	while (w->done < w->calls) {
		w->ret = connect(w->fd, &w->dst->sa, w->dst->len) ? -errno : 0;
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

	ASSERT_EQ(0, records_discard(&self->set)) TH_LOG("%s", self->set.error);
	ASSERT_EQ(0, stats_read(&before));
	ASSERT_EQ(0, run_workers(self->workers, COUNT_THREADS, &t0, &t1));
	ASSERT_EQ(0, stats_read(&after));
	ASSERT_EQ(0, records_drain(&self->set)) TH_LOG("%s", self->set.error);

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
	EXPECT_EQ(before.lost, after.lost);
	EXPECT_EQ(before.nmissed, after.nmissed);
	EXPECT_EQ(before.kp_nmissed, after.kp_nmissed);
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
		ASSERT_EQ(0, setsockopt(w->fd, IPPROTO_TCP, TCP_SYNCNT,
					&syn_retries, sizeof(syn_retries)))
			TH_LOG("TCP_SYNCNT: %s", strerror(errno));
		w->dst = &peer;
		w->calls = 1;
	}

	ASSERT_EQ(0, records_discard(&self->set)) TH_LOG("%s", self->set.error);
	ASSERT_EQ(0, stats_read(&before));
	ASSERT_EQ(0, run_workers(self->workers, BLOCKED_THREADS, &t0, &t1));
	ASSERT_EQ(0, stats_read(&after));
	ASSERT_EQ(0, records_drain(&self->set)) TH_LOG("%s", self->set.error);

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

	EXPECT_EQ(before.lost, after.lost);
	EXPECT_EQ(before.nmissed, after.nmissed);
	EXPECT_EQ(before.kp_nmissed, after.kp_nmissed);
}

TEST_HARNESS_MAIN
