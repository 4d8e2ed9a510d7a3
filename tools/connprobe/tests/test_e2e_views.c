// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end: filters, CSV, -T, the live summary, hist, top and prom
 * views on the fake debugfs, the cgroup filter on a real cgroupfs, and
 * the man page against --help.  @arg: struct test_env.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "e2e_fixture.h"
#include "proc.h"
#include "runner.h"

#define TOOL	(((const struct test_env *)arg)->tool)

/* trace --json with the filter @a..@d (NULL-ended) gives exactly @want. */
static int filtered(const char *tool, const char *a, const char *b,
		    const char *c, const char *d, const char *want,
		    const char *err)
{
	struct proc p = PROC_INIT;
	int ret = 1;

	CHECK_INT(run_on_fixture(&p, tool, "--json", "--duration", "0.2", a, b, c, d,
				 NULL), 0);
	CHECK_INT(proc_expect(&p, want, err, 0), 0);
	ret = 0;
fail:
	if (ret)
		diag("filter: %s %s %s %s", a, b ? b : "", c ? c : "",
		     c && d ? d : "");
	proc_free(&p);
	return ret;
}

static int test_filters_live(const void *arg)
{
	char abc[3072], bd[2048], ad[2048];

	snprintf(bd, sizeof(bd), "%s%s", JSON_B, JSON_D);
	snprintf(ad, sizeof(ad), "%s%s", JSON_A, JSON_D);
	snprintf(abc, sizeof(abc), "%s%s%s", JSON_A, JSON_B, JSON_C);
	CHECK_INT(filtered(TOOL, "-p", "300", NULL, NULL, bd,
			   "4 records read, 2 matched, 0 lost\n"), 0);
	CHECK_INT(filtered(TOOL, "--tid", "201", NULL, NULL, JSON_C,
			   "4 records read, 1 matched, 0 lost\n"), 0);
	CHECK_INT(filtered(TOOL, "-6", NULL, NULL, NULL, JSON_C,
			   "4 records read, 1 matched, 0 lost\n"), 0);
	CHECK_INT(filtered(TOOL, "-P", "22,80", NULL, NULL, JSON_A,
			   "4 records read, 1 matched, 0 lost\n"), 0);
	CHECK_INT(filtered(TOOL, "--failed", NULL, NULL, NULL, ad,
			   "4 records read, 2 matched, 0 lost\n"), 0);
	CHECK_INT(filtered(TOOL, "--errno", "ebadf", NULL, NULL, JSON_D,
			   "4 records read, 1 matched, 0 lost\n"), 0);
	CHECK_INT(filtered(TOOL, "--comm", "nc", NULL, NULL, JSON_C,
			   "4 records read, 1 matched, 0 lost\n"), 0);
	CHECK_INT(filtered(TOOL, "--min-latency", "1ms", NULL, NULL, JSON_C,
			   "4 records read, 1 matched, 0 lost\n"), 0);
	/* tcpconnlat's positional minimum, in milliseconds */
	CHECK_INT(filtered(TOOL, "1", NULL, NULL, NULL, JSON_C,
			   "4 records read, 1 matched, 0 lost\n"), 0);
	/* 8 us is B's latency: at least, so B is in; D (0.9 us) is not */
	CHECK_INT(filtered(TOOL, "--min-latency", "8us", "-u", "0", abc,
			   "4 records read, 3 matched, 0 lost\n"), 0);
	return 0;
fail:
	return 1;
}

static int test_csv_and_clock_live(const void *arg)
{
	struct proc p = PROC_INIT, q = PROC_INIT;
	int ret = 1;

	CHECK_INT(run_on_fixture(&p, TOOL, "--csv", "--duration", "0.2", NULL), 0);
	CHECK(!strncmp(p.out, "event,ts_ns,cpu,pid,", 20));
	CHECK_INT(count_lines(p.out), 5);
	CHECK_HAS(p.out, "\nconnect,1000000000,0,100,101,curl,inet,tcp,127.0.0.1,40000,127.0.0.1,80,-111,ECONNREFUSED,");
	CHECK_INT(run_on_fixture(&q, TOOL, "-T", "--duration", "0.2", NULL), 0);
	CHECK(!strncmp(q.out, "TIME         PID ", 17));
	CHECK_INT(q.status, 0);
	ret = 0;
fail:
	proc_free(&p);
	proc_free(&q);
	return ret;
}

