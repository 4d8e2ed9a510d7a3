// SPDX-License-Identifier: GPL-2.0
/*
 * connect_loop: N connect() calls of one kind, timed as a whole with
 * CLOCK_MONOTONIC, for make bench-vm.  Under QEMU's -icount shift=0 a guest
 * nanosecond is one instruction, so "ns" is instructions, and repeats.
 *
 * usage: connect_loop real|refused|unreach N [RATE]
 *   real     socket + connect to a loopback listener + accept + close both
 *            (the client with a reset, so no TIME_WAIT piles up)
 *   refused  socket + connect to a loopback port nobody listens on + close
 *   unreach  connect to 203.0.113.1:80 (no route in the VM, ENETUNREACH),
 *            again and again on one socket: the cheapest failing connect,
 *            the call alone, where a tracer's fixed cost shows most
 * RATE, calls a second, paces the loop: call i is not made before i/RATE
 * seconds into it (the loop sleeps when it is 1 ms ahead or more), so a
 * bench can find the rate a tracer sustains without losing records.
 * prints: "loop KIND n N ns NS per_call P"
 * real and refused iterations are one connect() with what a program does
 * around it (socket, close, accept): the tracers' cost shows on top of that.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "loopback.h"

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* A loopback listener; its address (with the port the kernel chose) in @sin. */
static int listen_lo(struct sockaddr_in *sin)
{
	socklen_t len = sizeof(*sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)sin, len) ||
	    listen(fd, 128) || getsockname(fd, (struct sockaddr *)sin, &len))
		die("connect_loop: listen");
	return fd;
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Paced at @rate calls a second from @t0 (0: not paced): wait until call
 * @i is due, sleeping only when 1 ms or more ahead, so that the pacing
 * costs a sleep per millisecond, not per call.
 */
static void pace(unsigned long long t0, long i, double rate)
{
	unsigned long long due;
	struct timespec ts;

	if (rate <= 0)
		return;
	due = t0 + (unsigned long long)(i * (1e9 / rate));
	if (due < now_ns() + 1000000)
		return;
	ts.tv_sec = due / 1000000000ULL;
	ts.tv_nsec = due % 1000000000ULL;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* One socket, one connect() expected to give @want (0 or an errno), close. */
static void one(const struct sockaddr_in *dst, int want, int lfd)
{
	static const struct linger rst = { .l_onoff = 1, .l_linger = 0 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int ret, a;

	if (fd < 0)
		die("connect_loop: socket");
	ret = connect(fd, (const struct sockaddr *)dst, sizeof(*dst));
	if ((ret ? errno : 0) != want) {
		fprintf(stderr, "connect_loop: connect gave %s, expected %s\n",
			ret ? strerror(errno) : "success",
			want ? strerror(want) : "success");
		exit(1);
	}
	if (lfd >= 0) {
		a = accept(lfd, NULL, NULL);
		if (a < 0)
			die("connect_loop: accept");
		/*
		 * Reset, not FIN: no TIME_WAIT socket is left behind, so the
		 * loop does not fill the port range or the hash table and
		 * its last call costs what its first did.
		 */
		if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &rst, sizeof(rst)))
			die("connect_loop: SO_LINGER");
		close(fd);
		close(a);
		return;
	}
	close(fd);
}

int main(int argc, char **argv)
{
	char others[256];
	struct sockaddr_in dst;
	unsigned long long t0, t1;
	int lfd = -1, want = 0;
	double rate = 0;
	long n, i;

	if (argc < 3 || argc > 4 || (n = atol(argv[2])) <= 0 ||
	    (argc == 4 && (rate = atof(argv[3])) <= 0)) {
		fprintf(stderr, "usage: connect_loop real|refused|unreach N [RATE]\n");
		return 2;
	}
	devices_besides_lo(others, sizeof(others));
	if (others[0]) {
		fprintf(stderr, "connect_loop: refusing to run: network devices besides lo: %s (run it in the test VM)\n",
			others);
		return 1;
	}
	if (!strcmp(argv[1], "real")) {
		lfd = listen_lo(&dst);
	} else if (!strcmp(argv[1], "refused")) {
		/* A port that was just free and has nobody listening now. */
		close(listen_lo(&dst));
		want = ECONNREFUSED;
	} else if (!strcmp(argv[1], "unreach")) {
		memset(&dst, 0, sizeof(dst));
		dst.sin_family = AF_INET;
		dst.sin_port = htons(80);
		inet_pton(AF_INET, "203.0.113.1", &dst.sin_addr);
		want = ENETUNREACH;
	} else {
		fprintf(stderr, "connect_loop: unknown loop %s\n", argv[1]);
		return 2;
	}
	/* One untimed call first: the first call's page faults are not the loop's. */
	one(&dst, want, lfd);
	if (want == ENETUNREACH) {
		/* The route lookup fails before the socket changes: reuse it. */
		int fd = socket(AF_INET, SOCK_STREAM, 0);

		if (fd < 0)
			die("connect_loop: socket");
		t0 = now_ns();
		for (i = 0; i < n; i++) {
			pace(t0, i, rate);
			if (!connect(fd, (struct sockaddr *)&dst, sizeof(dst)) ||
			    errno != ENETUNREACH)
				die("connect_loop: connect (expected ENETUNREACH)");
		}
		t1 = now_ns();
		close(fd);
	} else {
		t0 = now_ns();
		for (i = 0; i < n; i++) {
			pace(t0, i, rate);
			one(&dst, want, lfd);
		}
		t1 = now_ns();
	}
	printf("loop %s n %ld ns %llu per_call %llu\n", argv[1], n, t1 - t0,
	       (t1 - t0) / n);
	return 0;
}
