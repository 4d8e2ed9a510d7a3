// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a CPU's buffer in step with its writer.
 *
 * relay's own read() works out what to copy from the buffer's positions
 * (sub-buffers produced and consumed, the write offset, the write
 * sub-buffer) without any lock, while the writer on the buffer's CPU
 * changes them one after the other in relay_switch_subbuf().  A reader on
 * another CPU that looks in between takes the sub-buffer about to be
 * written for a full one and copies stale records, or, when the ring is
 * full, takes the stream buffer for an overwritten one and skips what it
 * had left to read: the accounting identity then misses by a sub-buffer
 * or part of one (seen under make stress: 2 rounds in 8 of a 16 KiB
 * buffer overflowing under 16 connecting threads while the tool read).
 *
 * So each CPU's buffer has a raw spinlock, taken by its writer around
 * each switch of sub-buffers (interrupts are off there already) and by
 * readers around looking at and moving the read position.  Between
 * switches the writer only moves the write offset on, within the
 * sub-buffer being written, after the record it covers is whole: a store
 * release, without the lock, which readers load with an acquire
 * (cp_write_offset()); one that reads the offset just before the move
 * reads one record less, never part of one.  The copy to user space runs
 * outside the lock: a stream writer never enters a sub-buffer before the
 * reader has consumed it, and a flight recorder's overwrite of the part
 * being copied is seen afterwards, under the lock, and that part dropped
 * (its records were counted lost when they were overwritten).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/minmax.h>
#include <linux/percpu.h>
#include <linux/relay.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

#include "connprobe.h"
#include "connprobe_internal.h"

#define CP_REC_SIZE	sizeof(struct connprobe_record)

DEFINE_PER_CPU(raw_spinlock_t, cp_buf_lock);

/**
 * cp_buffer_read_init() - initialise the per-CPU buffer locks
 */
void cp_buffer_read_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		raw_spin_lock_init(per_cpu_ptr(&cp_buf_lock, cpu));
}

/*
 * The write offset, which the writer moves on between switches without
 * the lock: the records before it are whole (cp_sink_commit()).  A full
 * stream buffer's offset, past the end, is set at a switch, under the
 * lock; the writer never moves it there otherwise.
 */
static size_t cp_write_offset(const struct rchan_buf *buf)
{
	/* Pairs with cp_sink_commit()'s release: the records it covers. */
	return smp_load_acquire(&buf->offset);
}

/*
 * How many sub-buffers, counting back from the one relay would write next,
 * can still hold unread records: all n of a full stream buffer (relay
 * marks it with an offset past the end and stops writing), else the n - 1
 * before the one being written.
 */
static size_t cp_subbufs_kept(const struct rchan_buf *buf)
{
	return buf->chan->n_subbufs -
	       (cp_write_offset(buf) <= buf->chan->subbuf_size ? 1 : 0);
}

/*
 * Whether a flight recorder has overwritten sub-buffers the reader had not
 * finished: the reader's position lies further back than what is kept.
 * The test does not ask the mode: a buffer that wrapped in flight mode and
 * was then switched to stream keeps the reader's stale position, and
 * reading from there would hand out old sub-buffers a second time.
 */
static bool cp_read_overwritten(const struct rchan_buf *buf)
{
	return buf->subbufs_produced - buf->subbufs_consumed > cp_subbufs_kept(buf);
}

/*
 * Under the buffer's lock: where reading resumes, as a sub-buffer number in
 * @consumed and the bytes of it already read (the return value).  That is
 * the reader's position, or, past what was overwritten, the oldest
 * sub-buffer kept, as relay's read side does; those records were counted
 * lost when they were overwritten.
 */
static size_t cp_read_resume(const struct rchan_buf *buf, size_t *consumed)
{
	if (cp_read_overwritten(buf)) {
		*consumed = buf->subbufs_produced - cp_subbufs_kept(buf);
		return 0;
	}
	*consumed = buf->subbufs_consumed;
	return buf->bytes_consumed;
}

/*
 * Under the buffer's lock: the end of the unread bytes of sub-buffer number
 * @i, which the reader's position has reached: a full one's data, or the
 * write offset of the one being written (none in a full stream buffer).
 */
