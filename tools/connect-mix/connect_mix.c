// SPDX-License-Identifier: GPL-2.0
/*
 * connect_mix: a small, bounded mix of connect() outcomes on loopback and
 * one unroutable address, to show connprobe at work (make demo).
 *
 * usage: connect_mix [ROUNDS]
 *        connect_mix udp N     N UDP connects on one socket, as fast as it
 *                              can: one record each, nothing sent (bench)
 * Each round: a TCP connect that succeeds (IPv4 and IPv6), one refused, one
 * to 203.0.113.1 (documentation range: no route in the VM, ENETUNREACH),
 * a non-blocking connect left in progress and waited for (poll() for
 * POLLOUT, as a real client does, so that it ends established, not
 * abandoned by the close, however slow the machine), and a UDP connect.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "loopback.h"

/* A listening socket on the loopback of @family, its address in @ss. */
static int listen_loopback(int family, struct sockaddr_storage *ss,
			   socklen_t *len)
{
	int fd = socket(family, SOCK_STREAM, 0);

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		*len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = in6addr_loopback;
		*len = sizeof(*sin6);
	}
	if (fd < 0 || bind(fd, (struct sockaddr *)ss, *len) ||
	    listen(fd, 64) || getsockname(fd, (struct sockaddr *)ss, len)) {
		perror("connect_mix: listen");
		exit(1);
	}
	return fd;
}

/* Wait (10 s at most) for a connect in progress to end; say how it ended. */
static void wait_connected(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	socklen_t len = sizeof(int);
	int err = 0;

	if (poll(&pfd, 1, 10000) != 1) {
		printf("connect_mix: %-28s -> %s\n", "  ...then", "still in progress");
		return;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
		err = errno;
	printf("connect_mix: %-28s -> %s\n", "  ...then", err ? strerror(err) : "ok");
}

/* connect() a new socket to @ss; report what the caller saw. */
static void try_connect(const char *what, int type, int nonblock,
			const struct sockaddr_storage *ss, socklen_t len)
{
	int fd = socket(ss->ss_family, type | (nonblock ? SOCK_NONBLOCK : 0), 0);
	int ret;

	if (fd < 0) {
		perror("connect_mix: socket");
		exit(1);
	}
	ret = connect(fd, (const struct sockaddr *)ss, len);
	printf("connect_mix: %-28s -> %s\n", what, ret ? strerror(errno) : "ok");
	if (ret && errno == EINPROGRESS)
		wait_connected(fd);
	close(fd);
}

/* @n connects of one UDP socket to the loopback discard port. */
static int udp_flood(long n)
{
	struct sockaddr_in dst = {
		.sin_family = AF_INET,
		.sin_port = htons(9),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0) {
		perror("connect_mix: socket");
		return 1;
	}
	while (n-- > 0)
		if (connect(fd, (struct sockaddr *)&dst, sizeof(dst))) {
			perror("connect_mix: connect");
			return 1;
		}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	char others[256];
	int rounds = argc > 1 ? atoi(argv[1]) : 1;
	struct sockaddr_storage l4, l6, refused, unreach;
	socklen_t len4, len6;
	int fd4, fd6, gone, i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	devices_besides_lo(others, sizeof(others));
	if (others[0]) {
		fprintf(stderr, "connect_mix: refusing to run: network devices besides lo: %s (run it in the test VM)\n",
			others);
		return 1;
	}
	if (argc > 2 && !strcmp(argv[1], "udp"))
		return udp_flood(atol(argv[2]));
	fd4 = listen_loopback(AF_INET, &l4, &len4);
	fd6 = listen_loopback(AF_INET6, &l6, &len6);
	/* A port that was just free and has nobody listening: refused. */
	gone = listen_loopback(AF_INET, &refused, &len4);
	close(gone);
	memset(&unreach, 0, sizeof(unreach));
	((struct sockaddr_in *)&unreach)->sin_family = AF_INET;
	((struct sockaddr_in *)&unreach)->sin_port = htons(80);
	inet_pton(AF_INET, "203.0.113.1", &((struct sockaddr_in *)&unreach)->sin_addr);

	for (i = 0; i < rounds; i++) {
		try_connect("tcp 127.0.0.1 (listening)", SOCK_STREAM, 0, &l4, len4);
		try_connect("tcp ::1 (listening)", SOCK_STREAM, 0, &l6, len6);
		try_connect("tcp 127.0.0.1 (closed port)", SOCK_STREAM, 0,
			    &refused, len4);
		try_connect("tcp 203.0.113.1 (no route)", SOCK_STREAM, 0,
			    &unreach, len4);
		try_connect("tcp 127.0.0.1 non-blocking", SOCK_STREAM, 1,
			    &l4, len4);
		try_connect("udp 127.0.0.1", SOCK_DGRAM, 0, &l4, len4);
	}
	close(fd4);
	close(fd6);
	return 0;
}
