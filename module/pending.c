// SPDX-License-Identifier: GPL-2.0
/*
 * connprobe's table of TCP connect attempts, keyed by socket, so that:
 *  - a connect that returned EINPROGRESS (or was interrupted) gets one
 *    COMPLETE record when the attempt ends, carrying its CONNECT record's id;
 *  - a failed attempt keeps the source address and port it used, which the
 *    kernel clears on the error path before connect() returns;
 *  - later calls on the socket (connect() again after poll(), io_uring's
 *    retry, EALREADY, EISCONN, AF_UNSPEC) carry the attempt's id too.
 *
 * An entry is created when a user socket enters SYN_SENT (inside the
 * connect call), marked with the attempt's end when it leaves SYN_SENT, and
 * consumed by the connect's return probe, or, for an attempt still in
 * progress at that return, kept until its end emits the COMPLETE record.
 * Then it stays, done, for the calls that follow, until its slot is needed:
 * done entries are reclaimed oldest first.  Every entry goes at the latest
 * with its socket (tcp:tcp_destroy_sock): an attempt whose connect call
 * was never seen to return (its return missed, or turned away by a filter
 * changed while it ran) is then counted as reclaimed without a record.
 * The socket pointer is a key only, never dereferenced from the table; the
 * socket's inode number tells a reused address from the socket the entry
 * was made for.
 *
 * Entries come from a pool allocated at load: the probes run in atomic
 * context (where PREEMPT_RT forbids allocation), and an attempt that finds
 * every slot in use is counted, not silently ignored.  One raw spinlock
 * guards it all: every operation is a few pointer moves, and raw because the
 * tracepoint and the probes run with preemption off, on RT too.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/hash.h>
#include <linux/kprobes.h>
#include <linux/list.h>
#include <linux/net.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "connprobe.h"
#include "connprobe_internal.h"

#define CP_PENDING_HASH_BITS	10

enum cp_attempt_state {
	CP_IN_CALL,	/* SYN_SENT, the connect call still running */
	CP_ENDED,	/* left SYN_SENT, the connect call still running */
	CP_IN_PROGRESS,	/* SYN_SENT after the connect call returned */
	CP_DONE,	/* over and reported: kept for the id alone */
};

struct cp_attempt {
	struct hlist_node node;	/* in the hash, or the free list */
	struct list_head done;	/* CP_DONE: in cp_pending_done, oldest first */
	const struct sock *sk;	/* key only */
	unsigned long ino;	/* the socket's inode number */
	pid_t tid;		/* the connecting thread, while in the call */
	enum cp_attempt_state state;
	u64 id;
	/* CP_ENDED: how and when the attempt ended, and its source then. */
	struct cp_attempt_end end;
	/* CP_IN_PROGRESS: the CONNECT record, template of the COMPLETE one. */
	struct connprobe_record rec;
};

static DEFINE_RAW_SPINLOCK(cp_pending_lock);
static DEFINE_HASHTABLE(cp_pending_hash, CP_PENDING_HASH_BITS);
static HLIST_HEAD(cp_pending_free);
static LIST_HEAD(cp_pending_done);
static struct cp_attempt *cp_pending_pool;
static atomic64_t cp_next_id = ATOMIC64_INIT(0);
static unsigned long cp_pending_full;	/* under cp_pending_lock */
static unsigned long cp_pending_reclaimed;	/* under cp_pending_lock */

/**
 * cp_new_id() - a fresh correlation id, never 0
 *
 * Return: the id.
 */
u64 cp_new_id(void)
{
	return atomic64_inc_return(&cp_next_id);
}

NOKPROBE_SYMBOL(cp_new_id);

static struct cp_attempt *cp_attempt_find(const struct sock *sk)
{
	struct cp_attempt *a;

	hash_for_each_possible(cp_pending_hash, a, node, (unsigned long)sk)
		if (a->sk == sk)
			return a;
	return NULL;
}

NOKPROBE_SYMBOL(cp_attempt_find);

static void cp_attempt_free(struct cp_attempt *a)
{
	if (a->state == CP_DONE)
		list_del(&a->done);
	hash_del(&a->node);
	hlist_add_head(&a->node, &cp_pending_free);
}

NOKPROBE_SYMBOL(cp_attempt_free);

/* Free an entry that may never have given its records: count those. */
static void cp_attempt_forget(struct cp_attempt *a)
{
	if (a->state != CP_DONE)
		cp_pending_reclaimed++;
	cp_attempt_free(a);
}

