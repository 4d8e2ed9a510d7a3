// SPDX-License-Identifier: GPL-2.0
/*
 * connprobe probes: the connect calls themselves.
 *
 * connect(2) goes __sys_connect() -> __sys_connect_file().  One kretprobe on
 * __sys_connect() sees every call, before the file descriptor is even looked
 * up, so that calls failing early (EBADF, EFAULT, EINVAL, ENOTSOCK) are
 * seen too.  io_uring's IORING_OP_CONNECT calls __sys_connect_file()
 * directly, from io_connect().  Where __sys_connect() calls it too (every
 * Debian line, 5.10 to sid's 7.2), io_uring's calls are traced inside
 * io_connect() (uring.c), which connect(2) never passes.  Where
 * __sys_connect() inlines it, or io_connect()'s call of it is not found, a
 * second kretprobe at its entry records io_uring's calls, and lets any
 * call made from __sys_connect() go at its entry, before any return hook
 * is set up, so that no call costs two return probes or gives two records.
 * Entry handlers only stamp the call; return handlers build its record.
 * See Documentation/trace/kprobes.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/net.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/socket.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "connprobe.h"
#include "connprobe_internal.h"

/* What the entry handler of __sys_connect() keeps for its return. */
struct cp_call {
	u64 start_ns;
	/* What the descriptor named at entry: compared, never dereferenced. */
	const struct file *file;
	int fd;
	struct cp_call_addr addr;
};

/*
 * The prototypes the handlers read their arguments by: a kernel that
 * changes one fails to build here instead of recording garbage.
 */
static_assert(__same_type(&__sys_connect,
			  int (*)(int, struct sockaddr __user *, int)));
static_assert(__same_type(&__sys_connect_file,
			  int (*)(struct file *, struct sockaddr_storage *,
				  int, int)));

/*
 * Copy the caller's address, @len bytes (at most a sockaddr_storage), a
 * word at a time in one user-access section, page faults off: a page not
 * present fails the copy, as a handler must not wait for one.  This is
 * copy_from_user_nofault() made for a few dozen bytes, which on 6.1 costs
 * ~240 instructions for a sockaddr_in where this costs ~35 (measured in
 * the instruction-counted VM).  A sockaddr_in, the commonest, is two
 * words, copied without a loop; what is left after the words, one access
 * per power of two.  Returns whether all of it was read.
 */
static bool cp_copy_user_addr(struct sockaddr_storage *ss,
			      const void __user *uaddr, int len)
{
	const u64 __user *src = uaddr;
	u64 *dst = (u64 *)ss;
	int i, words = len / sizeof(u64);
	bool done = false;

	pagefault_disable();
	if (!user_access_begin(uaddr, len))
		goto out_enable_faults;
	if (len == 2 * sizeof(u64)) {
		unsafe_get_user(dst[0], &src[0], out_end_access);
		unsafe_get_user(dst[1], &src[1], out_end_access);
		done = true;
		goto out_end_access;
	}
	for (i = 0; i < words; i++)
		unsafe_get_user(dst[i], &src[i], out_end_access);
	if (len & 4) {
		unsafe_get_user(*(u32 *)((u8 *)ss + (len & ~7)),
				(const u32 __user *)((const u8 __user *)uaddr +
						     (len & ~7)),
				out_end_access);
	}
	if (len & 2) {
		unsafe_get_user(*(u16 *)((u8 *)ss + (len & ~3)),
				(const u16 __user *)((const u8 __user *)uaddr +
						     (len & ~3)),
				out_end_access);
	}
	if (len & 1) {
		unsafe_get_user(*((u8 *)ss + (len & ~1)),
				(const u8 __user *)uaddr + (len & ~1),
				out_end_access);
	}
	done = true;
out_end_access:
	user_access_end();
out_enable_faults:
	pagefault_enable();
	return done;
}

NOKPROBE_SYMBOL(cp_copy_user_addr);

/* Runs at the entry of __sys_connect(int fd, void __user *addr, int len). */
static int cp_connect_entry(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	struct cp_call *call = (struct cp_call *)ri->data;
	const void __user *uaddr;
	int len;

	/* Turned away: no return hook, no record, next to no cost. */
	if (!cp_filter_task()) {
		cp_filter_count_call();
		return 1;
	}
	call->start_ns = ktime_get_ns();
	call->fd = (int)regs_get_kernel_argument(regs, 0);
	uaddr = (const void __user *)regs_get_kernel_argument(regs, 1);
	len = (int)regs_get_kernel_argument(regs, 2);
	/*
	 * The address as the caller gave it, now: what the kernel copies a
	 * moment later.  Never read again after the call, when the caller
	 * may have changed it.  A length the kernel refuses is not read.
	 */
	call->addr.len = 0;
	if (len >= (int)sizeof(call->addr.ss.ss_family) &&
	    len <= (int)sizeof(call->addr.ss) &&
	    cp_copy_user_addr(&call->addr.ss, uaddr, len))
		call->addr.len = len;
	/*
	 * Kprobe handlers run with preemption off: an RCU read-side section
	 * (since 4.20) for the descriptor table, which a table that grows is
	 * freed after.  The file is only compared, never dereferenced.
	 */
	call->file = cp_files_lookup_fd_raw(current->files, call->fd);
	return 0;
}

