/* SPDX-License-Identifier: GPL-2.0 */
/* The live source: the module's per-CPU relay files, and its filter. */
#ifndef CONNPROBE_LIVE_H
#define CONNPROBE_LIVE_H

#include <limits.h>
#include <poll.h>

#include "sink.h"

/* Check root, debugfs (unless @fake_debugfs) and @dir; -1 saying how to fix. */
int env_check(const char *debugfs, const char *dir, bool fake_debugfs);
struct live_opts {
	const char *dir;	/* <debugfs>/connprobe */
	double duration;	/* seconds; 0 runs until SIGINT/SIGTERM */
};

/* Feed @sink until a signal or the duration, drain, end: the exit status. */
int live_run(const struct live_opts *opts, struct cp_sink *sink);

/* The CPU files "cpuN" of a debugfs directory, and what a round read. */
struct cp_reader {
	size_t nr;
	struct pollfd *pfds;
	unsigned int *cpus;		/* N of each file's name "cpuN" */
	struct connprobe_record *rec;	/* the round's records, checked */
	size_t len;
};

int reader_open(struct cp_reader *r, const char *dir, char *err, size_t errlen);
void reader_close(struct cp_reader *r);
/* Read into r->rec up to @max checked records of each CPU: how many, or -1. */
long reader_read_all(struct cp_reader *r, size_t max, char *err, size_t errlen);

/*
 * The module's filter is global: its pusher writes "PID TERMS" to
 * FILTER_OWNER_FILE in $CONNPROBE_RUNDIR (or FILTER_RUNDIR) and flock()s it
 * while it runs.  The kernel drops the lock however the run ends: a filter
 * that an unlocked owner file names was a dead run's, and is cleared.
 */
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
/* Put in force in the module at @dir what of @f it takes; another run's in force: -1. */
int filter_push(struct cp_filter_push *p, const char *dir,
		const struct cp_filter *f, char *err, size_t errlen);
/* Put "none" back if filter_push() put ours in force; let the owner go. */
void filter_unpush(struct cp_filter_push *p);

#endif /* CONNPROBE_LIVE_H */
