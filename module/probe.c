// SPDX-License-Identifier: GPL-2.0
/*
 * connprobe probes: the connect calls themselves.
 *
 * connect(2) goes __sys_connect() -> __sys_connect_file().  One kretprobe on
 * __sys_connect() sees every call, before the file descriptor is even looked
 * up, so that calls failing early (EBADF, EFAULT, EINVAL, ENOTSOCK) are
 * seen too.  io_uring's IORING_OP_CONNECT calls __sys_connect_file()
 * directly: a second kretprobe there records those, and lets every call
 * made from the connect syscall go at its entry, before any return hook is
 * set up, so that no call costs two return probes or gives two records.
 * Entry handlers only stamp the call; return handlers build its record.
 * See Documentation/trace/kprobes.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/kprobes.h>
#include <linux/net.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/socket.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <asm/syscall.h>
#include <asm/unistd.h>

#include "connprobe.h"
#include "connprobe_internal.h"

/* What the entry handler of __sys_connect() keeps for its return. */
struct cp_call {
	u64 start_ns;
	void __user *uaddr;
	int fd;
	int addrlen;
};

/* Runs at the entry of __sys_connect(int fd, void __user *addr, int len). */
static int cp_connect_entry(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	struct cp_call *call = (struct cp_call *)ri->data;

	/* Turned away: no return hook, no record, next to no cost. */
	if (!cp_filter_task()) {
		cp_filter_count_call();
		return 1;
	}
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
	struct sockaddr_storage ss;
	struct socket *sock = NULL;
	struct file *file = NULL;

	/* __sys_connect() returns int: narrow the 64-bit register. */
	cp_record_begin(&rec, call->start_ns, (int)regs_return_value(regs));
	rec.fd = call->fd;

	/* EBADF: no file, so the kernel never copied the address either. */
	if (rec.ret != -EBADF) {
		/*
		 * What move_addr_to_kernel() copied, read again from the
		 * caller's memory, which the call has just read: it refuses
		 * these lengths before copying anything.
		 */
		if (call->addrlen >= (int)sizeof(ss.ss_family) &&
		    call->addrlen <= (int)sizeof(ss) &&
		    !copy_from_user_nofault(&ss, call->uaddr, call->addrlen))
			cp_record_daddr(&rec, &ss, call->addrlen);
		file = fget(call->fd);
		if (file)
			sock = sock_from_file(file);
	}
	cp_record_emit(&rec, sock);
	if (file)
		fput(file);
	return 0;
}

NOKPROBE_SYMBOL(cp_connect_return);

static struct kretprobe cp_connect_probe = {
	.kp.symbol_name	= "__sys_connect",
	.entry_handler	= cp_connect_entry,
	.handler	= cp_connect_return,
	.data_size	= sizeof(struct cp_call),
};

/* What the entry handler of __sys_connect_file() keeps for its return. */
struct cp_file_call {
	u64 start_ns;
	struct file *file;	/* held by io_uring for the whole call */
	int addrlen;
	struct sockaddr_storage addr;
};

/* Whether current is in connect(2) (or socketcall(2)): __sys_connect's. */
static bool cp_in_connect_syscall(void)
{
	long nr;

	if (current->flags & (PF_KTHREAD | PF_IO_WORKER))
		return false;
	nr = syscall_get_nr(current, task_pt_regs(current));
#ifdef CONFIG_IA32_EMULATION
	if (in_ia32_syscall())
		return nr == __NR_ia32_connect || nr == __NR_ia32_socketcall;
#endif
	return (nr & ~__X32_SYSCALL_BIT) == __NR_connect;
}

NOKPROBE_SYMBOL(cp_in_connect_syscall);

/*
 * Runs at the entry of __sys_connect_file(struct file *, struct
 * sockaddr_storage *, int addrlen, int flags).  Returning 1 sets up no
 * return hook: calls from connect(2) are __sys_connect()'s to record.
 */
static int cp_connect_file_entry(struct kretprobe_instance *ri,
				 struct pt_regs *regs)
{
	struct cp_file_call *call = (struct cp_file_call *)ri->data;
	const struct sockaddr_storage *addr;

