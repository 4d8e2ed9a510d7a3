/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loopback peers for the tests: listeners, ports nobody listens on, and a
 * listener whose accept queue is full so that a connect() stays in flight.
 * The test VM has only `lo`, so everything here talks to 127.0.0.1 or ::1.
 * Functions return -1 with errno set on failure.
 */
#ifndef LOOPBACK_H
#define LOOPBACK_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* A socket address and its length, IPv4 and IPv6 alike. */
struct endpoint {
	union {
		struct sockaddr sa;
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
		struct sockaddr_storage ss;
	};
	socklen_t len;
};

/* 127.0.0.1 or ::1, at @port (host order). */
void endpoint_loopback(struct endpoint *ep, int family, uint16_t port);

/* The port in host order, as connprobe records it. */
uint16_t endpoint_port(const struct endpoint *ep);

/* The address bytes in network order, as connprobe records them. */
const void *endpoint_addr(const struct endpoint *ep, size_t *len);

/* getsockname() of @fd into @ep. */
int endpoint_local(int fd, struct endpoint *ep);

/* A TCP socket listening on loopback port 0; @ep gets its address. */
int tcp_listener(int family, int backlog, struct endpoint *ep);

/*
 * A loopback port of @type nobody uses: bound to port 0, read back, then
 * closed.  Another process could take it in between, but the VM runs
 * nothing else.
 */
int unused_port(int family, int type, struct endpoint *ep);

/*
 * A TCP listener whose accept queue is full: listen(fd, 0) admits exactly
 * one connection, made here (@queued, never accepted).  Every later SYN is
 * dropped, so a connect() to @ep stays in SYN_SENT until it times out.
 */
int full_listener(int family, struct endpoint *ep, int *queued);

#endif /* LOOPBACK_H */
