// SPDX-License-Identifier: GPL-2.0
/*
 * connprobe probes: one kretprobe on __sys_connect(), the function every
 * connect(2) goes through, before the file descriptor is even looked up, so
 * that calls failing early (EBADF, ENOTSOCK, EFAULT) are seen too.  The entry
 * handler only stamps the call; the return handler builds the one record of
 * the call.  See Documentation/trace/kprobes.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/kprobes.h>
#include <linux/net.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/un.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "connprobe.h"
#include "connprobe_internal.h"

/* What the entry handler keeps for the return handler, per call. */
struct cp_call {
	u64 start_ns;
	void __user *uaddr;
	int fd;
	int addrlen;
};

/* Fill in the destination from the caller's sockaddr, as the kernel saw it. */
static void cp_describe_daddr(struct connprobe_record *rec,
			      const struct cp_call *call)
{
	struct sockaddr_storage ss;

	/* move_addr_to_kernel() refuses these lengths before copying. */
	if (call->addrlen < (int)sizeof(ss.ss_family) ||
	    call->addrlen > (int)sizeof(ss))
		return;
	if (copy_from_user_nofault(&ss, call->uaddr, call->addrlen))
		return;

	rec->flags |= CONNPROBE_F_DADDR;
	rec->daddr_family = ss.ss_family;
	rec->addrlen = call->addrlen;
	if (ss.ss_family == AF_UNIX) {
		const struct sockaddr_un *sun = (const struct sockaddr_un *)&ss;

		size_t len = call->addrlen -
			     offsetof(struct sockaddr_un, sun_path);

		memcpy(rec->sun_path, sun->sun_path,
		       min(len, sizeof(rec->sun_path)));
	} else if (ss.ss_family == AF_INET &&
	    call->addrlen >= (int)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)&ss;

		memcpy(rec->daddr, &sin->sin_addr, sizeof(sin->sin_addr));
		rec->dport = ntohs(sin->sin_port);
	} else if (ss.ss_family == AF_INET6 &&
		   call->addrlen >= SIN6_LEN_RFC2133) {
		const struct sockaddr_in6 *sin6 =
			(const struct sockaddr_in6 *)&ss;

		memcpy(rec->daddr, &sin6->sin6_addr, sizeof(sin6->sin6_addr));
		rec->dport = ntohs(sin6->sin6_port);
	}
}

NOKPROBE_SYMBOL(cp_describe_daddr);

/* Fill in what the socket says after the call: its kind and source. */
static void cp_describe_socket(struct connprobe_record *rec,
			       const struct socket *sock)
{
	const struct sock *sk = sock->sk;
	const struct inet_sock *inet;

	if (!sk)
		return;
	rec->flags |= CONNPROBE_F_SOCK;
	rec->family = sk->sk_family;
	rec->type = sk->sk_type;
	rec->protocol = sk->sk_protocol;
	rec->netns = sock_net(sk)->ns.inum;

	if (sk->sk_family != AF_INET && sk->sk_family != AF_INET6)
		return;
	inet = inet_sk(sk);
	rec->sport = ntohs(READ_ONCE(inet->inet_sport));
	/*
	 * No bound port, no source (e.g. EAFNOSUPPORT before autobind).  A
	 * refused TCP connect keeps its port but its address is reset: that
	 * is what getsockname() shows after the call, and what we record.
	 */
	if (!rec->sport)
		return;
	rec->flags |= CONNPROBE_F_SADDR;
	if (sk->sk_family == AF_INET) {
		__be32 saddr = READ_ONCE(inet->inet_saddr);

		memcpy(rec->saddr, &saddr, sizeof(saddr));
	}
#if IS_ENABLED(CONFIG_IPV6)
	else
		memcpy(rec->saddr, &sk->sk_v6_rcv_saddr, sizeof(struct in6_addr));
#endif
}

NOKPROBE_SYMBOL(cp_describe_socket);

/* The task's cgroup v2 id, as bpf_get_current_cgroup_id() gives it. */
static u64 cp_current_cgroup_id(void)
{
	u64 id = 0;

#ifdef CONFIG_CGROUPS
	rcu_read_lock();
	id = cgroup_id(task_dfl_cgroup(current));
	rcu_read_unlock();
#endif
	return id;
}

