// SPDX-License-Identifier: GPL-2.0
/*
 * Building connprobe records: what the probes know of a call (who, when,
 * which address), what the socket says after it, and the hand-over to the
 * buffer, with the attempt table for TCP.  All of it runs in the probes'
 * atomic context.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/highuid.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/kprobes.h>
#include <linux/net.h>
#include <linux/sched.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/un.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <asm/word-at-a-time.h>

#include "connprobe.h"
#include "connprobe_internal.h"

/*
 * The task's cgroup v2 id, as bpf_get_current_cgroup_id() gives it.  Only
 * from the probes' return handlers: they run with preemption off, an RCU
 * read-side section for the css_set and the cgroup (freed after a grace
 * period), which task_css_set_check() accepts (rcu_read_lock_sched_held()).
 */
static u64 cp_current_cgroup_id(void)
{
#ifdef CONFIG_CGROUPS
	return cgroup_id(task_dfl_cgroup(current));
#else
	return 0;
#endif
}

NOKPROBE_SYMBOL(cp_current_cgroup_id);

/*
 * The signal that interrupted current's call: the lowest-numbered one
 * pending (for the thread or its process) and not blocked, as the kernel
 * delivers them; 0 if none (a freezer's wake-up, say).  Read without the
 * sighand lock: the signal is delivered only after the call returns, so
 * it is still pending here.
 */
static u16 cp_interrupting_signal(void)
{
	const struct task_struct *t = current;
	unsigned long word;
	int i;

	for (i = 0; i < _NSIG_WORDS; i++) {
		word = (READ_ONCE(t->pending.signal.sig[i]) |
			READ_ONCE(t->signal->shared_pending.signal.sig[i])) &
		       ~READ_ONCE(t->blocked.sig[i]);
		if (word)
			return i * _NSIG_BPW + __ffs(word) + 1;
	}
	return 0;
}

NOKPROBE_SYMBOL(cp_interrupting_signal);

/*
 * current's real uid in the initial user namespace, as from_kuid_munged()
 * gives it, without its call: that namespace maps every uid to itself, and
 * the invalid one to the overflow uid.
 */
static u32 cp_current_uid(void)
{
	uid_t uid = __kuid_val(current_uid());

	return uid == (uid_t)-1 ? overflowuid : uid;
}

NOKPROBE_SYMBOL(cp_current_uid);

/*
 * current->comm into @comm, NUL-terminated and NUL-padded as strscpy()
 * into a zeroed buffer gives it, but a word at a time: strscpy() costs
 * ~150 instructions here on 6.1, this ~20 (measured in the
 * instruction-counted VM).  A name changed meanwhile may come out torn,
 * as with strscpy(); it still ends in NUL.
 */
static __always_inline void cp_copy_comm(char comm[CONNPROBE_COMM_LEN])
{
	const struct word_at_a_time zero = WORD_AT_A_TIME_CONSTANTS;
	unsigned long lo, hi, bits;

	/* Two words, in registers: no array on the stack to guard. */
	BUILD_BUG_ON(CONNPROBE_COMM_LEN != 2 * sizeof(long) ||
		     sizeof(current->comm) < CONNPROBE_COMM_LEN);
	memcpy(&lo, current->comm, sizeof(lo));
	memcpy(&hi, current->comm + sizeof(lo), sizeof(hi));
	if (has_zero(lo, &bits, &zero)) {
		bits = prep_zero_mask(lo, bits, &zero);
		lo &= zero_bytemask(create_zero_mask(bits));
		hi = 0;
	} else if (has_zero(hi, &bits, &zero)) {
		bits = prep_zero_mask(hi, bits, &zero);
		hi &= zero_bytemask(create_zero_mask(bits));
	}
	memcpy(comm, &lo, sizeof(lo));
	memcpy(comm + sizeof(lo), &hi, sizeof(hi));
	comm[CONNPROBE_COMM_LEN - 1] = '\0';
}

