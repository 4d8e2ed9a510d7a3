// SPDX-License-Identifier: GPL-2.0
/*
 * The live loop: poll the CPU files, feed each round sorted by time, tick
 * the sink, drain on SIGINT/SIGTERM or at the end of --duration, then
 * report losses from the difference between two reads of the stats file.
 */
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "live.h"
#include "reader.h"
#include "timefmt.h"

#define POLL_INTERVAL_MS	100
/* Bounds one round, so a busy CPU cannot starve the others' output. */
#define MAX_PER_CPU_ROUND	4096
/*
 * The probes keep firing while we drain: stop once caught up, or once
 * a whole buffer per CPU has been read (what was there when the drain
 * began), so that a connect() storm cannot keep us here: what comes
 * meanwhile stays counted as buffered.  Without buf_size in the stats
 * (an older module), this many rounds.
 */
#define MAX_DRAIN_ROUNDS	64

static int drain_rounds(const struct cp_stats *st)
{
	unsigned long long per_cpu = st->buf_size / CONNPROBE_RECORD_SIZE;

	if (!st->buf_size)
		return MAX_DRAIN_ROUNDS;
	return (int)((per_cpu + MAX_PER_CPU_ROUND - 1) / MAX_PER_CPU_ROUND) + 1;
}

static volatile sig_atomic_t exiting;

static void sig_handler(int sig)
{
	(void)sig;
	exiting = 1;
}

static int install_signal_handlers(void)
{
	struct sigaction sa = { .sa_handler = sig_handler };

	/* No SA_RESTART: poll() must return EINTR so the flag is seen now. */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL))
		return -1;
	return 0;
}

/*
 * Time order; cpu and seq make the order total, hence repeatable.  A
 * COMPLETE record may carry its connect's entry time: on a tie it comes
 * after the CONNECT, so that views see an attempt start before it ends.
 */
