// SPDX-License-Identifier: GPL-2.0
/*
 * Runs every test and prints "ok N - name" / "not ok N - name", then
 * "P passed, F failed".  Usage: unit LABEL=TOOL...; the end-to-end tests
 * run once against each TOOL binary (e.g. the static release build and
 * the sanitizer build), their names prefixed with LABEL.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "runner.h"

static int passed, failed;

void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

static void run_list(const struct test *tests, const char *prefix,
		     const void *arg)
{
	const struct test *t;
	int n;

	for (t = tests; t->name; t++) {
		fflush(stdout);		/* diagnostics from children in order */
		n = passed + failed + 1;
		if (t->fn(arg) == 0) {
			printf("ok %d - %s%s\n", n, prefix, t->name);
			passed++;
		} else {
			printf("not ok %d - %s%s\n", n, prefix, t->name);
			failed++;
		}
	}
}

int main(int argc, char **argv)
{
	char prefix[64];
	const char *tool;
	int i;

	for (i = 1; i < argc; i++) {
		tool = strchr(argv[i], '=');
		if (!tool || tool == argv[i] || tool - argv[i] > 32 || !tool[1]) {
			fprintf(stderr, "usage: %s LABEL=TOOL...\n", argv[0]);
			return 2;
		}
	}
	if (argc < 2) {
		fprintf(stderr, "usage: %s LABEL=TOOL...\n", argv[0]);
		return 2;
	}
	run_list(names_tests, "", NULL);
	run_list(format_tests, "", NULL);
	run_list(stats_tests, "", NULL);
	run_list(reader_tests, "", NULL);
	for (i = 1; i < argc; i++) {
		tool = strchr(argv[i], '=');
		snprintf(prefix, sizeof(prefix), "e2e %.*s: ",
			 (int)(tool - argv[i]), argv[i]);
		run_list(e2e_tests, prefix, tool + 1);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
