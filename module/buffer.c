// SPDX-License-Identifier: GPL-2.0
/*
 * connprobe per-CPU record buffer, built on relay (as blktrace is): one
 * debugfs file per CPU, read() from relay itself, CPU hotplug handled by
 * relay (a CPU brought online gets its buffer, an offline CPU's buffer stays
 * readable).
 *
 * Two modes.  Stream: a record that finds its CPU's buffer full is dropped.
 * Flight recorder: the oldest sub-buffer is overwritten.  Either way every
 * record is counted, per CPU: written, then either read, lost (dropped,
 * overwritten, or discarded by a resize) or still buffered, so that at any
 * quiet moment written == read + lost + buffered, exactly.  "buffered" is
 * computed from relay's own state, not from the other counters, so that the
 * identity is a real check.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/relay.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "connprobe.h"
#include "connprobe_internal.h"

/*
 * Sub-buffers per CPU.  relay hands a sub-buffer to the reader (and wakes
 * poll()ers) when it is full; the flight recorder loses a sub-buffer at a
 * time.  More, smaller sub-buffers mean earlier wake-ups and finer loss.
 */
#define CP_N_SUBBUFS	8
#define CP_REC_SIZE	sizeof(struct connprobe_record)

static const char * const cp_mode_names[] = {
	[CP_MODE_STREAM] = "stream",
	[CP_MODE_FLIGHT] = "flight",
};

/*
 * Where records go: a relay channel, its counters and its mode.  The live
 * one is exported through debugfs; the self-benchmark makes its own.
 */
struct cp_sink {
	struct rchan __rcu *chan;
	struct cp_cpu_stats __percpu *stats;
	enum cp_mode mode;
};

static struct cp_sink cp_live;
static size_t cp_buf_size;
static struct dentry *cp_dir;

/*
 * Readers of the cpuN files against changes of mode and size, which would
 * pull records from under them: a change is refused while a reader has a
 * file open, and an open is refused while a change runs.  A spinlock, not
 * a mutex held across the change: a resize removes the cpuN files, which
 * waits for every file operation in flight on them, opens included.
 */
static DEFINE_SPINLOCK(cp_readers_lock);
static unsigned int cp_readers;		/* under cp_readers_lock */
static bool cp_changing;		/* under cp_readers_lock */

/* Decides, at each sub-buffer switch, between dropping and overwriting. */
static int cp_subbuf_start(struct rchan_buf *buf, void *subbuf,
			   CP_SUBBUF_START_PREV)
{
	struct cp_sink *sink = buf->chan->private_data;
	size_t n = buf->chan->n_subbufs, oldest, bytes;

	if (!relay_buf_full(buf))
		return 1;
	if (READ_ONCE(sink->mode) == CP_MODE_STREAM)
		return 0;	/* the writer counts the drop */

	/*
	 * Flight recorder: relay overwrites sub-buffer number produced - n,
	 * the oldest; count what of it was never read.  Its read side skips
	 * past it on its own (relay_file_read_avail()).  We run on the
	 * buffer's CPU with interrupts off, inside cp_sink_reserve().
	 */
	oldest = buf->subbufs_produced - n;
	bytes = buf->chan->subbuf_size - buf->padding[oldest % n];
	if (oldest == buf->subbufs_consumed)
		bytes -= buf->bytes_consumed;
	this_cpu_ptr(sink->stats)->lost += bytes / CP_REC_SIZE;
	return 1;
}

NOKPROBE_SYMBOL(cp_subbuf_start);

static struct dentry *cp_create_buf_file(const char *filename,
					 struct dentry *parent, umode_t mode,
					 struct rchan_buf *buf,
					 int *is_global)
{
	/*
	 * relay_open() without a file name (the self-benchmark's private
	 * channel) only asks whether the channel is global, but takes NULL
	 * for failure: answer with the directory, which relay then neither
	 * keeps nor removes.
	 */
	if (!filename)
		return cp_dir;
	return cp_buffer_file_create(filename, parent, buf);
}

static int cp_remove_buf_file(struct dentry *dentry)
{
	debugfs_remove(dentry);
	return 0;
}