static int cmp_record(const void *a, const void *b)
{
	const struct connprobe_record *x = a, *y = b;

	if (x->ts_ns != y->ts_ns)
		return x->ts_ns < y->ts_ns ? -1 : 1;
	if (x->event != y->event)
		return x->event < y->event ? -1 : 1;
	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/*
 * One CPU's records mostly come in time order already (on a one-CPU
 * machine, all of them): checking costs a compare per record, sorting
 * 232-byte records costs far more.
 */
static bool in_order(const struct cp_records *recs)
{
	size_t i;

	for (i = 1; i < recs->len; i++)
		if (cmp_record(&recs->rec[i - 1], &recs->rec[i]) > 0)
			return false;
	return true;
}

/* Feed one round's records in time order, let them out, empty @recs. */
static int feed_round(struct cp_sink *sink, struct cp_records *recs)
{
	size_t i;

	if (!recs->len)
		return 0;
	if (!in_order(recs))
		qsort(recs->rec, recs->len, sizeof(*recs->rec), cmp_record);
	for (i = 0; i < recs->len; i++)
		if (sink_feed(sink, &recs->rec[i]))
			return -1;
	recs->len = 0;
	return sink_flush(sink);
}

/* Poll timeout for this round: the interval, cut short by the deadline. */
static int round_timeout_ms(long long deadline, long long now)
{
	long long left_ms;

	if (!deadline)
		return POLL_INTERVAL_MS;
	left_ms = (deadline - now + 999999) / 1000000;
	return left_ms < POLL_INTERVAL_MS ? (int)left_ms : POLL_INTERVAL_MS;
}

struct live {
	struct cp_sink *sink;
	const char *dir;
	struct cp_stats start;
	struct cp_reader rd;
	struct cp_records recs;
	char err[512];
};

/*
 * What the run has lost so far into @delta (free with stats_free());
 * -1 with a message in l->err if the stats file cannot be read.
 */
static int losses_now(struct live *l, struct cp_stats *delta)
{
	struct cp_stats now;
	int ret;

	memset(delta, 0, sizeof(*delta));
	if (stats_read(l->dir, &now, l->err, sizeof(l->err))) {
		stats_free(&now);
		return -1;
	}
	ret = stats_diff(&l->start, &now, delta);
	if (ret)
		snprintf(l->err, sizeof(l->err), "out of memory");
	stats_free(&now);
	return ret;
}

static int tick(struct live *l)
{
	struct cp_stats delta;
	int ret;

	if (losses_now(l, &delta)) {
		ret = l->sink->ops->tick(l->sink, NULL);
		fprintf(stderr, "connprobe: %s\n", l->err);
	} else {
		ret = l->sink->ops->tick(l->sink, &delta);
	}
	stats_free(&delta);
	return ret;
}

/* Read rounds until stopped; -1 with a message in l->err or the sink's. */
static int loop(struct live *l, double duration)
{
	long long deadline = 0, next_tick = 0, t0, idle_ms;
	int ready, timeout;
	long n;

	if (duration > 0)
		deadline = mono_now() + (long long)(duration * 1e9);
	if (l->sink->tick_ns)
		next_tick = mono_now() + l->sink->tick_ns;
	while (!exiting) {
		t0 = mono_now();
		if (deadline && t0 >= deadline)
			break;
		timeout = round_timeout_ms(deadline, t0);
		ready = reader_wait(&l->rd, timeout, l->err, sizeof(l->err));
		if (ready < 0)
			return -1;
		/* POLLIN means a full sub-buffer: read partial ones too. */
		n = reader_read_all(&l->rd, &l->recs, MAX_PER_CPU_ROUND,
				    l->err, sizeof(l->err));
		if (n < 0 || feed_round(l->sink, &l->recs))
			return -1;
		if (next_tick && mono_now() >= next_tick) {
			if (tick(l))
				return -1;
			next_tick += l->sink->tick_ns;
		}
		/*
		 * A file that polls readable yet has nothing to read (any
		 * regular file does) would turn this loop into a busy one:
		 * sleep out the rest of the interval instead.
		 */
		idle_ms = timeout - (mono_now() - t0) / 1000000;
		if (n == 0 && ready > 0 && idle_ms > 0)
			poll(NULL, 0, idle_ms);
	}
	return 0;
}

static int drain(struct live *l)
{
	int i, rounds = drain_rounds(&l->start);
	long n;

	for (i = 0; i < rounds; i++) {
		n = reader_read_all(&l->rd, &l->recs, MAX_PER_CPU_ROUND,
				    l->err, sizeof(l->err));
		if (n < 0 || feed_round(l->sink, &l->recs))
			return -1;
		if (n == 0)
			break;
	}
	return 0;
}

int live_run(const struct live_opts *opts, struct cp_sink *sink)
{
	struct live l = { .sink = sink, .dir = opts->dir };
	struct cp_source_info info = { .live = true };
	struct cp_stats delta = { 0 };
	struct utsname uts;
	int ret = 1;

	/* Losses are counted from here: read the stats before any record. */
	if (stats_read(opts->dir, &l.start, l.err, sizeof(l.err)) ||
	    reader_open(&l.rd, opts->dir, l.err, sizeof(l.err)))
		goto cleanup;
	if (install_signal_handlers()) {
		snprintf(l.err, sizeof(l.err), "sigaction: %m");
		goto cleanup;
	}
	info.realtime_offset_ns = realtime_offset_now();
	info.start_ns = mono_now();
	info.hostname = uname(&uts) ? "" : uts.nodename;
	if (sink->ops->begin(sink, &info) || loop(&l, opts->duration) ||
	    drain(&l))
		goto cleanup;
	if (losses_now(&l, &delta)) {
		sink->ops->end(sink, NULL);
		goto cleanup;
	}
	if (sink->ops->end(sink, &delta))
		goto cleanup;
	ret = 0;

cleanup:
	if (ret && (l.err[0] || sink->err[0]))
		fprintf(stderr, "connprobe: %s\n", l.err[0] ? l.err : sink->err);
	stats_free(&delta);
	records_free(&l.recs);
	reader_close(&l.rd);
	stats_free(&l.start);
	return ret;
}
