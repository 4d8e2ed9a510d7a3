// SPDX-License-Identifier: GPL-2.0
/*
 * hold_connects: keep N threads blocked in connect() for about 7 s, for the
 * guest's "unload while connects are in flight" check: the module is
 * removed while every call waits in SYN_SENT, and each call must still end
 * normally (ETIMEDOUT) in a healthy kernel.
 *
 * usage: hold_connects N    prints "holding N" once the threads are started,
 *                          exits 0 when every call ended with ETIMEDOUT
 */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "loopback.h"

#define MAX_THREADS	1024

static struct endpoint peer;

static void *hold_one(void *arg)
{
	/*
	 * Two SYN retries: ETIMEDOUT after 1 s + 2 s + 4 s, long enough for
	 * a slow (debug) kernel to have all N in SYN_SENT before any ends.
	 */
	int syn_retries = 2, fd, ret;

	(void)arg;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || set_syn_retries(fd, syn_retries))
		return (void *)(long)errno;
	ret = connect(fd, &peer.sa, peer.len) ? errno : 0;
	close(fd);
	return (void *)(long)ret;
}

int main(int argc, char **argv)
{
	static pthread_t threads[MAX_THREADS];
	int n = argc > 1 ? atoi(argv[1]) : 0;
	int queued, lfd, i, bad = 0;
	void *ret;

	if (n < 1 || n > MAX_THREADS) {
		fprintf(stderr, "usage: hold_connects N (1 to %d)\n", MAX_THREADS);
		return 2;
	}
	lfd = full_listener(AF_INET, &peer, &queued);
	if (lfd < 0) {
		perror("hold_connects: listener");
		return 1;
	}
	for (i = 0; i < n; i++)
		if (pthread_create(&threads[i], NULL, hold_one, NULL)) {
			perror("hold_connects: pthread_create");
			return 1;
		}
	printf("holding %d\n", n);
	fflush(stdout);
	for (i = 0; i < n; i++) {
		pthread_join(threads[i], &ret);
		if ((long)ret != ETIMEDOUT) {
			fprintf(stderr, "hold_connects: connect ended with %s\n",
				strerror((int)(long)ret));
			bad++;
		}
	}
	close(queued);
	close(lfd);
	return bad ? 1 : 0;
}
