/* SPDX-License-Identifier: GPL-2.0 */
/* Replacing a file atomically, for node_exporter's textfile collector. */
#ifndef CONNPROBE_TEXTFILE_H
#define CONNPROBE_TEXTFILE_H

#include <stddef.h>

/*
 * Write @len bytes of @data to @dir/@name through a temporary file in
 * @dir and rename(), so a reader sees the old file or the new one, never
 * a part.  The temporary name starts with '.' and does not end in ".prom",
 * so the collector never reads it.  -1 with a message in @err.
 */
int textfile_write(const char *dir, const char *name, const void *data,
		   size_t len, char *err, size_t errlen);

#endif /* CONNPROBE_TEXTFILE_H */
