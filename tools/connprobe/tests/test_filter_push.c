// SPDX-License-Identifier: GPL-2.0
/* The filter file's text, and pushing it into a (fake) module. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "live.h"
#include "fixtures.h"
#include "proc.h"
#include "runner.h"

static int text_is(const struct cp_filter *f, const char *want)
{
	char buf[512];

	CHECK_INT(filter_kernel_text(f, buf, sizeof(buf)), 0);
	CHECK_STR(buf, want);
	return 0;
fail:
	return 1;
}

static int test_text_none(const void *arg)
{
	struct cp_filter f = { 0 };

	(void)arg;
	return text_is(&f, "none");
}

/* Every term, in the order the module reads them back. */
static int test_text_every_term(const void *arg)
{
	struct cp_filter f = {
		.mask = CP_FILTER_PID | CP_FILTER_TID | CP_FILTER_UID |
			CP_FILTER_COMM | CP_FILTER_CGROUP | CP_FILTER_IPV6 |
			CP_FILTER_PORT | CP_FILTER_FAILED | CP_FILTER_ERRNO |
			CP_FILTER_LATENCY,
		.pid = 1, .tid = 2, .uid = 3, .comm = "curl",
		.cgroup_id = 4242, .nr_ports = 2, .ports = { 443, 80 },
		.nr_errnos = 2, .errnos = { 111, 4 },
		.min_latency_ns = 1000000,
	};

	(void)arg;
	return text_is(&f, "pid=1 tid=2 uid=3 comm=curl cgroup=4242 family=ipv6 port=443,80 failed errno=111,4 min_latency_ns=1000000");
}

static int test_text_both_families(const void *arg)
{
	struct cp_filter f = { .mask = CP_FILTER_IPV4 | CP_FILTER_IPV6 };

	(void)arg;
	CHECK_INT(text_is(&f, "family=ipv4,ipv6"), 0);
	f.mask = CP_FILTER_IPV4;
	CHECK_INT(text_is(&f, "family=ipv4"), 0);
	return 0;
fail:
	return 1;
}

/* What the module cannot take stays with the tool alone. */
static int test_text_leaves_the_unpushable(const void *arg)
{
	struct cp_filter f = {
		.mask = CP_FILTER_COMM | CP_FILTER_CGROUP | CP_FILTER_PORT,
		.comm = "Web Content", .nr_ports = 1, .ports = { 22 },
	};

	(void)arg;
	/* a blank in the comm; a cgroup known by path only (id 0) */
	CHECK_INT(text_is(&f, "port=22"), 0);
	memcpy(f.comm, "0123456789abcdef", CONNPROBE_COMM_LEN);
	CHECK_INT(text_is(&f, "port=22"), 0);
	return 0;
fail:
	return 1;
}

static int test_text_too_long(const void *arg)
{
	struct cp_filter f = { .mask = CP_FILTER_PID, .pid = 123456 };
	char buf[8];

	(void)arg;
	CHECK_INT(filter_kernel_text(&f, buf, sizeof(buf)), -1);
	return 0;
fail:
	return 1;
}

/* The fake module's filter file holds @text (NULL: there is none). */
static int fake_module(struct fakefs *fs, const char *text)
{
	if (fakefs_create(fs))
		return -1;
	return text ? fakefs_write_str(fs, CONNPROBE_FILTER_FILE, text) : 0;
}

/* The fake module's filter file is @want. */
static int file_is(const struct fakefs *fs, const char *want)
{
	char path[128];
	char *got;
	int ret = 1;

	snprintf(path, sizeof(path), "%s/%s", fs->dir, CONNPROBE_FILTER_FILE);
	got = read_file(path, NULL);
	CHECK(got);
	CHECK_STR(got, want);
	ret = 0;
fail:
	free(got);
	return ret;
}

static int test_push_then_none_again(const void *arg)
{
	struct cp_filter f = { .mask = CP_FILTER_FAILED };
	struct cp_filter_push p;
	struct fakefs fs = { 0 };
	char err[256] = "";
	int ret = 1;

	(void)arg;
	CHECK_INT(fake_module(&fs, "none\n"), 0);
	CHECK_INT(filter_push(&p, fs.dir, &f, err, sizeof(err)), 0);
	CHECK(p.pushed);
	CHECK_INT(file_is(&fs, "failed"), 0);
	filter_unpush(&p);
	CHECK_INT(file_is(&fs, "none"), 0);
	ret = 0;
fail:
	fakefs_destroy(&fs);
	return ret;
}

