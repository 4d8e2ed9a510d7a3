/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels connprobe supports, in one place: every
 * LINUX_VERSION_CODE test of the module belongs here, never in a .c file.
 *
 * The supported kernels are Debian's LTS lines 6.1 and 6.12
 * (scripts/kernel.sh lines), each built with W=1 and sparse and tested in
 * the VM by make check.  Everything the module uses has the same interface
 * in both: kretprobes and their data_size, relay (relay.h is the same in
 * both), debugfs, tracepoints, sock_from_file(), copy_from_user_nofault().
 * The exceptions are the tracing ring buffer's commit (below), which only
 * the self-benchmark uses, and what differs per architecture.  An
 * interface that changes between supported kernels gets its shim here, a
 * macro or static inline picked by LINUX_VERSION_CODE, so that the .c files
 * call one name on every kernel.
 */
#ifndef _CONNPROBE_COMPAT_H
#define _CONNPROBE_COMPAT_H

#include <linux/version.h>

/*
 * Older kernels lack what the module is written against (sock_from_file()
 * with one argument came in 5.12, for one), and none is tested: one clear
 * line from DKMS's build log beats a page of compiler errors.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "connprobe needs Linux 6.1 or later"
#endif

#include <linux/ptrace.h>
#include <linux/ring_buffer.h>

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

#endif /* _CONNPROBE_COMPAT_H */