/* bcc's flags: -c and -L count, -t is the TIME(s) column, -V. */
static int test_bcc_flags(const void *arg)
{
	struct proc p = PROC_INIT, q = PROC_INIT;
	int ret = 1;

	CHECK_INT(run_on_fixture(&p, TOOL, "-c", "--duration", "0.2", NULL), 0);
	CHECK_STR(p.out,
		  "LADDR                     RADDR                     RPORT                CONNECTS\n"
		  "-                         -                         -                    2\n"
		  "127.0.0.1                 127.0.0.1                 80                   1\n"
		  "2001:db8::2               2001:db8::1               443                  1\n");
	CHECK_INT(proc_expect(&p, NULL, "4 records read, 0 lost\n", 0), 0);
	proc_free(&p);
	CHECK_INT(run_on_fixture(&p, TOOL, "-cL", "--duration", "0.2", NULL), 0);
	CHECK_STR(p.out,
		  "LADDR                     RADDR                     LPORT                RPORT                CONNECTS\n"
		  "-                         -                         -                    -                    2\n"
		  "127.0.0.1                 127.0.0.1                 40000                80                   1\n"
		  "2001:db8::2               2001:db8::1               51000                443                  1\n");
	proc_free(&p);
	CHECK_INT(run_on_fixture(&p, TOOL, "-t", "--duration", "0.2", NULL), 0);
	CHECK_INT(run_on_fixture(&q, TOOL, "--duration", "0.2", NULL), 0);
	CHECK_INT(strncmp(p.out, "TIME(s)", 7), 0);
	CHECK_STR(p.out, q.out);
	proc_free(&p);
	CHECK_INT(RUN(&p, TOOL, "-V"), 0);
	CHECK_STR(p.out, "connprobe " CONNPROBE_VERSION "\n");
	CHECK_INT(proc_expect(&p, NULL, "", 0), 0);
	ret = 0;
fail:
	proc_free(&p);
	proc_free(&q);
	return ret;
}

static int test_summary_live(const void *arg)
{
	struct proc p = PROC_INIT;
	int ret = 1;

	CHECK_INT(run_on_fixture(&p, TOOL, "summary", "--duration", "0.2", NULL), 0);
	/* equal counts: failures first, then by name */
	CHECK_STR(p.out,
		  "OUTCOME            COUNT  FAIL%    P50(ms)    P99(ms)    MAX(ms)\n"
		  "EBADF                  1  100.0      0.001      0.001      0.001\n"
		  "ECONNREFUSED           1  100.0      0.052      0.052      0.052\n"
		  "EINPROGRESS            1    0.0      1.235      1.235      1.235\n"
		  "OK                     1    0.0      0.008      0.008      0.008\n"
		  "\n"
		  "PROTO DESTINATION             COUNT  FAIL%    P50(ms)    P99(ms)    MAX(ms)\n"
		  "-     -                           1  100.0      0.001      0.001      0.001\n"
		  "tcp   127.0.0.1:80                1  100.0      0.052      0.052      0.052\n"
		  "dgram -                           1    0.0      0.008      0.008      0.008\n"
		  "tcp   [2001:db8::1]:443           1    0.0          -          -          -\n"
		  "\n"
		  "PID COMM          COUNT  FAIL%    P50(ms)    P99(ms)    MAX(ms)\n"
		  "300 bad-fd            1  100.0      0.001      0.001      0.001\n"
		  "100 curl              1  100.0      0.052      0.052      0.052\n"
		  "200 nc                1    0.0          -          -          -\n"
		  "300 systemd           1    0.0      0.008      0.008      0.008\n"
		  "\n"
		  "4 records (4 connect, 0 complete), 2 failed, 1 in progress, 0 lost\n");
	CHECK_INT(proc_expect(&p, NULL, "", 0), 0);
	ret = 0;
fail:
	proc_free(&p);
	return ret;
}

