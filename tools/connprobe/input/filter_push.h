/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pushing the tool's filter into the module (<debugfs>/connprobe/filter),
 * so that connects it turns away never reach the buffer.  The tool still
 * applies the whole filter itself: what the kernel cannot take (a comm
 * with blanks, a cgroup known only by path) is left to the tool.
 *
 * The module's filter is global, and the module cannot say who set it:
 * the run that pushes one writes "PID TERMS" to FILTER_OWNER_FILE in
 * $CONNPROBE_RUNDIR (default FILTER_RUNDIR) and holds an flock() on it
 * while it runs; it removes the file when it puts "none" back.  The
 * kernel drops the lock however the run ends: a filter in force that an
 * unlocked owner file names was left by a run that died (SIGKILL, a
 * crash), and the next run clears it.
 */
#ifndef CONNPROBE_FILTER_PUSH_H
#define CONNPROBE_FILTER_PUSH_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "sink.h"

#define FILTER_RUNDIR		"/run/connprobe"
#define FILTER_OWNER_FILE	"filter.owner"

struct cp_filter_push {
	char path[PATH_MAX];	/* the module's filter file */
	char owner[PATH_MAX];	/* the owner file */
	bool pushed;		/* ours is in force: put "none" back at exit */
	int owner_fd;		/* the locked owner file; -1: none */
};

/* What of @f the module can apply, as its filter file's text ("none"). */
int filter_kernel_text(const struct cp_filter *f, char *buf, size_t len);

/*
 * Put @f in force in the module whose debugfs directory is @dir (a module
 * without a filter file is left alone).  With nothing to push, a filter
 * in force is reported on stderr, since it hides connects; a different
 * one is an error naming the run that holds it.  Where the owner cannot
 * be recorded (a read-only /run) the filter is pushed all the same, with
 * a note.  Returns 0, or -1 with a message in @err.
 */
int filter_push(struct cp_filter_push *p, const char *dir,
		const struct cp_filter *f, char *err, size_t errlen);

/* Put "none" back if filter_push() put ours in force; let the owner go. */
void filter_unpush(struct cp_filter_push *p);

#endif /* CONNPROBE_FILTER_PUSH_H */