/* Another run's filter: refused if ours differs, kept if it is ours. */
static int test_push_refuses_another_filter(const void *arg)
{
	struct cp_filter f = { .mask = CP_FILTER_PID, .pid = 7 };
	struct cp_filter_push p;
	struct fakefs fs = { 0 };
	char err[512] = "";
	int ret = 1;

	(void)arg;
	CHECK_INT(fake_module(&fs, "pid=9\n"), 0);
	CHECK_INT(filter_push(&p, fs.dir, &f, err, sizeof(err)), -1);
	CHECK_HAS(err, "already 'pid=9'");
	CHECK_INT(file_is(&fs, "pid=9\n"), 0);
	f.pid = 9;
	CHECK_INT(filter_push(&p, fs.dir, &f, err, sizeof(err)), 0);
	/* not ours to put back */
	CHECK(!p.pushed);
	ret = 0;
fail:
	fakefs_destroy(&fs);
	return ret;
}

/* No filter of ours: another run's is left in force, untouched. */
static int test_push_nothing_leaves_it(const void *arg)
{
	struct cp_filter f = { 0 };
	struct cp_filter_push p;
	struct fakefs fs = { 0 };
	char err[256] = "";
	int ret = 1;

	(void)arg;
	CHECK_INT(fake_module(&fs, "port=80\n"), 0);
	CHECK_INT(filter_push(&p, fs.dir, &f, err, sizeof(err)), 0);
	CHECK(!p.pushed);
	CHECK_INT(file_is(&fs, "port=80\n"), 0);
	ret = 0;
fail:
	fakefs_destroy(&fs);
	return ret;
}

/* A module without the filter file: the tool filters alone. */
static int test_push_without_the_file(const void *arg)
{
	struct cp_filter f = { .mask = CP_FILTER_FAILED };
	struct cp_filter_push p;
	struct fakefs fs = { 0 };
	char err[256] = "";
	int ret = 1;

	(void)arg;
	CHECK_INT(fake_module(&fs, NULL), 0);
	CHECK_INT(filter_push(&p, fs.dir, &f, err, sizeof(err)), 0);
	CHECK(!p.pushed);
	ret = 0;
fail:
	fakefs_destroy(&fs);
	return ret;
}

/*
 * The filter file is read whole, up to the 4096 bytes the module writes:
 * more is not a filter to act on, but EFBIG.
 */
static int test_push_refuses_a_huge_file(const void *arg)
{
	struct cp_filter f = { .mask = CP_FILTER_FAILED };
	struct cp_filter_push p;
	struct fakefs fs = { 0 };
	char err[256] = "", *text = malloc(5000);
	int ret = 1;

	(void)arg;
	CHECK(text);
	memset(text, 'x', 4999);
	text[4999] = '\0';
	CHECK_INT(fake_module(&fs, text), 0);
	CHECK_INT(filter_push(&p, fs.dir, &f, err, sizeof(err)), -1);
	CHECK_HAS(err, ": File too large");
	CHECK(!p.pushed);
	ret = 0;
fail:
	fakefs_destroy(&fs);
	free(text);
	return ret;
}

/* A filter file gone by the time ours is put back is not made anew. */
static int test_unpush_creates_no_file(const void *arg)
{
	struct cp_filter f = { .mask = CP_FILTER_FAILED };
	struct cp_filter_push p;
	struct fakefs fs = { 0 };
	char err[256] = "", path[128];
	int ret = 1;

	(void)arg;
	CHECK_INT(fake_module(&fs, "none\n"), 0);
	CHECK_INT(filter_push(&p, fs.dir, &f, err, sizeof(err)), 0);
	CHECK(p.pushed);
	snprintf(path, sizeof(path), "%s/%s", fs.dir, CONNPROBE_FILTER_FILE);
	CHECK_INT(unlink(path), 0);
	filter_unpush(&p);
	CHECK(access(path, F_OK) && errno == ENOENT);
	ret = 0;
fail:
	fakefs_destroy(&fs);
	return ret;
}

