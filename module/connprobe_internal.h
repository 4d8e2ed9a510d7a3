/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interfaces between the parts of the connprobe module: the probes produce
 * records, the buffer stores them per CPU, debugfs exposes both.
 */
#ifndef _CONNPROBE_INTERNAL_H
#define _CONNPROBE_INTERNAL_H

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/log2.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/socket.h>
#include <linux/spinlock_types.h>

#include "compat.h"

struct dentry;
struct connprobe_record;
struct sock;
struct socket;
struct rchan_buf;

/**
 * struct cp_attempt_end - how a TCP connect attempt left SYN_SENT
 * @ns: when, ktime_get_ns()
 * @ret: 0 (established) or the negated errno SO_ERROR gives
 * @abandoned: closed or aborted before either (@ret is then 0)
 * @sport: the source port it used, host order; 0 if none
 * @dport: the destination port it went to, host order; 0 if none
 * @saddr: the source address it used, as in struct connprobe_record
 * @daddr: the destination address it went to, likewise
 *
 * The error path of a failed attempt clears these in the socket before
 * its connect call returns; the record takes them from here.
 */
struct cp_attempt_end {
	u64 ns;
	int ret;
	bool abandoned;
	u16 sport;
	u16 dport;
	u8 saddr[16];
	u8 daddr[16];
};

/**
 * struct cp_attempt_call - what the COMPLETE record of an attempt repeats
 *	of the CONNECT record of the call that started it
 * @ts_ns: the call's entry
 * @id: the attempt's id
 * @cgroup_id: as in struct connprobe_record, and each field below
 * @flags: the CONNPROBE_F_* bits of the CONNECT record
 * @pid: as in struct connprobe_record
 * @tid: likewise
 * @uid: likewise
 * @netns: likewise
 * @fd: likewise
 * @family: likewise
 * @type: likewise
 * @protocol: likewise
 * @daddr_family: likewise
 * @sport: likewise
 * @dport: likewise
 * @addrlen: likewise
 * @saddr: likewise
 * @daddr: likewise: a TCP attempt's destination is an inet address
 * @comm: likewise
 *
 * Kept in the attempt table while the attempt is in progress: a third of
 * the record, which it is rebuilt from.
 */
struct cp_attempt_call {
	u64 ts_ns;
	u64 id;
	u64 cgroup_id;
	u32 flags;
	u32 pid;
	u32 tid;
	u32 uid;
	u32 netns;
	s32 fd;
	u16 family;
	u16 type;
	u16 protocol;
	u16 daddr_family;
	u16 sport;
	u16 dport;
	u16 addrlen;
	u8 saddr[16];
	u8 daddr[16];
	char comm[16];
};

/**
 * struct cp_call_addr - the address a connect call was given
 * @len: its length as passed; 0 when none was read
 * @ss: the address: the kernel's own copy (io_uring), or the caller's as
 *	it was at the call's entry, never read again after the call
 */
struct cp_call_addr {
	int len;
	struct sockaddr_storage ss;
};

/**
 * struct cp_task_info - what a record takes from the calling task, kept
 *	for a record built elsewhere (uring.c builds it from an irq_work)
 * @end_ns: the call's return, ktime_get_mono_fast_ns()
 * @cgroup_id: as in struct connprobe_record, and each field below
 * @pid: likewise
 * @tid: likewise
 * @uid: likewise
 * @signal: likewise
 * @comm: likewise
 */
struct cp_task_info {
	u64 end_ns;
	u64 cgroup_id;
	u32 pid;
	u32 tid;
	u32 uid;
	u16 signal;
	char comm[16];
};

/* What a full buffer does. */
enum cp_mode {
	CP_MODE_STREAM,	/* drops the new record */
	CP_MODE_FLIGHT,	/* overwrites the oldest records */
};