NOKPROBE_SYMBOL(cp_current_cgroup_id);

/* Runs at the entry of __sys_connect(int fd, void __user *addr, int len). */
static int cp_connect_entry(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	struct cp_call *call = (struct cp_call *)ri->data;

	call->start_ns = ktime_get_ns();
	call->fd = (int)regs_get_kernel_argument(regs, 0);
	call->uaddr = (void __user *)regs_get_kernel_argument(regs, 1);
	call->addrlen = (int)regs_get_kernel_argument(regs, 2);
	return 0;
}

NOKPROBE_SYMBOL(cp_connect_entry);

/* Runs when __sys_connect() returns, still in the caller's context. */
static int cp_connect_return(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	const struct cp_call *call = (const struct cp_call *)ri->data;
	struct connprobe_record rec;
	struct file *file;

	memset(&rec, 0, sizeof(rec));
	rec.latency_ns = ktime_get_ns() - call->start_ns;
	rec.size = sizeof(rec);
	rec.version = CONNPROBE_RECORD_VERSION;
	rec.event = CONNPROBE_EVENT_CONNECT;
	rec.ts_ns = call->start_ns;
	/* __sys_connect() returns int: narrow the 64-bit register. */
	rec.ret = (int)regs_return_value(regs);
	rec.pid = task_tgid_nr(current);
	rec.tid = task_pid_nr(current);
	rec.fd = call->fd;
	rec.uid = from_kuid_munged(&init_user_ns, current_uid());
	rec.cgroup_id = cp_current_cgroup_id();
	strscpy(rec.comm, current->comm, sizeof(rec.comm));

	/* EBADF: no file, so the kernel never copied the address either. */
	if (rec.ret != -EBADF) {
		cp_describe_daddr(&rec, call);
		file = fget(call->fd);
		if (file) {
			struct socket *sock = sock_from_file(file);

			if (sock)
				cp_describe_socket(&rec, sock);
			fput(file);
		}
	}
	cp_buffer_write(&rec);
	return 0;
}

NOKPROBE_SYMBOL(cp_connect_return);

static struct kretprobe cp_connect_probe = {
	.kp.symbol_name	= "__sys_connect",
	.entry_handler	= cp_connect_entry,
	.handler	= cp_connect_return,
	.data_size	= sizeof(struct cp_call),
};

/**
 * cp_probe_register() - attach the probes
 * @maxactive: calls that may be in flight at once; a blocking connect()
 *	holds one instance for as long as it waits, and a call beyond this
 *	many is not traced but counted in nmissed
 *
 * Return: 0 or a negative errno.
 */
int cp_probe_register(unsigned int maxactive)
{
	int ret;

	cp_connect_probe.maxactive = maxactive;
	ret = register_kretprobe(&cp_connect_probe);
	if (ret < 0) {
		pr_err("cannot probe %s: error %d\n",
		       cp_connect_probe.kp.symbol_name, ret);
		return ret;
	}
	pr_info("attached to %s, maxactive %d\n",
		cp_connect_probe.kp.symbol_name, cp_connect_probe.maxactive);
	return 0;
}

/**
 * cp_probe_unregister() - detach the probes; returns once no handler runs
 */
void cp_probe_unregister(void)
{
	unregister_kretprobe(&cp_connect_probe);
	if (cp_connect_probe.nmissed)
		pr_info("%s: %d calls missed, maxactive %d was too low\n",
			cp_connect_probe.kp.symbol_name,
			cp_connect_probe.nmissed, cp_connect_probe.maxactive);
}

/**
 * cp_probe_show_stats() - print each probe's miss counters
 * @m: the seq_file of the debugfs stats file
 *
 * nmissed counts calls not traced because all maxactive instances were in
 * use; kp_nmissed counts hits skipped because another probe was running.
 */
void cp_probe_show_stats(struct seq_file *m)
{
	seq_printf(m, "probe %s nmissed %d kp_nmissed %lu maxactive %d\n",
		   cp_connect_probe.kp.symbol_name,
		   READ_ONCE(cp_connect_probe.nmissed),
		   READ_ONCE(cp_connect_probe.kp.nmissed),
		   cp_connect_probe.maxactive);
}
