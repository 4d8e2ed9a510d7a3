// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU record files: relay's own open, release and poll, with a
 * read() that keeps in step with the writer (buffer_read.c) and counts what
 * readers take (the "read" of the accounting), and a bound on how long a
 * record can wait unseen.
 *
 * relay wakes poll()ers only when a sub-buffer fills: a busy CPU wakes its
 * reader once per sub-buffer, never per record.  A quiet CPU could then
 * hold a lone record forever, so a timer, running only while a reader has a
 * file open, marks every buffer holding records as due every
 * CP_FLUSH_PERIOD_MS and wakes its waiting readers: a record is seen within
 * that delay at the latest.  Only read() consumes (no mmap or splice), so
 * that every record taken is counted.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/poll.h>
#include <linux/relay.h>
#include <linux/timer.h>

#include "connprobe.h"
#include "connprobe_internal.h"

#define CP_FLUSH_PERIOD_MS	100

static DEFINE_PER_CPU(bool, cp_flush_due);
static struct timer_list cp_flush_timer;
static atomic_t cp_open_files = ATOMIC_INIT(0);

static void cp_flush_tick(struct timer_list *t)
{
	struct rchan_buf *buf;
	int cpu;

	rcu_read_lock();
	for_each_possible_cpu(cpu) {
		buf = cp_buffer_of(cpu);
		/*
		 * waitqueue_active() without a barrier: a reader that goes
		 * to sleep just after this check is woken a tick later.
		 */
		if (buf && waitqueue_active(&buf->read_wait) &&
		    cp_buffer_buffered(buf)) {
			per_cpu(cp_flush_due, cpu) = true;
			wake_up_interruptible(&buf->read_wait);
		}
	}
	rcu_read_unlock();
	if (atomic_read(&cp_open_files))
		mod_timer(&cp_flush_timer,
			  jiffies + msecs_to_jiffies(CP_FLUSH_PERIOD_MS));
}

static int cp_file_open(struct inode *inode, struct file *filp)
{
	int ret;

	/* Until the module is up, an open file could outlive a failed load. */
	if (!cp_files_ready())
		return -EAGAIN;
	ret = cp_buffer_reader_get();
	if (ret)
		return ret;
	ret = relay_file_operations.open(inode, filp);
	if (ret) {
		cp_buffer_reader_put();
		return ret;
	}
	if (atomic_inc_return(&cp_open_files) == 1)
		mod_timer(&cp_flush_timer,
			  jiffies + msecs_to_jiffies(CP_FLUSH_PERIOD_MS));
	return 0;
}

static int cp_file_release(struct inode *inode, struct file *filp)
{
	int ret = relay_file_operations.release(inode, filp);

	atomic_dec(&cp_open_files);
	cp_buffer_reader_put();
	return ret;
}

static ssize_t cp_file_read(struct file *filp, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct rchan_buf *buf = filp->private_data;
	ssize_t ret;

	/* Whole records only: a reader never sees half of one. */
	count = rounddown(count, sizeof(struct connprobe_record));
	/* One reader of the buffer at a time, as in relay's own read(). */
	inode_lock(file_inode(filp));
	ret = cp_buffer_read(buf, ubuf, count);
	inode_unlock(file_inode(filp));
	if (ret > 0) {
		cp_buffer_count_read(buf->cpu, ret);
		per_cpu(cp_flush_due, buf->cpu) = false;
	}
	return ret;
}

static __poll_t cp_file_poll(struct file *filp, poll_table *wait)
{
	const struct rchan_buf *buf = filp->private_data;
	__poll_t mask = relay_file_operations.poll(filp, wait);

	if (!(mask & (EPOLLIN | EPOLLERR)) && READ_ONCE(per_cpu(cp_flush_due, buf->cpu)))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

static const struct file_operations cp_buffer_fops = {
	.owner		= THIS_MODULE,
	.open		= cp_file_open,
	.release	= cp_file_release,
	.read		= cp_file_read,
	.poll		= cp_file_poll,
	.llseek		= noop_llseek,
};

/**
 * cp_buffer_file_create() - create the debugfs file of one CPU's buffer
 * @name: its name (cpuN)
 * @parent: the connprobe directory
 * @buf: the buffer
 *
 * Return: the file's dentry.
 */
struct dentry *cp_buffer_file_create(const char *name, struct dentry *parent,
				     struct rchan_buf *buf)
{
	/* Records of every process: for root only, whatever relay asks. */
	return debugfs_create_file(name, 0400, parent, buf, &cp_buffer_fops);
}

/**
 * cp_buffer_files_init() - set up the flush timer
 */
void cp_buffer_files_init(void)
{
	timer_setup(&cp_flush_timer, cp_flush_tick, 0);
}

/**
 * cp_buffer_files_exit() - shut the flush timer down; no file may be open
 *
 * The last reader's close leaves the timer to fire once more; after this,
 * it neither runs nor can be armed again.
 */
void cp_buffer_files_exit(void)
{
	cp_timer_shutdown_sync(&cp_flush_timer);
}
