// SPDX-License-Identifier: GPL-2.0
/*
 * Loopback peers for the tests; see loopback.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "loopback.h"

/* How long the queued connection may take to reach the accept queue. */
#define QUEUE_WAIT_MS	10000

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
