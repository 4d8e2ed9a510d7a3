// SPDX-License-Identifier: GPL-2.0
/*
 * torture: the connect load.  Each thread connects in a loop, in a random
 * way each time: TCP that succeeds, TCP refused, TCP non-blocking (left in
 * progress, then closed at once or after a short wait for the end), TCP to
 * itself (bound, then connected to its own address: a simultaneous open),
 * UDP, AF_UNIX (a listener, a socket that does not listen, a path that does
 * not exist) and io_uring's IORING_OP_CONNECT.  Each call goes into the
 * thread's ledger: its window, destination and result.
 *
 * Every call ends within seconds: TCP sockets retry their SYN once
 * (TCP_SYNCNT), AF_UNIX sockets do not block, and every socket is closed
 * with a reset, so that no TIME_WAIT piles up and no port runs out.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "torture.h"
#include "uring.h"

/*
 * All ledgers together, 48 bytes a call (some 10 minutes of the load under
 * TCG): past it, the load goes on unlogged.
 */
#define LEDGER_MAX	3000000
/* How long a non-blocking connect may be waited for before its close. */
#define NONBLOCK_WAIT_MS	100
/* Listen backlog: the acceptor may fall behind a burst. */
#define BACKLOG		4096
/* Calls of one load thread, at most (the run's time bounds them first). */
#define CALLS_MAX	100000000ul

#define UNIX_LISTEN	"/tmp/torture-listen.sock"
#define UNIX_REFUSE	"/tmp/torture-refuse.sock"
#define UNIX_MISSING	"/tmp/torture-missing.sock"

/* Where the load connects to; [0] IPv4, [1] IPv6. */
static struct {
	int nfam;			/* 2 with IPv6, else 1 */
	int listen_fd[2], refuse_fd[2], udp_fd[2];
	struct endpoint listen[2], refuse[2], udp[2];
	int unix_listen_fd, unix_refuse_fd;
	struct endpoint unix_listen, unix_refuse, unix_missing;
} peers;

struct loader {
	int idx;
	pthread_t thread;
	struct rng rng;
	struct ledger ledger;
	struct ring ring;
	int ring_state;		/* 0 not set up, 1 ready, -1 unavailable */
};

static struct loader loaders[MAX_LOADERS];
static pthread_t acceptor_thread;
/* Set once, to end the threads' loops. */
static int stop;
static uint64_t ledger_total;		/* atomic */
static int io_uring_state;		/* atomic: 1 ran, -1 unavailable */
static const int families[2] = { AF_INET, AF_INET6 };

/* Bound the threads' loops by time too: past the run and a margin. */
static uint64_t hard_end_ns;

/* Until stopped, and never past the run's time and a margin. */
static bool running(void)
{
	return !__atomic_load_n(&stop, __ATOMIC_RELAXED) &&
	       now_ns() < hard_end_ns;
}

static const unsigned int kind_weights[K_N] = {
	[K_TCP_OK] = 1, [K_TCP_REFUSED] = 1, [K_TCP_NONBLOCK] = 1,
	[K_TCP_SELF] = 1, [K_UDP] = 1, [K_UNIX] = 1, [K_IO_URING] = 1,
};

static void *acceptor(void *arg)
{
	struct pollfd pfd[3];
	int i, k, n = 0, fd;

	(void)arg;
	for (i = 0; i < peers.nfam; i++)
		pfd[n++].fd = peers.listen_fd[i];
	pfd[n++].fd = peers.unix_listen_fd;
	for (i = 0; i < n; i++)
		pfd[i].events = POLLIN;
	while (running()) {
		if (poll(pfd, n, 100) <= 0)
			continue;
		/* At most a backlog's worth per listener and round. */
		for (i = 0; i < n; i++)
			for (k = 0; k < BACKLOG; k++) {
				fd = accept4(pfd[i].fd, NULL, NULL,
					     SOCK_NONBLOCK);
				if (fd < 0)
					break;
				close(fd);
			}
	}
	return NULL;
}