	if (cp_in_connect_syscall())
		return 1;
	if (!cp_filter_task()) {
		cp_filter_count_call();
		return 1;
	}
	call->start_ns = ktime_get_ns();
	call->file = (struct file *)regs_get_kernel_argument(regs, 0);
	addr = (const struct sockaddr_storage *)regs_get_kernel_argument(regs, 1);
	call->addrlen = (int)regs_get_kernel_argument(regs, 2);
	/* io_uring checked the length when it copied the address in. */
	if (call->addrlen >= (int)sizeof(addr->ss_family) &&
	    call->addrlen <= (int)sizeof(*addr))
		memcpy(&call->addr, addr, call->addrlen);
	else
		call->addrlen = -1;
	return 0;
}

NOKPROBE_SYMBOL(cp_connect_file_entry);

static int cp_connect_file_return(struct kretprobe_instance *ri,
				  struct pt_regs *regs)
{
	const struct cp_file_call *call = (const struct cp_file_call *)ri->data;
	struct connprobe_record rec;

	cp_record_begin(&rec, call->start_ns, (int)regs_return_value(regs));
	rec.flags |= CONNPROBE_F_IO_URING;
	/* io_uring may use a registered file: no descriptor to report. */
	rec.fd = -1;
	if (call->addrlen >= 0)
		cp_record_daddr(&rec, &call->addr, call->addrlen);
	cp_record_emit(&rec, sock_from_file(call->file));
	return 0;
}

NOKPROBE_SYMBOL(cp_connect_file_return);

static struct kretprobe cp_connect_file_probe = {
	.kp.symbol_name	= "__sys_connect_file",
	.entry_handler	= cp_connect_file_entry,
	.handler	= cp_connect_file_return,
	.data_size	= sizeof(struct cp_file_call),
};

static struct kretprobe *cp_probes[] = {
	&cp_connect_probe,
	&cp_connect_file_probe,
};

/**
 * cp_probe_register() - attach the probes
 * @maxactive: calls that may be in flight at once, per probe; a blocking
 *	connect() holds one instance for as long as it waits, and a call
 *	beyond this many is not traced but counted in nmissed
 *
 * Return: 0 or a negative errno; nothing is attached on failure.
 */
int cp_probe_register(unsigned int maxactive)
{
	int i, ret;

	/* One at a time, to say which one a kernel lacks or refuses. */
	for (i = 0; i < ARRAY_SIZE(cp_probes); i++) {
		cp_probes[i]->maxactive = maxactive;
		ret = register_kretprobe(cp_probes[i]);
		if (ret < 0) {
			pr_err("cannot probe %s: %s (error %d)\n",
			       cp_probes[i]->kp.symbol_name,
			       ret == -ENOENT ? "no such function in this kernel" :
			       ret == -EINVAL ? "function not probeable" :
			       "registration failed", ret);
			goto out_unregister;
		}
		pr_info("attached to %s, maxactive %d\n",
			cp_probes[i]->kp.symbol_name, cp_probes[i]->maxactive);
	}
	return 0;

out_unregister:
	while (--i >= 0)
		unregister_kretprobe(cp_probes[i]);
	return ret;
}

/**
 * cp_probe_unregister() - detach the probes; returns once no handler runs
 */
void cp_probe_unregister(void)
{
	int i;

	unregister_kretprobes(cp_probes, ARRAY_SIZE(cp_probes));
	for (i = 0; i < ARRAY_SIZE(cp_probes); i++)
		if (cp_probes[i]->nmissed)
			pr_info("%s: %d calls missed, maxactive %d was too low\n",
				cp_probes[i]->kp.symbol_name,
				cp_probes[i]->nmissed, cp_probes[i]->maxactive);
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
	int i;

	for (i = 0; i < ARRAY_SIZE(cp_probes); i++)
		seq_printf(m, "probe %s nmissed %d kp_nmissed %lu maxactive %d\n",
			   cp_probes[i]->kp.symbol_name,
			   READ_ONCE(cp_probes[i]->nmissed),
			   READ_ONCE(cp_probes[i]->kp.nmissed),
			   cp_probes[i]->maxactive);
}
