// SPDX-License-Identifier: GPL-2.0
/*
 * The ends of TCP connect attempts, from the sock:inet_sock_set_state
 * tracepoint: CLOSE -> SYN_SENT inside the connect call starts an attempt,
 * SYN_SENT -> ESTABLISHED or CLOSE ends it.  The tracepoint is not exported
 * to modules by name, so it is looked up among the kernel's tracepoints.
 * A tracepoint probe costs far less than a kprobe and sees every state
 * change, in process and softirq context alike.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/net.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/tracepoint.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "connprobe.h"
#include "connprobe_internal.h"

#define CP_STATE_TRACEPOINT	"inet_sock_set_state"

static struct tracepoint *cp_state_tp;

static void cp_on_inet_state(void *data, const struct sock *sk,
			     const int oldstate, const int newstate)
{
	struct cp_attempt_end end;
	int err;

	if (sk->sk_protocol != IPPROTO_TCP)
		return;
	if (oldstate == TCP_CLOSE && newstate == TCP_SYN_SENT) {
		/*
		 * A user's connect() (kernel sockets have no file), from a
		 * caller the filter lets through: the call's return probe,
		 * which the filter skipped otherwise, frees the entry.
		 */
		if (sk->sk_socket && sk->sk_socket->file && cp_filter_task())
			cp_pending_start(sk);
		return;
	}
	if (oldstate != TCP_SYN_SENT ||
	    (newstate != TCP_ESTABLISHED && newstate != TCP_CLOSE))
		return;

	memset(&end, 0, sizeof(end));
	end.ns = ktime_get_ns();
	/* Set before the state changes: what SO_ERROR will give. */
	err = READ_ONCE(sk->sk_err);
	end.ret = newstate == TCP_ESTABLISHED ? 0 : -err;
	end.abandoned = newstate == TCP_CLOSE && !err;
	end.sport = cp_sock_source(sk, end.saddr);
	cp_pending_end(sk, &end);
}

NOKPROBE_SYMBOL(cp_on_inet_state);

static void cp_find_state_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, CP_STATE_TRACEPOINT))
		*(struct tracepoint **)priv = tp;
}

/**
 * cp_tcp_state_register() - attach to the TCP state tracepoint
 *
 * Return: 0 or a negative errno.
 */
int cp_tcp_state_register(void)
{
	int ret;

	for_each_kernel_tracepoint(cp_find_state_tp, &cp_state_tp);
	if (!cp_state_tp) {
		pr_err("tracepoint %s not found\n", CP_STATE_TRACEPOINT);
		return -ENOENT;
	}
	ret = tracepoint_probe_register(cp_state_tp, cp_on_inet_state, NULL);
	if (ret) {
		pr_err("cannot attach to tracepoint %s: error %d\n",
		       CP_STATE_TRACEPOINT, ret);
		cp_state_tp = NULL;
		return ret;
	}
	pr_info("attached to tracepoint %s\n", CP_STATE_TRACEPOINT);
	return 0;
}

/**
 * cp_tcp_state_unregister() - detach; returns once no probe call runs
 */
void cp_tcp_state_unregister(void)
{
	if (!cp_state_tp)
		return;
	tracepoint_probe_unregister(cp_state_tp, cp_on_inet_state, NULL);
	tracepoint_synchronize_unregister();
	cp_state_tp = NULL;
}