/**
 * cp_call_addr_set() - keep the kernel's own copy of a call's address
 * @addr: where
 * @ss: the copy __sys_connect_file() is given, which io_uring checked the
 *	length of
 * @len: its length; one the kernel refuses is not kept (@addr->len 0)
 */
void cp_call_addr_set(struct cp_call_addr *addr,
		      const struct sockaddr_storage *ss, int len)
{
	addr->len = 0;
	if (len >= (int)sizeof(ss->ss_family) && len <= (int)sizeof(*ss)) {
		memcpy(&addr->ss, ss, len);
		addr->len = len;
	}
}

NOKPROBE_SYMBOL(cp_call_addr_set);

/* The part of a record from @uid on, zeroed whole by cp_record_init(). */
struct cp_record_tail {
	u64 w[(sizeof(struct connprobe_record) -
	       offsetof(struct connprobe_record, uid)) / sizeof(u64)];
};

/*
 * Give @rec its header and zero every byte that its builder may leave
 * unset, so that no byte is left uninitialised: all from @uid on, and
 * @flags and @id.  The other fields before @uid are written by each
 * builder (cp_record_begin(), cp_write_complete()), and @seq and @cpu at
 * the commit: zeroing them too would write them twice, a rep stos step
 * per word.  The tail is zeroed as aligned words, as one struct.
 */
static __always_inline void cp_record_init(struct connprobe_record *rec,
					   u8 event)
{
	BUILD_BUG_ON(offsetof(struct connprobe_record, uid) % sizeof(u64) ||
		     sizeof(*rec) % sizeof(u64));
	*(struct cp_record_tail *)&rec->uid = (struct cp_record_tail){};
	/*
	 * The debug kernel's build poisons what each builder must write, so
	 * that a builder forgetting a field fails the selftests on every
	 * pass over the buffer, not only on the first (relay's fresh pages
	 * are zeroed; later ones hold the last record, often the same
	 * task's).
	 */
	if (IS_ENABLED(CONFIG_KASAN))
		memset(&rec->ts_ns, 0xa5, offsetof(struct connprobe_record, uid) -
					  offsetof(struct connprobe_record, ts_ns));
	rec->size = sizeof(*rec);
	rec->version = CONNPROBE_RECORD_VERSION;
	rec->event = event;
	rec->flags = 0;
	rec->id = 0;
}

/* Start the CONNECT record of a call that just returned: who, when, what. */
static __always_inline void cp_record_begin(struct connprobe_record *rec,
					    u64 start_ns, int ret)
{
	cp_record_init(rec, CONNPROBE_EVENT_CONNECT);
	rec->latency_ns = ktime_get_ns() - start_ns;
	rec->ts_ns = start_ns;
	rec->ret = ret;
	rec->pid = task_tgid_nr(current);
	rec->tid = task_pid_nr(current);
	rec->uid = cp_current_uid();
	rec->cgroup_id = cp_current_cgroup_id();
	cp_copy_comm(rec->comm);
	if (cp_ret_interrupted(ret))
		rec->signal = cp_interrupting_signal();
}

/**
 * cp_task_info_get() - keep what a record takes from current, now
 * @who: where
 * @ret: what the call returned (an interrupted call keeps its signal)
 *
 * Safe in NMI context (an unoptimized kprobe's int3): no lock, and the
 * NMI-safe clock, which is CLOCK_MONOTONIC as ktime_get_ns() is.
 */
void cp_task_info_get(struct cp_task_info *who, int ret)
{
	BUILD_BUG_ON(sizeof(who->comm) != CONNPROBE_COMM_LEN);
	who->end_ns = ktime_get_mono_fast_ns();
	who->pid = task_tgid_nr(current);
	who->tid = task_pid_nr(current);
	who->uid = cp_current_uid();
	who->cgroup_id = cp_current_cgroup_id();
	cp_copy_comm(who->comm);
	who->signal = cp_ret_interrupted(ret) ? cp_interrupting_signal() : 0;
}

NOKPROBE_SYMBOL(cp_task_info_get);

/*
 * cp_record_begin() for a call whose task and end @who kept.  Its start
 * and end may come from two CPUs' clocks: an end that reads before the
 * start gives a latency of 0, never a wrapped one.
 */
