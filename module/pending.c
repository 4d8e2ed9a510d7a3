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
 * Entries live in a table of buckets allocated at load, each bucket a few
 * slots under a raw spinlock of its own: the probes run in atomic context
 * (where PREEMPT_RT forbids allocation), and connects on different sockets
 * take different locks, with no lock or counter that every CPU writes.  A
 * socket's entry can only be in its bucket (a hash of the socket pointer):
 * done entries there are reclaimed oldest first, and an attempt that finds
 * every slot of its bucket held by an attempt still under way is counted
 * (attempts_untracked), not silently ignored.  The bucket count comes from
 * the number of attempts to track (twice maxactive): twice as many slots
 * or more, so that few buckets fill while the table has room.
 * Raw spinlocks, because the tracepoint and the probes run with preemption
 * off, on RT too; irqs off, because the tracepoint runs in softirq too.
 * Ids come from a counter per CPU, the CPU's number in their low bits.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/kprobes.h>
#include <linux/log2.h>
#include <linux/net.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
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

/* Slots per bucket: a few, scanned in a row. */
#define CP_WAYS		8

enum cp_attempt_state {
	CP_IN_CALL,	/* SYN_SENT, the connect call still running */
	CP_ENDED,	/* left SYN_SENT, the connect call still running */
	CP_IN_PROGRESS,	/* SYN_SENT after the connect call returned */
	CP_DONE,	/* over and reported: kept for the id alone */
};

struct cp_attempt {
	const struct sock *sk;	/* key only; NULL in a free slot */
	unsigned long ino;	/* the socket's inode number */
	u64 id;
	pid_t tid;		/* the connecting thread, while in the call */
	u32 done_at;		/* CP_DONE: its bucket's clock then */
	enum cp_attempt_state state;
	union {
		/* CP_ENDED: how and when the attempt ended, its source then. */
		struct cp_attempt_end end;
		/* CP_IN_PROGRESS: what the COMPLETE record repeats. */
		struct cp_attempt_call call;
	};
};

struct cp_bucket {
	raw_spinlock_t lock;
	unsigned int used;	/* slots with a key; read without the lock */
	u32 clock;		/* entries made done so far */
	struct cp_attempt slot[CP_WAYS];
};

static struct cp_bucket *cp_buckets;
static unsigned int cp_bucket_bits;
/* The last id each CPU handed out, less its CPU bits (cp_new_id()). */
DEFINE_PER_CPU(u64, cp_next_id);
static DEFINE_PER_CPU(unsigned long, cp_pending_full);
static DEFINE_PER_CPU(unsigned long, cp_pending_reclaimed);

static struct cp_bucket *cp_bucket_of(const struct sock *sk)
{
	return &cp_buckets[hash_ptr(sk, cp_bucket_bits)];
}

NOKPROBE_SYMBOL(cp_bucket_of);

static struct cp_attempt *cp_attempt_find(struct cp_bucket *b,
					  const struct sock *sk)
{
	struct cp_attempt *a;

	for (a = b->slot; a < b->slot + CP_WAYS; a++)
		if (a->sk == sk)
			return a;
	return NULL;
}

NOKPROBE_SYMBOL(cp_attempt_find);

static void cp_attempt_free(struct cp_bucket *b, struct cp_attempt *a)
{
	a->sk = NULL;
	WRITE_ONCE(b->used, b->used - 1);
}

NOKPROBE_SYMBOL(cp_attempt_free);

/* Free an entry that may never have given its records: count those. */
static void cp_attempt_forget(struct cp_bucket *b, struct cp_attempt *a)
{
	if (a->state != CP_DONE)
		this_cpu_inc(cp_pending_reclaimed);
	cp_attempt_free(b, a);
}

NOKPROBE_SYMBOL(cp_attempt_forget);

static void cp_attempt_done(struct cp_bucket *b, struct cp_attempt *a)
{
	a->state = CP_DONE;
	a->done_at = b->clock++;
}

NOKPROBE_SYMBOL(cp_attempt_done);

/*
 * A free slot of @b, or the slot of its oldest done entry: NULL if every
 * slot holds an attempt still under way.  The caller sets the key.
 */
static struct cp_attempt *cp_attempt_alloc(struct cp_bucket *b)
{
	struct cp_attempt *a, *oldest = NULL;

	for (a = b->slot; a < b->slot + CP_WAYS; a++) {
		if (!a->sk) {
			WRITE_ONCE(b->used, b->used + 1);
			return a;
		}
		if (a->state == CP_DONE &&
		    (!oldest || (s32)(a->done_at - oldest->done_at) < 0))
			oldest = a;
	}
	return oldest;
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
	struct cp_bucket *b = cp_bucket_of(sk);
	struct cp_attempt *a;
	unsigned long flags;

	raw_spin_lock_irqsave(&b->lock, flags);
	/* A new attempt on the socket, or a stale entry: start over. */
	a = cp_attempt_find(b, sk);
	if (!a) {
		a = cp_attempt_alloc(b);
		if (!a) {
			this_cpu_inc(cp_pending_full);
			goto out;
		}
		a->sk = sk;
	}
	a->ino = cp_sock_ino(sk);
	a->tid = task_pid_nr(current);
	a->state = CP_IN_CALL;
	a->id = cp_new_id();
out:
	raw_spin_unlock_irqrestore(&b->lock, flags);
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
	struct cp_bucket *b = cp_bucket_of(sk);
	struct cp_attempt_call call;
	struct cp_attempt *a;
	unsigned long flags;
	bool complete = false;