NOKPROBE_SYMBOL(cp_attempt_forget);

static void cp_attempt_done(struct cp_attempt *a)
{
	a->state = CP_DONE;
	list_add_tail(&a->done, &cp_pending_done);
}

NOKPROBE_SYMBOL(cp_attempt_done);

/* A free slot, or the oldest done entry's: NULL if all are in use. */
static struct cp_attempt *cp_attempt_alloc(void)
{
	struct cp_attempt *a;

	a = list_first_entry_or_null(&cp_pending_done, struct cp_attempt,
				     done);
	if (hlist_empty(&cp_pending_free) && a)
		cp_attempt_free(a);
	a = hlist_entry_safe(cp_pending_free.first, struct cp_attempt, node);
	if (a)
		hlist_del(&a->node);
	return a;
}

NOKPROBE_SYMBOL(cp_attempt_alloc);

static unsigned long cp_sock_ino(const struct sock *sk)
{
	const struct socket *sock = READ_ONCE(sk->sk_socket);

	return sock ? SOCK_INODE((struct socket *)sock)->i_ino : 0;
}

NOKPROBE_SYMBOL(cp_sock_ino);

/**
 * cp_pending_start() - a user socket entered SYN_SENT in its connect call
 * @sk: the socket
 *
 * Runs in the connecting thread.  An entry left for the same socket (its
 * connect's return was missed) is reused: the new attempt replaces it.
 */
void cp_pending_start(const struct sock *sk)
{
	struct cp_attempt *a;
	unsigned long flags;

	raw_spin_lock_irqsave(&cp_pending_lock, flags);
	a = cp_attempt_find(sk);
	if (a) {
		/* A new attempt on the socket, or a stale entry: start over. */
		if (a->state == CP_DONE)
			list_del(&a->done);
	} else {
		a = cp_attempt_alloc();
		if (!a) {
			cp_pending_full++;
			goto out;
		}
		a->sk = sk;
		hash_add(cp_pending_hash, &a->node, (unsigned long)sk);
	}
	a->ino = cp_sock_ino(sk);
	a->tid = task_pid_nr(current);
	a->state = CP_IN_CALL;
	a->id = cp_new_id();
out:
	raw_spin_unlock_irqrestore(&cp_pending_lock, flags);
}

NOKPROBE_SYMBOL(cp_pending_start);

/**
 * cp_pending_end() - a socket left SYN_SENT: established or closed
 * @end: how it ended, when, and its source address then
 * @sk: the socket
 *
 * If the attempt's connect call already returned, its COMPLETE record is
 * written here; if the call is still running, its return will use @end.
 */
void cp_pending_end(const struct sock *sk, const struct cp_attempt_end *end)
{
	struct connprobe_record rec;
	struct cp_attempt *a;
	unsigned long flags;
	bool complete = false;

	raw_spin_lock_irqsave(&cp_pending_lock, flags);
	a = cp_attempt_find(sk);
	if (!a || a->state == CP_DONE)
		goto out;
	if (a->ino != cp_sock_ino(sk)) {
		/* Made for a socket since freed, whose address was reused. */
		cp_attempt_forget(a);
		goto out;
	}
	if (a->state == CP_IN_PROGRESS) {
		rec = a->rec;
		cp_attempt_done(a);
		complete = true;
	} else {
		a->state = CP_ENDED;
		a->end = *end;
	}
out:
	raw_spin_unlock_irqrestore(&cp_pending_lock, flags);
	if (complete)
		cp_write_complete(&rec, end);
}

NOKPROBE_SYMBOL(cp_pending_end);

/* A return code that leaves the attempt running past the call. */
static bool cp_ret_in_progress(int ret)
{
	return ret == -EINPROGRESS || cp_ret_interrupted(ret);
}

NOKPROBE_SYMBOL(cp_ret_in_progress);

/**
 * cp_pending_on_return() - a connect call on a TCP socket returned
 * @sock: the socket
 * @rec: its CONNECT record, complete but for @id; the source of a failed
 *	attempt is restored here from what the attempt used
 * @end: set when the attempt ended before the call returned, although the
 *	call reported it in progress: the caller writes a COMPLETE record too
 *
 * Return: true if @end was set.
 */
