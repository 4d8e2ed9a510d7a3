// SPDX-License-Identifier: GPL-2.0
/*
 * connprobe per-CPU record buffer, built on relay (as blktrace is): one
 * debugfs file per CPU, read() and poll() from relay itself, CPU hotplug
 * handled by relay.  Buffers never overwrite: a record that finds its CPU's
 * buffer full is dropped and counted, so that for every CPU
 * written + lost == records produced, exactly.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/relay.h>
#include <linux/string.h>

#include "connprobe.h"
#include "connprobe_internal.h"

/*
 * Sub-buffers per CPU.  relay hands a sub-buffer to the reader (and wakes
 * poll()ers) only when it is full, so more, smaller sub-buffers mean earlier
 * wake-ups; read() also returns records from the sub-buffer being filled.
 */
#define CP_N_SUBBUFS	8

/* Counters of one CPU, only touched by that CPU with interrupts off. */
struct cp_cpu_stats {
	u64 written;
	u64 lost;
};

static struct rchan *cp_chan;
static struct cp_cpu_stats __percpu *cp_stats;

static struct dentry *cp_create_buf_file(const char *filename,
					 struct dentry *parent, umode_t mode,
					 struct rchan_buf *buf,
					 int *is_global)
{
	/* Records of every process: for root only, whatever relay asks. */
	return debugfs_create_file(filename, 0400, parent, buf,
				   &relay_file_operations);
}

static int cp_remove_buf_file(struct dentry *dentry)
{
	debugfs_remove(dentry);
	return 0;
}

static const struct rchan_callbacks cp_relay_callbacks = {
	.create_buf_file = cp_create_buf_file,
	.remove_buf_file = cp_remove_buf_file,
};

/**
 * cp_buffer_open() - allocate the per-CPU buffers and their debugfs files
 * @dir: debugfs directory to create the cpuN files in
 * @buf_size: bytes of buffer per CPU
 *
 * Return: 0 or a negative errno.
 */
int cp_buffer_open(struct dentry *dir, size_t buf_size)
{
	/* Whole records per sub-buffer: relay then never pads. */
	size_t subbuf_size = rounddown(buf_size / CP_N_SUBBUFS,
				       sizeof(struct connprobe_record));

	cp_stats = alloc_percpu(struct cp_cpu_stats);
	if (!cp_stats)
		return -ENOMEM;

	cp_chan = relay_open(CONNPROBE_CPU_FILE_BASE, dir, subbuf_size,
			     CP_N_SUBBUFS, &cp_relay_callbacks, NULL);
	if (!cp_chan) {
		free_percpu(cp_stats);
		cp_stats = NULL;
		return -ENOMEM;
	}
	return 0;
}

/**
 * cp_buffer_close() - free the buffers; no writer may be running any more
 */
void cp_buffer_close(void)
{
	relay_close(cp_chan);
	cp_chan = NULL;
	free_percpu(cp_stats);
	cp_stats = NULL;
}

/**
 * cp_buffer_write() - store one record in this CPU's buffer, or count it lost
 * @rec: the record; its @cpu and @seq are filled in here
 *
 * Runs in the probes' atomic context.  Interrupts are off so that a writer
 * interrupting us on this CPU cannot interleave with our slot.  This is
 * relay_write() with the drop made visible: relay_reserve() would publish the
 * slot (advance buf->offset) before the record is copied, and a reader on
 * another CPU could read it half written; here the copy comes first.
 */
void cp_buffer_write(struct connprobe_record *rec)
{
	const size_t len = sizeof(*rec);
	struct cp_cpu_stats *stats;
	struct rchan_buf *buf;
	unsigned long flags;

	local_irq_save(flags);
	stats = this_cpu_ptr(cp_stats);
	rec->cpu = smp_processor_id();
	rec->seq = stats->written + stats->lost;

	buf = *this_cpu_ptr(cp_chan->buf);
	if (unlikely(!buf ||
		     (buf->offset + len > buf->chan->subbuf_size &&
		      !relay_switch_subbuf(buf, len)))) {
		stats->lost++;
		goto out;
	}
	memcpy(buf->data + buf->offset, rec, len);
	/* The record must be visible before the offset that exposes it. */
	smp_wmb();
	WRITE_ONCE(buf->offset, buf->offset + len);
	stats->written++;
out:
	local_irq_restore(flags);
}

NOKPROBE_SYMBOL(cp_buffer_write);

/**
 * cp_buffer_show_stats() - print written and lost counts, per CPU and total
 * @m: the seq_file of the debugfs stats file
 */
void cp_buffer_show_stats(struct seq_file *m)
{
	u64 written = 0, lost = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct cp_cpu_stats *s = per_cpu_ptr(cp_stats, cpu);
		u64 w = READ_ONCE(s->written), l = READ_ONCE(s->lost);

		seq_printf(m, "cpu %d written %llu lost %llu\n", cpu, w, l);
		written += w;
		lost += l;
	}
	seq_printf(m, "total written %llu lost %llu\n", written, lost);
}
