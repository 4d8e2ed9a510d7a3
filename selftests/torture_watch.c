// SPDX-License-Identifier: GPL-2.0
/*
 * torture: the supervisor.  The parent process watches what each of the
 * engine's threads is doing (struct shared's beats): an operation running
 * longer than TORTURE_HANG_SECONDS is a hang, typically a thread stuck in
 * the kernel, where no signal reaches it.  The supervisor then prints who
 * is stuck in what, their kernel stacks and every blocked task (sysrq w),
 * the counts so far and the verdict, and exits without waiting for the
 * engine, which cannot exit: the VM powers off at once rather than at the
 * end of its time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "torture.h"

static const char *slot_name(int slot, char *buf, size_t len)
{
	if (slot == BEAT_MAIN)
		snprintf(buf, len, "the engine");
	else if (slot < BEAT_LOADER(0))
		snprintf(buf, len, "operator %d", slot - BEAT_OPERATOR(0));
	else
		snprintf(buf, len, "load thread %d", slot - BEAT_LOADER(0));
	return buf;
}

/* The kernel stack of a stuck thread, as /proc shows it. */
static void print_stack(pid_t pid, pid_t tid)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stack", pid, tid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		printf("#   %s", line);
	fclose(f);
}

/*
 * Every task in D state, with its stack, on the console (sysrq w).  Those
 * lines are KERN_INFO, which the console drops at the VM's loglevel 5:
 * raise it for them, then put it back.
 */
static void blocked_tasks(void)
{
	const char *printk = "/proc/sys/kernel/printk";
	char level[16] = "5";
	FILE *f = fopen(printk, "r");
	int err;

	if (f) {
		if (fscanf(f, "%15s", level) != 1)
			snprintf(level, sizeof(level), "5");
		fclose(f);
	}
	write_file(printk, "7");
	err = write_file("/proc/sysrq-trigger", "w");
	if (err)
		printf("# sysrq w: %s\n", strerror(err));
	/* The console prints as it goes; a moment for the serial line. */
	sleep_ms(3000);
	write_file(printk, level);
}

/*
 * A hang: say who is stuck in what, show the kernel's side of it, print
 * the counts so far and the verdict, and leave the engine behind.
 */
static int hang(pid_t child, const char *what, double secs)
{
	char who[32];
	uint64_t now = now_ns(), since;
	pid_t tid;
	int i;

	printf("# hang: %s for %.0f s\n", what, secs);
	for (i = 0; i < BEAT_N; i++) {
		const struct beat *b = &shared->beat[i];

		since = __atomic_load_n(&b->since_ns, __ATOMIC_ACQUIRE);
		/* Idle, or busy for less than a second: not part of it. */
		if (!since || since > now || now - since < 1000000000ull)
			continue;
		tid = __atomic_load_n(&b->tid, __ATOMIC_RELAXED);
		printf("# %s (tid %d) in %s for %.1f s; its kernel stack:\n",
		       slot_name(i, who, sizeof(who)), tid,
		       what_name(__atomic_load_n(&b->what, __ATOMIC_RELAXED)),
		       (now - since) / 1e9);
		print_stack(child, tid);
	}
	fflush(stdout);
	blocked_tasks();
	report_counts(shared);
	printf("not ok - torture: no operation hung: %s for %.0f s (seed %llu: replay with TORTURE_SEED=%llu)\n",
	       what, secs, cfg.seed, cfg.seed);
	fflush(stdout);
	/* What is stuck in the kernel stays; the rest goes. */
	kill(child, SIGKILL);
	return 1;
}

/*
 * Watch the engine until it exits: an operation running longer than
 * TORTURE_HANG_SECONDS, or an engine running far longer than its time, is
 * a hang.  Returns the engine's exit status, or 1.
 */
int supervise(pid_t child)
{
	uint64_t start = now_ns(), end, longest = 0, now, since, d;
	uint64_t limit = (uint64_t)cfg.hang_seconds * 1000000000ull;
	int status, i, longest_what = -1;
	char what[96], who[32];

	end = start + (uint64_t)(cfg.seconds + 300 + 4 * cfg.hang_seconds) *
		      1000000000ull;
	for (;;) {
		if (waitpid(child, &status, WNOHANG) == child)
			break;
		now = now_ns();
		for (i = 0; i < BEAT_N; i++) {
			const struct beat *b = &shared->beat[i];

			since = __atomic_load_n(&b->since_ns, __ATOMIC_ACQUIRE);
			d = since && now > since ? now - since : 0;
			if (d > longest) {
				longest = d;
				longest_what = b->what;
			}
			if (d > limit) {
				snprintf(what, sizeof(what), "%s stuck in %s",
					 slot_name(i, who, sizeof(who)),
					 what_name(b->what));
				return hang(child, what, d / 1e9);
			}
		}
		if (now > end)
			return hang(child, "the engine overran its time",
				    (now - start) / 1e9);
		sleep_ms(250);
	}
	if (!WIFEXITED(status)) {
		report_counts(shared);
		printf("not ok - torture: the engine died of signal %d (seed %llu)\n",
		       WTERMSIG(status), cfg.seed);
		return 1;
	}
	/* 2: the engine refused to run, and said why. */
	if (WEXITSTATUS(status) == 2)
		return 2;
	printf("ok - torture: no operation hung (the longest seen: %.1f s, %s)\n",
	       longest / 1e9, longest_what < 0 ? "-" : what_name(longest_what));
	return WEXITSTATUS(status);
}