bool cp_pending_on_return(const struct socket *sock,
			  struct connprobe_record *rec,
			  struct cp_attempt_end *end)
{
	unsigned long ino = SOCK_INODE((struct socket *)sock)->i_ino;
	struct cp_attempt *a;
	unsigned long flags;
	bool complete = false;

	raw_spin_lock_irqsave(&cp_pending_lock, flags);
	a = cp_attempt_find(sock->sk);
	if (a && a->ino != ino) {
		/* Made for a socket since freed, whose address was reused. */
		cp_attempt_forget(a);
		a = NULL;
	}
	if (!a || ((a->state == CP_IN_CALL || a->state == CP_ENDED) &&
		   a->tid != rec->tid)) {
		/* No attempt of this thread's: another's, or none at all. */
		rec->id = a ? a->id : cp_new_id();
		goto out;
	}
	rec->id = a->id;
	switch (a->state) {
	case CP_IN_PROGRESS:
		/* Another call on an attempt in progress (EALREADY). */
	case CP_DONE:
		/* A call after its end: connect() again, EISCONN. */
		break;
	case CP_IN_CALL:
		/* Still in SYN_SENT: its end comes later. */
		a->state = CP_IN_PROGRESS;
		a->rec = *rec;
		break;
	case CP_ENDED:
		/* The error path cleared what the attempt used. */
		if (rec->ret && a->end.sport) {
			rec->flags |= CONNPROBE_F_SADDR;
			rec->sport = a->end.sport;
			memcpy(rec->saddr, a->end.saddr, sizeof(rec->saddr));
		}
		if (rec->ret)
			cp_record_used_daddr(rec, sock->sk->sk_family,
					     a->end.daddr, a->end.dport);
		if (cp_ret_in_progress(rec->ret)) {
			*end = a->end;
			complete = true;
		}
		cp_attempt_done(a);
		break;
	}
out:
	raw_spin_unlock_irqrestore(&cp_pending_lock, flags);
	return complete;
}

NOKPROBE_SYMBOL(cp_pending_on_return);

/**
 * cp_pending_forget() - a TCP socket is being destroyed
 * @sk: the socket
 *
 * Its entry, if any, goes: the address may serve another socket next.
 */
void cp_pending_forget(const struct sock *sk)
{
	struct cp_attempt *a;
	unsigned long flags;

	/*
	 * Most sockets destroyed never had an entry; an empty bucket says so
	 * without the lock.  An entry for @sk itself was added long before
	 * (its connect call came before its close), never concurrently.
	 */
	if (hlist_empty(&cp_pending_hash[hash_min((unsigned long)sk,
						  CP_PENDING_HASH_BITS)]))
		return;
	raw_spin_lock_irqsave(&cp_pending_lock, flags);
	a = cp_attempt_find(sk);
	if (a)
		cp_attempt_forget(a);
	raw_spin_unlock_irqrestore(&cp_pending_lock, flags);
}

NOKPROBE_SYMBOL(cp_pending_forget);

/**
 * cp_pending_init() - allocate the pool of attempts
 * @max: attempts tracked at once
 *
 * Return: 0 or -ENOMEM.
 */
int cp_pending_init(unsigned int max)
{
	unsigned int i;

	cp_pending_pool = kvcalloc(max, sizeof(*cp_pending_pool), GFP_KERNEL);
	if (!cp_pending_pool)
		return -ENOMEM;
	for (i = 0; i < max; i++)
		hlist_add_head(&cp_pending_pool[i].node, &cp_pending_free);
	return 0;
}

/**
 * cp_pending_exit() - forget every attempt; no probe may run any more
 *
 * Attempts still in progress end without a record: the sockets themselves
 * are untouched, and nothing of ours is left pointing at them.
 */
void cp_pending_exit(void)
{
	hash_init(cp_pending_hash);
	INIT_HLIST_HEAD(&cp_pending_free);
	INIT_LIST_HEAD(&cp_pending_done);
	kvfree(cp_pending_pool);
	cp_pending_pool = NULL;
}

/**
 * cp_pending_show_stats() - print how often the pool was full, and how
 *	many attempts went with their socket before their call returned
 * @m: the seq_file of the debugfs stats file
 */
void cp_pending_show_stats(struct seq_file *m)
{
	seq_printf(m, "attempts_untracked %lu\n", READ_ONCE(cp_pending_full));
	seq_printf(m, "attempts_reclaimed %lu\n",
		   READ_ONCE(cp_pending_reclaimed));
}