static int test_complete_after_its_connect(const void *arg)
{
	struct connprobe_record c = rec_c(), done;
	struct proc p = PROC_INIT, q = PROC_INIT;
	struct fakefs fs = { 0 };
	int ret = 1;

	/* the completion, on a lower CPU, carries its connect's entry time */
	c.cpu = 1;
	c.id = 42;
	done = rec_complete(&c, 0, 40000000);
	done.cpu = 0;
	CHECK_INT(fakefs_create(&fs), 0);
	CHECK_INT(fakefs_write(&fs, "cpu0", &done, sizeof(done)), 0);
	CHECK_INT(fakefs_write(&fs, "cpu1", &c, sizeof(c)), 0);
	CHECK_INT(fakefs_write_str(&fs, "stats", STATS), 0);
	CHECK_INT(RUN(&p, TOOL, "--json", "--debugfs", fs.root, "--duration", "0.2"), 0);
	CHECK(!strncmp(p.out, "{\"event\":\"connect\",", 19));
	CHECK_HAS(p.out, "}\n{\"event\":\"complete\",");
	/* one attempt, ended: not in progress, with the completion's latency */
	CHECK_INT(RUN(&q, TOOL, "summary", "--debugfs", fs.root, "--duration", "0.2"), 0);
	CHECK_HAS(q.out, "\ntcp   [2001:db8::1]:443           1    0.0     40.000     40.000     40.000\n");
	CHECK_HAS(q.out, "2 records (1 connect, 1 complete), 0 failed, 0 in progress, 0 lost\n");
	ret = 0;
fail:
	proc_free(&p);
	proc_free(&q);
	fakefs_destroy(&fs);
	return ret;
}

static int test_hist_live_with_losses(const void *arg)
{
	struct connprobe_record a = rec_a();
	struct proc p = PROC_INIT;
	struct fakefs fs = { 0 };
	int ret = 1;

	CHECK_INT(fakefs_create(&fs), 0);
	CHECK_INT(fakefs_write(&fs, "cpu0", &a, sizeof(a)), 0);
	CHECK_INT(fakefs_write_str(&fs, "stats", STATS), 0);
	CHECK_INT(proc_start_tool(&p, (uid_t)-1, TOOL, "hist", "--debugfs",
				  fs.root, (char *)NULL), 0);
	/* Its start is counted before the stats change, however slow it is. */
	CHECK_INT(proc_wait_catching(&p, SIGINT, TOOL_TIMEOUT_MS), 0);
	CHECK_INT(fakefs_write_str(&fs, "stats", STATS_LATER), 0);
	CHECK_INT(kill(p.pid, SIGINT), 0);
	CHECK_INT(proc_finish(&p, TOOL_TIMEOUT_MS), 0);
	CHECK_STR(p.out,
		  "outcome = ECONNREFUSED\n"
		  "     usecs               : count    distribution\n"
		  "         0 -> 1          : 0        |                                        |\n"
		  "         2 -> 3          : 0        |                                        |\n"
		  "         4 -> 7          : 0        |                                        |\n"
		  "         8 -> 15         : 0        |                                        |\n"
		  "        16 -> 31         : 0        |                                        |\n"
		  "        32 -> 63         : 1        |****************************************|\n"
		  "\n"
		  "1 records, 4 lost\n");
	CHECK_HAS(p.err, "lost 4 records on CPU #1\n");
	CHECK_INT(p.status, 0);
	ret = 0;
fail:
	proc_free(&p);
	fakefs_destroy(&fs);
	return ret;
}

static int test_top_frames(const void *arg)
{
	struct proc p = PROC_INIT;
	const char *second;
	int ret = 1;

	CHECK_INT(run_on_fixture(&p, TOOL, "top", "-I", "0.2", "--duration", "0.5",
				 "-n", "1", NULL), 0);
	/* the first frame has the records, the next ones an empty interval */
	CHECK(!strncmp(p.out, "connprobe top - ", 16));
	CHECK_HAS(p.out, "4 records (4 connect, 0 complete)");
	second = strstr(p.out + 1, "connprobe top - ");
	CHECK(second);
	CHECK_HAS(second, "0 records (0 connect, 0 complete)");
	CHECK_INT(p.status, 0);
	ret = 0;
fail:
	proc_free(&p);
	return ret;
}