/**
 * struct cp_cpu_stats - accounting of one CPU's buffer
 * @written: records handed to the buffer, kept or not (the next @seq)
 * @lost: records dropped by a full buffer, or overwritten
 * @read: records readers took
 * @discarded: records thrown away with the buffer by a resize
 *
 * @written and @lost change only on their CPU, with interrupts off; @read
 * and @discarded from anywhere.
 */
struct cp_cpu_stats {
	u64 written;
	u64 lost;
	atomic64_t read;
	atomic64_t discarded;
};

struct cp_sink;

/**
 * struct cp_slot - room reserved for one record, which is built in place
 * @rec: where to build it
 * @sink: the buffers it goes to
 * @buf: the buffer the record goes to; NULL without one.  @rec is this
 *	CPU's scratch record when the buffer's current sub-buffer is full
 *	(cp_buffer_commit() switches to the next and copies it in)
 * @flags: interrupt state to restore at the commit
 *
 * One per CPU, in use from cp_buffer_reserve() to cp_buffer_commit(),
 * interrupts off: never two at once on a CPU, and never on the stack,
 * where the kernel would zero it and guard it with the canary.
 */
struct cp_slot {
	struct connprobe_record *rec;
	struct cp_sink *sink;
	struct rchan_buf *buf;
	unsigned long flags;
};

bool cp_files_ready(void);
bool cp_buf_size_valid(unsigned long size);
int cp_buffer_open(struct dentry *dir, size_t buf_size, enum cp_mode mode);
void cp_buffer_close(void);
struct cp_slot *cp_buffer_reserve(void);
void cp_buffer_commit(struct cp_slot *slot, bool keep);
void cp_buffer_show_stats(struct seq_file *m);
int cp_buffer_mode_parse(const char *name);
const char *cp_buffer_mode(void);
int cp_buffer_set_mode(enum cp_mode mode);
size_t cp_buffer_size(void);
int cp_buffer_resize(size_t buf_size);
int cp_buffer_reader_get(void);
void cp_buffer_reader_put(void);
void cp_buffer_count_read(unsigned int cpu, size_t bytes);
u64 cp_buffer_buffered(const struct rchan_buf *buf);
struct rchan_buf *cp_buffer_of(int cpu);
int cp_buffer_bench(unsigned long records, u64 *ns);
int cp_bench_ring_buffer(unsigned long records, u64 *ns);

struct dentry *cp_buffer_file_create(const char *name, struct dentry *parent,
				     struct rchan_buf *buf);
void cp_buffer_files_init(void);
void cp_buffer_files_exit(void);

DECLARE_PER_CPU(raw_spinlock_t, cp_buf_lock);
void cp_buffer_read_init(void);
ssize_t cp_buffer_read(struct rchan_buf *buf, char __user *ubuf, size_t count);

/**
 * cp_ret_interrupted() - whether a connect call was interrupted by a signal
 * @ret: what it returned: EINTR or one of the kernel's restart codes
 *
 * Inline: every record and every attempt asks.
 *
 * Return: true if it was.
 */
static inline bool cp_ret_interrupted(int ret)
{
	return ret == -EINTR || ret == -ERESTARTSYS || ret == -ERESTARTNOINTR ||
	       ret == -ERESTARTNOHAND || ret == -ERESTART_RESTARTBLOCK;
}

void cp_call_addr_set(struct cp_call_addr *addr,
		      const struct sockaddr_storage *ss, int len);
void cp_record_connect(u64 start_ns, int ret, int fd, u32 flags,
		       const struct socket *sock,
		       const struct cp_call_addr *addr);
void cp_task_info_get(struct cp_task_info *who, int ret);
void cp_record_connect_as(const struct cp_task_info *who, u64 start_ns,
			  int ret, int fd, u32 flags,
			  const struct socket *sock,
			  const struct cp_call_addr *addr);
void cp_attempt_call_save(struct cp_attempt_call *call,
			  const struct connprobe_record *rec);
void cp_write_complete(const struct cp_attempt_call *call,
		       const struct cp_attempt_end *end);
