/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels connprobe supports, in one place: every
 * LINUX_VERSION_CODE test of the module belongs here, never in a .c file.
 *
 * The supported kernels are Debian's lines from 5.10 (bullseye) to sid's
 * newest (scripts/kernel.sh lines), each built with W=1 and sparse and
 * tested in the VM by make check.  An interface that changes between them
 * gets its shim here, a macro or static inline picked by
 * LINUX_VERSION_CODE, so that the .c files call one name on every kernel.
 * Interfaces the same in all of them: kretprobes and their data_size,
 * debugfs, the tracepoints (tcp_state.c checks their prototypes),
 * __sys_connect() and __sys_connect_file() (probe.c checks theirs),
 * user_access_begin() and unsafe_get_user().
 *
 * LINUX_VERSION_CODE saturates at sublevel 255 (5.10.262 reads as
 * 5.10.255): a test for a stable backport can only name a sublevel below.
 */
#ifndef _CONNPROBE_COMPAT_H
#define _CONNPROBE_COMPAT_H

#include <linux/version.h>

/*
 * Older kernels lack what the module is written against
 * (__sys_connect_file() came in 5.5), and none is tested: one clear line
 * from DKMS's build log beats a page of compiler errors.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 10, 0)
#error "connprobe needs Linux 5.10 or later"
#endif

#include <linux/fdtable.h>
#include <linux/irq_work.h>
#include <linux/kprobes.h>
#include <linux/net.h>
#include <linux/ptrace.h>
#include <linux/relay.h>
#include <linux/ring_buffer.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/uaccess.h>

/*
 * The return address of a function whose entry a kprobe just hit: where it
 * was called from.  Only the architectures below say where it is before
 * the function's first instruction runs; elsewhere the io_uring probe
 * cannot tell connect(2)'s own calls from io_uring's.
 */
static inline unsigned long cp_entry_return_address(struct pt_regs *regs)
{
#if defined(CONFIG_X86)
	return regs_get_kernel_stack_nth(regs, 0);
#elif defined(CONFIG_ARM64)
	return procedure_link_pointer(regs);
#else
#error "connprobe: cp_entry_return_address() knows x86 and arm64 only"
#endif
}

/*
 * The address of the first direct call of @target in the code from @start
 * to @end, or 0 if there is none or this architecture's calls are not
 * known here: x86's "call rel32" (e8), from which the return comes to the
 * instruction 5 bytes on (cp_call_next()).  A match of the bytes inside
 * another instruction is not told apart here: register_kprobe() refuses an
 * address that is not an instruction's (-EILSEQ).
 */
static inline unsigned long cp_find_call(unsigned long start,
					 unsigned long end,
					 unsigned long target)
{
#if defined(CONFIG_X86)
	unsigned long p;
	s32 rel;
	u8 op;

	for (p = start; p + 5 <= end; p++)
		if (!copy_from_kernel_nofault(&op, (void *)p, 1) && op == 0xe8 &&
		    !copy_from_kernel_nofault(&rel, (void *)(p + 1), 4) &&
		    p + 5 + rel == target)
			return p;
#endif
	return 0;
}

static inline unsigned long cp_call_next(unsigned long call)
{
	return call + 5;
}

/*
 * ring_buffer_unlock_commit() lost its event argument in 6.2 ("trace/
 * ring_buffer: remove unused arguments").  Only the self-benchmark's
 * comparison with the tracing ring buffer uses it.
 */
static inline int cp_ring_buffer_commit(struct trace_buffer *buffer,
					struct ring_buffer_event *event)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return ring_buffer_unlock_commit(buffer);
#else
	return ring_buffer_unlock_commit(buffer, event);
#endif
}

/*
 * sock_from_file() lost its error argument in 5.11 ("net: Remove the err
 * argument from sock_from_file"); the error was always -ENOTSOCK.
 */
static inline struct socket *cp_sock_from_file(struct file *file)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 11, 0)
	return sock_from_file(file);
#else
	int err;

	return sock_from_file(file, &err);
#endif
}

/*
 * The file a descriptor names, unlocked: the caller has preemption off (a
 * probe's handler) or holds rcu_read_lock(), and only compares the
 * pointer.  __fcheck_files() was renamed files_lookup_fd_raw() in 5.11,
 * and in 5.10.220 ("file: Rename __fcheck_files to files_lookup_fd_raw",
 * a stable backport).
 */
