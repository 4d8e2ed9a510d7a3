// SPDX-License-Identifier: GPL-2.0
/*
 * The self-benchmark's yardstick: the same records written into the
 * tracing ring buffer (kernel/trace/ring_buffer.c), the per-CPU buffer
 * connprobe did not choose, so that the choice of relay stands on a figure.
 * Like cp_buffer_bench(), an overwriting buffer of the live size that is
 * never read: the steady state of a busy CPU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ring_buffer.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "connprobe.h"
#include "connprobe_internal.h"

/**
 * cp_bench_ring_buffer() - time N record writes into a tracing ring buffer
 * @records: how many
 * @ns: the time they took, in ns
 *
 * Return: 0, -ENOMEM, or -EINTR when a fatal signal stopped it.
 */
int cp_bench_ring_buffer(unsigned long records, u64 *ns)
{
	struct ring_buffer_event *event;
	struct connprobe_record rec;
	struct trace_buffer *rb;
	unsigned long i;
	int ret = 0;
	u64 start;

	rb = ring_buffer_alloc(cp_buffer_size(), RB_FL_OVERWRITE);
	if (!rb)
		return -ENOMEM;
	memset(&rec, 0, sizeof(rec));
	rec.size = sizeof(rec);
	rec.version = CONNPROBE_RECORD_VERSION;
	rec.event = CONNPROBE_EVENT_CONNECT;
	start = ktime_get_ns();
	for (i = 0; i < records; i++) {
		event = ring_buffer_lock_reserve(rb, sizeof(rec));
		if (event) {
			memcpy(ring_buffer_event_data(event), &rec, sizeof(rec));
			cp_ring_buffer_commit(rb, event);
		}
		if (i % 4096)
			continue;
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	*ns = ktime_get_ns() - start;
	ring_buffer_free(rb);
	return ret;
}