static int test_prom_textfile(const void *arg)
{
	struct proc p = PROC_INIT;
	struct fakefs fs = { 0 };
	char dir[160], path[200], *text = NULL;
	struct dirent *de;
	int files = 0, ret = 1;
	DIR *d;

	CHECK_INT(make_fixture(&fs), 0);
	snprintf(dir, sizeof(dir), "%s/textfile", fs.root);
	CHECK_INT(mkdir(dir, 0755), 0);
	CHECK_INT(RUN(&p, TOOL, "prom", "--textfile", dir, "-I", "0.1",
		      "--duration", "0.35", "--debugfs", fs.root), 0);
	CHECK_STR(p.out, "");
	CHECK_INT(p.status, 0);
	snprintf(path, sizeof(path), "%s/connprobe.prom", dir);
	text = read_file(path, NULL);
	CHECK(text);
	CHECK_HAS(text, "connprobe_connect_calls_total{outcome=\"ECONNREFUSED\",family=\"inet\",protocol=\"tcp\"} 1\n");
	CHECK_HAS(text, "connprobe_connect_duration_seconds_count{outcome=\"OK\"} 1\n");
	CHECK_HAS(text, "connprobe_lost_records_total 0\n");
	d = opendir(dir);
	CHECK(d);
	while ((de = readdir(d)))
		files += de->d_name[0] != '.';
	closedir(d);
	CHECK_INT(files, 1);		/* no temporary file left */
	ret = 0;
fail:
	free(text);
	proc_free(&p);
	fakefs_destroy(&fs);
	return ret;
}

/* A run of test_cgroup_subtree() took /web and /web/api, not /db. */
static int took_web(const struct proc *p, const struct cgtree *cg)
{
	char want[400];
	int ret = 1;

	CHECK_INT(count_lines(p->out), 2);
	CHECK_HAS(p->out, "\"pid\":1,");
	CHECK_HAS(p->out, "\"pid\":2,");
	snprintf(want, sizeof(want), "\"cgroup\":\"%s/web/api\"", cg->name);
	CHECK_HAS(p->out, want);
	CHECK_STR(p->err, "3 records read, 2 matched, 0 lost\n");
	CHECK_INT(p->status, 0);
	ret = 0;
fail:
	return ret;
}

static int test_cgroup_subtree(const void *arg)
{
	struct connprobe_record r[3] = { rec_a(), rec_a(), rec_a() };
	struct proc p = PROC_INIT, q = PROC_INIT, n = PROC_INIT;
	struct proc b = PROC_INIT;
	struct fakefs fs = { 0 };
	struct cgtree cg = { 0 };
	char want[400], web[80], below[300];
	int i, ret = 1;
	static const char *const dirs[] = { "/web", "/web/api", "/db" };

	CHECK_INT(fakefs_create(&fs), 0);
	/* a real cgroupfs: the ids are its directories' inode numbers */
	CHECK_INT(cgtree_create(&cg), 0);
	for (i = 0; i < 3; i++) {
		CHECK((r[i].cgroup_id = cgtree_mkdir(&cg, dirs[i])));
		r[i].pid = 1 + i;
	}
	CHECK_INT(fakefs_write(&fs, "cpu0", r, sizeof(r)), 0);
	CHECK_INT(fakefs_write_str(&fs, "stats", STATS), 0);
	snprintf(web, sizeof(web), "%s/web", cg.name);
	CHECK_INT(RUN(&p, TOOL, "--json", "--cgroup", web, "--cgroupfs",
		      cg.mount, "--debugfs", fs.root, "--duration", "0.2"), 0);
	CHECK_INT(took_web(&p, &cg), 0);
	/*
	 * Root without CAP_DAC_READ_SEARCH, as in the exporter's sandbox:
	 * no file handles, ids found by a walk.
	 */
	CHECK_INT(RUN(&n, "/usr/bin/setpriv", "--inh-caps", "-all",
		      "--bounding-set", "-all", "--", TOOL, "--json",
		      "--cgroup", web, "--cgroupfs", cg.mount, "--debugfs",
		      fs.root, "--duration", "0.2"), 0);
	CHECK_INT(took_web(&n, &cg), 0);
	snprintf(web, sizeof(web), "%s/nope", cg.name);
	CHECK_INT(RUN(&q, TOOL, "--cgroup", web, "--cgroupfs", cg.mount,
		      "--debugfs", fs.root), 0);
	snprintf(want, sizeof(want),
		 "connprobe: --cgroup: %s%s: No such file or directory\n",
		 cg.mount, web);
	CHECK_STR(q.err, want);
	CHECK_INT(q.status, 1);
	/* a cgroup's directory is not a --cgroupfs */
	snprintf(below, sizeof(below), "%s%s", cg.mount, cg.name);
	CHECK_INT(RUN(&b, TOOL, "--cgroupfs", below, "--debugfs", fs.root), 0);
	snprintf(want, sizeof(want),
		 "connprobe: %s: not the root of a cgroup2 mount\n", below);
	CHECK_STR(b.err, want);
	CHECK_INT(b.status, 1);
	ret = 0;
fail:
	proc_free(&p);
	proc_free(&q);
	proc_free(&n);
	proc_free(&b);
	fakefs_destroy(&fs);
	cgtree_destroy(&cg);
	return ret;
}