static CP_RELAY_CONST struct rchan_callbacks cp_relay_callbacks = {
	.subbuf_start = cp_subbuf_start,
	.create_buf_file = cp_create_buf_file,
	.remove_buf_file = cp_remove_buf_file,
};

/*
 * A channel of @buf_size bytes per CPU, with its files cpuN in @dir, or
 * without files for a NULL @dir.  Files are made here, by relay_open(),
 * never later: relay_late_setup_files() creates them with preemption
 * disabled (get_cpu()), where the allocations they need may sleep.
 */
static struct rchan *cp_chan_open(size_t buf_size, struct dentry *dir,
				  struct cp_sink *sink)
{
	/* Whole records per sub-buffer: relay then never pads. */
	size_t subbuf_size = rounddown(buf_size / CP_N_SUBBUFS, CP_REC_SIZE);

	return relay_open(dir ? CONNPROBE_CPU_FILE_BASE : NULL, dir,
			  subbuf_size, CP_N_SUBBUFS, &cp_relay_callbacks, sink);
}

/**
 * cp_buffer_mode_parse() - the mode a name stands for
 * @name: "stream" or "flight", a trailing newline allowed
 *
 * Return: the mode, or -EINVAL.
 */
int cp_buffer_mode_parse(const char *name)
{
	return sysfs_match_string(cp_mode_names, name);
}

/**
 * cp_buffer_open() - allocate the per-CPU buffers and their debugfs files
 * @dir: debugfs directory to create the cpuN files in
 * @buf_size: bytes of buffer per CPU, already checked
 * @mode: what a full buffer does
 *
 * Return: 0 or a negative errno.
 */
int cp_buffer_open(struct dentry *dir, size_t buf_size, enum cp_mode mode)
{
	struct rchan *chan;

	cp_live.stats = alloc_percpu(struct cp_cpu_stats);
	if (!cp_live.stats)
		return -ENOMEM;
	cp_dir = dir;
	cp_live.mode = mode;
	cp_buf_size = buf_size;

	chan = cp_chan_open(buf_size, dir, &cp_live);
	if (!chan) {
		free_percpu(cp_live.stats);
		cp_live.stats = NULL;
		return -ENOMEM;
	}
	rcu_assign_pointer(cp_live.chan, chan);
	return 0;
}

/**
 * cp_buffer_close() - free the buffers and their files
 *
 * No writer may run any more, no file may be open, and the flush timer
 * must be shut down.  The channel is unpublished first, and freed only
 * after a grace period, as in a resize.
 */
void cp_buffer_close(void)
{
	struct rchan *chan = rcu_dereference_protected(cp_live.chan, true);

	RCU_INIT_POINTER(cp_live.chan, NULL);
	synchronize_rcu();
	relay_close(chan);
	free_percpu(cp_live.stats);
	cp_live.stats = NULL;
}

/*
 * Where a record that finds no room in the current sub-buffer is built,
 * to be filtered, then copied in after a switch or counted lost:
 * one per CPU, used with interrupts off, between reserve and commit.
 */
static DEFINE_PER_CPU(struct connprobe_record, cp_scratch);

/* The slot of the record a CPU builds, between reserve and commit. */
static DEFINE_PER_CPU(struct cp_slot, cp_slots);

/*
 * Reserve room for one record in this CPU's buffer of @sink: @slot->rec
 * is where to build it, in the buffer itself, or in this CPU's scratch
 * record when the current sub-buffer has no room (the commit switches
 * sub-buffers, which a full stream buffer refuses) or there is no channel
 * (a resize replacing it).  Until cp_sink_commit(), interrupts are off
 * (so that no writer on this CPU interleaves with us, and, as an RCU
 * read-side section, so that a resize waits for us).  The record is built
 * past the sub-buffer's offset, where no reader looks: it is published
 * whole, by the commit's move of the offset.  This is relay_reserve()
 * with the drop made visible.
 */
