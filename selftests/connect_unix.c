// SPDX-License-Identifier: GPL-2.0
/*
 * connect() on AF_UNIX stream sockets: the record carries the path exactly
 * as passed (addrlen - 2 bytes of sun_path, an abstract name with its
 * leading NUL, a path with or without its NUL, up to all 108 bytes) and the
 * length, and no source: AF_UNIX has no ports.
 *
 * Must run as root with connprobe loaded and debugfs mounted (the test VM).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "harness_list.h"

#include "connprobe.h"
#include "loopback.h"
#include "record_reader.h"
#include "record_want.h"

FIXTURE(unix_stream) {
	int fd;			/* the socket under test */
	int listener;
	struct endpoint peer;
};

FIXTURE_VARIANT(unix_stream) {
	bool abstract;
	/* Bytes of sun_path passed; 0: the name (and a path's NUL). */
	size_t len;
	int err;		/* connect() when nobody listens */
};

FIXTURE_VARIANT_ADD(unix_stream, path) {
	.err = ENOENT,
};

/* 108 bytes and no NUL: the kernel terminates its copy itself. */
FIXTURE_VARIANT_ADD(unix_stream, path_longest) {
	.len = CONNPROBE_PATH_LEN,
	.err = ENOENT,
};

FIXTURE_VARIANT_ADD(unix_stream, abstract) {
	.abstract = true,
	.err = ECONNREFUSED,
};

FIXTURE_VARIANT_ADD(unix_stream, abstract_longest) {
	.abstract = true,
	.len = CONNPROBE_PATH_LEN,
	.err = ECONNREFUSED,
};

/*
 * A name of this process (tests run in turn, each in its own process),
 * padded with 'x' to the variant's length.
 */
FIXTURE_SETUP(unix_stream)
{
	char name[CONNPROBE_PATH_LEN + 1];
	size_t len;
	int err;

	self->fd = -1;
	self->listener = -1;
	if (variant->abstract) {
		/* "\0connprobe-unix-PID": every byte passed is the name. */
		name[0] = '\0';
		len = 1 + snprintf(name + 1, sizeof(name) - 1,
				   "connprobe-unix-%d", getpid());
	} else {
		/* "/tmp/connprobe-unix-PID" and its NUL. */
		len = 1 + snprintf(name, sizeof(name),
				   "/tmp/connprobe-unix-%d", getpid());
	}
	if (variant->len) {
		/* Padded over a path's NUL: the longest has none. */
		size_t from = variant->abstract ? len : len - 1;

		memset(name + from, 'x', variant->len - from);
		len = variant->len;
	}
	endpoint_unix(&self->peer, name, len);
	ASSERT_EQ(len, self->peer.len - offsetof(struct sockaddr_un, sun_path));
	self->fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_LE(0, self->fd) TH_LOG("socket: %s", strerror(errno));
	err = want_identity();
	ASSERT_EQ(0, err) TH_LOG("who am I: %s", strerror(-err));
}

FIXTURE_TEARDOWN(unix_stream)
{
	char path[CONNPROBE_PATH_LEN + 1] = "";

	if (self->fd >= 0)
		close(self->fd);
	if (self->listener >= 0)
		close(self->listener);
	if (!variant->abstract) {
		memcpy(path, self->peer.un.sun_path, CONNPROBE_PATH_LEN);
		unlink(path);
	}
}

/* One connect() to the variant's name; its record must be exactly this. */
static void expect_one_connect(struct __test_metadata *_metadata,
			       FIXTURE_DATA(unix_stream) *self, int ret)
{
	struct connprobe_record want, got;
	char why[RECORD_DIFF_LEN];
	struct record_set set = {};
	struct call call;
	ssize_t n;

	ASSERT_EQ(0, records_discard(&set)) TH_LOG("%s", set.error);
	timed_connect(self->fd, &self->peer, &call);
	ASSERT_EQ(ret, call.ret) TH_LOG("connect: %s", strerror(-call.ret));

	n = records_collect(gettid(), &got, 1, why, sizeof(why));
	ASSERT_LE(0, n) TH_LOG("%s", why);
	ASSERT_EQ(1, n) TH_LOG("%zd records for one call", n);
	want_call(&want, self->fd, ret);
	want_socket(&want, AF_UNIX, SOCK_STREAM, 0);
	want_daddr(&want, &self->peer);
	EXPECT_EQ(0, record_diff(&want, &got, call.before, call.after, why,
				 sizeof(why)))
		TH_LOG("%s", why);
}

TEST_F(unix_stream, connects)
{
	self->listener = unix_listener(&self->peer);
	ASSERT_LE(0, self->listener) TH_LOG("listener: %s", strerror(errno));
	expect_one_connect(_metadata, self, 0);
}

TEST_F(unix_stream, nobody_listens)
{
	expect_one_connect(_metadata, self, -variant->err);
}

TEST_HARNESS_MAIN
