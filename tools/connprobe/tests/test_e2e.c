// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end: run the built tool against a fake --debugfs tree (regular
 * files standing in for the relay and stats files) and check its exact
 * output, stderr and exit status.  @arg is the tool's path.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "e2e_fixture.h"
#include "fixtures.h"
#include "proc.h"
#include "runner.h"

#define TIMEOUT_MS	TOOL_TIMEOUT_MS

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int test_json_sorted(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	struct proc p = PROC_INIT;
	char want[2048];
	long long t0, ms;
	int ret = 1;

	t0 = now_ms();
	CHECK_INT(run_on_fixture(&p, tool, "trace", "--json", "--duration", "0.3", NULL), 0);
	ms = now_ms() - t0;
	snprintf(want, sizeof(want), "%s%s%s%s", JSON_A, JSON_B, JSON_D, JSON_C);
	CHECK_INT(proc_expect(&p, want, "4 records read, 0 lost\n", 0), 0);
	/*
	 * --duration 0.3 stopped it, not an early exit (it ran 0.3 s at
	 * least) nor the timeout (its exit status and closing line say so):
	 * no upper bound in wall-clock time, which a busy host stretches.
	 */
	CHECK(ms >= 300);
	ret = 0;
fail:
	proc_free(&p);
	return ret;
}

static int test_table(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	struct proc p = PROC_INIT;
	int ret = 1;

	/* no command: trace is the default */
	CHECK_INT(run_on_fixture(&p, tool, "--duration", "0.2", NULL), 0);
	/* address columns IPv4-wide: these IPv6 addresses fit too */
	CHECK_INT(proc_expect(&p,
		  "TIME(s)   PID     TID     COMM             FAM     PROTO  SADDR           SPORT DADDR           DPORT RESULT            LAT(ms)\n"
		  "0.000     100     101     curl             inet    tcp    127.0.0.1       40000 127.0.0.1       80    ECONNREFUSED      0.052\n"
		  "1.000     300     300     systemd          unix    dgram  -               -     -               -     OK                0.008\n"
		  "1.500     300     302     bad-fd           -       -      -               -     -               -     EBADF             0.001\n"
		  "2.000     200     201     nc               inet6   tcp    2001:db8::2     51000 2001:db8::1     443   EINPROGRESS       1.235\n",
		  "4 records read, 0 lost\n", 0), 0);
	ret = 0;
fail:
	proc_free(&p);
	return ret;
}

static int test_stream_sigint_losses(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	struct connprobe_record a = rec_a(), b = rec_b();
	struct proc p = PROC_INIT;
	struct fakefs fs = { 0 };
	char want[1024];
	int ret = 1;

	CHECK_INT(fakefs_create(&fs), 0);
	CHECK_INT(fakefs_write(&fs, "cpu0", &a, sizeof(a)), 0);
	CHECK_INT(fakefs_write(&fs, "cpu1", "", 0), 0);
	CHECK_INT(fakefs_write_str(&fs, "stats", STATS), 0);
	CHECK_INT(proc_start_tool(&p, (uid_t)-1, tool, "--json", "--debugfs", fs.root,
			(char *)NULL), 0);
	/* flushed per line: the pipe sees A while the tool still runs */
	CHECK_INT(proc_wait_lines(&p, 1, 5000), 0);
	CHECK_STR(p.out, JSON_A);
	CHECK_INT(fakefs_write_str(&fs, "stats", STATS_LATER), 0);
	CHECK_INT(fakefs_append(&fs, "cpu1", &b, sizeof(b)), 0);
	CHECK_INT(proc_wait_lines(&p, 2, 5000), 0);
	CHECK_INT(kill(p.pid, SIGINT), 0);
	CHECK_INT(proc_finish(&p, TIMEOUT_MS), 0);
	snprintf(want, sizeof(want), "%s%s", JSON_A, JSON_B);
	CHECK_STR(p.out, want);
	CHECK_STR(p.err,
		  "2 records read, 4 lost\n"
		  "lost 4 records on CPU #1\n"
		  "missed 2 calls in probe __sys_connect (nmissed: maxactive 4096 too low)\n"
		  "missed 1 calls in probe __sys_connect (kp_nmissed: probe hit while a handler ran)\n");
	CHECK_INT(p.status, 0);
	ret = 0;
fail:
	proc_free(&p);
	fakefs_destroy(&fs);
	return ret;
}