/* @n bytes of @s into @buf with each '-' written as roff's "\-". */
static void roff_dashes(char *buf, size_t len, const char *s, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 3 < len; i++) {
		if (s[i] == '-')
			buf[o++] = '\\';
		buf[o++] = s[i];
	}
	buf[o] = '\0';
}

/* Every --option a command's --help lists is in the man page. */
static int test_man_page_matches_help(const void *arg)
{
	static const char *const cmds[] = {
		"trace", "stats", "record", "report", "hist", "summary", "top",
		"prom",
	};
	const struct test_env *env = arg;
	struct proc p = PROC_INIT;
	char *man = NULL, opt[64], *s, *e;
	size_t i = 0;
	int ret = 1;

	if (!env->man)
		return skip("no --man given");
	man = read_file(env->man, NULL);
	CHECK(man);
	for (i = 0; i < ARRAY_LEN(cmds); i++) {
		snprintf(opt, sizeof(opt), ".SS connprobe %s", cmds[i]);
		CHECK_HAS(man, opt);
		CHECK_INT(RUN(&p, env->tool, cmds[i], "--help"), 0);
		for (s = strstr(p.out, "--"); s; s = strstr(e, "--")) {
			for (e = s + 2; (*e >= 'a' && *e <= 'z') || *e == '-'; e++)
				;
			if (e == s + 2)
				continue;
			/* roff spells every dash \- */
			roff_dashes(opt, sizeof(opt), s, e - s);
			CHECK_HAS(man, opt);
		}
		proc_free(&p);
	}
	ret = 0;
fail:
	if (ret && i < ARRAY_LEN(cmds))
		diag("command %s", cmds[i]);
	proc_free(&p);
	free(man);
	return ret;
}

TEST_LIST(e2e_views_tests) = {
	{ "-c, -L, -t and -V as bcc has them", test_bcc_flags },
	{ "filters live: -p --tid -6 -P --failed --errno --comm --min-latency, positional, -u", test_filters_live },
	{ "--csv header and rows; -T clock column", test_csv_and_clock_live },
	{ "summary: outcome, destination, process tables, totals", test_summary_live },
	{ "COMPLETE with its connect's time sorts after it; one attempt", test_complete_after_its_connect },
	{ "hist until SIGINT: bcc histogram, lost count", test_hist_live_with_losses },
	{ "top -I: a frame per interval", test_top_frames },
	{ "prom --textfile: metrics written atomically", test_prom_textfile },
	{ "--cgroup PATH covers its subtree, without caps too; a missing PATH, a non-root --cgroupfs fail", test_cgroup_subtree },
	{ "man page documents every option of every --help", test_man_page_matches_help },
	{ NULL, NULL },
};
