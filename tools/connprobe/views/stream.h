/* SPDX-License-Identifier: GPL-2.0 */
/* The record stream of trace and report: table, JSON Lines or CSV. */
#ifndef CONNPROBE_STREAM_H
#define CONNPROBE_STREAM_H

#include "row.h"
#include "sink.h"

/* NULL if out of memory. */
struct cp_sink *stream_sink_new(const struct stream_opts *o);

#endif /* CONNPROBE_STREAM_H */
