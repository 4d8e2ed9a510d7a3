// SPDX-License-Identifier: GPL-2.0
/*
 * Streaming loop: poll the CPU files, print each round sorted by time,
 * drain on SIGINT/SIGTERM or at the end of --duration, then report losses
 * from the difference between two reads of the stats file.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "format.h"
#include "reader.h"
#include "stats.h"
#include "trace.h"

#define POLL_INTERVAL_MS	100
/* Bounds one round, so a busy CPU cannot starve the others' output. */
#define MAX_PER_CPU_ROUND	4096
/*
 * The probes keep firing while we drain: stop once caught up, or after
 * this many rounds so that a connect() storm cannot keep us here forever.
 */
#define MAX_DRAIN_ROUNDS	64

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

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

struct printer {
	bool json;
	bool flush;		/* stdout is not a terminal */
	bool have_base;
	__u64 base_ns;		/* ts_ns of the first record printed */
	unsigned long long count;
};

/* Time order; cpu and seq make the order total, hence repeatable. */
static int cmp_record(const void *a, const void *b)
{
	const struct connprobe_record *x = a, *y = b;

	if (x->ts_ns != y->ts_ns)
		return x->ts_ns < y->ts_ns ? -1 : 1;
	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Print one round's records in time order and empty @recs. */
static void print_round(struct printer *p, struct cp_records *recs)
{
	const struct connprobe_record *rec;
	size_t i;

	qsort(recs->rec, recs->len, sizeof(*recs->rec), cmp_record);
	for (i = 0; i < recs->len; i++) {
		rec = &recs->rec[i];
		if (!p->have_base) {
			p->base_ns = rec->ts_ns;
			p->have_base = true;
		}
		if (p->json)
			print_json_record(stdout, rec);
		else
			print_table_row(stdout, rec, p->base_ns);
		/* A pipe sees each record as it comes, not per 4 KiB. */
		if (p->flush)
			fflush(stdout);
		p->count++;
	}
	recs->len = 0;
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

int trace_run(const struct trace_opts *opts)
{
	struct printer pr = { .json = opts->json, .flush = !isatty(STDOUT_FILENO) };
	struct cp_stats start = { 0 }, end = { 0 };
	struct cp_records recs = { 0 };
	struct cp_reader rd = { 0 };
	char stats_path[PATH_MAX], err[512] = "";
	long long deadline = 0, t0, idle_ms;
	int ready, timeout, i, ret = 1;
	long n;

	if (snprintf(stats_path, sizeof(stats_path), "%s/%s", opts->dir,
		     CONNPROBE_STATS_FILE) >= (int)sizeof(stats_path)) {
		snprintf(err, sizeof(err), "%s: path too long", opts->dir);
		goto cleanup;
	}
	/* Losses are counted from here: read the stats before any record. */
	if (stats_read(stats_path, &start, err, sizeof(err)) ||
	    reader_open(&rd, opts->dir, err, sizeof(err)))
		goto cleanup;
	if (install_signal_handlers()) {
		snprintf(err, sizeof(err), "sigaction: %m");
		goto cleanup;
	}
	if (opts->duration > 0)
		deadline = now_ns() + (long long)(opts->duration * 1e9);

	if (!opts->json) {
		print_table_header(stdout);
		fflush(stdout);
	}
	while (!exiting) {
		t0 = now_ns();
		if (deadline && t0 >= deadline)
			break;
		timeout = round_timeout_ms(deadline, t0);
		ready = reader_wait(&rd, timeout, err, sizeof(err));
		if (ready < 0)
			goto cleanup;
		/* POLLIN means a full sub-buffer: read partial ones too. */
		n = reader_read_all(&rd, &recs, MAX_PER_CPU_ROUND, err,
				    sizeof(err));
		if (n < 0)
			goto cleanup;
		print_round(&pr, &recs);
		/*
		 * A file that polls readable yet has nothing to read (any
		 * regular file does) would turn this loop into a busy one:
		 * sleep out the rest of the interval instead.
		 */
		idle_ms = timeout - (now_ns() - t0) / 1000000;
		if (n == 0 && ready > 0 && idle_ms > 0)
			poll(NULL, 0, idle_ms);
	}

	for (i = 0; i < MAX_DRAIN_ROUNDS; i++) {
		n = reader_read_all(&rd, &recs, MAX_PER_CPU_ROUND, err,
				    sizeof(err));
		if (n < 0)
			goto cleanup;
		if (n == 0)
			break;
		print_round(&pr, &recs);
	}
	if (fflush(stdout) || ferror(stdout)) {
		snprintf(err, sizeof(err), "write error on standard output");
		goto cleanup;
	}

	if (stats_read(stats_path, &end, err, sizeof(err))) {
		fprintf(stderr, "%llu records read, lost unknown\n", pr.count);
		goto cleanup;
	}
	fprintf(stderr, "%llu records read, %llu lost\n", pr.count,
		stats_delta(start.total_lost, end.total_lost));
	stats_print_losses(stderr, &start, &end);
	ret = 0;

cleanup:
	if (ret && err[0])
		fprintf(stderr, "connprobe: %s\n", err);
	records_free(&recs);
	reader_close(&rd);
	stats_free(&end);
	stats_free(&start);
	return ret;
}
