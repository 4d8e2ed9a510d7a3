// SPDX-License-Identifier: GPL-2.0
/*
 * The ends of TCP connect attempts, from the sock:inet_sock_set_state
 * tracepoint: CLOSE -> SYN_SENT inside the connect call starts an attempt,
 * SYN_SENT -> ESTABLISHED or CLOSE ends it; a simultaneous open (both ends
 * connecting, a self-connect for one) goes SYN_SENT -> SYN_RECV first and
 * ends at SYN_RECV -> ESTABLISHED or CLOSE.  tcp:tcp_destroy_sock drops
 * whatever entry the socket still has.  The tracepoints are not exported to
 * modules by name, so they are looked up among the kernel's tracepoints;
 * their prototypes are checked against our probes at build time.  A
 * tracepoint probe costs far less than a kprobe and sees every state
 * change, in process and softirq context alike.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/net.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <linux/timekeeping.h>
#include <linux/tracepoint.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <trace/events/sock.h>
#include <trace/events/tcp.h>

#include "connprobe.h"
#include "connprobe_internal.h"

/*
 * Whether a socket entering SYN_SENT does so inside a connect call whose
 * return a probe will see: a user's socket (kernel sockets have no file),
 * not from a kernel thread (SUNRPC's sockets have a file), not TCP Fast
 * Open's sendmsg(MSG_FASTOPEN), which is no connect call; and from a
 * caller the filter lets through, whose calls the probes trace.
 */
static bool cp_attempt_traced(const struct sock *sk)
{
	return sk->sk_socket && sk->sk_socket->file &&
	       !(current->flags & PF_KTHREAD) &&
	       !READ_ONCE(tcp_sk(sk)->fastopen_req) && cp_filter_task();
}

NOKPROBE_SYMBOL(cp_attempt_traced);

/* Whether a state change ends a connect attempt that was under way. */
static bool cp_attempt_ends(const struct sock *sk, int oldstate, int newstate)
{
	if (newstate != TCP_ESTABLISHED && newstate != TCP_CLOSE)
		return false;
	/*
	 * A simultaneous open's end; a passive socket's has no struct
	 * socket yet and never had an entry.
	 */
	return oldstate == TCP_SYN_SENT ||
	       (oldstate == TCP_SYN_RECV && READ_ONCE(sk->sk_socket));
}

NOKPROBE_SYMBOL(cp_attempt_ends);

/*
 * An attempt ended: how, when, and what it used, to the attempt table.
 * Out of line, so that its locals, which the kernel zeroes on the stack,
 * cost nothing to the state changes that end no attempt.
 */
static noinline void cp_on_attempt_end(const struct sock *sk, int newstate)
{
	struct cp_attempt_end end = {};
	int err;

	end.ns = ktime_get_ns();
	/* Set before the state changes: what SO_ERROR will give. */
	err = READ_ONCE(sk->sk_err);
	end.ret = newstate == TCP_ESTABLISHED ? 0 : -err;
	end.abandoned = newstate == TCP_CLOSE && !err;
	end.sport = cp_sock_source(sk, end.saddr);
	end.dport = cp_sock_dest(sk, end.daddr);
	cp_pending_end(sk, &end);
}

NOKPROBE_SYMBOL(cp_on_attempt_end);

static void cp_on_inet_state(void *data, const struct sock *sk,
			     const int oldstate, const int newstate)
{
	if (sk->sk_protocol != IPPROTO_TCP)
		return;
	if (oldstate == TCP_CLOSE && newstate == TCP_SYN_SENT) {
		if (cp_attempt_traced(sk))
			cp_pending_start(sk);
		return;
	}
	if (cp_attempt_ends(sk, oldstate, newstate))
		cp_on_attempt_end(sk, newstate);
}

NOKPROBE_SYMBOL(cp_on_inet_state);

static void cp_on_tcp_destroy(void *data, struct sock *sk)
{
	cp_pending_forget(sk);
}

NOKPROBE_SYMBOL(cp_on_tcp_destroy);

/*
 * A probe whose prototype is not the tracepoint's would be called with the
 * wrong arguments: the kernel's register_trace_NAME() checks it at build
 * time (sizeof() evaluates nothing: the unexported tracepoint is not
 * referenced).
 */
static_assert(sizeof(register_trace_inet_sock_set_state(cp_on_inet_state,
							NULL)));
static_assert(sizeof(register_trace_tcp_destroy_sock(cp_on_tcp_destroy,
						     NULL)));

/* The tracepoints, in the order they are attached. */
static struct {
	const char *name;
	void *probe;
	struct tracepoint *tp;
} cp_tps[] = {
	/* First: every entry the other makes goes with its socket. */
	{ "tcp_destroy_sock", cp_on_tcp_destroy },
	{ "inet_sock_set_state", cp_on_inet_state },
};

static void cp_find_tps(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(cp_tps); i++)
		if (!strcmp(tp->name, cp_tps[i].name))
			cp_tps[i].tp = tp;
}

/**
 * cp_tcp_state_register() - attach to the TCP tracepoints
 *
 * Return: 0 or a negative errno; nothing is attached on failure.
 */
int cp_tcp_state_register(void)
{
	int i, ret;

	for_each_kernel_tracepoint(cp_find_tps, NULL);
	for (i = 0; i < ARRAY_SIZE(cp_tps); i++) {
		ret = cp_tps[i].tp ? tracepoint_probe_register(cp_tps[i].tp,
							       cp_tps[i].probe,
							       NULL) :
				     -ENOENT;
		if (ret) {
			pr_err("cannot attach to tracepoint %s: %s (error %d)\n",
			       cp_tps[i].name,
			       ret == -ENOENT ? "not in this kernel" :
			       "registration failed", ret);
			goto out_unregister;
		}
		pr_info("attached to tracepoint %s\n", cp_tps[i].name);
	}
	return 0;

out_unregister:
	while (--i >= 0)
		tracepoint_probe_unregister(cp_tps[i].tp, cp_tps[i].probe, NULL);
	tracepoint_synchronize_unregister();
	return ret;
}

/**
 * cp_tcp_state_unregister() - detach, in the reverse order; returns once
 *	no probe call runs
 */
void cp_tcp_state_unregister(void)
{
	int i;

	for (i = ARRAY_SIZE(cp_tps) - 1; i >= 0; i--)
		tracepoint_probe_unregister(cp_tps[i].tp, cp_tps[i].probe, NULL);
	tracepoint_synchronize_unregister();
}
