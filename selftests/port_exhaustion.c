// SPDX-License-Identifier: GPL-2.0
/*
 * EADDRNOTAVAIL: connect() finds no free source port.  The test narrows
 * ip_local_port_range to two ports, connects to one listener until the
 * kernel has no port left for that destination, and checks the record of
 * every call: the successes with their ports from the range, the failure
 * with no source at all.
 *
 * The range is a setting of the network namespace, and the test changes
 * it only in a namespace of its own (unshare(CLONE_NEWNET)), which dies
 * with the test's process: the VM's range is never touched, so nothing
 * needs restoring, even when the harness kills a timed-out test without
 * running its teardown.
 *
 * Must run as root with connprobe loaded and debugfs mounted (the test VM).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "harness_list.h"

#include "connprobe.h"
#include "loopback.h"
#include "record_reader.h"
#include "record_want.h"

#define PORT_RANGE_FILE		"/proc/sys/net/ipv4/ip_local_port_range"
/*
 * Two ports, of different parity (the kernel searches each parity in
 * turn, and warns about a range whose ends share one), outside the default
 * range, where the listener's own port comes from.
 */
#define RANGE_LOW		61000
#define RANGE_PORTS		2
/* Calls made: every port of the range, then the one that finds none. */
#define CALLS			(RANGE_PORTS + 1)

FIXTURE(port_range) {
	int listener;
	struct endpoint peer;
	int fds[CALLS];
	struct call calls[CALLS];
};

/* The range is net.ipv4's, but IPv6 sockets take their ports from it too. */
FIXTURE_VARIANTS_IP4_IP6(port_range);

FIXTURE_SETUP(port_range)
{
	int i, err;

	self->listener = -1;
	for (i = 0; i < CALLS; i++)
		self->fds[i] = -1;
	ASSERT_EQ(0, private_netns())
		TH_LOG("network namespace: %s", strerror(errno));
	err = want_identity();
	ASSERT_EQ(0, err) TH_LOG("who am I: %s", strerror(-err));
	/* Before the range shrinks: its port comes from the default one. */
	self->listener = tcp_listener(variant->family, CALLS, &self->peer);
	ASSERT_LE(0, self->listener) TH_LOG("listener: %s", strerror(errno));
}

FIXTURE_TEARDOWN(port_range)
{
	int i;

	for (i = 0; i < CALLS; i++)
		if (self->fds[i] >= 0)
			close(self->fds[i]);
	if (self->listener >= 0)
		close(self->listener);
}

static int write_range(int low, int high)
{
	char buf[32];
	int fd, len, ret;

	fd = open(PORT_RANGE_FILE, O_WRONLY);
	if (fd < 0)
		return -errno;
	len = snprintf(buf, sizeof(buf), "%d %d\n", low, high);
	ret = write(fd, buf, len) == len ? 0 : -errno;
	close(fd);
	return ret;
}

TEST_F(port_range, exhausted)
{
	struct connprobe_record want, got[CALLS];
	char why[RECORD_DIFF_LEN];
	struct endpoint src;
	struct record_set set = {};
	ssize_t n;
	int i, err;

	err = write_range(RANGE_LOW, RANGE_LOW + RANGE_PORTS - 1);
	ASSERT_EQ(0, err) TH_LOG("%s: %s", PORT_RANGE_FILE, strerror(-err));
	for (i = 0; i < CALLS; i++) {
		self->fds[i] = socket(variant->family, SOCK_STREAM, 0);
		ASSERT_LE(0, self->fds[i]) TH_LOG("socket: %s", strerror(errno));
	}

	ASSERT_EQ(0, records_discard(&set)) TH_LOG("%s", set.error);
	for (i = 0; i < CALLS; i++)
		timed_connect(self->fds[i], &self->peer, &self->calls[i]);
	for (i = 0; i < RANGE_PORTS; i++)
		ASSERT_EQ(0, self->calls[i].ret)
			TH_LOG("connect %d: %s", i,
			       strerror(-self->calls[i].ret));
	ASSERT_EQ(-EADDRNOTAVAIL, self->calls[RANGE_PORTS].ret)
		TH_LOG("connect %d: %s", RANGE_PORTS,
		       strerror(-self->calls[RANGE_PORTS].ret));

	n = records_collect(gettid(), got, CALLS, why, sizeof(why));
	ASSERT_LE(0, n) TH_LOG("%s", why);
	ASSERT_EQ(CALLS, n) TH_LOG("%zd records for %d calls", n, CALLS);
	for (i = 0; i < CALLS; i++) {
		want_call(&want, self->fds[i], self->calls[i].ret);
		want_socket(&want, variant->family, SOCK_STREAM, IPPROTO_TCP);
		want_daddr(&want, &self->peer);
		ASSERT_EQ(0, endpoint_local(self->fds[i], &src));
		if (!self->calls[i].ret) {
			/* A port of the range, each its own. */
			EXPECT_LE(RANGE_LOW, endpoint_port(&src));
			EXPECT_GT(RANGE_LOW + RANGE_PORTS,
				  endpoint_port(&src));
			want_source(&want, &src);
		} else {
			/* No port was found, so there is no source. */
			EXPECT_EQ(0, endpoint_port(&src));
		}
		/* Each call on a socket of its own: an id of its own. */
		if (i)
			want_id_new(&want, &got[i - 1]);
		EXPECT_EQ(0, record_diff(&want, &got[i], self->calls[i].before,
					 self->calls[i].after, why,
					 sizeof(why)))
			TH_LOG("call %d:%s", i, why);
	}
	EXPECT_NE(got[0].sport, got[1].sport);
}

TEST_HARNESS_MAIN
