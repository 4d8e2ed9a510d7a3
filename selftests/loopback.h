/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loopback peers for the tests: listeners, ports nobody listens on, a
 * listener whose accept queue is full so that a connect() stays in flight,
 * AF_UNIX listeners, and a watcher for a connect() blocked in another
 * thread.  The test VM has only `lo`, so everything here talks to 127.0.0.1
 * or ::1.  Functions return -1 with errno set on failure.
 */
#ifndef LOOPBACK_H
#define LOOPBACK_H

#include <netinet/in.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

/* A socket address and its length: IPv4, IPv6 and AF_UNIX alike. */
struct endpoint {
	union {
		struct sockaddr sa;
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
		struct sockaddr_un un;
		struct sockaddr_storage ss;
	};
	socklen_t len;
};

/*
 * The IPv4 and IPv6 variants of a kselftest_harness fixture whose tests
 * run the same on both: variant->family is AF_INET or AF_INET6, and the
 * variants are named ip4 and ip6.  For use after the harness's header.
 */
#define FIXTURE_VARIANTS_IP4_IP6(fixture)				\
	FIXTURE_VARIANT(fixture) {					\
		int family;						\
	};								\
	FIXTURE_VARIANT_ADD(fixture, ip4) {				\
		.family = AF_INET,					\
	};								\
	FIXTURE_VARIANT_ADD(fixture, ip6) {				\
		.family = AF_INET6,					\
	}

/*
 * The network devices other than lo, e.g. "eth0 wlan0"; "" if none.  What
 * sends connects to unroutable addresses, or loops of connects, runs only
 * where this is "" (the test VM), never on a host.
 */
void devices_besides_lo(char *buf, size_t len);

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

/*
 * Move the calling thread into a network namespace of its own, with lo up:
 * for tests that change per-namespace settings (nothing to restore, even if
 * the harness kills them) or that check the namespace recorded.
 */
int private_netns(void);

/*
 * SYN retries of @fd's connects (TCP_SYNCNT): with 1, SYN at 0 s, one retry
 * at 1 s, ETIMEDOUT at 3 s.  Per socket rather than the tcp_syn_retries
 * sysctl: the same timeout, and no global state to restore, even when the
 * harness kills a timed-out test (which then never reaches its teardown).
 */
int set_syn_retries(int fd, int retries);

/*
 * An AF_UNIX address of @len bytes of sun_path, copied as given: a path
 * (with or without its NUL) or an abstract name (starting with a NUL).
 */
void endpoint_unix(struct endpoint *ep, const char *path, size_t len);

/* An AF_UNIX stream socket listening on @ep. */
int unix_listener(const struct endpoint *ep);

/*
 * Watch a blocking connect() that another thread makes on @fd: once the
 * attempt is in SYN_SENT with its source port chosen, record its source in
 * @src (getsockname() of the attempt while it runs, which the kernel may
 * clear when it fails), then, if @sig is not 0, send @sig to @connector.
 */
struct syn_watch {
	int fd;
	pthread_t connector;
	int sig;
	struct endpoint src;	/* out: the attempt's source */
	int err;		/* out: 0 or the errno that stopped the watch */
	pthread_t thread;
};

/* Start watching: call just before the connect(); 0 or an errno. */
int syn_watch_start(struct syn_watch *w);

/* Wait for the watcher; returns its err (ETIMEDOUT: never saw SYN_SENT). */
int syn_watch_join(struct syn_watch *w);

#endif /* LOOPBACK_H */
