// SPDX-License-Identifier: GPL-2.0
/* Child processes with captured output, for the end-to-end tests. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"
#include "runner.h"

struct syscall_fault proc_fault;

int syscall_fault_set(const struct syscall_fault *f)
{
	/* the argument's low 32 bits: what a classic BPF load takes */
	unsigned int arg = offsetof(struct seccomp_data, args[0]) + 8 * f->arg +
			   4 * (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, f->nr, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arg),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, f->mask, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | f->err),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { ARRAY_LEN(code), code };

	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	       prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) ? -1 : 0;
}

int proc_start(struct proc *p, char *const argv[], uid_t uid)
{
	int out[2], err[2];

	memset(p, 0, sizeof(*p));
	p->pid = -1;
	p->out_fd = p->err_fd = -1;
	p->out = calloc(1, 1);
	p->err = calloc(1, 1);
	if (!p->out || !p->err)
		return -1;
	if (pipe2(out, O_CLOEXEC))
		return -1;
	if (pipe2(err, O_CLOEXEC)) {
		close(out[0]);
		close(out[1]);
		return -1;
	}
	p->pid = fork();
	if (p->pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		if (uid != (uid_t)-1 &&
		    (setgroups(0, NULL) || setgid(uid) || setuid(uid)))
			_exit(126);
		if (proc_fault.err && syscall_fault_set(&proc_fault))
			_exit(125);
		execv(argv[0], argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	p->out_fd = out[0];
	p->err_fd = err[0];
	if (p->pid < 0) {
		close(out[0]);
		close(err[0]);
		p->out_fd = p->err_fd = -1;
		return -1;
	}
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Append what @fd has to @buf; close it at EOF.  -1 on error. */
static int drain_fd(int *fd, char **buf, size_t *len)
{
	char chunk[4096], *p;
	ssize_t n = read(*fd, chunk, sizeof(chunk));

	if (n < 0)
		return errno == EINTR ? 0 : -1;
	if (n == 0) {
		close(*fd);
		*fd = -1;
		return 0;
	}
	p = realloc(*buf, *len + n + 1);
	if (!p)
		return -1;
	memcpy(p + *len, chunk, n);
	*len += n;
	p[*len] = '\0';
	*buf = p;
	return 0;
}

/* One poll round over the open pipes; -1 on timeout or error. */
static int pump(struct proc *p, long long deadline)
{
	struct pollfd pfd[2] = {
		{ .fd = p->out_fd, .events = POLLIN },
		{ .fd = p->err_fd, .events = POLLIN },
	};
	long long left = deadline - now_ms();
	int n;

	if (left <= 0)
		return -1;
	n = poll(pfd, 2, left);
	if (n < 0)
		return errno == EINTR ? 0 : -1;
	if (pfd[0].revents && drain_fd(&p->out_fd, &p->out, &p->out_len))
		return -1;
	if (pfd[1].revents && drain_fd(&p->err_fd, &p->err, &p->err_len))
		return -1;
	return 0;
}

int count_lines(const char *s)
{
	int n = 0;

	while ((s = strchr(s, '\n'))) {
		n++;
		s++;
	}
	return n;
}

int proc_wait_lines(struct proc *p, int nlines, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;

	while (count_lines(p->out) < nlines) {
		if (p->out_fd < 0 || pump(p, deadline))
			return -1;
	}
	return 0;
}

int proc_status(pid_t pid, const char *key, char *val, size_t len)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	int ret = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			snprintf(val, len, "%s", line + klen + 1);
			ret = 0;
			break;
		}
	fclose(f);
	return ret;
}

/* Whether @pid has a handler for @sig: 1, 0, or -1 if it cannot be told. */
static int catching(pid_t pid, int sig)
{
	unsigned long long mask;
	char val[64];

	if (proc_status(pid, "SigCgt", val, sizeof(val)) ||
	    sscanf(val, "%llx", &mask) != 1)
		return -1;
	return !!(mask & (1ULL << (sig - 1)));
}

int proc_wait_catching(const struct proc *p, int sig, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	int c;

	while ((c = catching(p->pid, sig)) == 0 && now_ms() < deadline)
		usleep(10000);
	return c == 1 ? 0 : -1;
}

int proc_finish(struct proc *p, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	int ret = 0, status;

	while (p->out_fd >= 0 || p->err_fd >= 0) {
		if (pump(p, deadline)) {
			kill(p->pid, SIGKILL);
			ret = -1;
			break;
		}
	}
	if (waitpid(p->pid, &status, 0) != p->pid)
		return -1;
	p->pid = -1;
	p->status = WIFEXITED(status) ? WEXITSTATUS(status)
				      : 128 + WTERMSIG(status);
	return ret;
}

void proc_free(struct proc *p)
{
	if (p->pid > 0) {
		kill(p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0);
	}
	if (p->out_fd >= 0)
		close(p->out_fd);
	if (p->err_fd >= 0)
		close(p->err_fd);
	free(p->out);
	free(p->err);
	memset(p, 0, sizeof(*p));
	p->out_fd = p->err_fd = -1;
}

int proc_run(struct proc *p, char *const argv[], int timeout_ms)
{
	if (proc_start(p, argv, (uid_t)-1))
		return -1;
	return proc_finish(p, timeout_ms);
}

#define MAX_ARGS	32

int proc_start_toolv(struct proc *p, uid_t uid, const char *tool, va_list ap)
{
	char *argv[MAX_ARGS];
	int n = 0;

	argv[n++] = (char *)tool;
	while (n < MAX_ARGS - 1 && (argv[n] = va_arg(ap, char *)))
		n++;
	argv[n] = NULL;
	return proc_start(p, argv, uid);
}

int proc_start_tool(struct proc *p, uid_t uid, const char *tool, ...)
{
	va_list ap;
	int ret;

	va_start(ap, tool);
	ret = proc_start_toolv(p, uid, tool, ap);
	va_end(ap);
	return ret;
}

/* @got equals @want (NULL: anything); diagnostics if not. */
static int same(const char *what, const char *got, const char *want)
{
	if (!want || !strcmp(got, want))
		return 0;
	diag("%s", what);
	diag("  got:  \"%s\"", got);
	diag("  want: \"%s\"", want);
	return -1;
}

int proc_expect(const struct proc *p, const char *out, const char *err,
		int status)
{
	int ret = same("stdout", p->out, out) | same("stderr", p->err, err);

	if (p->status != status) {
		diag("exit status %d, want %d", p->status, status);
		ret = -1;
	}
	return ret;
}

/*
 * Copy @tool to @dir/connprobe, @dir a fresh 0755 directory in /tmp: the
 * tree under test may sit where another user cannot reach it (a clone
 * under /root, mode 0700), and nobody must be able to run the copy.
 * Returns 0, or -1 with what was created removed and @dir empty.
 */
int copy_for_anyone(const char *tool, char dir[64], char path[80])
{
	char buf[65536];
	ssize_t n = 0;
	int in, out;

	snprintf(dir, 64, "/tmp/connprobe-tool.XXXXXX");
	if (!mkdtemp(dir)) {
		dir[0] = '\0';
		return -1;
	}
	snprintf(path, 80, "%s/connprobe", dir);
	in = open(tool, O_RDONLY | O_CLOEXEC);
	out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			n = -1;
			break;
		}
	if (in >= 0)
		close(in);
	/* mkdtemp() and the umask leave less than 0755: set it. */
	if (in < 0 || out < 0 || n < 0 || close(out) ||
	    chmod(path, 0755) || chmod(dir, 0755)) {
		if (out >= 0)
			unlink(path);
		rmdir(dir);
		dir[0] = '\0';
		return -1;
	}
	return 0;
}