static int test_sigterm(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	struct proc p = PROC_INIT;
	struct fakefs fs = { 0 };
	int ret = 1;

	CHECK_INT(make_fixture(&fs), 0);
	CHECK_INT(proc_start_tool(&p, (uid_t)-1, tool, "trace", "--debugfs", fs.root,
			(char *)NULL), 0);
	CHECK_INT(proc_wait_lines(&p, 5, 5000), 0);	/* header + 4 */
	CHECK_INT(kill(p.pid, SIGTERM), 0);
	CHECK_INT(proc_finish(&p, TIMEOUT_MS), 0);
	CHECK_STR(p.err, "4 records read, 0 lost\n");
	CHECK_INT(p.status, 0);
	ret = 0;
fail:
	proc_free(&p);
	fakefs_destroy(&fs);
	return ret;
}

/* The fake module's filter file holds @want. */
static bool filter_is(const struct fakefs *fs, const char *want)
{
	char path[128], *got;
	bool is;

	snprintf(path, sizeof(path), "%s/filter", fs->dir);
	got = read_file(path, NULL);
	is = got && !strcmp(got, want);
	free(got);
	return is;
}

/*
 * A run killed by SIGKILL cannot put "none" back: the next run knows its
 * filter for a dead run's, clears it and says so, instead of refusing to
 * run (or, with no filter of its own, leaving it to hide connects).
 */
static int test_sigkill_leaves_no_filter(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	struct proc p = PROC_INIT, q = PROC_INIT, r = PROC_INIT;
	struct fakefs fs = { 0 };
	char want[256];
	int tries;
	pid_t pid;
	int ret = 1;

	CHECK_INT(make_fixture(&fs), 0);
	CHECK_INT(fakefs_write_str(&fs, "filter", "none\n"), 0);
	CHECK_INT(proc_start_tool(&p, (uid_t)-1, tool, "-P", "9", "--debugfs",
				  fs.root, (char *)NULL), 0);
	for (tries = 0; tries < 500 && !filter_is(&fs, "port=9"); tries++)
		usleep(10000);
	CHECK(filter_is(&fs, "port=9"));
	pid = p.pid;
	CHECK_INT(kill(pid, SIGKILL), 0);
	CHECK_INT(proc_finish(&p, TIMEOUT_MS), 0);
	CHECK(filter_is(&fs, "port=9"));
	/* another filter: not refused as another run's */
	CHECK_INT(RUN(&q, tool, "-P", "10", "--debugfs", fs.root, "--duration", "0.2"), 0);
	snprintf(want, sizeof(want),
		 "connprobe: note: cleared the module's filter 'port=9', left in force by connprobe (pid %d), which ended without clearing it\n",
		 (int)pid);
	CHECK_HAS(q.err, want);
	CHECK_INT(q.status, 0);
	CHECK(filter_is(&fs, "none"));
	/* and nothing left behind by a run that ended well */
	CHECK_INT(RUN(&r, tool, "--debugfs", fs.root, "--duration", "0.2"), 0);
	CHECK_STR(r.err, "4 records read, 0 lost\n");
	ret = 0;
fail:
	proc_free(&p);
	proc_free(&q);
	proc_free(&r);
	fakefs_destroy(&fs);
	return ret;
}

/* A fake module whose cpu0 holds @n refused records, ts_ns 1000 on. */
static int fake_refused(struct fakefs *fs, int n)
{
	struct connprobe_record *r = calloc(n, sizeof(*r));
	int i, ret = -1;

	for (i = 0; r && i < n; i++)
		r[i] = rec_refused_v4(1000 + i, 0, i);
	if (r && !fakefs_create(fs) &&
	    !fakefs_write(fs, "cpu0", r, n * sizeof(*r)))
		ret = fakefs_write_str(fs, "stats", STATS);
	free(r);
	return ret;
}