static size_t cp_subbuf_end(const struct rchan_buf *buf, size_t i)
{
	size_t size = buf->chan->subbuf_size, offset;

	if (i != buf->subbufs_produced)
		return size - buf->padding[i % buf->chan->n_subbufs];
	offset = cp_write_offset(buf);
	return offset <= size ? offset : 0;
}

/*
 * Under the buffer's lock: the next unread bytes of @buf that lie in one
 * sub-buffer, as an offset into the buffer in @from; 0 if none.  Moves the
 * read position past sub-buffers read to their end, and past overwritten
 * ones.
 */
static size_t cp_read_span(struct rchan_buf *buf, size_t *from)
{
	size_t n = buf->chan->n_subbufs, size = buf->chan->subbuf_size, end;

	buf->bytes_consumed = cp_read_resume(buf, &buf->subbufs_consumed);
	for (;;) {
		end = cp_subbuf_end(buf, buf->subbufs_consumed);
		if (buf->bytes_consumed < end) {
			*from = (buf->subbufs_consumed % n) * size +
				buf->bytes_consumed;
			return end - buf->bytes_consumed;
		}
		if (buf->subbufs_consumed == buf->subbufs_produced)
			return 0;
		buf->subbufs_consumed++;
		buf->bytes_consumed = 0;
	}
}

/*
 * Under the buffer's lock, after @len bytes from the read position were
 * copied: consume them, unless the flight recorder overwrote the
 * sub-buffer meanwhile (it has wrapped onto the reader's).
 */
static bool cp_read_consume(struct rchan_buf *buf, size_t len)
{
	if (cp_read_overwritten(buf))
		return false;
	buf->bytes_consumed += len;
	return true;
}

/**
 * cp_buffer_buffered() - records held unread in a CPU's buffer
 * @buf: the buffer
 *
 * Computed from relay's own positions, from where the next read() would
 * resume, under the buffer's lock: exact at the moment it is taken, even
 * under load.  Changes nothing: a reader may be copying meanwhile.
 *
 * Return: the number of records.
 */
u64 cp_buffer_buffered(const struct rchan_buf *buf)
{
	raw_spinlock_t *lock = per_cpu_ptr(&cp_buf_lock, buf->cpu);
	size_t bytes, consumed, i;
	unsigned long flags;

	raw_spin_lock_irqsave(lock, flags);
	bytes = cp_read_resume(buf, &consumed);
	bytes = cp_subbuf_end(buf, consumed) - bytes;
	for (i = consumed + 1; i - 1 != buf->subbufs_produced; i++)
		bytes += cp_subbuf_end(buf, i);
	raw_spin_unlock_irqrestore(lock, flags);
	return bytes / CP_REC_SIZE;
}

/**
 * cp_buffer_read() - copy whole records of a CPU's buffer to user space
 * @buf: the buffer; its file's inode lock held, one reader at a time
 * @ubuf: where to
 * @count: at most this many bytes, a multiple of the record size
 *
 * Return: the bytes copied (0 when nothing is buffered, or when what was
 * being copied was overwritten), or -EFAULT.
 */
ssize_t cp_buffer_read(struct rchan_buf *buf, char __user *ubuf, size_t count)
{
	raw_spinlock_t *lock = per_cpu_ptr(&cp_buf_lock, buf->cpu);
	size_t done = 0, from = 0, len;
	unsigned long flags;
	bool kept;

	while (done < count) {
		raw_spin_lock_irqsave(lock, flags);
		len = min(cp_read_span(buf, &from), count - done);
		raw_spin_unlock_irqrestore(lock, flags);
		if (!len)
			break;
		if (copy_to_user(ubuf + done, buf->start + from, len))
			return done ? done : -EFAULT;
		raw_spin_lock_irqsave(lock, flags);
		kept = cp_read_consume(buf, len);
		raw_spin_unlock_irqrestore(lock, flags);
		/* Overwritten: what was copied is dropped; the caller asks again. */
		if (!kept)
			break;
		done += len;
	}
	return done;
}