static __always_inline void cp_record_begin_as(struct connprobe_record *rec,
					       const struct cp_task_info *who,
					       u64 start_ns, int ret)
{
	cp_record_init(rec, CONNPROBE_EVENT_CONNECT);
	rec->latency_ns = who->end_ns > start_ns ? who->end_ns - start_ns : 0;
	rec->ts_ns = start_ns;
	rec->ret = ret;
	rec->pid = who->pid;
	rec->tid = who->tid;
	rec->uid = who->uid;
	rec->cgroup_id = who->cgroup_id;
	memcpy(rec->comm, who->comm, sizeof(rec->comm));
	rec->signal = who->signal;
}

/*
 * The destination, from the address the call was given.  An inet address
 * too short to hold the address (the kernel refuses it) leaves @daddr and
 * @dport zero: readers tell by @addrlen.  One too short for a family, or
 * too long, is none the kernel accepts: nothing is recorded.
 */
static __always_inline void cp_record_daddr(struct connprobe_record *rec,
					    const struct sockaddr_storage *ss,
					    int addrlen)
{
	if (addrlen < (int)sizeof(ss->ss_family) || addrlen > (int)sizeof(*ss))
		return;
	rec->flags |= CONNPROBE_F_DADDR;
	rec->daddr_family = ss->ss_family;
	rec->addrlen = addrlen;
	if (ss->ss_family == AF_UNIX) {
		const struct sockaddr_un *sun = (const struct sockaddr_un *)ss;
		size_t len = addrlen - offsetof(struct sockaddr_un, sun_path);

		memcpy(rec->sun_path, sun->sun_path,
		       min(len, sizeof(rec->sun_path)));
	} else if (ss->ss_family == AF_INET &&
		   addrlen >= (int)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;

		memcpy(rec->daddr, &sin->sin_addr, sizeof(sin->sin_addr));
		rec->dport = ntohs(sin->sin_port);
	} else if (ss->ss_family == AF_INET6 &&
		   addrlen >= SIN6_LEN_RFC2133) {
		const struct sockaddr_in6 *sin6 =
			(const struct sockaddr_in6 *)ss;

		memcpy(rec->daddr, &sin6->sin6_addr, sizeof(sin6->sin6_addr));
		rec->dport = ntohs(sin6->sin6_port);
	}
}

/* The source (or, with @dest, the destination) of an inet socket. */
static __always_inline u16 cp_sock_end(const struct sock *sk, bool dest,
				       u8 *addr)
{
	const struct inet_sock *inet = inet_sk(sk);
	__be16 port = dest ? READ_ONCE(inet->inet_dport) :
			     READ_ONCE(inet->inet_sport);
	__be32 v4;

	if (!port)
		return 0;
	if (sk->sk_family == AF_INET) {
		v4 = dest ? READ_ONCE(sk->sk_daddr) : READ_ONCE(inet->inet_saddr);
		memcpy(addr, &v4, sizeof(v4));
	}
#if IS_ENABLED(CONFIG_IPV6)
	else
		memcpy(addr, dest ? &sk->sk_v6_daddr : &sk->sk_v6_rcv_saddr,
		       sizeof(struct in6_addr));
#endif
	return ntohs(port);
}

/**
 * cp_sock_source() - an inet socket's source address and port
 * @sk: the socket
 * @saddr: CONNPROBE_ADDR_LEN bytes, network order (IPv4 in the first 4)
 *
 * Return: the source port, host order; 0 when none is bound.
 */
u16 cp_sock_source(const struct sock *sk, u8 *saddr)
{
	return cp_sock_end(sk, false, saddr);
}

NOKPROBE_SYMBOL(cp_sock_source);

/**
 * cp_sock_dest() - the destination an inet socket is connected to
 * @sk: the socket
 * @daddr: CONNPROBE_ADDR_LEN bytes, network order (IPv4 in the first 4)
 *
 * Return: the destination port, host order; 0 when it has none.
 */