/* file_is() without a word: for waiting. */
static bool filter_is(const struct fakefs *fs, const char *want)
{
	char path[128], *got;
	bool is;

	snprintf(path, sizeof(path), "%s/%s", fs->dir, CONNPROBE_FILTER_FILE);
	got = read_file(path, NULL);
	is = got && !strcmp(got, want);
	free(got);
	return is;
}

/*
 * A run's owner file goes in @fs's root for a test of its own; the
 * runner's directory (@saved) is put back after.
 */
static void own_rundir(const struct fakefs *fs, char *saved, size_t len)
{
	char dir[128];

	snprintf(saved, len, "%s", getenv("CONNPROBE_RUNDIR"));
	snprintf(dir, sizeof(dir), "%s/run", fs->root);
	setenv("CONNPROBE_RUNDIR", dir, 1);
}

/*
 * A child pushes @f, then dies by SIGKILL (@hold: waits for the pipe
 * @wait to close first, holding on to it).  Its pid, or -1.
 */
static pid_t push_and_die(const struct fakefs *fs, const struct cp_filter *f,
			  int *wait_fd)
{
	int w[2];
	pid_t pid;
	char c;

	if (wait_fd && pipe(w))
		return -1;
	pid = fork();
	if (!pid) {
		struct cp_filter_push p;
		char err[256];

		if (filter_push(&p, fs->dir, f, err, sizeof(err)))
			_exit(1);
		if (wait_fd) {
			close(w[1]);
			/* the parent closes its end: then die */
			if (read(w[0], &c, 1) < 0)
				_exit(1);
		}
		raise(SIGKILL);
		_exit(1);
	}
	if (wait_fd) {
		close(w[0]);
		*wait_fd = w[1];
	} else if (pid > 0) {
		waitpid(pid, NULL, 0);
	}
	return pid;
}

/* The filter of a run killed by SIGKILL is known for stale, and cleared. */
static int test_push_clears_a_dead_runs_filter(const void *arg)
{
	struct cp_filter port = { .mask = CP_FILTER_PORT, .nr_ports = 1,
				  .ports = { 9 } };
	struct cp_filter pid = { .mask = CP_FILTER_PID, .pid = 7 };
	struct cp_filter none = { 0 };
	struct cp_filter_push p;
	struct fakefs fs = { 0 };
	char err[512] = "", rundir[128] = "", owner[160];
	int ret = 1;

	(void)arg;
	CHECK_INT(fake_module(&fs, "none\n"), 0);
	own_rundir(&fs, rundir, sizeof(rundir));
	CHECK(push_and_die(&fs, &port, NULL) > 0);
	CHECK_INT(file_is(&fs, "port=9"), 0);
	/* a run without a filter clears it: it hid connects from every run */
	CHECK_INT(filter_push(&p, fs.dir, &none, err, sizeof(err)), 0);
	CHECK(!p.pushed);
	CHECK_INT(file_is(&fs, "none"), 0);
	/* a run with another filter puts its own in force */
	CHECK(push_and_die(&fs, &port, NULL) > 0);
	CHECK_INT(filter_push(&p, fs.dir, &pid, err, sizeof(err)), 0);
	CHECK(p.pushed);
	CHECK_INT(file_is(&fs, "pid=7"), 0);
	filter_unpush(&p);
	CHECK_INT(file_is(&fs, "none"), 0);
	/* a run with the same filter takes it over, and clears it at exit */
	CHECK(push_and_die(&fs, &port, NULL) > 0);
	CHECK_INT(filter_push(&p, fs.dir, &port, err, sizeof(err)), 0);
	CHECK(p.pushed);
	snprintf(owner, sizeof(owner), "%s/run/%s", fs.root, FILTER_OWNER_FILE);
	CHECK_INT(access(owner, F_OK), 0);
	filter_unpush(&p);
	CHECK_INT(file_is(&fs, "none"), 0);
	/* a run that ends well leaves no owner file behind */
	CHECK(access(owner, F_OK));
	ret = 0;
fail:
	if (rundir[0])
		setenv("CONNPROBE_RUNDIR", rundir, 1);
	fakefs_destroy(&fs);
	return ret;
}

