/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --in-progress: of the connects in progress (record_in_progress():
 * EINPROGRESS, or interrupted, the definition summary counts by too),
 * only those whose attempt has not ended by the end of the trace or the
 * capture, shown then through the stream printer.
 */
#ifndef CONNPROBE_IN_PROGRESS_H
#define CONNPROBE_IN_PROGRESS_H

#include "sink.h"

/* A sink that holds such connects and hands the survivors to @inner. */
struct cp_sink *in_progress_sink_new(struct cp_sink *inner);

#endif /* CONNPROBE_IN_PROGRESS_H */
