/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pushing the tool's filter into the module (<debugfs>/connprobe/filter),
 * so that connects it turns away never reach the buffer.  The tool still
 * applies the whole filter itself: the kernel's tests are the same, and
 * what the kernel cannot take (a comm with blanks, a cgroup known only by
 * path) is left to the tool.
 */
#ifndef CONNPROBE_FILTER_PUSH_H
#define CONNPROBE_FILTER_PUSH_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "filter.h"

/*
 * The filter file's text for what of @f the module can apply, "none" for
 * nothing, into @buf.  Returns 0, or -1 if @len is too short.
 */
int filter_kernel_text(const struct cp_filter *f, char *buf, size_t len);

struct cp_filter_push {
	char path[PATH_MAX];
	bool pushed;		/* ours is in force: put "none" back at exit */
};

/*
 * Put @f in force in the module whose debugfs directory is @dir.  A module
 * without a filter file is left alone.  With nothing to push, a filter
 * another run left in force is reported on stderr, since it hides
 * connects.  A different filter already in force is an error (another
 * connprobe runs): the module's filter is global.  Returns 0, or -1 with
 * a message in @err.
 */
int filter_push(struct cp_filter_push *p, const char *dir,
		const struct cp_filter *f, char *err, size_t errlen);

/* Put "none" back if filter_push() put ours in force. */
void filter_unpush(struct cp_filter_push *p);

#endif /* CONNPROBE_FILTER_PUSH_H */