/* A live run's filter is left alone, and the message names the run. */
static int test_push_leaves_a_live_runs_filter(const void *arg)
{
	struct cp_filter port = { .mask = CP_FILTER_PORT, .nr_ports = 1,
				  .ports = { 9 } };
	struct cp_filter pid = { .mask = CP_FILTER_PID, .pid = 7 };
	struct cp_filter none = { 0 };
	struct cp_filter_push p;
	struct fakefs fs = { 0 };
	char err[512] = "", want[64], rundir[128] = "";
	int hold = -1, ret = 1, tries;
	pid_t child = -1;

	(void)arg;
	CHECK_INT(fake_module(&fs, "none\n"), 0);
	own_rundir(&fs, rundir, sizeof(rundir));
	child = push_and_die(&fs, &port, &hold);
	CHECK(child > 0);
	for (tries = 0; tries < 500 && !filter_is(&fs, "port=9"); tries++)
		usleep(10000);
	CHECK_INT(file_is(&fs, "port=9"), 0);
	CHECK_INT(filter_push(&p, fs.dir, &pid, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "connprobe (pid %d)", (int)child);
	CHECK_HAS(err, want);
	CHECK_INT(filter_push(&p, fs.dir, &none, err, sizeof(err)), 0);
	CHECK_INT(file_is(&fs, "port=9"), 0);
	ret = 0;
fail:
	if (hold >= 0)
		close(hold);
	if (child > 0)
		waitpid(child, NULL, 0);
	if (rundir[0])
		setenv("CONNPROBE_RUNDIR", rundir, 1);
	fakefs_destroy(&fs);
	return ret;
}

/*
 * flock() failing otherwise than EWOULDBLOCK (ENOLCK: the run directory
 * on NFS) is no live run's lock: the filter is pushed, without an owner.
 */
static int test_push_without_locks(const void *arg)
{
	struct syscall_fault nolck = { __NR_flock, 1, LOCK_EX, ENOLCK };
	struct cp_filter f = { .mask = CP_FILTER_FAILED };
	struct fakefs fs = { 0 };
	char rundir[128] = "";
	int status = -1, ret = 1;
	pid_t pid;

	(void)arg;
	CHECK_INT(fake_module(&fs, "none\n"), 0);
	own_rundir(&fs, rundir, sizeof(rundir));
	pid = fork();
	CHECK(pid >= 0);
	if (!pid) {
		struct cp_filter_push p;
		char err[256];

		_exit(syscall_fault_set(&nolck) ||
		      filter_push(&p, fs.dir, &f, err, sizeof(err)) || !p.pushed);
	}
	CHECK_INT(waitpid(pid, &status, 0), pid);
	CHECK_INT(status, 0);
	CHECK_INT(file_is(&fs, "failed"), 0);
	ret = 0;
fail:
	if (rundir[0])
		setenv("CONNPROBE_RUNDIR", rundir, 1);
	fakefs_destroy(&fs);
	return ret;
}

TEST_LIST(filter_push_tests) = {
	{ "filter push: no filter is 'none'", test_text_none },
	{ "filter push: every term, in the module's order", test_text_every_term },
	{ "filter push: -4 and -6 together", test_text_both_families },
	{ "filter push: a comm with blanks or 16 bytes, a cgroup by path stay in the tool", test_text_leaves_the_unpushable },
	{ "filter push: too long for the buffer is an error", test_text_too_long },
	{ "filter push: set, then 'none' put back", test_push_then_none_again },
	{ "filter push: another run's different filter refused, same one shared", test_push_refuses_another_filter },
	{ "filter push: nothing to push leaves another run's filter", test_push_nothing_leaves_it },
	{ "filter push: a module without a filter file", test_push_without_the_file },
	{ "filter push: a filter file past 4096 bytes is an error", test_push_refuses_a_huge_file },
	{ "filter push: a filter file gone at the end is not created", test_unpush_creates_no_file },
	{ "filter push: a SIGKILLed run's filter is stale: cleared, replaced or taken over", test_push_clears_a_dead_runs_filter },
	{ "filter push: a live run's filter stays; the error names its pid", test_push_leaves_a_live_runs_filter },
	{ "filter push: an owner file that cannot be locked (ENOLCK) holds nothing", test_push_without_locks },
	{ NULL, NULL },
};
