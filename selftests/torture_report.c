// SPDX-License-Identifier: GPL-2.0
/*
 * torture: names, and the counts of what ran.  Printed by the engine at
 * its end, or by the supervisor when the engine hung or died: the counts
 * live in the mapping both share.
 */
#define _GNU_SOURCE	/* strerrorname_np() */
#include <stdio.h>
#include <string.h>

#include "torture.h"

static const char *const op_names[OP_N] = {
	[OP_OPEN] = "open", [OP_READ] = "read", [OP_POLL] = "poll",
	[OP_CLOSE] = "close", [OP_BUF_SIZE] = "buf_size", [OP_MODE] = "mode",
	[OP_FILTER] = "filter", [OP_BENCH] = "bench", [OP_STATS] = "stats",
	[OP_RMMOD] = "rmmod", [OP_INSMOD] = "insmod",
	[OP_OFFLINE] = "offline", [OP_ONLINE] = "online",
};

static const char *const kind_names[K_N] = {
	[K_TCP_OK] = "tcp_ok", [K_TCP_REFUSED] = "tcp_refused",
	[K_TCP_NONBLOCK] = "tcp_nonblock", [K_TCP_SELF] = "tcp_self",
	[K_UDP] = "udp", [K_UNIX] = "unix", [K_IO_URING] = "io_uring",
};

/* What a thread can be busy with, for the supervisor's hang message. */
static const char *const what_names[STEP_N - OP_N] = {
	[K_TCP_OK] = "connect tcp_ok", [K_TCP_REFUSED] = "connect tcp_refused",
	[K_TCP_NONBLOCK] = "connect tcp_nonblock",
	[K_TCP_SELF] = "connect tcp_self", [K_UDP] = "connect udp",
	[K_UNIX] = "connect unix", [K_IO_URING] = "connect io_uring",
	[STEP_START - OP_N] = "the start (insmod, peers, threads)",
	[STEP_STOP_OPS - OP_N] = "joining the operators",
	[STEP_SETTLE - OP_N] = "the end: cpu1 online, the module loaded",
	[STEP_STOP_LOAD - OP_N] = "joining the load",
	[STEP_DRAIN - OP_N] = "the end: draining every cpuN",
	[STEP_STATS - OP_N] = "the end: reading stats",
	[STEP_UNLOAD - OP_N] = "the end: the last rmmod",
};

const char *op_name(enum op op)
{
	return op >= 0 && op < OP_N ? op_names[op] : "?";
}

const char *kind_name(enum kind kind)
{
	return kind >= 0 && kind < K_N ? kind_names[kind] : "?";
}

const char *what_name(int what)
{
	if (what >= 0 && what < OP_N)
		return op_names[what];
	if (what >= OP_N && what < STEP_N)
		return what_names[what - OP_N];
	return "?";
}

static uint64_t load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* An operation's results, summed over the operators. */
static uint64_t sum_op(const struct shared *sh, int op, uint64_t *sum)
{
	uint64_t total = 0;
	int r, e;

	memset(sum, 0, RESULT_SLOTS * sizeof(*sum));
	for (r = 0; r < MAX_OPERATORS; r++)
		for (e = 0; e < RESULT_SLOTS; e++)
			sum[e] += load(&sh->ops[r][op][e]);
	for (e = 0; e < RESULT_SLOTS; e++)
		total += sum[e];
	return total;
}

/* A kind of call's results, summed over the load threads. */
static uint64_t sum_kind(const struct shared *sh, int kind, uint64_t *sum)
{
	uint64_t total = 0;
	int r, e;

	memset(sum, 0, RESULT_SLOTS * sizeof(*sum));
	for (r = 0; r < MAX_LOADERS; r++)
		for (e = 0; e < RESULT_SLOTS; e++)
			sum[e] += load(&sh->calls[r][kind][e]);
	for (e = 0; e < RESULT_SLOTS; e++)
		total += sum[e];
	return total;
}

/* " ok N EBUSY N ...": the results that occurred. */
static void print_results(const uint64_t *sum)
{
	unsigned long long n;
	int e;

	for (e = 0; e < RESULT_SLOTS; e++) {
		n = sum[e];
		if (!n)
			continue;
		if (!e)
			printf(" ok %llu", n);
		else if (e == RESULT_SLOTS - 1)
			printf(" other %llu", n);
		else
			printf(" %s %llu", strerrorname_np(e) ?: "E?", n);
	}
	printf("\n");
}

void report_counts(const struct shared *sh)
{
	uint64_t sum[RESULT_SLOTS];
	int i;

	printf("# ops:");
	for (i = 0; i < OP_N; i++)
		printf(" %s %llu", op_names[i],
		       (unsigned long long)sum_op(sh, i, sum));
	printf("\n");
	for (i = 0; i < OP_N; i++) {
		sum_op(sh, i, sum);
		printf("# op %s:", op_names[i]);
		print_results(sum);
	}
	printf("# load:");
	for (i = 0; i < K_N; i++)
		printf(" %s %llu", kind_names[i],
		       (unsigned long long)sum_kind(sh, i, sum));
	printf("\n");
	for (i = 0; i < K_N; i++) {
		sum_kind(sh, i, sum);
		printf("# load %s:", kind_names[i]);
		print_results(sum);
	}
	fflush(stdout);
}

uint64_t total_ops(const struct shared *sh)
{
	uint64_t sum[RESULT_SLOTS], n = 0;
	int i;

	for (i = 0; i < OP_N; i++)
		n += sum_op(sh, i, sum);
	return n;
}

uint64_t total_calls(const struct shared *sh)
{
	uint64_t sum[RESULT_SLOTS], n = 0;
	int i;

	for (i = 0; i < K_N; i++)
		n += sum_kind(sh, i, sum);
	return n;
}

uint64_t kind_calls(const struct shared *sh, int kind)
{
	uint64_t sum[RESULT_SLOTS];

	return sum_kind(sh, kind, sum);
}
