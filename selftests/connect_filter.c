// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel-side filter (debugfs connprobe/filter): each term keeps
 * exactly the records it names and turns the others away before they
 * reach the buffer, counted in the stats; "none" keeps everything; a
 * malformed write fails with EINVAL and leaves the filter as it was.
 *
 * Must run as root with connprobe loaded and debugfs mounted (the test VM).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "harness_list.h"

#include "connprobe.h"
#include "loopback.h"
#include "record_reader.h"
#include "record_want.h"

#define FILTER_PATH	CONNPROBE_PATH "/" CONNPROBE_FILTER_FILE
#define MAX_RECS	16

/* Write @len bytes of @text to the filter file: 0 or -errno. */
static int filter_write(const char *text, size_t len)
{
	int fd, err = 0;

	fd = open(FILTER_PATH, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, text, len) != (ssize_t)len)
		err = errno ? -errno : -EIO;
	close(fd);
	return err;
}

static int filter_set(const char *text)
{
	return filter_write(text, strlen(text));
}

/* What the filter file reads back, its newline dropped. */
static int filter_get(char *buf, size_t len)
{
	FILE *f = fopen(FILTER_PATH, "r");

	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* The "filtered calls N records M" line of the stats file. */
static int filtered_counts(unsigned long long *calls,
			   unsigned long long *records)
{
	char line[256];
	int err = -EBADMSG;
	FILE *f;

	f = fopen(CONNPROBE_PATH "/" CONNPROBE_STATS_FILE, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "filtered calls %llu records %llu",
			   calls, records) == 2)
			err = 0;
	fclose(f);
	return err;
}

FIXTURE(filter) {
	struct endpoint open_port;	/* someone listens */
	struct endpoint closed_port;	/* nobody listens: refused */
	int listener;
	struct connprobe_record recs[MAX_RECS];
	ssize_t n;			/* records of this thread, last run */
};

FIXTURE_SETUP(filter)
{
	struct record_set set = {};

	self->listener = tcp_listener(AF_INET, 16, &self->open_port);
	ASSERT_LE(0, self->listener) TH_LOG("listener: %s", strerror(errno));
	ASSERT_EQ(0, unused_port(AF_INET, SOCK_STREAM, &self->closed_port));
	ASSERT_EQ(0, want_identity());
	ASSERT_EQ(0, filter_set("none"));
	ASSERT_EQ(0, records_discard(&set)) TH_LOG("%s", set.error);
}

FIXTURE_TEARDOWN(filter)
{
	filter_set("none");
	if (self->listener >= 0)
		close(self->listener);
}

/* One blocking connect() to @dst from a fresh socket: its return. */
static int connect_once(const struct endpoint *dst)
{
	int fd = socket(dst->sa.sa_family, SOCK_STREAM, 0);
	int ret;

	if (fd < 0)
		return -errno;
	ret = connect(fd, &dst->sa, dst->len) ? -errno : 0;
	close(fd);
	return ret;
}

/*
 * Under @filter: connect to the open port, then to the closed one; this
 * thread's records go to self->recs.
 */
static void run_two(struct __test_metadata *_metadata,
		    FIXTURE_DATA(filter) *self, const char *filter)
{
	char why[256];

	ASSERT_EQ(0, filter_set(filter)) TH_LOG("filter '%s'", filter);
	ASSERT_EQ(0, connect_once(&self->open_port));
	ASSERT_EQ(-ECONNREFUSED, connect_once(&self->closed_port));
	ASSERT_EQ(0, filter_set("none"));
	self->n = records_collect(gettid(), self->recs, MAX_RECS, why,
				  sizeof(why));
	ASSERT_LE(0, self->n) TH_LOG("%s", why);
}

TEST_F(filter, none_keeps_both)
{
	run_two(_metadata, self, "none");
	ASSERT_EQ(2, self->n);
	EXPECT_EQ(0, self->recs[0].ret);
	EXPECT_EQ(-ECONNREFUSED, self->recs[1].ret);
}

TEST_F(filter, port_keeps_the_listed_port)
{
	char f[64];

	snprintf(f, sizeof(f), "port=1,%u", endpoint_port(&self->open_port));
	run_two(_metadata, self, f);
	ASSERT_EQ(1, self->n);
	EXPECT_EQ(0, self->recs[0].ret);
	EXPECT_EQ(endpoint_port(&self->open_port), self->recs[0].dport);
}

