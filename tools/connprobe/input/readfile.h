/* SPDX-License-Identifier: GPL-2.0 */
/* Reading a whole small file, such as a debugfs one. */
#ifndef CONNPROBE_READFILE_H
#define CONNPROBE_READFILE_H

#include <stddef.h>

/*
 * Read @path to its end into a NUL-terminated malloc'ed buffer.  debugfs
 * files report size 0, so the size is never taken from stat().  NULL with
 * errno set, EFBIG past @max bytes.
 */
char *read_whole_file(const char *path, size_t max);

#endif /* CONNPROBE_READFILE_H */