u16 cp_sock_dest(const struct sock *sk, u8 *daddr)
{
	return cp_sock_end(sk, true, daddr);
}

NOKPROBE_SYMBOL(cp_sock_dest);

/*
 * Whether two addresses of @family (AF_INET or AF_INET6), as in struct
 * connprobe_record, are the same: loads of constant size, where memcmp()
 * of a length known only at run time is a call and a loop.
 */
static bool cp_addr_equal(const u8 *a, const u8 *b, u16 family)
{
	u64 a0, a1, b0, b1;
	u32 a4, b4;

	if (family == AF_INET) {
		memcpy(&a4, a, sizeof(a4));
		memcpy(&b4, b, sizeof(b4));
		return a4 == b4;
	}
	memcpy(&a0, a, sizeof(a0));
	memcpy(&a1, a + sizeof(a0), sizeof(a1));
	memcpy(&b0, b, sizeof(b0));
	memcpy(&b1, b + sizeof(b0), sizeof(b1));
	return !((a0 ^ b0) | (a1 ^ b1));
}

NOKPROBE_SYMBOL(cp_addr_equal);

/**
 * cp_record_used_daddr() - the destination the kernel used, if it differs
 * @rec: a record with the destination as the call was given it
 * @family: the socket's family
 * @daddr: where the socket went, as cp_sock_dest() gives it
 * @dport: its port; 0 when the socket has no destination
 *
 * The caller's address is read at the call's entry; the kernel copies it a
 * moment later, and a caller that rewrites it meanwhile, or a call on an
 * attempt already under way, sends the socket elsewhere.  The record then
 * names where the socket went, and says so.
 */
void cp_record_used_daddr(struct connprobe_record *rec, u16 family,
			  const u8 *daddr, u16 dport)
{
	size_t len = family == AF_INET ? sizeof(struct in_addr) :
					 sizeof(struct in6_addr);

	if (!dport || !(rec->flags & CONNPROBE_F_DADDR) ||
	    rec->daddr_family != family ||
	    (rec->dport == dport && cp_addr_equal(rec->daddr, daddr, family)))
		return;
	rec->flags |= CONNPROBE_F_DADDR_CHANGED;
	rec->dport = dport;
	memcpy(rec->daddr, daddr, len);
}

NOKPROBE_SYMBOL(cp_record_used_daddr);

/* A socket whose connect() goes through SYN_SENT and the attempt table. */
static bool cp_sock_is_tcp(const struct sock *sk)
{
	return (sk->sk_family == AF_INET || sk->sk_family == AF_INET6) &&
	       sk->sk_type == SOCK_STREAM && sk->sk_protocol == IPPROTO_TCP;
}

NOKPROBE_SYMBOL(cp_sock_is_tcp);

/*
 * Commit the CONNECT record of a call on a TCP socket whose bucket of the
 * attempt table has entries: the attempt, if the call made one, gives the
 * record its id and what the error path cleared, and a COMPLETE record
 * follows it when the attempt ended inside a call that still said
 * EINPROGRESS.  Out of line: its locals are set up only here.
 */
static noinline void cp_record_commit_attempt(struct cp_slot *slot,
					      const struct socket *sock)
{
	struct connprobe_record *rec = slot->rec;
	struct cp_attempt_call call;
	struct cp_attempt_end end;

	if (!cp_pending_on_return(sock, rec, &end)) {
		cp_buffer_commit(slot, cp_filter_record(rec));
		return;
	}
	/* Kept before the commit: the slot may be another record's after. */
	cp_attempt_call_save(&call, rec);
	cp_buffer_commit(slot, cp_filter_record(rec));
	cp_write_complete(&call, &end);
}

NOKPROBE_SYMBOL(cp_record_commit_attempt);

/* Where an inet socket with a destination port went, if not where asked. */
static noinline void cp_record_sock_dest(struct connprobe_record *rec,
					 const struct sock *sk)
{
	u8 daddr[CONNPROBE_ADDR_LEN];
	u16 dport;

	dport = cp_sock_dest(sk, daddr);
	cp_record_used_daddr(rec, sk->sk_family, daddr, dport);
}