static int test_drain_after_cap(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	enum { N = 5000 };	/* more than one round's per-CPU cap (4096) */
	struct proc p = PROC_INIT;
	struct fakefs fs = { 0 };
	static const char FIRST[] = "{\"event\":\"connect\",\"ts_ns\":1000,";
	char want[64];
	int i, lines = 0, ret = 1;

	CHECK_INT(fake_refused(&fs, N), 0);
	/*
	 * The deadline passes during the first round, so the 904 records
	 * beyond the cap are only printed if the stop drains the files.
	 */
	CHECK_INT(RUN(&p, tool, "--json", "--debugfs", fs.root, "--duration", "0.001"), 0);
	snprintf(want, sizeof(want), "%d records read, 0 lost\n", N);
	CHECK_STR(p.err, want);
	for (i = 0; p.out[i]; i++)
		lines += p.out[i] == '\n';
	CHECK_INT(lines, N);
	CHECK(!strncmp(p.out, FIRST, strlen(FIRST)));
	CHECK(strstr(p.out, "\"ts_ns\":5999,"));
	CHECK_INT(p.status, 0);
	ret = 0;
fail:
	proc_free(&p);
	fakefs_destroy(&fs);
	return ret;
}

/*
 * A round that ends in a tick is no idle round: with top -I shorter than
 * the poll interval, records waiting are read at full speed, not a round
 * per frame and a sleep of up to the poll interval (100 ms) after it.
 * Counts, not times: all the records are read long before the stop (in
 * tens of milliseconds, sanitized), so its drain finds none; a round per
 * 100 ms would leave most of them to it.
 */
static int test_tick_keeps_reading(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	enum { N = 100000 };
	struct proc p = PROC_INIT;
	struct fakefs fs = { 0 };
	int frames = 0, sum = 0, last = -1, ret = 1;
	const char *s, *t;

	CHECK_INT(fake_refused(&fs, N), 0);
	CHECK_INT(RUN(&p, tool, "top", "-I", "0.001", "--duration", "1",
		      "--debugfs", fs.root), 0);
	CHECK_INT(p.status, 0);
	/* each frame's totals line: "N records (..." */
	for (s = p.out; (s = strstr(s, " records (")); s++, frames++) {
		for (t = s; t > p.out && t[-1] != '\n'; t--)
			;
		last = atoi(t);
		sum += last;
	}
	CHECK_INT(sum, N);
	CHECK(frames > 2);
	/* the stop's drain, the last frame */
	CHECK_INT(last, 0);
	ret = 0;
fail:
	proc_free(&p);
	fakefs_destroy(&fs);
	return ret;
}

static int test_missing_dir(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	struct proc p = PROC_INIT;
	struct fakefs fs = { 0 };
	char want[256];
	int ret = 1;

	CHECK_INT(fakefs_create(&fs), 0);
	CHECK_INT(rmdir(fs.dir), 0);
	CHECK_INT(RUN(&p, tool, "--debugfs", fs.root), 0);
	snprintf(want, sizeof(want),
		 "connprobe: module not loaded: %s not found; load it with: modprobe connprobe (from a build tree: insmod connprobe.ko)\n",
		 fs.dir);
	CHECK_STR(p.err, want);
	CHECK_STR(p.out, "");
	CHECK_INT(p.status, 1);
	ret = 0;
fail:
	proc_free(&p);
	fakefs_destroy(&fs);
	return ret;
}

/*
 * The module's directory there but not one: "not a directory"; a path
 * through a file (ENOTDIR from stat()): the system's message.
 */
static int test_dir_not_a_directory(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	struct proc p = PROC_INIT, q = PROC_INIT;
	struct fakefs fs = { 0 };
	char want[256];
	int ret = 1;

	CHECK_INT(fakefs_create(&fs), 0);
	CHECK_INT(rmdir(fs.dir), 0);
	CHECK_INT(write_file(fs.dir, "", 0), 0);
	CHECK_INT(RUN(&p, tool, "--debugfs", fs.root), 0);
	snprintf(want, sizeof(want), "connprobe: %s: not a directory\n", fs.dir);
	CHECK_INT(proc_expect(&p, "", want, 1), 0);
	CHECK_INT(RUN(&q, tool, "--debugfs", fs.dir), 0);
	snprintf(want, sizeof(want), "connprobe: %s/connprobe: Not a directory\n",
		 fs.dir);
	CHECK_INT(proc_expect(&q, "", want, 1), 0);
	ret = 0;
fail:
	proc_free(&p);
	proc_free(&q);
	fakefs_destroy(&fs);
	return ret;
}