static inline struct file *cp_files_lookup_fd_raw(struct files_struct *files,
						  unsigned int fd)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 10, 220)
	return files_lookup_fd_raw(files, fd);
#else
	return __fcheck_files(files, fd);
#endif
}

/*
 * Stop a timer for good, waiting for its callback.  timer_shutdown_sync()
 * came in 6.2 and in 6.1.158 (a stable backport); before it,
 * del_timer_sync(), which 6.15 removed.  The difference (a shut-down timer
 * cannot be armed again) does not matter to a caller that makes sure
 * nothing arms it any more.
 */
static inline void cp_timer_shutdown_sync(struct timer_list *timer)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 158)
	timer_shutdown_sync(timer);
#else
	del_timer_sync(timer);
#endif
}

/*
 * relay_open() takes const callbacks from 5.11 on ("relay: allow the use
 * of const callback structs").  Before, it writes the defaults of the
 * callbacks left NULL into the caller's struct: a const one faults there,
 * at insmod.  CP_RELAY_CONST qualifies the module's callbacks.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 11, 0)
#define CP_RELAY_CONST const
#else
#define CP_RELAY_CONST
#endif

/*
 * relay's subbuf_start callback lost its prev_padding argument in 6.17
 * ("relay: remove unused prev_padding argument").  CP_SUBBUF_START_PREV
 * is the callback's parameters after subbuf, whichever the kernel's are.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
#define CP_SUBBUF_START_PREV	void *prev_subbuf
#else
#define CP_SUBBUF_START_PREV	void *prev_subbuf, size_t prev_padding
#endif

/*
 * kzalloc_obj() came in 7.0, and the checkpatch.pl of that line prefers it
 * to kzalloc() of a sizeof.  cp_kzalloc_obj(*p, gfp) allocates a zeroed
 * object the size of *p, with the one or the other.
 */
#ifdef kzalloc_obj
#define cp_kzalloc_obj(obj, gfp)	kzalloc_obj(obj, gfp)
#else
#define cp_kzalloc_obj(obj, gfp)	kzalloc(sizeof(obj), gfp)
#endif

/*
 * The interfaces the shims above stand for, as the module uses them: a
 * kernel that moves one again fails to build here, with a message that
 * names it and its shim, rather than with a warning (a const dropped, a
 * callback of another type) and a module that breaks at run time.
 */
static_assert(__same_type(&relay_open,
			  struct rchan *(*)(const char *, struct dentry *,
					    size_t, size_t,
					    CP_RELAY_CONST struct rchan_callbacks *,
					    void *)),
	      "relay_open() changed: see CP_RELAY_CONST in compat.h");
static_assert(__same_type(((struct rchan_callbacks *)NULL)->subbuf_start,
			  int (*)(struct rchan_buf *, void *,
				  CP_SUBBUF_START_PREV)),
	      "relay's subbuf_start callback changed: see CP_SUBBUF_START_PREV in compat.h");
static_assert(__same_type(((struct rchan_callbacks *)NULL)->create_buf_file,
			  struct dentry *(*)(const char *, struct dentry *,
					     umode_t, struct rchan_buf *,
					     int *)),
	      "relay's create_buf_file callback changed");
static_assert(__same_type(((struct rchan_callbacks *)NULL)->remove_buf_file,
			  int (*)(struct dentry *)),
	      "relay's remove_buf_file callback changed");
static_assert(__same_type(((struct kretprobe *)NULL)->handler,
			  int (*)(struct kretprobe_instance *,
				  struct pt_regs *)),
	      "kretprobe handlers changed");

/*
 * An irq_work that runs in hard interrupt context on PREEMPT_RT too, where
 * a plain one runs in a per-CPU thread.  IRQ_WORK_INIT_HARD() came after
 * 5.10, whose RT patches are no line of ours: there every irq_work runs in
 * hard interrupt context.
 */
static inline void cp_init_irq_work_hard(struct irq_work *work,
					 void (*func)(struct irq_work *))
{
#ifdef IRQ_WORK_INIT_HARD
	*work = IRQ_WORK_INIT_HARD(func);
#else
	init_irq_work(work, func);
#endif
}

#endif /* _CONNPROBE_COMPAT_H */
