// SPDX-License-Identifier: GPL-2.0
/*
 * A bounded libFuzzer run of the capture reader and every view, seeded
 * with the hostile corpus.  @arg: struct test_env; without a fuzzer
 * (clang not installed) the test is skipped, and says so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "hostile.h"
#include "proc.h"
#include "runner.h"

#define FUZZ_SECONDS	"15"

/* The seeds: the valid capture and every hostile variant, one file each. */
static int write_seeds(const char *dir)
{
	struct hostile *h;
	unsigned char *base;
	char path[256];
	size_t n, i, len;
	int ret = -1;

	base = hostile_base(&len);
	snprintf(path, sizeof(path), "%s/base", dir);
	if (!base || write_file(path, base, len) || hostile_corpus(&h, &n))
		goto out;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/hostile-%02zu", dir, i);
		if (write_file(path, h[i].data, h[i].len))
			break;
	}
	ret = i == n ? 0 : -1;
	hostile_free(h, n);
out:
	free(base);
	return ret;
}

static int test_fuzz_capture(const void *arg)
{
	const struct test_env *env = arg;
	struct proc p = PROC_INIT;
	struct fakefs fs = { 0 };
	char artifacts[512];
	int ret = 1;

	if (!env->fuzzer)
		return skip("no fuzzer built (clang not installed)");
	CHECK_INT(fakefs_create(&fs), 0);
	CHECK_INT(write_seeds(fs.dir), 0);
	/* a crashing input is kept next to the fuzzer, not in the sources */
	snprintf(artifacts, sizeof(artifacts), "-artifact_prefix=%.*scrash-",
		 (int)(strrchr(env->fuzzer, '/') ? strrchr(env->fuzzer, '/') - env->fuzzer + 1 : 0),
		 env->fuzzer);
	CHECK_INT(proc_start_tool(&p, (uid_t)-1, env->fuzzer,
				  "-max_total_time=" FUZZ_SECONDS, "-max_len=8192",
				  "-timeout=10", "-rss_limit_mb=2048",
				  "-print_final_stats=1", artifacts, fs.dir,
				  (char *)NULL), 0);
	/* libFuzzer stops itself; the margin covers loading the seeds */
	CHECK_INT(proc_finish(&p, (atoi(FUZZ_SECONDS) + 60) * 1000), 0);
	if (p.status) {
		/* the crash report is at the end of libFuzzer's output */
		diag("%s", p.err + (strlen(p.err) > 3000 ? strlen(p.err) - 3000 : 0));
	}
	CHECK_INT(p.status, 0);
	CHECK_HAS(p.err, "stat::number_of_executed_units:");
	ret = 0;
fail:
	proc_free(&p);
	fakefs_destroy(&fs);
	return ret;
}

TEST_LIST(fuzz_tests) = {
	{ "fuzz: " FUZZ_SECONDS " s of libFuzzer on captures, every view, no crash", test_fuzz_capture },
	{ NULL, NULL },
};