	raw_spin_lock_irqsave(&b->lock, flags);
	a = cp_attempt_find(b, sk);
	if (!a || a->state == CP_DONE)
		goto out;
	if (a->ino != cp_sock_ino(sk)) {
		/* Made for a socket since freed, whose address was reused. */
		cp_attempt_forget(b, a);
		goto out;
	}
	if (a->state == CP_IN_PROGRESS) {
		/* Written once the lock is let go: it is not the buffer's. */
		call = a->call;
		cp_attempt_done(b, a);
		complete = true;
	} else {
		a->state = CP_ENDED;
		a->end = *end;
	}
out:
	raw_spin_unlock_irqrestore(&b->lock, flags);
	if (complete)
		cp_write_complete(&call, end);
}

NOKPROBE_SYMBOL(cp_pending_end);

/* A return code that leaves the attempt running past the call. */
static bool cp_ret_in_progress(int ret)
{
	return ret == -EINPROGRESS || cp_ret_interrupted(ret);
}

NOKPROBE_SYMBOL(cp_ret_in_progress);

/**
 * cp_pending_none() - whether a TCP socket surely has no attempt entry
 * @sk: the socket, whose connect call just returned
 *
 * An empty bucket, read without the lock, says so: one this call started
 * was made in this thread, before; one another thread's call started was
 * made before that call let go of the socket's lock, which this call took
 * after it (the lock's release and acquisition order the store of @used
 * before this load).  The attempts that matter to this call cannot be
 * missed; an entry being made for another socket of the bucket meanwhile
 * does not concern it.  A call that failed before it took the socket's
 * lock (a bad address, an LSM's refusal) is not ordered so against
 * another thread's call on the socket: it may get a new id rather than
 * that attempt's, as either answer is right for two calls at once.
 *
 * Return: true if the socket's bucket is empty: cp_pending_on_return()
 * would find nothing and only hand out a new id.
 */
bool cp_pending_none(const struct sock *sk)
{
	return !READ_ONCE(cp_bucket_of(sk)->used);
}

NOKPROBE_SYMBOL(cp_pending_none);

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
	struct cp_bucket *b = cp_bucket_of(sock->sk);
	struct cp_attempt *a;
	unsigned long flags;
	bool complete = false;

	raw_spin_lock_irqsave(&b->lock, flags);
	a = cp_attempt_find(b, sock->sk);
	if (a && a->ino != ino) {
		/* Made for a socket since freed, whose address was reused. */
		cp_attempt_forget(b, a);
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
		cp_attempt_call_save(&a->call, rec);
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
		cp_attempt_done(b, a);
		break;
	}
out:
	raw_spin_unlock_irqrestore(&b->lock, flags);
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
	struct cp_bucket *b = cp_bucket_of(sk);
	struct cp_attempt *a;
	unsigned long flags;

	/*
	 * Most sockets destroyed never had an entry; an empty bucket says so
	 * without the lock.  An entry for @sk itself was added long before
	 * (its connect call came before its close), never concurrently.
	 */
	if (!READ_ONCE(b->used))
		return;
	raw_spin_lock_irqsave(&b->lock, flags);
	a = cp_attempt_find(b, sk);
	if (a)
		cp_attempt_forget(b, a);
	raw_spin_unlock_irqrestore(&b->lock, flags);
}

NOKPROBE_SYMBOL(cp_pending_forget);

/**
 * cp_pending_init() - allocate the table of attempts
 * @attempts: attempts to track at once: the table has twice as many slots
 *	or more
 *
 * Return: 0 or -ENOMEM.
 */
int cp_pending_init(unsigned int attempts)
{
	unsigned int i, n;

	/*
	 * Twice the slots asked for: an attempt can only go to its own
	 * bucket, so a table near full leaves attempts untracked while other
	 * buckets have room (at half full, about 0.8% of attempts with 8
	 * slots a bucket; at a quarter, under 0.01%).  Two buckets at least:
	 * hash_ptr() takes 1 to 64 bits.
	 */
	n = roundup_pow_of_two(max(DIV_ROUND_UP(2 * attempts, CP_WAYS), 2U));
	cp_buckets = kvcalloc(n, sizeof(*cp_buckets), GFP_KERNEL);
	if (!cp_buckets)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		raw_spin_lock_init(&cp_buckets[i].lock);
	cp_bucket_bits = ilog2(n);
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
	kvfree(cp_buckets);
	cp_buckets = NULL;
}

/**
 * cp_percpu_sum() - the sum of a per-CPU counter, over every CPU
 * @counter: the counter
 *
 * Return: the sum.
 */
unsigned long cp_percpu_sum(unsigned long __percpu *counter)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(counter, cpu));
	return sum;
}

/**
 * cp_pending_show_stats() - print how often the table was full, and how
 *	many attempts went with their socket before their call returned
 * @m: the seq_file of the debugfs stats file
 */
void cp_pending_show_stats(struct seq_file *m)
{
	seq_printf(m, "attempts_untracked %lu\n", cp_percpu_sum(&cp_pending_full));
	seq_printf(m, "attempts_reclaimed %lu\n",
		   cp_percpu_sum(&cp_pending_reclaimed));
}