static __always_inline struct cp_slot *cp_sink_reserve(struct cp_sink *sink)
{
	struct rchan_buf *buf;
	struct cp_slot *slot;
	unsigned long flags;
	struct rchan *chan;

	local_irq_save(flags);
	slot = this_cpu_ptr(&cp_slots);
	slot->flags = flags;
	slot->sink = sink;
	slot->buf = NULL;
	slot->rec = this_cpu_ptr(&cp_scratch);
	chan = rcu_dereference_sched(sink->chan);
	buf = chan ? *this_cpu_ptr(chan->buf) : NULL;
	if (unlikely(!buf))
		return slot;
	slot->buf = buf;
	/*
	 * The sub-buffer is full: the record is built in the scratch record
	 * and the switch waits for the commit, so that a record the filter
	 * then turns away does not overwrite the oldest sub-buffer of a
	 * flight recorder.
	 */
	if (unlikely(buf->offset + CP_REC_SIZE > buf->chan->subbuf_size))
		return slot;
	slot->rec = buf->data + buf->offset;
	return slot;
}

/*
 * Switch @buf to its next sub-buffer and copy @rec in: false if a full
 * stream buffer refuses.  Under the buffer's lock, which readers take to
 * see the positions relay_switch_subbuf() changes one after the other
 * (buffer_read.c).
 */
static bool cp_sink_switch(struct rchan_buf *buf,
			   const struct connprobe_record *rec)
{
	raw_spinlock_t *lock = this_cpu_ptr(&cp_buf_lock);
	bool stored = false;

	raw_spin_lock(lock);
	if (relay_switch_subbuf(buf, CP_REC_SIZE)) {
		memcpy(buf->data + buf->offset, rec, CP_REC_SIZE);
		buf->offset += CP_REC_SIZE;
		stored = true;
	}
	raw_spin_unlock(lock);
	return stored;
}

NOKPROBE_SYMBOL(cp_sink_switch);

/*
 * Keep the record built in @slot (@keep), or let its room go to the next
 * one.  A kept record counts as written, whether it is stored or lost for
 * want of room; its @cpu and @seq are set here.
 *
 * A record built in place is published by one store of the offset past
 * it, a release, which readers load with an acquire (buffer_read.c):
 * whoever sees the offset sees the record whole.  Only this CPU's writer
 * moves the offset, and within the sub-buffer being written, which no
 * reader changes: no lock is needed for it.  A record built aside takes
 * the lock, for the switch.
 */
static __always_inline void cp_sink_commit(struct cp_slot *slot, bool keep)
{
	struct cp_cpu_stats *stats = this_cpu_ptr(slot->sink->stats);
	struct rchan_buf *buf = slot->buf;
	unsigned long flags = slot->flags;

	if (keep) {
		slot->rec->cpu = smp_processor_id();
		slot->rec->seq = stats->written++;
		if (unlikely(!buf)) {
			stats->lost++;
		} else if (unlikely(slot->rec == this_cpu_ptr(&cp_scratch))) {
			/* Built aside for a full sub-buffer. */
			stats->lost += !cp_sink_switch(buf, slot->rec);
		} else {
			/* Pairs with cp_write_offset(): the record first. */
			smp_store_release(&buf->offset,
					  buf->offset + CP_REC_SIZE);
		}
	}
	local_irq_restore(flags);
}

/* Store a copy of @rec in this CPU's buffer of @sink, or count it lost. */
static void cp_sink_write(struct cp_sink *sink,
			  const struct connprobe_record *rec)
{
	struct cp_slot *slot = cp_sink_reserve(sink);

	memcpy(slot->rec, rec, CP_REC_SIZE);
	cp_sink_commit(slot, true);
}

/**
 * cp_buffer_reserve() - room for one record in this CPU's buffer
 *
 * Runs in the probes' atomic context.  Interrupts stay off until
 * cp_buffer_commit(), which must follow on this CPU, with nothing in
 * between that writes a record.
 *
 * Return: this CPU's slot: @rec is where to build the record, every byte.
 */
struct cp_slot *cp_buffer_reserve(void)
{
	return cp_sink_reserve(&cp_live);
}

NOKPROBE_SYMBOL(cp_buffer_reserve);

/**
 * cp_buffer_commit() - store the record built in a reserved slot, or not
 * @slot: from cp_buffer_reserve()
 * @keep: false to drop the record (a filter turned it away), uncounted
 */
