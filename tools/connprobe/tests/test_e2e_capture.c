// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end: record a capture from the fake debugfs, report it, and
 * refuse every hostile capture without crashing.  @arg: struct test_env.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e_fixture.h"
#include "hostile.h"
#include "proc.h"
#include "runner.h"

static int test_record_then_report(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	struct proc p = PROC_INIT, q = PROC_INIT;
	struct fakefs fs = { 0 };
	char file[160], want[4096];
	int ret = 1;

	CHECK_INT(make_fixture(&fs), 0);
	snprintf(file, sizeof(file), "%s/web1.data", fs.root);
	CHECK_INT(RUN(&p, tool, "record", "-o", file, "--debugfs", fs.root,
		      "--duration", "0.3"), 0);
	CHECK_STR(p.out, "");
	snprintf(want, sizeof(want),
		 "4 records read, 0 lost\n4 records written to %s\n", file);
	CHECK_STR(p.err, want);
	CHECK_INT(p.status, 0);
	/* the report shows what trace showed live, with no root needed */
	CHECK_INT(RUN(&q, tool, "report", "-i", file, "--json"), 0);
	snprintf(want, sizeof(want), "%s%s%s%s", JSON_A, JSON_B, JSON_D, JSON_C);
	CHECK_STR(q.out, want);
	CHECK_STR(q.err, "4 records read, 0 lost\n");
	CHECK_INT(q.status, 0);
	ret = 0;
fail:
	proc_free(&p);
	proc_free(&q);
	fakefs_destroy(&fs);
	return ret;
}

