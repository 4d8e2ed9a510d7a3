/* SPDX-License-Identifier: GPL-2.0 */
/* Run the tool as a child process with its stdout and stderr captured. */
#ifndef CONNPROBE_TEST_PROC_H
#define CONNPROBE_TEST_PROC_H

#include <stddef.h>
#include <stdarg.h>
#include <sys/types.h>

struct proc {
	pid_t pid;
	int out_fd;
	int err_fd;
	char *out;		/* NUL-terminated stdout so far */
	size_t out_len;
	char *err;		/* NUL-terminated stderr so far */
	size_t err_len;
	int status;		/* exit status, or 128 + signal */
};

/* What proc_free() accepts before proc_start() ran. */
#define PROC_INIT { .pid = -1, .out_fd = -1, .err_fd = -1 }

/*
 * System call @nr fails with @err when its argument @arg has a bit of
 * @mask set: what a file system or kernel we cannot mount here does.
 */
struct syscall_fault {
	long nr;
	int arg;
	unsigned int mask;
	int err;
};

/* Set @f (seccomp) for this process and its children; 0 if so. */
int syscall_fault_set(const struct syscall_fault *f);

/* The fault the children proc_start() starts have (@err 0: none). */
extern struct syscall_fault proc_fault;

/*
 * Start @argv[0] with @argv; when @uid is not -1 the child first drops to
 * that uid (and gid) so the root check can be tested.
 */
int proc_start(struct proc *p, char *const argv[], uid_t uid);

/*
 * Wait until stdout holds @nlines complete lines, reading stderr too.
 * Returns -1 on timeout or if the child closed stdout first.
 */
int proc_wait_lines(struct proc *p, int nlines, int timeout_ms);

/* Read to EOF and reap; kills the child and returns -1 on timeout. */
int proc_finish(struct proc *p, int timeout_ms);

void proc_free(struct proc *p);

/* The value of line @key ("VmRSS", ...) of @pid's /proc status into @val. */
int proc_status(pid_t pid, const char *key, char *val, size_t len);

/*
 * Wait until @p has a handler for @sig (its /proc status' SigCgt): a live
 * run installs its handlers once it has read the stats and opened the
 * buffers, so a signal sent after this ends the run, never the process,
 * and finds its start already counted.  0 if so within @timeout_ms.
 */
int proc_wait_catching(const struct proc *p, int sig, int timeout_ms);

/* proc_start + proc_finish: run to completion with a timeout. */
int proc_run(struct proc *p, char *const argv[], int timeout_ms);

#define TOOL_TIMEOUT_MS	10000

/* Newlines in @s. */
int count_lines(const char *s);

/*
 * The finished @p printed exactly @out on stdout and @err on stderr (NULL:
 * either is fine) and exited with @status.  0 if so; else -1, saying what
 * differed.
 */
int proc_expect(const struct proc *p, const char *out, const char *err,
		int status);

/* proc_start() @tool with the NULL-terminated arguments that follow. */
int proc_start_tool(struct proc *p, uid_t uid, const char *tool, ...);

/* proc_start_tool() with the NULL-terminated arguments in @ap. */
int proc_start_toolv(struct proc *p, uid_t uid, const char *tool, va_list ap);

/* Run @tool with the arguments to completion (TOOL_TIMEOUT_MS); 0: ran. */
#define RUN(p, tool, ...)						\
	(proc_start_tool(p, (uid_t)-1, tool, __VA_ARGS__, (char *)NULL) || \
	 proc_finish(p, TOOL_TIMEOUT_MS))

/*
 * Copy @tool to @dir/connprobe, @dir a fresh 0755 directory in /tmp, for
 * a test that runs it as another user: the tree under test may sit where
 * no other user reaches (a clone under /root, mode 0700).  Returns 0, or
 * -1 with what was created removed and @dir empty.
 */
int copy_for_anyone(const char *tool, char dir[64], char path[80]);

#endif /* CONNPROBE_TEST_PROC_H */