TEST_F(filter, failed_keeps_the_refusal)
{
	run_two(_metadata, self, "failed");
	ASSERT_EQ(1, self->n);
	EXPECT_EQ(-ECONNREFUSED, self->recs[0].ret);
}

TEST_F(filter, errno_keeps_the_listed_errno)
{
	run_two(_metadata, self, "errno=113,111");
	ASSERT_EQ(1, self->n);
	EXPECT_EQ(-ECONNREFUSED, self->recs[0].ret);
}

TEST_F(filter, errno_turns_other_errnos_away)
{
	run_two(_metadata, self, "errno=113");
	EXPECT_EQ(0, self->n);
}

TEST_F(filter, family_ipv6_turns_ipv4_away)
{
	run_two(_metadata, self, "family=ipv6");
	EXPECT_EQ(0, self->n);
}

TEST_F(filter, family_ipv4_keeps_ipv4)
{
	run_two(_metadata, self, "family=ipv4");
	EXPECT_EQ(2, self->n);
}

TEST_F(filter, min_latency_turns_fast_calls_away)
{
	/* An hour: no loopback connect takes that long. */
	run_two(_metadata, self, "min_latency_ns=3600000000000");
	EXPECT_EQ(0, self->n);
}

TEST_F(filter, own_pid_tid_uid_comm_keep_both)
{
	char f[160], comm[CONNPROBE_COMM_LEN] = "";

	prctl(PR_GET_NAME, comm);
	snprintf(f, sizeof(f), "pid=%d tid=%d uid=%u comm=%s", getpid(),
		 gettid(), getuid(), comm);
	run_two(_metadata, self, f);
	EXPECT_EQ(2, self->n);
}

/* Each caller term alone, naming someone else: no record, calls counted. */
TEST_F(filter, other_callers_turned_away_at_entry)
{
	static const char *const others[] = {
		"pid=1", "tid=1", "uid=4242", "comm=nosuchcomm",
	};
	unsigned long long calls0, recs0, calls1, recs1;
	size_t i;

	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		ASSERT_EQ(0, filtered_counts(&calls0, &recs0));
		run_two(_metadata, self, others[i]);
		EXPECT_EQ(0, self->n) TH_LOG("%s kept %zd", others[i], self->n);
		ASSERT_EQ(0, filtered_counts(&calls1, &recs1));
		/* Others' calls may be counted too; never fewer than ours. */
		EXPECT_LE(calls0 + 2, calls1) TH_LOG("%s", others[i]);
		EXPECT_EQ(recs0, recs1) TH_LOG("%s", others[i]);
	}
}

/* Records turned away after the call are counted as records. */
TEST_F(filter, turned_away_records_counted)
{
	unsigned long long calls0, recs0, calls1, recs1;

	ASSERT_EQ(0, filtered_counts(&calls0, &recs0));
	run_two(_metadata, self, "failed");
	ASSERT_EQ(0, filtered_counts(&calls1, &recs1));
	EXPECT_EQ(calls0, calls1);
	EXPECT_LE(recs0 + 1, recs1);
}

/*
 * "failed" on a non-blocking connect that is refused later: its CONNECT
 * record (EINPROGRESS) goes, its COMPLETE record (ECONNREFUSED) stays.
 */
TEST_F(filter, failed_keeps_the_completion_of_a_refused_attempt)
{
	struct pollfd pfd = { .events = POLLOUT };
	char why[256];
	int fd;

	ASSERT_EQ(0, filter_set("failed"));
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ASSERT_LE(0, fd);
	if (connect(fd, &self->closed_port.sa, self->closed_port.len)) {
		EXPECT_TRUE(errno == EINPROGRESS || errno == ECONNREFUSED);
		pfd.fd = fd;
		poll(&pfd, 1, 5000);
	}
	close(fd);
	ASSERT_EQ(0, filter_set("none"));
	/* The COMPLETE record may come from softirq on any CPU: by tid. */
	self->n = records_collect(gettid(), self->recs, MAX_RECS, why,
				  sizeof(why));
	ASSERT_LE(0, self->n) TH_LOG("%s", why);
	ASSERT_EQ(1, self->n);
	EXPECT_EQ(CONNPROBE_EVENT_COMPLETE, self->recs[0].event);
	EXPECT_EQ(-ECONNREFUSED, self->recs[0].ret);
}

