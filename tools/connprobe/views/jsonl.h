/* SPDX-License-Identifier: GPL-2.0 */
/* JSON Lines rows: row.h, under the name its users know. */
#ifndef CONNPROBE_JSONL_H
#define CONNPROBE_JSONL_H

#include "row.h"

#endif /* CONNPROBE_JSONL_H */