static int test_bad_version(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	struct connprobe_record r[2] = { rec_a(), rec_c() };
	struct proc p = PROC_INIT;
	struct fakefs fs = { 0 };
	int ret = 1;

	r[1].version = 99;
	CHECK_INT(make_fixture(&fs), 0);
	CHECK_INT(fakefs_write(&fs, "cpu0", r, sizeof(r)), 0);
	CHECK_INT(RUN(&p, tool, "--json", "--debugfs", fs.root, "--duration", "5"), 0);
	CHECK_STR(p.err, "connprobe: cpu0: record version 99 of " XSTR(CONNPROBE_RECORD_SIZE) " bytes, this tool reads version " XSTR(CONNPROBE_RECORD_VERSION) " of " XSTR(CONNPROBE_RECORD_SIZE) " bytes: module and tool were built from different connprobe.h\n");
	CHECK_STR(p.out, "");
	CHECK_INT(p.status, 1);
	ret = 0;
fail:
	proc_free(&p);
	fakefs_destroy(&fs);
	return ret;
}

static int test_malformed_stats(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	struct proc p = PROC_INIT;
	struct fakefs fs = { 0 };
	char want[512];
	int ret = 1;

	CHECK_INT(make_fixture(&fs), 0);
	CHECK_INT(fakefs_write_str(&fs, "stats", "cpu 0 written 1 read 0 lost 0 buffered 0\ntotal written one read 0 lost 0 buffered 0\n"), 0);
	CHECK_INT(RUN(&p, tool, "--json", "--debugfs", fs.root, "--duration", "5"), 0);
	snprintf(want, sizeof(want),
		 "connprobe: %s/stats: line 2: malformed total line \"total written one read 0 lost 0 buffered 0\" (expected \"total written N read N lost N buffered N\")\n",
		 fs.dir);
	CHECK_STR(p.err, want);
	CHECK_STR(p.out, "");
	CHECK_INT(p.status, 1);
	ret = 0;
fail:
	proc_free(&p);
	fakefs_destroy(&fs);
	return ret;
}

static int test_stats_command(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	struct proc p = PROC_INIT, q = PROC_INIT;
	struct fakefs fs = { 0 };
	int ret = 1;

	CHECK_INT(make_fixture(&fs), 0);
	CHECK_INT(RUN(&p, tool, "stats", "--json", "--debugfs", fs.root), 0);
	CHECK_STR(p.out,
		  "{\"cpus\":[{\"cpu\":0,\"written\":2,\"read\":0,\"lost\":0,\"buffered\":0},"
		  "{\"cpu\":1,\"written\":2,\"read\":0,\"lost\":1,\"buffered\":0}],"
		  "\"total\":{\"written\":4,\"read\":0,\"lost\":1,\"buffered\":0},"
		  "\"probes\":[{\"symbol\":\"__sys_connect\",\"nmissed\":0,\"kp_nmissed\":0,\"maxactive\":4096}],"
		  /* the fixture's stats file has no such lines */
		  "\"mode\":null,\"buf_size\":null,\"attempts_untracked\":null,"
		  "\"attempts_reclaimed\":null,\"filtered_calls\":null,\"filtered_records\":null}\n");
	CHECK_STR(p.err, "");
	CHECK_INT(p.status, 0);
	CHECK_INT(RUN(&q, tool, "stats", "--debugfs", fs.root), 0);
	CHECK_STR(q.out,
		  "CPU                   WRITTEN                 READ                 LOST             BUFFERED\n"
		  "0                           2                    0                    0                    0\n"
		  "1                           2                    0                    1                    0\n"
		  "total                       4                    0                    1                    0\n"
		  "\n"
		  "PROBE                         NMISSED   KP_NMISSED    MAXACTIVE\n"
		  "__sys_connect                       0            0         4096\n"
		  "\n"
		  "TCP attempts untracked (table full): unknown\n"
		  "TCP attempts gone with their socket, no record: unknown\n"
		  "Turned away by the module's filter: unknown\n");
	CHECK_INT(q.status, 0);
	ret = 0;
fail:
	proc_free(&p);
	proc_free(&q);
	fakefs_destroy(&fs);
	return ret;
}

#define DNS_REFUSED "connprobe: -d (--dns): DNS association is not supported: connprobe traces connect() only, not the DNS replies bcc's tcpconnect -d reads; for a time limit use --duration\n"