NOKPROBE_SYMBOL(cp_connect_entry);

/*
 * Whether current alone uses its descriptor table: then no other thread
 * can close or replace a descriptor while current runs, and a file it
 * names stays open without a reference of ours, as fdget() reasons too.
 */
static bool cp_files_private(const struct files_struct *files)
{
	return atomic_read(&files->count) == 1;
}

NOKPROBE_SYMBOL(cp_files_private);

/* Runs when __sys_connect() returns, still in the caller's context. */
static int cp_connect_return(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	const struct cp_call *call = (const struct cp_call *)ri->data;
	/* __sys_connect() returns int: narrow the 64-bit register. */
	int ret = (int)regs_return_value(regs);
	struct file *file = NULL, *held = NULL;
	struct socket *sock = NULL;
	u32 flags = 0;

	/*
	 * EBADF: no file at entry, none to look at now.  The call held its
	 * file to the end, so the same pointer now is the same file: else
	 * another thread replaced or closed the descriptor meanwhile, and
	 * its socket now is not the one the call used.  The file must stay
	 * open while its socket is read: a table no other thread uses keeps
	 * it so; else a reference does, against a close by another thread.
	 * Looked up before the reserve, which turns interrupts off.
	 */
	if (ret != -EBADF && call->file) {
		if (cp_files_private(current->files)) {
			file = cp_files_lookup_fd_raw(current->files, call->fd);
		} else {
			held = fget(call->fd);
			file = held;
		}
		if (file == call->file)
			sock = cp_sock_from_file(file);
		else
			flags = CONNPROBE_F_FD_CHANGED;
	}
	cp_record_connect(call->start_ns, ret, call->fd, flags, sock,
			  &call->addr);
	if (held)
		fput(held);
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
	struct cp_call_addr addr;
};

/*
 * Where __sys_connect() lies, once its probe is attached: a call of
 * __sys_connect_file() from in there is connect(2)'s, which the probe on
 * __sys_connect() records.  Empty until then, and on kernels that inline
 * one into the other.
 */
static unsigned long cp_sys_connect_start, cp_sys_connect_end;

/*
 * Runs at the entry of __sys_connect_file(struct file *, struct
 * sockaddr_storage *, int addrlen, int flags).  Returning 1 sets up no
 * return hook: calls from __sys_connect() are its probe's to record.  The
 * caller is told by the return address, not by the system call under
 * way: io_uring also runs its work on the way out of any system call,
 * connect(2)'s included.
 */
static int cp_connect_file_entry(struct kretprobe_instance *ri,
				 struct pt_regs *regs)
{
	struct cp_file_call *call = (struct cp_file_call *)ri->data;
	unsigned long from = cp_entry_return_address(regs);

	if (from - cp_sys_connect_start <
	    cp_sys_connect_end - cp_sys_connect_start)
		return 1;
	if (!cp_filter_task()) {
		cp_filter_count_call();
		return 1;
	}
	call->start_ns = ktime_get_ns();
	call->file = (struct file *)regs_get_kernel_argument(regs, 0);
	cp_call_addr_set(&call->addr, (const struct sockaddr_storage *)
			 regs_get_kernel_argument(regs, 1),
			 (int)regs_get_kernel_argument(regs, 2));
	return 0;
}

NOKPROBE_SYMBOL(cp_connect_file_entry);

static int cp_connect_file_return(struct kretprobe_instance *ri,
				  struct pt_regs *regs)
{
	const struct cp_file_call *call = (const struct cp_file_call *)ri->data;

	/* io_uring may use a registered file: no descriptor to report. */
	cp_record_connect(call->start_ns, (int)regs_return_value(regs), -1,
			  CONNPROBE_F_IO_URING, cp_sock_from_file(call->file),
			  &call->addr);
	return 0;
}

NOKPROBE_SYMBOL(cp_connect_file_return);

static struct kretprobe cp_connect_file_probe = {
	.kp.symbol_name	= "__sys_connect_file",
	.entry_handler	= cp_connect_file_entry,
	.handler	= cp_connect_file_return,
	.data_size	= sizeof(struct cp_file_call),
};

/*
 * Learn where __sys_connect() lies from its attached probe: kallsyms
 * gives its start and size ("__sys_connect+0x4/0x110") for the probe's
 * address.
 */
