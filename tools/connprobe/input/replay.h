/* SPDX-License-Identifier: GPL-2.0 */
/* The capture source: feed a capture's records to a sink, in file order. */
#ifndef CONNPROBE_REPLAY_H
#define CONNPROBE_REPLAY_H

#include "capture_read.h"
#include "sink.h"

/*
 * Feed every record of @c to @sink and end it with the capture's losses.
 * A record this tool cannot read stops the replay there, with a message.
 * Returns the exit status: 0, or 1 after printing why.
 */
int replay_run(struct cp_capture *c, struct cp_sink *sink);

#endif /* CONNPROBE_REPLAY_H */