NOKPROBE_SYMBOL(cp_record_sock_dest);

/* The socket's part of a CONNECT record. */
static __always_inline void cp_record_sock(struct connprobe_record *rec,
					   const struct sock *sk)
{
	rec->flags |= CONNPROBE_F_SOCK;
	rec->family = sk->sk_family;
	rec->type = sk->sk_type;
	rec->protocol = sk->sk_protocol;
	rec->netns = sock_net(sk)->ns.inum;
	/*
	 * No port, no source (e.g. EAFNOSUPPORT before autobind).  A failed
	 * TCP attempt gets back what it used from the table.  No destination
	 * port, no destination to compare with the one given: the test comes
	 * first, so that a call that failed before the socket had one (no
	 * route, say) costs no more.
	 */
	if (sk->sk_family != AF_INET && sk->sk_family != AF_INET6)
		return;
	rec->sport = cp_sock_end(sk, false, rec->saddr);
	if (rec->sport)
		rec->flags |= CONNPROBE_F_SADDR;
	if (READ_ONCE(inet_sk(sk)->inet_dport))
		cp_record_sock_dest(rec, sk);
}

/*
 * The rest of a CONNECT record @rec, @slot's, after its who and when, and
 * its commit; @sk is @sock's, or NULL.  Inline in both builders, so that
 * connect(2)'s is compiled as it was before the other came.
 */
static __always_inline void cp_record_finish(struct cp_slot *slot,
					     struct connprobe_record *rec,
					     int ret, int fd, u32 flags,
					     const struct socket *sock,
					     const struct sock *sk,
					     const struct cp_call_addr *addr)
{
	rec->fd = fd;
	rec->flags |= flags;
	/* EBADF and EFAULT: the kernel never had the address. */
	if (addr->len && ret != -EBADF && ret != -EFAULT)
		cp_record_daddr(rec, &addr->ss, addr->len);
	if (sk) {
		cp_record_sock(rec, sk);
		/* No entry in the socket's bucket: no attempt of the call's. */
		if (cp_sock_is_tcp(sk) && !cp_pending_none(sk)) {
			cp_record_commit_attempt(slot, sock);
			return;
		}
		rec->id = cp_new_id();
	}
	cp_buffer_commit(slot, cp_filter_record(rec));
}

/**
 * cp_record_connect() - write the CONNECT record of a call that just returned
 * @start_ns: ktime_get_ns() at the call's entry
 * @ret: what the call returned
 * @fd: the descriptor it was given; -1 for none (io_uring)
 * @flags: the CONNPROBE_F_* bits the probe knows of the call
 *	(CONNPROBE_F_FD_CHANGED, CONNPROBE_F_IO_URING)
 * @sock: the socket the call was made on, or NULL when there was none
 * @addr: the address the call was given
 *
 * A TCP attempt that the call left in progress is remembered, to write its
 * COMPLETE record when it ends; one that ended inside a call that still
 * said EINPROGRESS gets its COMPLETE record right after this one.  The
 * record is built in place, in the buffer: no copy of it on the stack.
 */
void cp_record_connect(u64 start_ns, int ret, int fd, u32 flags,
		       const struct socket *sock,
		       const struct cp_call_addr *addr)
{
	const struct sock *sk = sock ? sock->sk : NULL;
	struct cp_slot *slot = cp_buffer_reserve();
	struct connprobe_record *rec = slot->rec;

	cp_record_begin(rec, start_ns, ret);
	cp_record_finish(slot, rec, ret, fd, flags, sock, sk, addr);
}

NOKPROBE_SYMBOL(cp_record_connect);

/**
 * cp_record_connect_as() - cp_record_connect() of a call that returned
 *	earlier, from anywhere: its task's part from @who, not from current
 * @who: what cp_task_info_get() kept at the call's return
 * @start_ns: the call's entry, on the clock of @who->end_ns
 * @ret: what the call returned
 * @fd: the descriptor it was given; -1 for none (io_uring)
 * @flags: the CONNPROBE_F_* bits the probe knows of the call
 * @sock: the socket the call was made on, or NULL; the caller holds it
 * @addr: the address the call was given
 */