static int test_usage_errors(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	static const struct {
		const char *args[3];
		const char *err;
	} cases[] = {
		{ { "--bogus" },
		  "connprobe: unrecognized option '--bogus'\nTry 'connprobe --help'.\n" },
		{ { "--duration", "abc" },
		  "connprobe: invalid duration 'abc': expected seconds, > 0 and <= 31536000\nTry 'connprobe --help'.\n" },
		{ { "trace", "--duration", "-1" },
		  "connprobe: invalid duration '-1': expected seconds, > 0 and <= 31536000\nTry 'connprobe trace --help'.\n" },
		{ { "trace", "--duration" },
		  "connprobe: option '--duration' requires an argument\nTry 'connprobe trace --help'.\n" },
		{ { "-d" }, DNS_REFUSED "Try 'connprobe --help'.\n" },
		{ { "summary", "--dns" }, DNS_REFUSED "Try 'connprobe summary --help'.\n" },
		{ { "-t", "--tid" },
		  "connprobe: option '--tid' requires an argument\nTry 'connprobe --help'.\n" },
		{ { "hist", "-t" },
		  "connprobe: invalid option -- 't'\nTry 'connprobe hist --help'.\n" },
		{ { "-c", "--json" },
		  "connprobe: -c prints a table of counts: --json, --csv, --in-progress, -T, -t, -w and -U do not apply\nTry 'connprobe --help'.\n" },
		{ { "report", "--summary", "-L" },
		  "connprobe: --in-progress, --csv, -T, -w, -U, -c, -L and -t apply to the record stream only\nTry 'connprobe report --help'.\n" },
		{ { "top", "-c" },
		  "connprobe: invalid option -- 'c'\nTry 'connprobe top --help'.\n" },
		{ { "-V", "--bogus" },
		  "connprobe: unrecognized option '--bogus'\nTry 'connprobe --help'.\n" },
		{ { "trace", "1", "2" },
		  "connprobe: unexpected argument '2'\nTry 'connprobe trace --help'.\n" },
		{ { "trace", "1x" },
		  "connprobe: invalid latency '1x': expected milliseconds, or a number with ns, us, ms or s\nTry 'connprobe trace --help'.\n" },
		{ { "--min-latency", "2", "1" },
		  "connprobe: a minimum latency, given twice: '1' and --min-latency\nTry 'connprobe --help'.\n" },
		{ { "stats", "1" },
		  "connprobe: unexpected argument '1'\nTry 'connprobe stats --help'.\n" },
		{ { "stats", "-d", "1" },
		  "connprobe: invalid option -- 'd'\nTry 'connprobe stats --help'.\n" },
		{ { "stats", "extra" },
		  "connprobe: unexpected argument 'extra'\nTry 'connprobe stats --help'.\n" },
		{ { "frobnicate" },
		  "connprobe: unknown command 'frobnicate'\nTry 'connprobe --help'.\n" },
		{ { "-P", "80,70000" },
		  "connprobe: invalid port '70000': expected 0 to 65535\nTry 'connprobe --help'.\n" },
		{ { "summary", "--errno", "EFOO" },
		  "connprobe: unknown errno 'EFOO': expected a name such as ECONNREFUSED, or a number\nTry 'connprobe summary --help'.\n" },
		{ { "--json", "--csv" },
		  "connprobe: --json and --csv exclude each other\nTry 'connprobe --help'.\n" },
		{ { "report", "--summary", "--csv" },
		  "connprobe: --in-progress, --csv, -T, -w, -U, -c, -L and -t apply to the record stream only\nTry 'connprobe report --help'.\n" },
		{ { "report", "--summary", "--in-progress" },
		  "connprobe: --in-progress, --csv, -T, -w, -U, -c, -L and -t apply to the record stream only\nTry 'connprobe report --help'.\n" },
		{ { "report", "--hist", "--info" },
		  "connprobe: --summary, --hist, --prom, --heatmap and --info exclude each other\nTry 'connprobe report --help'.\n" },
		{ { "prom", "-I", "5" },
		  "connprobe: -I applies with --textfile only: without it prom prints once, at the end\nTry 'connprobe prom --help'.\n" },
		{ { "--comm", "a-name-too-long-for-comm" },
		  "connprobe: invalid comm 'a-name-too-long-for-comm': 1 to 15 characters (the kernel keeps no more)\nTry 'connprobe --help'.\n" },
		{ { "--min-latency", "5 parsecs" },
		  "connprobe: invalid latency '5 parsecs': expected milliseconds, or a number with ns, us, ms or s\nTry 'connprobe --help'.\n" },
		{ { "hist", "-w" },
		  "connprobe: invalid option -- 'w'\nTry 'connprobe hist --help'.\n" },
	};
	struct proc p = PROC_INIT;
	size_t i;
	int ret = 1;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_INT(RUN(&p, tool, cases[i].args[0], cases[i].args[1],
			      cases[i].args[2]), 0);
		CHECK_STR(p.err, cases[i].err);
		CHECK_STR(p.out, "");
		CHECK_INT(p.status, 2);
		proc_free(&p);
	}
	ret = 0;