void cp_buffer_commit(struct cp_slot *slot, bool keep)
{
	cp_sink_commit(slot, keep);
}

NOKPROBE_SYMBOL(cp_buffer_commit);

/**
 * cp_buffer_of() - a CPU's buffer; call under rcu_read_lock()
 * @cpu: the CPU
 *
 * Return: the buffer, or NULL for a CPU that never had one.
 */
struct rchan_buf *cp_buffer_of(int cpu)
{
	struct rchan *chan = rcu_dereference(cp_live.chan);

	return chan ? *per_cpu_ptr(chan->buf, cpu) : NULL;
}

/**
 * cp_buffer_count_read() - account records a reader took from a buffer
 * @cpu: the buffer's CPU
 * @bytes: what read() returned
 */
void cp_buffer_count_read(unsigned int cpu, size_t bytes)
{
	atomic64_add(bytes / CP_REC_SIZE, &per_cpu_ptr(cp_live.stats, cpu)->read);
}

/* Records buffered on @cpu, 0 for a CPU or a channel without a buffer. */
static u64 cp_buffered_on(const struct rchan *chan, int cpu)
{
	const struct rchan_buf *buf = chan ? *per_cpu_ptr(chan->buf, cpu) : NULL;

	return buf ? cp_buffer_buffered(buf) : 0;
}

/**
 * cp_buffer_show_stats() - print each CPU's and the total accounting
 * @m: the seq_file of the debugfs stats file
 */
void cp_buffer_show_stats(struct seq_file *m)
{
	u64 written = 0, read = 0, lost = 0, buffered = 0;
	const struct rchan *chan;
	int cpu;

	/* A resize frees the channel only after a grace period. */
	rcu_read_lock();
	chan = rcu_dereference(cp_live.chan);
	seq_printf(m, "mode %s\nbuf_size %zu\n", cp_buffer_mode(),
		   cp_buffer_size());
	for_each_possible_cpu(cpu) {
		const struct cp_cpu_stats *s = per_cpu_ptr(cp_live.stats, cpu);
		u64 w = READ_ONCE(s->written), r = atomic64_read(&s->read);
		u64 l = READ_ONCE(s->lost) + atomic64_read(&s->discarded);
		u64 b = cp_buffered_on(chan, cpu);

		seq_printf(m, "cpu %d written %llu read %llu lost %llu buffered %llu\n",
			   cpu, w, r, l, b);
		written += w;
		read += r;
		lost += l;
		buffered += b;
	}
	seq_printf(m, "total written %llu read %llu lost %llu buffered %llu\n",
		   written, read, lost, buffered);
	rcu_read_unlock();
}

/**
 * cp_buffer_reader_get() - a reader opens a CPU file
 *
 * Readers pin the mode and the size: a change while one reads would pull
 * records from under it.
 *
 * Return: 0, or -EBUSY while a change of mode or size runs.
 */
int cp_buffer_reader_get(void)
{
	int ret = 0;

	spin_lock(&cp_readers_lock);
	if (cp_changing)
		ret = -EBUSY;
	else
		cp_readers++;
	spin_unlock(&cp_readers_lock);
	return ret;
}

/**
 * cp_buffer_reader_put() - a reader closed a CPU file
 */
void cp_buffer_reader_put(void)
{
	spin_lock(&cp_readers_lock);
	cp_readers--;
	spin_unlock(&cp_readers_lock);
}

/*
 * Start a change of mode or size: refused while a reader has a file open
 * or another change runs; until cp_change_end(), readers are refused.
 */
static int cp_change_begin(void)
{
	int ret = 0;

	spin_lock(&cp_readers_lock);
	if (cp_readers || cp_changing)
		ret = -EBUSY;
	else
		cp_changing = true;
	spin_unlock(&cp_readers_lock);
	return ret;
}

static void cp_change_end(void)
{
	spin_lock(&cp_readers_lock);
	cp_changing = false;
	spin_unlock(&cp_readers_lock);
}

/**
 * cp_buffer_mode() - the current mode's name
 *
 * Return: "stream" or "flight".
 */