/* report --heatmap: an SVG that xmllint and librsvg take, a panel per outcome. */
static int test_report_heatmap(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	struct proc p = PROC_INIT;
	struct fakefs fs = { 0 };
	char file[160], svg[170], png[170], *text = NULL;
	int ret = 1;

	CHECK_INT(make_fixture(&fs), 0);
	snprintf(file, sizeof(file), "%s/web1.data", fs.root);
	snprintf(svg, sizeof(svg), "%s/web1.svg", fs.root);
	snprintf(png, sizeof(png), "%s/web1.png", fs.root);
	CHECK_INT(RUN(&p, tool, "record", "-o", file, "--debugfs", fs.root,
		      "--duration", "0.2"), 0);
	CHECK_INT(p.status, 0);
	proc_free(&p);
	CHECK_INT(RUN(&p, tool, "report", "-i", file, "--heatmap", svg), 0);
	CHECK_INT(proc_expect(&p, "", "", 0), 0);
	text = read_file(svg, NULL);
	CHECK(text != NULL);
	CHECK_HAS(text, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
	CHECK_HAS(text, "4 records</text>");
	/* the fixture's four outcomes, each a panel with its count */
	CHECK_HAS(text, ">ECONNREFUSED: 1</text>");
	CHECK_HAS(text, ">EINPROGRESS: 1</text>");
	CHECK_HAS(text, ">OK: 1</text>");
	CHECK_HAS(text, ">EBADF: 1</text>");
	proc_free(&p);
	CHECK_INT(RUN(&p, "/usr/bin/xmllint", "--noout", svg), 0);
	CHECK_INT(proc_expect(&p, "", "", 0), 0);
	proc_free(&p);
	CHECK_INT(RUN(&p, "/usr/bin/rsvg-convert", "-o", png, svg), 0);
	CHECK_INT(proc_expect(&p, "", "", 0), 0);
	proc_free(&p);
	/* one view at a time; a file that cannot be written is an error */
	CHECK_INT(RUN(&p, tool, "report", "-i", file, "--heatmap", svg,
		      "--summary"), 0);
	CHECK_INT(proc_expect(&p, "", "connprobe: --summary, --hist, --prom, --heatmap and --info exclude each other\nTry 'connprobe report --help'.\n", 2), 0);
	proc_free(&p);
	CHECK_INT(RUN(&p, tool, "report", "-i", file, "--heatmap",
		      "/nonexistent-dir/x.svg"), 0);
	CHECK_INT(proc_expect(&p, "", "connprobe: /nonexistent-dir/x.svg: No such file or directory\n", 1), 0);
	ret = 0;
fail:
	free(text);
	proc_free(&p);
	fakefs_destroy(&fs);
	return ret;
}

/*
 * A capture is 0644 but for the umask, so that report, which needs no
 * root, reads it as anyone; the capture it replaces is kept as .old.
 */
static int test_record_mode_and_old(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	struct proc p = PROC_INIT, q = PROC_INIT, u = PROC_INIT;
	struct fakefs fs = { 0 };
	char file[160], old[170], *text = NULL, dir[64] = "", copy[80];
	struct stat st;
	mode_t mask = umask(022);
	int ret = 1;

	CHECK_INT(make_fixture(&fs), 0);
	CHECK_INT(chmod(fs.root, 0755), 0);
	snprintf(file, sizeof(file), "%s/web1.data", fs.root);
	snprintf(old, sizeof(old), "%s.old", file);
	/* as record used to leave it */
	CHECK_INT(write_file(file, "the previous capture", 20), 0);
	CHECK_INT(chmod(file, 0600), 0);
	CHECK_INT(RUN(&p, tool, "record", "-o", file, "--debugfs", fs.root,
		      "--duration", "0.2"), 0);
	CHECK_INT(p.status, 0);
	CHECK_INT(stat(file, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0644);
	text = read_file(old, NULL);
	CHECK_STR(text, "the previous capture");
	/* another user reads it, with a copy of the tool it can reach */
	CHECK_INT(copy_for_anyone(tool, dir, copy), 0);
	CHECK_INT(proc_start_tool(&u, 65534, copy, "report", "-i", file,
				  "--summary", (char *)NULL), 0);
	CHECK_INT(proc_finish(&u, TOOL_TIMEOUT_MS), 0);
	CHECK_HAS(u.out, "4 records (4 connect, 0 complete)");
	CHECK_INT(u.status, 0);
	/* a second record keeps the first as .old, and the umask counts */
	umask(027);
	CHECK_INT(RUN(&q, tool, "record", "-o", file, "--debugfs", fs.root,
		      "--duration", "0.2"), 0);
	CHECK_INT(q.status, 0);
	CHECK_INT(stat(file, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0640);
	CHECK_INT(stat(old, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0644);
	ret = 0;
fail:
	free(text);
	umask(mask);
	proc_free(&p);
	proc_free(&q);
	proc_free(&u);
	fakefs_destroy(&fs);
	if (dir[0]) {
		unlink(copy);
		rmdir(dir);
	}
	return ret;
}

/* A fresh @fs with hostile_base()'s valid capture in it, at @file. */
static int base_capture(struct fakefs *fs, char *file, size_t len)
{
	unsigned char *base;
	size_t n;
	int ret;

	if (fakefs_create(fs))
		return -1;
	base = hostile_base(&n);
	snprintf(file, len, "%s/base.data", fs->root);
	ret = base ? write_file(file, base, n) : -1;
	free(base);
	return ret;
}

static int test_report_filters_losses_info(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	struct proc p = PROC_INIT, q = PROC_INIT;
	struct fakefs fs = { 0 };
	char file[160];
	int ret = 1;

	CHECK_INT(base_capture(&fs, file, sizeof(file)), 0);
	/* 3 records on CPUs 0 and 1; seq 1 of CPU 0 and of CPU 1 */
	CHECK_INT(RUN(&p, tool, "report", "-i", file, "--csv", "-p", "100",
		      "--errno", "ECONNREFUSED", "-4"), 0);
	CHECK_INT(p.status, 0);
	/* the losses of the recording, as trace reports its own */
	CHECK_STR(p.err,
		  "3 records read, 3 matched, 2 lost\n"
		  "lost 2 records on CPU #1\n"
		  "missed 1 calls in probe __sys_connect (nmissed: maxactive 4096 too low)\n");
	CHECK(!strncmp(p.out, "event,ts_ns,", 12));
	CHECK_INT(count_lines(p.out), 4);
	CHECK_INT(RUN(&q, tool, "report", "-i", file, "--info"), 0);
	CHECK_HAS(q.out, "host:            " TEST_HOSTNAME "\n"
			 "started:         2025-11-26T00:00:00.000000001Z\n");
	CHECK_HAS(q.out, "records:         3 (version " XSTR(CONNPROBE_RECORD_VERSION)
			 ", " XSTR(CONNPROBE_RECORD_SIZE) " bytes each)\n"
			 "lost:            2\n");
	CHECK_INT(q.status, 0);
	ret = 0;
fail:
	proc_free(&p);
	proc_free(&q);
	fakefs_destroy(&fs);
	return ret;
}

static int test_report_from_stdin(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	struct proc p = PROC_INIT, q = PROC_INIT, r = PROC_INIT;
	struct fakefs fs = { 0 };
	char file[160], tmp[160], cmd[640];
	int ret = 1;

	CHECK_INT(base_capture(&fs, file, sizeof(file)), 0);
	snprintf(cmd, sizeof(cmd), "exec '%s' report -i - --hist < '%s'", tool, file);
	CHECK_INT(RUN(&p, "/bin/sh", "-c", cmd), 0);
	CHECK_HAS(p.out, "outcome = ECONNREFUSED\n");
	CHECK_HAS(p.out, "\n3 records, 2 lost\n");
	CHECK_INT(p.status, 0);
	/* the copy of a pipe needs a place: one line if it has none */
	snprintf(cmd, sizeof(cmd),
		 "cat '%s' | TMPDIR=/nonexistent exec '%s' report -i - --hist",
		 file, tool);
	CHECK_INT(RUN(&q, "/bin/sh", "-c", cmd), 0);
	CHECK_STR(q.err, "connprobe: -: copying to a temporary file in /nonexistent (TMPDIR): No such file or directory\n");
	CHECK_STR(q.out, "");
	CHECK_INT(q.status, 1);
	/* the copy is a file unlinked at once: it leaves $TMPDIR empty */
	snprintf(tmp, sizeof(tmp), "%s/tmp", fs.root);
	CHECK_INT(mkdir(tmp, 0700), 0);
	snprintf(cmd, sizeof(cmd),
		 "cat '%s' | TMPDIR='%s' exec '%s' report -i - --hist",
		 file, tmp, tool);
	CHECK_INT(RUN(&r, "/bin/sh", "-c", cmd), 0);
	CHECK_INT(proc_expect(&r, p.out, p.err, 0), 0);
	CHECK_INT(rmdir(tmp), 0);
	ret = 0;
fail:
	proc_free(&p);
	proc_free(&q);
	proc_free(&r);
	fakefs_destroy(&fs);
	return ret;
}

/*
 * In progress, one definition for --in-progress and the summary: a call
 * whose attempt went on past it (EINPROGRESS, or interrupted: EINTR and
 * the kernel's restart codes) and has not ended.
 */
static int test_in_progress_agree(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	static const __s32 rets[] = {
		-EINPROGRESS, -512 /* ERESTARTSYS */, -EINTR,
		-516 /* ERESTART_RESTARTBLOCK */, -EINPROGRESS, -ECONNREFUSED,
		-515 /* ENOIOCTLCMD: no restart code */,
	};
	struct connprobe_record r[8];
	struct proc p = PROC_INIT, q = PROC_INIT;
	struct fakefs fs = { 0 };
	char file[160];
	size_t i;
	int ret = 1;

	for (i = 0; i < ARRAY_LEN(rets); i++) {
		r[i] = rec_refused_v4(1000 + i, 0, i + 1);
		r[i].id = i + 1;
		r[i].ret = rets[i];
	}
	/* the second EINPROGRESS ends */
	r[i] = rec_complete(&r[4], 0, 1000000);
	CHECK_INT(fakefs_create(&fs), 0);
	snprintf(file, sizeof(file), "%s/ip.data", fs.root);
	CHECK_INT(write_capture(file, r, ARRAY_LEN(r), NULL, NULL), 0);
	CHECK_INT(RUN(&p, tool, "report", "-i", file, "--in-progress", "--csv"), 0);
	CHECK_INT(p.status, 0);
	/* the header, then ids 1 to 4 */
	CHECK_INT(count_lines(p.out), 5);
	CHECK_HAS(p.out, "\nconnect,1003,0,100,101,curl,inet,tcp,127.0.0.1,40000,127.0.0.1,80,-516,ERESTART_RESTARTBLOCK,");
	/* every record read is counted, not only those shown */
	CHECK_STR(p.err, "8 records read, lost unknown\n");
	CHECK_INT(RUN(&q, tool, "report", "-i", file, "--summary"), 0);
	CHECK_HAS(q.out, ", 4 in progress, ");
	ret = 0;
fail:
	proc_free(&p);
	proc_free(&q);
	fakefs_destroy(&fs);
	return ret;
}

/* The resident set of process @pid now, in KiB; -1 if unknown. */
static long rss_kb(pid_t pid)
{
	char val[64];
	long kb;

	if (proc_status(pid, "VmRSS", val, sizeof(val)) ||
	    sscanf(val, "%ld kB", &kb) != 1)
		return -1;
	return kb;
}

/*
 * report -i - holds no more than a chunk of the capture in memory: with
 * a capture of 200,000 records (46 MB) written into its standard input
 * but for the end, its resident set is a fraction of that.
 */
static int test_report_stdin_memory(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	enum { N = 200000 };
	struct connprobe_record *r = calloc(N, sizeof(*r));
	struct fakefs fs = { 0 };
	char file[160], *data = NULL;
	int in[2] = { -1, -1 }, status, ret = 1;
	size_t i, len = 0, off = 0;
	pid_t pid = -1;
	ssize_t n;
	long kb;

	CHECK(r);
	for (i = 0; i < N; i++)
		r[i] = rec_refused_v4(1000 + i, i % 4, i / 4 + 1);
	CHECK_INT(fakefs_create(&fs), 0);
	snprintf(file, sizeof(file), "%s/big.data", fs.root);
	CHECK_INT(write_capture(file, r, N, NULL, NULL), 0);
	data = read_file(file, &len);
	CHECK(data && len > N * sizeof(*r));
	CHECK_INT(pipe(in), 0);
	pid = fork();
	CHECK(pid >= 0);
	if (!pid) {
		dup2(in[0], STDIN_FILENO);
		close(in[1]);
		freopen("/dev/null", "w", stdout);
		execl(tool, tool, "report", "-i", "-", "--summary", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	in[0] = -1;
	signal(SIGPIPE, SIG_IGN);
	/* all but the footer: the tool has read the records, waits for more */
	while (off < len - 32) {
		n = write(in[1], data + off, len - 32 - off);
		CHECK(n > 0);
		off += n;
	}
	usleep(200000);
	kb = rss_kb(pid);
	diag("report -i -: %ld KiB resident with %zu KiB of capture read", kb,
	     off / 1024);
	CHECK(kb > 0 && kb < (long)(len / 1024 / 4));
	CHECK(write(in[1], data + off, len - off) == (ssize_t)(len - off));
	close(in[1]);
	in[1] = -1;
	CHECK_INT(waitpid(pid, &status, 0), pid);
	pid = -1;
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ret = 0;
fail:
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	if (in[0] >= 0)
		close(in[0]);
	if (in[1] >= 0)
		close(in[1]);
	signal(SIGPIPE, SIG_DFL);
	free(data);
	free(r);
	fakefs_destroy(&fs);
	return ret;
}

static int test_report_refuses_hostile(const void *arg)
{
	const char *tool = ((const struct test_env *)arg)->tool;
	struct proc p = PROC_INIT;
	struct fakefs fs = { 0 };
	struct hostile *h = NULL;
	char file[160], want[512];
	size_t n = 0, i = 0;
	int ret = 1;

	CHECK_INT(fakefs_create(&fs), 0);
	CHECK_INT(hostile_corpus(&h, &n), 0);
	snprintf(file, sizeof(file), "%s/hostile.data", fs.root);
	for (i = 0; i < n; i++) {
		CHECK_INT(write_file(file, h[i].data, h[i].len), 0);
		CHECK_INT(RUN(&p, tool, "report", "-i", file, "--json"), 0);
		snprintf(want, sizeof(want), "connprobe: %s: %s\n", file,
			 h[i].parse_err ? h[i].parse_err : h[i].record_err);
		/* one line saying why, no crash */
		CHECK_STR(p.err, want);
		CHECK_INT(p.status, 1);
		/* a bad file shows nothing; a bad record stops the report there */
		CHECK_INT(count_lines(p.out), h[i].parse_err ? 0 : h[i].bad_record);
		proc_free(&p);
	}
	ret = 0;
fail:
	if (ret && i < n)
		diag("hostile capture: %s", h[i].name);
	proc_free(&p);
	hostile_free(h, n);
	fakefs_destroy(&fs);
	return ret;
}

TEST_LIST(e2e_capture_tests) = {
	{ "record -o, then report shows what trace showed", test_record_then_report },
	{ "report: filters, the capture's losses, --info", test_report_filters_losses_info },
	{ "record: a capture anyone can report (0644 less umask), the previous one kept as .old", test_record_mode_and_old },
	{ "report -i - reads standard input", test_report_from_stdin },
	{ "report --heatmap: valid SVG (xmllint, rsvg-convert), a panel per outcome", test_report_heatmap },
	{ "report -i - holds no more in memory than from a file", test_report_stdin_memory },
	{ "--in-progress and summary count the same connects in progress", test_in_progress_agree },
	{ "report refuses every hostile capture: one line, exit 1, stops at a bad record", test_report_refuses_hostile },
	{ NULL, NULL },
};
