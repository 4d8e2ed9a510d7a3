// SPDX-License-Identifier: GPL-2.0
/*
 * Loopback peers for the tests; see loopback.h.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "loopback.h"

/* How long the queued connection may take to reach the accept queue. */
#define QUEUE_WAIT_MS	10000
/*
 * How long a watched connect() may take to send its SYN, and how often the
 * watcher looks: the SYN goes out at once, even in a slow TCG guest.
 */
#define SYN_WAIT_MS	5000
#define SYN_POLL_US	1000

void devices_besides_lo(char *buf, size_t len)
{
	struct dirent *de;
	DIR *dir;

	buf[0] = '\0';
	dir = opendir("/sys/class/net");
	if (!dir) {
		snprintf(buf, len, "(/sys/class/net: %s)", strerror(errno));
		return;
	}
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "lo"))
			continue;
		/* Interface names are at most IFNAMSIZ - 1 long. */
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%.15s",
			 buf[0] ? " " : "", de->d_name);
	}
	closedir(dir);
}

void endpoint_loopback(struct endpoint *ep, int family, uint16_t port)
{
	memset(ep, 0, sizeof(*ep));
	if (family == AF_INET) {
		ep->v4.sin_family = AF_INET;
		ep->v4.sin_port = htons(port);
		ep->v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		ep->len = sizeof(ep->v4);
	} else {
		ep->v6.sin6_family = AF_INET6;
		ep->v6.sin6_port = htons(port);
		ep->v6.sin6_addr = in6addr_loopback;
		ep->len = sizeof(ep->v6);
	}
}

uint16_t endpoint_port(const struct endpoint *ep)
{
	return ntohs(ep->sa.sa_family == AF_INET ? ep->v4.sin_port :
						    ep->v6.sin6_port);
}

const void *endpoint_addr(const struct endpoint *ep, size_t *len)
{
	if (ep->sa.sa_family == AF_INET) {
		*len = sizeof(ep->v4.sin_addr);
		return &ep->v4.sin_addr;
	}
	*len = sizeof(ep->v6.sin6_addr);
	return &ep->v6.sin6_addr;
}

int endpoint_local(int fd, struct endpoint *ep)
{
	memset(ep, 0, sizeof(*ep));
	ep->len = sizeof(ep->ss);
	return getsockname(fd, &ep->sa, &ep->len);
}

/* A socket of @type bound to loopback port 0; @ep gets the port chosen. */
static int bound_socket(int family, int type, struct endpoint *ep)
{
	int fd, err;

	fd = socket(family, type, 0);
	if (fd < 0)
		return -1;
	endpoint_loopback(ep, family, 0);
	if (bind(fd, &ep->sa, ep->len) || endpoint_local(fd, ep)) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

int tcp_listener(int family, int backlog, struct endpoint *ep)
{
	int fd, err;

	fd = bound_socket(family, SOCK_STREAM, ep);
	if (fd < 0)
		return -1;
	if (listen(fd, backlog)) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

int unused_port(int family, int type, struct endpoint *ep)
{
	int fd = bound_socket(family, type, ep);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

int full_listener(int family, struct endpoint *ep, int *queued)
{
	struct pollfd pfd = { .events = POLLIN };
	int fd, client, err;

	fd = tcp_listener(family, 0, ep);
	if (fd < 0)
		return -1;
	client = socket(family, SOCK_STREAM, 0);
	if (client < 0 || connect(client, &ep->sa, ep->len))
		goto fail;
	/*
	 * connect() returns once the client sent its ACK; the listener may
	 * queue the connection a little later.  A SYN arriving in between
	 * would still find room (and be answered with a syncookie), so wait
	 * until the queue really holds the connection: the listener polls
	 * readable.
	 */
	pfd.fd = fd;
	err = poll(&pfd, 1, QUEUE_WAIT_MS);
	if (err <= 0) {
		if (!err)
			errno = ETIMEDOUT;
		goto fail;
	}
	*queued = client;
	return fd;
fail:
	err = errno;
	if (client >= 0)
		close(client);
	close(fd);
	errno = err;
	return -1;
}

int private_netns(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd, err = 0;

	if (unshare(CLONE_NEWNET))
		return -1;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return -1;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr))
		err = errno;
	ifr.ifr_flags |= IFF_UP;
	if (!err && ioctl(fd, SIOCSIFFLAGS, &ifr))
		err = errno;
	close(fd);
	errno = err;
	return err ? -1 : 0;
}

int set_syn_retries(int fd, int retries)
{
	return setsockopt(fd, IPPROTO_TCP, TCP_SYNCNT, &retries,
			  sizeof(retries));
}

void endpoint_unix(struct endpoint *ep, const char *path, size_t len)
{
	memset(ep, 0, sizeof(*ep));
	ep->un.sun_family = AF_UNIX;
	if (len > sizeof(ep->un.sun_path))
		len = sizeof(ep->un.sun_path);
	memcpy(ep->un.sun_path, path, len);
	ep->len = offsetof(struct sockaddr_un, sun_path) + len;
}

int unix_listener(const struct endpoint *ep)
{
	int fd, err;

	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, &ep->sa, ep->len) || listen(fd, 1)) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* Whether @fd is a TCP socket in SYN_SENT; false if that cannot be read. */
static bool in_syn_sent(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	return !getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) &&
	       ti.tcpi_state == TCP_SYN_SENT;
}

static void *syn_watch_run(void *arg)
{
	const struct timespec pause = { .tv_nsec = SYN_POLL_US * 1000 };
	struct syn_watch *w = arg;
	int tries;

	for (tries = 0; tries < SYN_WAIT_MS * 1000 / SYN_POLL_US; tries++) {
		/*
		 * SYN_SENT comes before the port is chosen (tcp_v4_connect()
		 * sets the state, then hashes the socket), and it must still
		 * hold after getsockname(): then src is the attempt's.
		 */
		if (in_syn_sent(w->fd) && !endpoint_local(w->fd, &w->src) &&
		    endpoint_port(&w->src) && in_syn_sent(w->fd)) {
			w->err = w->sig ? pthread_kill(w->connector, w->sig) : 0;
			return NULL;
		}
		nanosleep(&pause, NULL);
	}
	w->err = ETIMEDOUT;
	return NULL;
}

int syn_watch_start(struct syn_watch *w)
{
	w->err = 0;
	return pthread_create(&w->thread, NULL, syn_watch_run, w);
}

int syn_watch_join(struct syn_watch *w)
{
	int err = pthread_join(w->thread, NULL);

	return err ? err : w->err;
}