fail:
	proc_free(&p);
	return ret;
}

static int test_help(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	static const struct {
		const char *args[2];
		const char *first_line;
	} cases[] = {
		{ { "--help" }, "Usage: connprobe [COMMAND] [OPTIONS]\n       connprobe COMMAND --help\n" },
		{ { "trace", "-h" }, "Usage: connprobe [trace] [OPTIONS] [MIN_MS]\n\n" },
		{ { "stats", "--help" }, "Usage: connprobe stats [OPTIONS]\n\n" },
	};
	struct proc p = PROC_INIT;
	size_t i;
	int ret = 1;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_INT(RUN(&p, tool, cases[i].args[0], cases[i].args[1]), 0);
		CHECK(!strncmp(p.out, cases[i].first_line,
			       strlen(cases[i].first_line)));
		/* the testing option and what it skips are documented */
		CHECK(strstr(p.out, "--debugfs DIR") &&
		      strstr(p.out, "skips the debugfs mount"));
		/* installed (make install, DKMS), the module loads by name */
		CHECK_HAS(p.out, "the module loaded (modprobe connprobe).\n");
		CHECK_STR(p.err, "");
		CHECK_INT(p.status, 0);
		proc_free(&p);
	}
	ret = 0;
fail:
	proc_free(&p);
	return ret;
}

static int test_not_root(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	struct proc p = PROC_INIT;
	struct fakefs fs = { 0 };
	char dir[64] = "", copy[80];
	uid_t uid = (uid_t)-1;
	int ret = 1;

	/* As root, drop to nobody, running a copy nobody can reach. */
	if (geteuid() == 0) {
		CHECK_INT(copy_for_anyone(tool, dir, copy), 0);
		tool = copy;
		uid = 65534;
	}
	CHECK_INT(make_fixture(&fs), 0);
	CHECK_INT(proc_start_tool(&p, uid, tool, "--debugfs", fs.root, "--duration", "0.1",
			(char *)NULL), 0);
	CHECK_INT(proc_finish(&p, TIMEOUT_MS), 0);
	CHECK_STR(p.err, "connprobe: must be run as root\n");
	CHECK_STR(p.out, "");
	CHECK_INT(p.status, 1);
	ret = 0;
fail:
	proc_free(&p);
	fakefs_destroy(&fs);
	if (dir[0]) {
		unlink(copy);
		rmdir(dir);
	}
	return ret;
}

TEST_LIST(e2e_tests) = {
	{ "--json: exact lines, CPUs merged in ts_ns order, -d stops", test_json_sorted },
	{ "table (default command): IPv4-wide columns, exact rows", test_table },
	{ "pipe gets lines live; SIGINT: summary with lost and missed", test_stream_sigint_losses },
	{ "SIGTERM stops like SIGINT", test_sigterm },
	{ "SIGKILL: the next run clears the filter the dead run left", test_sigkill_leaves_no_filter },
	{ "stop drains what the per-round cap left", test_drain_after_cap },
	{ "top -I: a tick's round reads on, no sleep", test_tick_keeps_reading },
	{ "missing debugfs dir: exit 1, modprobe hint", test_missing_dir },
	{ "debugfs dir not a directory, or under a file: exit 1", test_dir_not_a_directory },
	{ "record of wrong version: exit 1, nothing printed", test_bad_version },
	{ "malformed stats: exit 1 naming file and line", test_malformed_stats },
	{ "stats command: JSON and text", test_stats_command },
	{ "usage errors: one line + hint, exit 2", test_usage_errors },
	{ "--help for the tool and each command", test_help },
	{ "not root: exit 1 with message", test_not_root },
	{ NULL, NULL },
};