/* A socket bound to @ep, listening when @backlog > 0. */
static int peer_socket(int family, int type, struct endpoint *ep,
		       int backlog)
{
	int fd = socket(family, type | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -1;
	if (family != AF_UNIX)
		endpoint_loopback(ep, family, 0);
	if (bind(fd, &ep->sa, ep->len) ||
	    (family != AF_UNIX && endpoint_local(fd, ep)) ||
	    (backlog && listen(fd, backlog))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int peers_open(void)
{
	int i;

	for (i = 0; i < 2; i++) {
		int fam = families[i];

		peers.listen_fd[i] = peer_socket(fam, SOCK_STREAM,
						 &peers.listen[i], BACKLOG);
		/* Bound, not listening: a SYN to it gets a reset. */
		peers.refuse_fd[i] = peer_socket(fam, SOCK_STREAM,
						 &peers.refuse[i], 0);
		peers.udp_fd[i] = peer_socket(fam, SOCK_DGRAM, &peers.udp[i],
					      0);
		if (peers.listen_fd[i] < 0 || peers.refuse_fd[i] < 0 ||
		    peers.udp_fd[i] < 0)
			break;
	}
	if (!i) {
		perror("torture: IPv4 peers");
		return -1;
	}
	/* No IPv6 (or no ::1): the load goes without it. */
	peers.nfam = i;
	unlink(UNIX_LISTEN);
	unlink(UNIX_REFUSE);
	unlink(UNIX_MISSING);
	endpoint_unix(&peers.unix_listen, UNIX_LISTEN, sizeof(UNIX_LISTEN));
	endpoint_unix(&peers.unix_refuse, UNIX_REFUSE, sizeof(UNIX_REFUSE));
	endpoint_unix(&peers.unix_missing, UNIX_MISSING, sizeof(UNIX_MISSING));
	peers.unix_listen_fd = peer_socket(AF_UNIX, SOCK_STREAM,
					   &peers.unix_listen, BACKLOG);
	peers.unix_refuse_fd = peer_socket(AF_UNIX, SOCK_STREAM,
					   &peers.unix_refuse, 0);
	if (peers.unix_listen_fd < 0 || peers.unix_refuse_fd < 0) {
		perror("torture: AF_UNIX peers");
		return -1;
	}
	for (i = 0; i < peers.nfam; i++) {
		dest_register(&peers.listen[i]);
		dest_register(&peers.refuse[i]);
		dest_register(&peers.udp[i]);
	}
	dest_register(&peers.unix_listen);
	dest_register(&peers.unix_refuse);
	dest_register(&peers.unix_missing);
	return 0;
}

static void peers_close(void)
{
	int i;

	for (i = 0; i < peers.nfam; i++) {
		close(peers.listen_fd[i]);
		close(peers.refuse_fd[i]);
		close(peers.udp_fd[i]);
	}
	close(peers.unix_listen_fd);
	close(peers.unix_refuse_fd);
	unlink(UNIX_LISTEN);
	unlink(UNIX_REFUSE);
}

/* Room for one more call in @l; false when the ledgers are full. */
static bool ledger_room(struct ledger *l)
{
	struct call_entry *e;
	size_t cap;

	if (__atomic_load_n(&ledger_total, __ATOMIC_RELAXED) >= LEDGER_MAX)
		return false;
	if (l->n < l->cap)
		return true;
	cap = l->cap ? 2 * l->cap : 4096;
	e = realloc(l->e, cap * sizeof(*e));
	if (!e)
		return false;
	l->e = e;
	l->cap = cap;
	return true;
}

/* A TCP socket that gives up a SYN after one retry and closes with a reset. */
static int tcp_socket(int family, int flags)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int fd = socket(family, SOCK_STREAM | flags, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	set_syn_retries(fd, 1);
	return fd;
}

/* connect(@fd, @to), timed, into the next ledger entry @e. */
static void timed(int fd, const struct endpoint *to, struct call_entry *e)
{
	dest_of_endpoint(&e->dst, to);
	e->before = now_ns();
	e->ret = connect(fd, &to->sa, to->len) ? -errno : 0;
	e->after = now_ns();
}

/* After a non-blocking connect: close at once, or once it ended or waited. */
static void nonblock_end(struct loader *ld, int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };

	if (rng_below(&ld->rng, 3))
		poll(&pfd, 1, NONBLOCK_WAIT_MS);
	close(fd);
}

static int uring_call(struct loader *ld, int fd, const struct endpoint *to,
		      struct call_entry *e)
{
	int err, setup_err, res = 0;

	if (!ld->ring_state) {
		err = ring_setup(&ld->ring, &setup_err);
		if (err) {
			ring_unmap(&ld->ring);
			ld->ring_state = -1;
			__atomic_store_n(&io_uring_state, -1, __ATOMIC_RELAXED);
			return -1;
		}
		ld->ring_state = 1;
	}
	dest_of_endpoint(&e->dst, to);
	e->before = now_ns();
	err = ring_connect(&ld->ring, fd, to, 0, &res);
	e->after = now_ns();
	if (err) {
		/* What the request did is not known: a new ring next time. */
		e->ret = err;
		e->ret_unknown = 1;
		ring_unmap(&ld->ring);
		ld->ring_state = 0;
	} else {
		e->ret = res;
		__atomic_store_n(&io_uring_state, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

/*
 * One call of @kind, logged in @e; returns -1 if none was made (no socket,
 * or no io_uring).
 */
static int one_call(struct loader *ld, enum kind kind, struct call_entry *e)
{
	int f = rng_below(&ld->rng, peers.nfam), fam = families[f];
	bool refuse = rng_below(&ld->rng, 2);
	const struct endpoint *to;
	struct endpoint self;
	int fd, ret = 0;

	memset(e, 0, sizeof(*e));
	e->kind = kind;
	switch (kind) {
	case K_TCP_OK:
	case K_TCP_REFUSED:
		fd = tcp_socket(fam, 0);
		if (fd < 0)
			return -1;
		e->refusing = kind == K_TCP_REFUSED;
		timed(fd, e->refusing ? &peers.refuse[f] : &peers.listen[f], e);
		close(fd);
		break;
	case K_TCP_NONBLOCK:
		fd = tcp_socket(fam, SOCK_NONBLOCK);
		if (fd < 0)
			return -1;
		e->refusing = refuse;
		timed(fd, refuse ? &peers.refuse[f] : &peers.listen[f], e);
		nonblock_end(ld, fd);
		break;
	case K_TCP_SELF:
		fd = tcp_socket(fam, 0);
		if (fd < 0)
			return -1;
		endpoint_loopback(&self, fam, 0);
		if (bind(fd, &self.sa, self.len) || endpoint_local(fd, &self)) {
			close(fd);
			return -1;
		}
		timed(fd, &self, e);
		close(fd);
		break;
	case K_UDP:
		fd = socket(fam, SOCK_DGRAM, 0);
		if (fd < 0)
			return -1;
		timed(fd, &peers.udp[f], e);
		close(fd);
		break;
	case K_UNIX:
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (fd < 0)
			return -1;
		switch (rng_below(&ld->rng, 3)) {
		case 0:
			to = &peers.unix_listen;
			break;
		case 1:
			to = &peers.unix_refuse;
			break;
		default:
			to = &peers.unix_missing;
		}
		timed(fd, to, e);
		close(fd);
		break;
	case K_IO_URING:
		if (ld->ring_state < 0)
			return -1;
		fd = tcp_socket(fam, 0);
		if (fd < 0)
			return -1;
		e->refusing = refuse;
		ret = uring_call(ld, fd, refuse ? &peers.refuse[f] :
				 &peers.listen[f], e);
		close(fd);
		break;
	default:
		return -1;
	}
	return ret;
}

static void *load_thread(void *arg)
{
	struct loader *ld = arg;
	struct ledger *l = &ld->ledger;
	struct call_entry unlogged, *e;
	unsigned long calls;
	enum kind kind;

	__atomic_store_n(&l->tid, gettid(), __ATOMIC_RELAXED);
	for (calls = 0; calls < CALLS_MAX && running(); calls++) {
		if (!l->full_ns && !ledger_room(l)) {
			l->full_ns = now_ns();
			printf("# load thread %d: the ledgers are full (%d calls): its calls from now on go unchecked\n",
			       ld->idx, LEDGER_MAX);
		}
		kind = rng_weighted(&ld->rng, kind_weights, K_N);
		if (kind == K_IO_URING && ld->ring_state < 0)
			continue;
		beat_start(BEAT_LOADER(ld->idx), OP_N + kind);
		e = l->full_ns ? &unlogged : &l->e[l->n];
		if (!one_call(ld, kind, e)) {
			tally(shared->calls[ld->idx][kind], -e->ret);
			if (!l->full_ns) {
				l->n++;
				__atomic_add_fetch(&ledger_total, 1,
						   __ATOMIC_RELAXED);
			}
		}
		beat_end(BEAT_LOADER(ld->idx));
	}
	if (ld->ring_state > 0)
		ring_unmap(&ld->ring);
	return NULL;
}

int load_start(void)
{
	int i;

	hard_end_ns = now_ns() + (uint64_t)(cfg.seconds + 600) * 1000000000ull;
	if (peers_open())
		return -1;
	if (pthread_create(&acceptor_thread, NULL, acceptor, NULL)) {
		perror("torture: acceptor");
		return -1;
	}
	for (i = 0; i < cfg.loaders; i++) {
		struct loader *ld = &loaders[i];

		ld->idx = i;
		ld->ring.fd = -1;
		/* Streams 1000 on: the operators have the first ones. */
		rng_init(&ld->rng, cfg.seed, 1000 + i);
		if (pthread_create(&ld->thread, NULL, load_thread, ld)) {
			perror("torture: load thread");
			return -1;
		}
	}
	return 0;
}

void load_stop(void)
{
	int i;

	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < cfg.loaders; i++)
		pthread_join(loaders[i].thread, NULL);
	pthread_join(acceptor_thread, NULL);
	peers_close();
}

struct ledger *load_ledgers(int *n)
{
	static struct ledger ledgers[MAX_LOADERS];
	int i;

	for (i = 0; i < cfg.loaders; i++)
		ledgers[i] = loaders[i].ledger;
	*n = cfg.loaders;
	return ledgers;
}

pid_t load_tid(int i)
{
	return __atomic_load_n(&loaders[i % cfg.loaders].ledger.tid,
			       __ATOMIC_RELAXED);
}

uint16_t load_listen_port(void)
{
	return endpoint_port(&peers.listen[0]);
}

bool load_io_uring_ok(void)
{
	return __atomic_load_n(&io_uring_state, __ATOMIC_RELAXED) > 0;
}
