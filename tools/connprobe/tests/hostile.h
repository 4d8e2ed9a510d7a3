/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hostile captures: a valid capture cut, patched and overrun in the ways
 * that matter, each with the message report must refuse it with.  The
 * capture tests check every one; the fuzz test starts from them.
 */
#ifndef CONNPROBE_TEST_HOSTILE_H
#define CONNPROBE_TEST_HOSTILE_H

#include <stddef.h>

#include "capture.h"

struct hostile {
	const char *name;
	unsigned char *data;
	size_t len;
	/* capture_parse()'s message; NULL: it parses, a record is bad */
	const char *parse_err;
	/* with parse_err NULL: capture_record()'s message for @bad_record */
	unsigned long long bad_record;
	const char *record_err;
};

/* The valid capture the corpus is made from: 3 records, losses, cgroups. */
unsigned char *hostile_base(size_t *len);

/* capture_open() the @size bytes at @data, through a memory file. */
int capture_parse(struct cp_capture *c, const void *data, size_t size,
		  struct cp_cgroups *cgroups, char *err, size_t errlen);

/* Build the corpus; free it with hostile_free().  -1 on failure. */
int hostile_corpus(struct hostile **out, size_t *n);
void hostile_free(struct hostile *h, size_t n);

#endif /* CONNPROBE_TEST_HOSTILE_H */
