// SPDX-License-Identifier: GPL-2.0
/*
 * Runs every test and prints "ok N - name" / "not ok N - name" (skips as
 * "ok N - name # SKIP why"), then "P passed, F failed[, S skipped]".
 *
 * Usage: unit [--fuzz FUZZER] [--man connprobe.8] LABEL=TOOL...; the
 * end-to-end tests run once against each TOOL binary (e.g. the static
 * release build and the sanitizer build), their names prefixed with
 * LABEL.  TZ is set to UTC so that wall-clock output is the same anywhere.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "runner.h"

static int passed, failed, skipped;
static const char *skip_why;

void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

int skip(const char *why)
{
	skip_why = why;
	return TEST_SKIPPED;
}

static void run_list(const struct test *tests, const char *prefix,
		     const void *arg)
{
	const struct test *t;
	int n, ret;

	for (t = tests; t->name; t++) {
		fflush(stdout);		/* diagnostics from children in order */
		n = passed + failed + skipped + 1;
		ret = t->fn(arg);
		if (ret == TEST_SKIPPED) {
			printf("ok %d - %s%s # SKIP %s\n", n, prefix, t->name,
			       skip_why);
			skipped++;
		} else if (ret == 0) {
			printf("ok %d - %s%s\n", n, prefix, t->name);
			passed++;
		} else {
			printf("not ok %d - %s%s\n", n, prefix, t->name);
			failed++;
		}
	}
}

static const struct test *const unit_lists[] = {
	names_tests, out_tests, format_tests, table_tests, jsonl_tests,
	csv_tests, filter_tests, filter_push_tests, htab_tests, container_tests, cgroup_tests,
	stats_tests, reader_tests, capture_tests, hist_tests, summary_tests, in_progress_tests,
	prom_tests, golden_tests,
};

static const struct test *const e2e_lists[] = {
	e2e_tests, e2e_capture_tests, e2e_views_tests,
};

static int usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [--fuzz FUZZER] [--man MANPAGE] LABEL=TOOL...\n",
		argv0);
	return 2;
}

int main(int argc, char **argv)
{
	char rundir[] = "/tmp/connprobe-run.XXXXXX", owner[64];
	struct test_env env = { 0 };
	const char *eq;
	char prefix[64];
	int i, first;
	size_t l;

	setenv("TZ", "UTC", 1);
	/* no test touches /run: the filter's owner file goes here */
	if (!mkdtemp(rundir))
		return 2;
	setenv("CONNPROBE_RUNDIR", rundir, 1);
	for (i = 1; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (!strcmp(argv[i], "--fuzz"))
			env.fuzzer = argv[i + 1];
		else if (!strcmp(argv[i], "--man"))
			env.man = argv[i + 1];
		else
			return usage(argv[0]);
	}
	first = i;
	if (first >= argc)
		return usage(argv[0]);
	for (i = first; i < argc; i++) {
		eq = strchr(argv[i], '=');
		if (!eq || eq == argv[i] || eq - argv[i] > 32 || !eq[1])
			return usage(argv[0]);
	}
	for (l = 0; l < ARRAY_LEN(unit_lists); l++)
		run_list(unit_lists[l], "", NULL);
	run_list(fuzz_tests, "", &env);
	for (i = first; i < argc; i++) {
		eq = strchr(argv[i], '=');
		env.tool = eq + 1;
		snprintf(prefix, sizeof(prefix), "e2e %.*s: ",
			 (int)(eq - argv[i]), argv[i]);
		for (l = 0; l < ARRAY_LEN(e2e_lists); l++)
			run_list(e2e_lists[l], prefix, &env);
	}
	snprintf(owner, sizeof(owner), "%s/filter.owner", rundir);
	unlink(owner);
	rmdir(rundir);
	if (skipped)
		printf("%d passed, %d failed, %d skipped\n", passed, failed,
		       skipped);
	else
		printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
