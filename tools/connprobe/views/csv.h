/* SPDX-License-Identifier: GPL-2.0 */
/* Records as CSV: written by the JSON Lines writer, with the same keys. */
#ifndef CONNPROBE_CSV_H
#define CONNPROBE_CSV_H

#include "jsonl.h"

#endif /* CONNPROBE_CSV_H */