void cp_record_connect_as(const struct cp_task_info *who, u64 start_ns,
			  int ret, int fd, u32 flags,
			  const struct socket *sock,
			  const struct cp_call_addr *addr)
{
	const struct sock *sk = sock ? sock->sk : NULL;
	struct cp_slot *slot = cp_buffer_reserve();
	struct connprobe_record *rec = slot->rec;

	cp_record_begin_as(rec, who, start_ns, ret);
	cp_record_finish(slot, rec, ret, fd, flags, sock, sk, addr);
}

NOKPROBE_SYMBOL(cp_record_connect_as);

/**
 * cp_attempt_call_save() - keep what an attempt's COMPLETE record repeats
 * @call: where
 * @rec: the CONNECT record of the call that started the attempt
 */
void cp_attempt_call_save(struct cp_attempt_call *call,
			  const struct connprobe_record *rec)
{
	BUILD_BUG_ON(sizeof(call->saddr) != sizeof(rec->saddr) ||
		     sizeof(call->daddr) != sizeof(rec->daddr) ||
		     sizeof(call->comm) != sizeof(rec->comm));
	call->ts_ns = rec->ts_ns;
	call->id = rec->id;
	call->cgroup_id = rec->cgroup_id;
	call->flags = rec->flags;
	call->pid = rec->pid;
	call->tid = rec->tid;
	call->uid = rec->uid;
	call->netns = rec->netns;
	call->fd = rec->fd;
	call->family = rec->family;
	call->type = rec->type;
	call->protocol = rec->protocol;
	call->daddr_family = rec->daddr_family;
	call->sport = rec->sport;
	call->dport = rec->dport;
	call->addrlen = rec->addrlen;
	memcpy(call->saddr, rec->saddr, sizeof(call->saddr));
	memcpy(call->daddr, rec->daddr, sizeof(call->daddr));
	memcpy(call->comm, rec->comm, sizeof(call->comm));
}

NOKPROBE_SYMBOL(cp_attempt_call_save);

/**
 * cp_write_complete() - write the COMPLETE record of an attempt
 * @call: what its CONNECT record said
 * @end: how and when the attempt ended
 */
void cp_write_complete(const struct cp_attempt_call *call,
		       const struct cp_attempt_end *end)
{
	struct cp_slot *slot = cp_buffer_reserve();
	struct connprobe_record *rec = slot->rec;

	cp_record_init(rec, CONNPROBE_EVENT_COMPLETE);
	rec->flags = call->flags;
	rec->ts_ns = call->ts_ns;
	rec->latency_ns = end->ns - call->ts_ns;
	rec->id = call->id;
	rec->cgroup_id = call->cgroup_id;
	rec->ret = end->ret;
	rec->pid = call->pid;
	rec->tid = call->tid;
	rec->uid = call->uid;
	rec->netns = call->netns;
	rec->fd = call->fd;
	rec->family = call->family;
	rec->type = call->type;
	rec->protocol = call->protocol;
	rec->daddr_family = call->daddr_family;
	rec->sport = call->sport;
	rec->dport = call->dport;
	rec->addrlen = call->addrlen;
	memcpy(rec->saddr, call->saddr, sizeof(rec->saddr));
	memcpy(rec->daddr, call->daddr, sizeof(rec->daddr));
	memcpy(rec->comm, call->comm, sizeof(rec->comm));
	/* The signal, if any, was the call's, not the attempt's: 0. */
	if (end->abandoned)
		rec->flags |= CONNPROBE_F_ABANDONED;
	if (end->sport) {
		rec->flags |= CONNPROBE_F_SADDR;
		rec->sport = end->sport;
		memcpy(rec->saddr, end->saddr, sizeof(rec->saddr));
	}
	cp_buffer_commit(slot, cp_filter_record(rec));
}

NOKPROBE_SYMBOL(cp_write_complete);