/* The id of the cgroup v2 directory @path: its file handle. */
static int cgroup_id_of(const char *path, uint64_t *id)
{
	union {
		struct file_handle fh;
		char room[sizeof(struct file_handle) + sizeof(uint64_t)];
	} h;
	int mount_id;

	h.fh.handle_bytes = sizeof(uint64_t);
	if (name_to_handle_at(AT_FDCWD, path, &h.fh, &mount_id, 0))
		return -errno;
	memcpy(id, h.fh.f_handle, sizeof(*id));
	return 0;
}

/* Move this process into the cgroup directory @dir. */
static int cgroup_enter(const char *dir)
{
	char path[256], pid[32];
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(pid, sizeof(pid), "%d", getpid());
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, pid, strlen(pid)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* cgroup=ID covers the cgroup and everything below it, nothing else. */
TEST_F(filter, cgroup_covers_its_subtree)
{
	char root[] = "/tmp/cgroup2.XXXXXX", child[64], f[64];
	uint64_t root_id = 0, child_id = 0;

	ASSERT_TRUE(mkdtemp(root));
	ASSERT_EQ(0, mount("cgroup2", root, "cgroup2", 0, NULL));
	snprintf(child, sizeof(child), "%s/connprobe-filter", root);
	EXPECT_EQ(0, mkdir(child, 0755));
	ASSERT_EQ(0, cgroup_id_of(root, &root_id));
	ASSERT_EQ(0, cgroup_id_of(child, &child_id));
	EXPECT_EQ(0, cgroup_enter(child));

	snprintf(f, sizeof(f), "cgroup=%llu", (unsigned long long)child_id);
	run_two(_metadata, self, f);
	EXPECT_EQ(2, self->n) TH_LOG("in the cgroup itself");
	snprintf(f, sizeof(f), "cgroup=%llu", (unsigned long long)root_id);
	run_two(_metadata, self, f);
	EXPECT_EQ(2, self->n) TH_LOG("below the cgroup");

	EXPECT_EQ(0, cgroup_enter(root));
	snprintf(f, sizeof(f), "cgroup=%llu", (unsigned long long)child_id);
	run_two(_metadata, self, f);
	EXPECT_EQ(0, self->n) TH_LOG("above the cgroup");

	rmdir(child);
	umount2(root, MNT_DETACH);
	rmdir(root);
}

TEST_F(filter, reads_back_in_canonical_order)
{
	char got[256];

	ASSERT_EQ(0, filter_set("failed  port=443,80\tpid=7 family=ipv6,ipv4\n"));
	ASSERT_EQ(0, filter_get(got, sizeof(got)));
	EXPECT_STREQ("pid=7 family=ipv4,ipv6 port=443,80 failed", got);
	ASSERT_EQ(0, filter_set("none\n"));
	ASSERT_EQ(0, filter_get(got, sizeof(got)));
	EXPECT_STREQ("none", got);
}

/* @len bytes at @text, written: EINVAL, and the filter in force stays. */
static void expect_refused(struct __test_metadata *_metadata,
			   const char *text, size_t len)
{
	char got[256];

	EXPECT_EQ(-EINVAL, filter_write(text, len)) TH_LOG("'%s'", text);
	ASSERT_EQ(0, filter_get(got, sizeof(got)));
	EXPECT_STREQ("port=7", got) TH_LOG("after '%s'", text);
}

TEST_F(filter, malformed_writes_refused_filter_unchanged)
{
	static const char *const bad[] = {
		"", " \n", "bogus", "pid", "pid=", "pid=0", "pid=-1",
		"pid=abc", "pid=1x", "pid=99999999999", "tid=0", "uid=-1",
		"port=0", "port=65536", "port=80,", "port=,80",
		"port=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17",
		"errno=0", "errno=4096", "errno=1,2,3,4,5,6,7,8,9",
		"family=ipx", "family=", "family=ipv4 family=ipv6",
		"failed=1", "pid=1 pid=2", "comm=0123456789abcdef",
		"cgroup=0", "min_latency_ns=-1", "none pid=1", "\xff\xfe",
	};
	char big[601];
	size_t i;

	ASSERT_EQ(0, filter_set("port=7"));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_refused(_metadata, bad[i], strlen(bad[i]));
	/* A NUL would hide what follows it. */
	expect_refused(_metadata, "pid=1\0junk", 10);
	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "pid=1", 5);
	expect_refused(_metadata, big, strlen(big));
}

TEST_HARNESS_MAIN
