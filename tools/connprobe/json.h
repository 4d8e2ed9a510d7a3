/* SPDX-License-Identifier: GPL-2.0 */
/* JSON string output shared by the record and stats printers. */
#ifndef CONNPROBE_JSON_H
#define CONNPROBE_JSON_H

#include <stddef.h>
#include <stdio.h>

/*
 * Print the first @len bytes of @s (stopping early at a NUL) as a quoted
 * JSON string.  Any byte may appear: control characters are escaped and
 * bytes that are not valid UTF-8 become U+FFFD, so the output is always
 * valid JSON whatever a task named itself.
 */
void json_string(FILE *f, const char *s, size_t len);

/* Print a JSON string, or null when @s is NULL. */
void json_string_or_null(FILE *f, const char *s);

#endif /* CONNPROBE_JSON_H */