const char *cp_buffer_mode(void)
{
	return cp_mode_names[READ_ONCE(cp_live.mode)];
}

/**
 * cp_buffer_set_mode() - switch between stream and flight recorder
 * @mode: the new mode
 *
 * A buffer that wrapped as a flight recorder keeps its reader's position
 * behind what was overwritten; the read side moves past that whatever the
 * mode (buffer_read.c).
 *
 * Return: 0, or -EBUSY while a reader has a buffer open or another change
 * runs.
 */
int cp_buffer_set_mode(enum cp_mode mode)
{
	int ret = cp_change_begin();

	if (ret)
		return ret;
	WRITE_ONCE(cp_live.mode, mode);
	cp_change_end();
	return 0;
}

/**
 * cp_buffer_size() - bytes of buffer per CPU
 *
 * Return: the size.
 */
size_t cp_buffer_size(void)
{
	return READ_ONCE(cp_buf_size);
}

/**
 * cp_buffer_resize() - replace every CPU's buffer by one of @buf_size
 * @buf_size: bytes per CPU, already checked
 *
 * Records still buffered are discarded and counted lost.  The new buffers
 * take the old files' names, so the old ones go first: records written in
 * between are counted lost too.
 *
 * Return: 0, -EBUSY while a reader has a buffer open or another change runs
 * (nothing changed), or -ENOMEM: the buffers are then emptied but keep
 * their old size.
 */
int cp_buffer_resize(size_t buf_size)
{
	struct rchan *old, *new;
	int cpu, ret;

	ret = cp_change_begin();
	if (ret)
		return ret;
	/* cp_changing makes this the only writer of the pointer. */
	old = rcu_dereference_protected(cp_live.chan, true);
	RCU_INIT_POINTER(cp_live.chan, NULL);
	/* Writers run with interrupts off: an RCU read-side section. */
	synchronize_rcu();
	for_each_possible_cpu(cpu)
		atomic64_add(cp_buffered_on(old, cpu),
			     &per_cpu_ptr(cp_live.stats, cpu)->discarded);
	relay_close(old);
	new = cp_chan_open(buf_size, cp_dir, &cp_live);
	if (new) {
		WRITE_ONCE(cp_buf_size, buf_size);
	} else {
		ret = -ENOMEM;
		/* What was just freed is likely to be had again. */
		new = cp_chan_open(cp_buf_size, cp_dir, &cp_live);
		if (!new)
			pr_err("resize: no memory for any buffer: every record is lost until a resize succeeds\n");
	}
	rcu_assign_pointer(cp_live.chan, new);
	cp_change_end();
	return ret;
}

/**
 * cp_buffer_bench() - time the write path on a private channel
 * @records: how many records to write
 * @ns: the time they took, in ns
 *
 * A flight-recorder channel of the live size, never read: every write is
 * the steady state of a busy CPU, sub-buffer switches and overwrites
 * included.  Runs in process context, one CPU at a time per record.
 *
 * Return: 0, -ENOMEM, or -EINTR when a fatal signal stopped it.
 */
int cp_buffer_bench(unsigned long records, u64 *ns)
{
	struct cp_sink sink = { .mode = CP_MODE_FLIGHT };
	struct connprobe_record rec;
	struct rchan *chan;
	unsigned long i;
	u64 start;
	int ret = -ENOMEM;

	sink.stats = alloc_percpu(struct cp_cpu_stats);
	if (!sink.stats)
		return -ENOMEM;
	chan = cp_chan_open(cp_buffer_size(), NULL, &sink);
	if (!chan)
		goto out_free_stats;
	RCU_INIT_POINTER(sink.chan, chan);

	memset(&rec, 0, sizeof(rec));
	rec.size = sizeof(rec);
	rec.version = CONNPROBE_RECORD_VERSION;
	rec.event = CONNPROBE_EVENT_CONNECT;
	start = ktime_get_ns();
	ret = 0;
	for (i = 0; i < records; i++) {
		cp_sink_write(&sink, &rec);
		if (i % 4096)
			continue;
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	*ns = ktime_get_ns() - start;

	relay_close(chan);
out_free_stats:
	free_percpu(sink.stats);
	return ret;
}
