/* SPDX-License-Identifier: GPL-2.0 */
/* CSV rows: row.h, under the name its users know. */
#ifndef CONNPROBE_CSV_H
#define CONNPROBE_CSV_H

#include "row.h"

#endif /* CONNPROBE_CSV_H */