u16 cp_sock_source(const struct sock *sk, u8 *saddr);
u16 cp_sock_dest(const struct sock *sk, u8 *daddr);
void cp_record_used_daddr(struct connprobe_record *rec, u16 family,
			  const u8 *daddr, u16 dport);

/* Low bits of an id: the CPU that made it. */
#define CP_ID_CPU_BITS	order_base_2(NR_CPUS)
DECLARE_PER_CPU(u64, cp_next_id);

/**
 * cp_new_id() - a fresh correlation id, never 0
 *
 * A counter of this CPU's, shifted over the CPU's number: unique without
 * a counter shared by all CPUs.  Called with preemption off (the probes'
 * handlers, and under a bucket lock of the attempt table), so that the
 * CPU whose counter moved is the one named; the increment itself is safe
 * against an interrupt that takes an id on the same CPU.  Inline: the
 * probes call it for every call on a socket.
 *
 * Return: the id.
 */
static inline u64 cp_new_id(void)
{
	return this_cpu_inc_return(cp_next_id) << CP_ID_CPU_BITS |
	       smp_processor_id();
}

unsigned long cp_percpu_sum(unsigned long __percpu *counter);
int cp_pending_init(unsigned int attempts);
void cp_pending_exit(void);
void cp_pending_start(const struct sock *sk);
void cp_pending_end(const struct sock *sk, const struct cp_attempt_end *end);
bool cp_pending_on_return(const struct socket *sock,
			  struct connprobe_record *rec,
			  struct cp_attempt_end *end);
bool cp_pending_none(const struct sock *sk);
void cp_pending_forget(const struct sock *sk);
void cp_pending_show_stats(struct seq_file *m);

struct cp_filter;
extern struct cp_filter __rcu *cp_filter;
bool cp_filter_task_slow(void);
bool cp_filter_record_slow(const struct connprobe_record *rec);

/*
 * With no filter in force, the usual case, each test of the filter is one
 * load, inline in the probe: rcu_access_pointer() only tests the pointer,
 * which needs no read-side section.  With one, the test proper
 * (filter.c) takes rcu_read_lock(), as the tracepoint probes may be
 * preemptible (7.x runs them under SRCU, preemption on).
 */

/**
 * cp_filter_task() - whether current's calls are traced
 *
 * Called at the entry of a call, and where a TCP attempt starts.
 *
 * Return: false if the filter in force turns current away.
 */
static inline bool cp_filter_task(void)
{
	return !rcu_access_pointer(cp_filter) || cp_filter_task_slow();
}

/**
 * cp_filter_record() - whether a record is written
 * @rec: the record, complete but for its @seq and @cpu
 *
 * Only the terms on the record's contents are tested here: the caller's
 * were tested at the call's entry.  A record turned away is counted.
 *
 * Return: false if the filter in force turns @rec away.
 */
static inline bool cp_filter_record(const struct connprobe_record *rec)
{
	return !rcu_access_pointer(cp_filter) || cp_filter_record_slow(rec);
}

void cp_filter_count_call(void);
int cp_filter_set(char *buf);
void cp_filter_show(struct seq_file *m);
void cp_filter_show_stats(struct seq_file *m);
void cp_filter_exit(void);

int cp_tcp_state_register(void);
void cp_tcp_state_unregister(void);

int cp_symbol_range(const char *name, unsigned long *start,
		    unsigned long *end);
int cp_uring_register(unsigned long target, unsigned int calls);
void cp_uring_unregister(void);
void cp_uring_show_stats(struct seq_file *m);

int cp_probe_register(unsigned int maxactive);
void cp_probe_unregister(void);
void cp_probe_show_stats(struct seq_file *m);

struct dentry *cp_debugfs_create_dir(void);
void cp_debugfs_create_files(struct dentry *dir);
void cp_debugfs_remove_files(void);
void cp_debugfs_remove_dir(struct dentry *dir);

#endif /* _CONNPROBE_INTERNAL_H */
