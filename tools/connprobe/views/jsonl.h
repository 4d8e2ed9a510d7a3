/* SPDX-License-Identifier: GPL-2.0 */
/* One record as a JSON object on one line (JSON Lines). */
#ifndef CONNPROBE_JSONL_H
#define CONNPROBE_JSONL_H

#include "out.h"
#include "record_emit.h"

void jsonl_record(struct cp_out *o, struct emit_state *st,
		  const struct connprobe_record *rec);

#endif /* CONNPROBE_JSONL_H */
