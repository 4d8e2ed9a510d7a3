// SPDX-License-Identifier: GPL-2.0
/*
 * Who made the call: every record carries the caller's real uid and cgroup
 * (v2) id, and the network namespace of the socket.  The other tests run
 * as root, in the root cgroup, in the VM's one namespace, where a record
 * of zeros or of init's values would pass: these tests change each of them
 * first, so that only the caller's own values can.
 *
 * Must run as root with connprobe loaded and debugfs mounted (the test VM).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "harness_list.h"

#include "connprobe.h"
#include "loopback.h"
#include "record_reader.h"
#include "record_want.h"

/* nobody: any uid but root's would do. */
#define OTHER_UID	65534

FIXTURE(identity) {
	int fd, other;		/* UDP sockets */
	struct endpoint dst;
	char cgroup_root[64];	/* our cgroup2 mount, if a test made one */
	char cgroup_child[128];	/* the cgroup a test moved into */
};

FIXTURE_SETUP(identity)
{
	self->fd = -1;
	self->other = -1;
	/* A UDP connect() succeeds without a peer. */
	ASSERT_EQ(0, unused_port(AF_INET, SOCK_DGRAM, &self->dst))
		TH_LOG("no free port: %s", strerror(errno));
	self->fd = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, self->fd) TH_LOG("socket: %s", strerror(errno));
}

/* Back to the root cgroup, so that the child can go, then unmount. */
FIXTURE_TEARDOWN(identity)
{
	char path[192];
	int fd;

	if (self->fd >= 0)
		close(self->fd);
	if (self->other >= 0)
		close(self->other);
	if (!self->cgroup_root[0])
		return;
	if (self->cgroup_child[0]) {
		snprintf(path, sizeof(path), "%s/cgroup.procs",
			 self->cgroup_root);
		fd = open(path, O_WRONLY);
		if (fd >= 0) {
			if (write(fd, "0", 1) != 1)
				TH_LOG("back to the root cgroup: %s",
				       strerror(errno));
			close(fd);
		}
		rmdir(self->cgroup_child);
	}
	umount2(self->cgroup_root, MNT_DETACH);
	rmdir(self->cgroup_root);
}

/*
 * Connect @fd to dst, as the only call of the window, and check its record,
 * which @got gets, against @want (completed here with the destination and
 * the source).
 */
static void expect_udp_connect(struct __test_metadata *_metadata,
			       FIXTURE_DATA(identity) *self, int fd,
			       struct connprobe_record *want,
			       struct connprobe_record *got)
{
	char why[RECORD_DIFF_LEN];
	struct record_set set = {};
	struct endpoint src;
	struct call call;
	ssize_t n;

	ASSERT_EQ(0, records_discard(&set)) TH_LOG("%s", set.error);
	timed_connect(fd, &self->dst, &call);
	ASSERT_EQ(0, call.ret) TH_LOG("connect: %s", strerror(-call.ret));

	n = records_collect(gettid(), got, 1, why, sizeof(why));
	ASSERT_LE(0, n) TH_LOG("%s", why);
	ASSERT_EQ(1, n) TH_LOG("%zd records for one call", n);
	want_daddr(want, &self->dst);
	ASSERT_EQ(0, endpoint_local(fd, &src));
	want_source(want, &src);
	EXPECT_EQ(0, record_diff(want, got, call.before, call.after, why,
				 sizeof(why)))
		TH_LOG("%s", why);
}

static void want_udp(struct __test_metadata *_metadata,
		     struct connprobe_record *want, int fd)
{
	int err = want_identity();

	ASSERT_EQ(0, err) TH_LOG("who am I: %s", strerror(-err));
	want_call(want, fd, 0);
	want_socket(want, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
}

/*
 * The real uid, not the effective one: the test keeps euid 0 (it must read
 * debugfs) and sets only the real uid.
 */
TEST_F(identity, real_uid)
{
	struct connprobe_record want, got;

	ASSERT_EQ(0, setreuid(OTHER_UID, -1))
		TH_LOG("setreuid: %s", strerror(errno));
	ASSERT_EQ(OTHER_UID, getuid());
	ASSERT_EQ(0, geteuid());
	want_udp(_metadata, &want, self->fd);
	EXPECT_EQ(OTHER_UID, want.uid);
	expect_udp_connect(_metadata, self, self->fd, &want, &got);
}

/* The cgroup the caller is in at the call: a child of the root. */
TEST_F(identity, cgroup)
{
	struct connprobe_record want, got;
	uint64_t root_id;
	char path[192];
	int fd;

	want_udp(_metadata, &want, self->fd);
	root_id = want.cgroup_id;
	snprintf(self->cgroup_root, sizeof(self->cgroup_root),
		 "/tmp/connprobe-cgroup.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->cgroup_root))
		TH_LOG("mkdtemp: %s", strerror(errno));
	ASSERT_EQ(0, mount("cgroup2", self->cgroup_root, "cgroup2", 0, NULL))
		TH_LOG("mount cgroup2: %s", strerror(errno));
	snprintf(self->cgroup_child, sizeof(self->cgroup_child),
		 "%s/connprobe-%d", self->cgroup_root, getpid());
	ASSERT_EQ(0, mkdir(self->cgroup_child, 0755))
		TH_LOG("mkdir %s: %s", self->cgroup_child, strerror(errno));
	snprintf(path, sizeof(path), "%s/cgroup.procs", self->cgroup_child);
	fd = open(path, O_WRONLY);
	ASSERT_LE(0, fd) TH_LOG("%s: %s", path, strerror(errno));
	ASSERT_EQ(1, write(fd, "0", 1)) TH_LOG("%s: %s", path,
					       strerror(errno));
	close(fd);

	want_udp(_metadata, &want, self->fd);
	ASSERT_NE(root_id, want.cgroup_id);
	expect_udp_connect(_metadata, self, self->fd, &want, &got);
}

/*
 * The socket's namespace, not the caller's: a socket made before the
 * caller moved to a new namespace stays in the old one.  Two sockets, two
 * calls, an id each.
 */
TEST_F(identity, netns_of_socket)
{
	struct connprobe_record want, got[2];
	uint32_t old_netns;

	want_udp(_metadata, &want, self->fd);
	old_netns = want.netns;
	ASSERT_EQ(0, private_netns())
		TH_LOG("network namespace: %s", strerror(errno));
	self->other = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, self->other) TH_LOG("socket: %s", strerror(errno));

	want_udp(_metadata, &want, self->other);
	ASSERT_NE(old_netns, want.netns);
	expect_udp_connect(_metadata, self, self->other, &want, &got[0]);

	want_udp(_metadata, &want, self->fd);
	want.netns = old_netns;
	want_id_new(&want, &got[0]);
	expect_udp_connect(_metadata, self, self->fd, &want, &got[1]);
}

TEST_HARNESS_MAIN
