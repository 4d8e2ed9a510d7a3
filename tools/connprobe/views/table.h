/* SPDX-License-Identifier: GPL-2.0 */
/* Table rows: row.h, under the name its users know. */
#ifndef CONNPROBE_TABLE_H
#define CONNPROBE_TABLE_H

#include "row.h"

#endif /* CONNPROBE_TABLE_H */
