// SPDX-License-Identifier: GPL-2.0
/*
 * stress_load: the two things `make stress` (scripts/guest/stress.sh) needs
 * that a busybox shell cannot do.
 *
 * usage: stress_load connect THREADS SECONDS
 *        THREADS threads connect() in a loop on loopback until SIGTERM or
 *        SECONDS have passed: in turn a connect that succeeds (a listener
 *        here accepts it), one refused (a port nobody listens on) and a
 *        non-blocking one left in progress.  Prints the counts at the end:
 *        "connects N ok A refused R inprogress P other O".
 *
 *        stress_load write FILE BYTES
 *        One write() of BYTES (escapes \n \t \\ \xHH decoded, so NULs and
 *        binary go through) to FILE; prints OK or the errno's name and exits
 *        0 only when the write succeeded.  A shell cannot make an empty
 *        write() (printf '' writes nothing at all) nor tell EINVAL from
 *        ERANGE, which the hostile-input checks need.
 */
#define _GNU_SOURCE	/* strerrorname_np() */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "loopback.h"

#define MAX_THREADS	256

static struct endpoint listening, refusing;
static volatile sig_atomic_t stop;

struct counts {
	unsigned long n, ok, refused, inprogress, other;
};

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* Accept and drop: keeps the listener's queue from filling. */
static void *acceptor(void *arg)
{
	int lfd = *(int *)arg, fd;

	for (;;) {
		fd = accept(lfd, NULL, NULL);
		if (fd >= 0)
			close(fd);
	}
	return NULL;
}

static void *connector(void *arg)
{
	struct counts *c = arg;
	/*
	 * Close with a reset: no TIME_WAIT, so a long run never runs out of
	 * ephemeral ports (the calls would turn into EADDRNOTAVAIL).
	 */
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	unsigned long i;
	int fd, ret;

	for (i = 0; !stop; i++) {
		int kind = i % 3;
		const struct endpoint *to = kind == 1 ? &refusing : &listening;

		fd = socket(AF_INET, SOCK_STREAM | (kind == 2 ? SOCK_NONBLOCK : 0), 0);
		if (fd < 0) {
			c->other++;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		ret = connect(fd, &to->sa, to->len) ? errno : 0;
		c->n++;
		if (ret == 0)
			c->ok++;
		else if (ret == ECONNREFUSED)
			c->refused++;
		else if (ret == EINPROGRESS)
			c->inprogress++;
		else
			c->other++;
		close(fd);
	}
	return NULL;
}

static int run_connect(int nthreads, int seconds)
{
	static pthread_t threads[MAX_THREADS];
	static struct counts counts[MAX_THREADS];
	struct counts sum = { 0 };
	struct sigaction sa = { .sa_handler = on_term };
	char others[256];
	pthread_t acc;
	time_t end;
	int lfd, i;

	devices_besides_lo(others, sizeof(others));
	if (others[0]) {
		fprintf(stderr, "stress_load: refusing to run: network devices besides lo: %s (run it in the test VM)\n",
			others);
		return 2;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	lfd = tcp_listener(AF_INET, 4096, &listening);
	if (lfd < 0 || unused_port(AF_INET, SOCK_STREAM, &refusing) ||
	    pthread_create(&acc, NULL, acceptor, &lfd)) {
		perror("stress_load: setup");
		return 1;
	}
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&threads[i], NULL, connector, &counts[i])) {
			perror("stress_load: pthread_create");
			return 1;
		}
	/* Bounded even if nobody kills it: a stuck script cannot leave it. */
	end = time(NULL) + seconds;
	while (!stop && time(NULL) < end)
		usleep(100 * 1000);
	stop = 1;
	for (i = 0; i < nthreads; i++) {
		pthread_join(threads[i], NULL);
		sum.n += counts[i].n;
		sum.ok += counts[i].ok;
		sum.refused += counts[i].refused;
		sum.inprogress += counts[i].inprogress;
		sum.other += counts[i].other;
	}
	printf("connects %lu ok %lu refused %lu inprogress %lu other %lu\n",
	       sum.n, sum.ok, sum.refused, sum.inprogress, sum.other);
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int run_write(const char *path, const char *in)
{
	size_t len = 0, n = strlen(in);
	char *buf = malloc(n + 1);
	ssize_t w;
	int fd;

	if (!buf)
		return 2;
	while (*in) {
		if (in[0] == '\\' && in[1] == 'n') {
			buf[len++] = '\n';
			in += 2;
		} else if (in[0] == '\\' && in[1] == 't') {
			buf[len++] = '\t';
			in += 2;
		} else if (in[0] == '\\' && in[1] == '\\') {
			buf[len++] = '\\';
			in += 2;
		} else if (in[0] == '\\' && in[1] == 'x' && hexval(in[2]) >= 0 &&
			   hexval(in[3]) >= 0) {
			buf[len++] = (char)(hexval(in[2]) << 4 | hexval(in[3]));
			in += 4;
		} else {
			buf[len++] = *in++;
		}
	}
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		printf("open:%s\n", strerrorname_np(errno) ?: "?");
		return 1;
	}
	w = write(fd, buf, len);
	if (w < 0) {
		printf("%s\n", strerrorname_np(errno) ?: "?");
		return 1;
	}
	close(fd);
	printf("OK\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "connect")) {
		int n = atoi(argv[2]), s = atoi(argv[3]);

		if (n >= 1 && n <= MAX_THREADS && s >= 1)
			return run_connect(n, s);
	} else if (argc == 4 && !strcmp(argv[1], "write")) {
		return run_write(argv[2], argv[3]);
	}
	fprintf(stderr, "usage: stress_load connect THREADS SECONDS\n"
			"       stress_load write FILE BYTES\n");
	return 2;
}