static int cp_locate_sys_connect(void)
{
	unsigned long addr = (unsigned long)cp_connect_probe.kp.addr;
	unsigned long offset, size;
	char sym[KSYM_SYMBOL_LEN];
	const char *plus;

	sprint_symbol(sym, addr);
	plus = strrchr(sym, '+');
	if (!plus || sscanf(plus, "+%lx/%lx", &offset, &size) != 2 ||
	    offset > addr || !size)
		return -ENOENT;
	cp_sys_connect_start = addr - offset;
	cp_sys_connect_end = cp_sys_connect_start + size;
	return 0;
}

/* Whether io_uring's connects are traced inside io_connect() (uring.c). */
static bool cp_uring_inside;

/*
 * Where __sys_connect() calls __sys_connect_file() (every Debian line,
 * 5.10 to sid's 7.2), every connect(2) would hit a probe at the latter's
 * entry, only to pass it: io_uring's calls are then traced at
 * io_connect()'s call of it instead, which connect(2) never passes.  Where
 * __sys_connect() inlines it, only io_uring reaches its entry, and the
 * kretprobe there stays.
 */
static bool cp_probe_uring_inside(unsigned int maxactive)
{
	unsigned long start, end;
	int ret;

	if (cp_symbol_range("__sys_connect_file", &start, &end) ||
	    !cp_find_call(cp_sys_connect_start, cp_sys_connect_end, start))
		return false;
	ret = cp_uring_register(start, maxactive);
	if (ret)
		pr_info("io_connect's call of __sys_connect_file not probed (error %d): io_uring's connects are traced at __sys_connect_file, which connect(2) passes too\n",
			ret);
	return !ret;
}

static struct kretprobe *cp_probes[] = {
	&cp_connect_probe,
	&cp_connect_file_probe,
};

/* How many of cp_probes[] are attached: the first, at least. */
static int cp_nr_probes;

static int cp_probe_attach(struct kretprobe *rp, unsigned int maxactive)
{
	int ret;

	rp->maxactive = maxactive;
	ret = register_kretprobe(rp);
	if (ret < 0) {
		pr_err("cannot probe %s: %s (error %d)\n", rp->kp.symbol_name,
		       ret == -ENOENT ? "no such function in this kernel" :
		       ret == -EINVAL ? "function not probeable" :
		       "registration failed", ret);
		return ret;
	}
	pr_info("attached to %s, maxactive %d\n", rp->kp.symbol_name,
		rp->maxactive);
	return 0;
}

/**
 * cp_probe_register() - attach the probes
 * @maxactive: calls that may be in flight at once, per probe; a blocking
 *	connect() holds one instance for as long as it waits, and a call
 *	beyond this many is not traced but counted in nmissed
 *
 * The probe on __sys_connect() is required; without the ones for
 * io_uring (inside io_connect(), or on __sys_connect_file()) the module
 * still traces every connect(2), and says in dmesg that io_uring's
 * connects are not traced.
 *
 * Return: 0 or a negative errno; nothing is attached on failure.
 */
int cp_probe_register(unsigned int maxactive)
{
	int ret;

	ret = cp_probe_attach(&cp_connect_probe, maxactive);
	if (ret)
		return ret;
	cp_nr_probes = 1;
	if (cp_locate_sys_connect()) {
		pr_warn("cannot locate __sys_connect: io_uring connects are not traced\n");
		return 0;
	}
	cp_uring_inside = cp_probe_uring_inside(maxactive);
	if (cp_uring_inside)
		return 0;
	if (cp_probe_attach(&cp_connect_file_probe, maxactive)) {
		pr_warn("io_uring connects are not traced\n");
		return 0;
	}
	cp_nr_probes = 2;
	return 0;
}

/**
 * cp_probe_unregister() - detach the probes; returns once no handler runs
 */
void cp_probe_unregister(void)
{
	int i;

	unregister_kretprobes(cp_probes, cp_nr_probes);
	if (cp_uring_inside)
		cp_uring_unregister();
	cp_uring_inside = false;
	for (i = 0; i < cp_nr_probes; i++)
		if (cp_probes[i]->nmissed)
			pr_info("%s: %d calls missed, maxactive %d was too low\n",
				cp_probes[i]->kp.symbol_name,
				cp_probes[i]->nmissed, cp_probes[i]->maxactive);
	cp_nr_probes = 0;
}

/**
 * cp_probe_show_stats() - print each attached probe's miss counters
 * @m: the seq_file of the debugfs stats file
 *
 * nmissed counts calls not traced because all maxactive instances were in
 * use; kp_nmissed counts hits skipped because another probe was running.
 */
void cp_probe_show_stats(struct seq_file *m)
{
	int i;

	for (i = 0; i < cp_nr_probes; i++)
		seq_printf(m, "probe %s nmissed %d kp_nmissed %lu maxactive %d\n",
			   cp_probes[i]->kp.symbol_name,
			   READ_ONCE(cp_probes[i]->nmissed),
			   READ_ONCE(cp_probes[i]->kp.nmissed),
			   cp_probes[i]->maxactive);
	if (cp_uring_inside)
		cp_uring_show_stats(m);
}
