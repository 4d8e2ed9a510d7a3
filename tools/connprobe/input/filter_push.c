// SPDX-License-Identifier: GPL-2.0
/* Pushing the tool's filter into the module, and who owns it: see live.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "live.h"

int filter_kernel_text(const struct cp_filter *f, char *buf, size_t len)
{
	__u32 m = f->mask;
	char *text = NULL;
	size_t n = 0, i;
	FILE *o = open_memstream(&text, &n);
	bool bad;

	if (!o)
		return -1;
	/* each term after a blank, which the end drops */
	if (m & CP_FILTER_PID)
		fprintf(o, " pid=%u", f->pid);
	if (m & CP_FILTER_TID)
		fprintf(o, " tid=%u", f->tid);
	if (m & CP_FILTER_UID)
		fprintf(o, " uid=%u", f->uid);
	/* the module takes a comm of up to 15 bytes, without blanks */
	if ((m & CP_FILTER_COMM) && f->comm[0] &&
	    strnlen(f->comm, CONNPROBE_COMM_LEN) < CONNPROBE_COMM_LEN &&
	    !strpbrk(f->comm, " \t\n"))
		fprintf(o, " comm=%s", f->comm);
	if ((m & CP_FILTER_CGROUP) && f->cgroup_id)
		fprintf(o, " cgroup=%llu", (unsigned long long)f->cgroup_id);
	if (m & (CP_FILTER_IPV4 | CP_FILTER_IPV6))
		fprintf(o, " family=%s", !(m & CP_FILTER_IPV6) ? "ipv4" :
			!(m & CP_FILTER_IPV4) ? "ipv6" : "ipv4,ipv6");
	for (i = 0; (m & CP_FILTER_PORT) && i < f->nr_ports; i++)
		fprintf(o, "%s%u", i ? "," : " port=", f->ports[i]);
	if (m & CP_FILTER_FAILED)
		fputs(" failed", o);
	for (i = 0; (m & CP_FILTER_ERRNO) && i < f->nr_errnos; i++)
		fprintf(o, "%s%u", i ? "," : " errno=", f->errnos[i]);
	if (m & CP_FILTER_LATENCY)
		fprintf(o, " min_latency_ns=%llu", (unsigned long long)f->min_latency_ns);
	bad = fclose(o) || !text ||
	      (size_t)snprintf(buf, len, "%s", n ? text + 1 : "none") >= len;
	free(text);
	return bad ? -1 : 0;
}

/* -1 with errno.  No O_CREAT: a module gone meanwhile is ENOENT. */
static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	int bad = fd < 0 || dprintf(fd, "%s", text) < 0;

	return (fd >= 0 && close(fd)) || bad ? -1 : 0;
}

/* The owner file, locked (*@locked) unless a live run holds it; -1 with errno. */
static int owner_open(const struct cp_filter_push *p, int flags, bool *locked)
{
	struct stat a, b;
	int fd, tries, e = ENOENT;

	for (tries = 0; tries < 3; tries++) {
		fd = open(p->owner, O_RDWR | O_CLOEXEC | O_NOFOLLOW | flags, 0644);
		if (fd < 0)
			return -1;
		*locked = !flock(fd, LOCK_EX | LOCK_NB);
		/* a lock on a file a run removed meanwhile is worth nothing */
		e = *locked ? ENOENT : errno;
		if (e == EWOULDBLOCK || (*locked && !fstat(fd, &a) &&
					 !stat(p->owner, &b) &&
					 a.st_ino == b.st_ino && a.st_dev == b.st_dev))
			return fd;
		close(fd);
		/* no lock to be had (ENOLCK: NFS), so none a run could hold */
		if (!*locked)
			break;
	}
	errno = e;
	return -1;
}

/* What the owner file says: its pid, and whether it names @terms. */
static bool owner_names(int fd, const char *terms, long *pid)
{
	char text[600], *end;
	ssize_t n = pread(fd, text, sizeof(text) - 1, 0);

	text[n > 0 ? n : 0] = '\0';
	text[strcspn(text, "\n")] = '\0';
	*pid = strtol(text, &end, 10);
	return *end == ' ' && !strcmp(end + 1, terms);
}

/* Let the owner file go: removed while it is locked, then unlocked. */
static void filter_disown(struct cp_filter_push *p)
{
	if (p->owner_fd < 0)
		return;
	if (unlink(p->owner) && ftruncate(p->owner_fd, 0))
		fprintf(stderr, "connprobe: %s: cannot remove it: %m\n", p->owner);
	close(p->owner_fd);
	p->owner_fd = -1;
}

/* Record this run as @ours's owner, or say what not doing so costs; -1: another is pushing. */
static int filter_own(struct cp_filter_push *p, const char *ours)
{
	char text[600], *slash = strrchr(p->owner, '/');
	int e, n = snprintf(text, sizeof(text), "%ld %s\n", (long)getpid(), ours);
	bool locked = true;

	if (p->owner_fd < 0) {
		*slash = '\0';		/* the run directory */
		e = mkdir(p->owner, 0755) && errno != EEXIST;
		*slash = '/';
		p->owner_fd = e ? -1 : owner_open(p, O_CREAT, &locked);
	}
	if (p->owner_fd >= 0 && !locked) {
		close(p->owner_fd);
		p->owner_fd = -1;
		return -1;
	}
	if (p->owner_fd >= 0 && !ftruncate(p->owner_fd, 0) &&
	    pwrite(p->owner_fd, text, n, 0) == n)
		return 0;
	e = errno;
	filter_disown(p);
	fprintf(stderr,
		"connprobe: note: cannot record this run as the filter's owner in %.*s (%s): if it is killed, clear the filter with: echo none > %s\n",
		(int)(slash - p->owner), p->owner, strerror(e), p->path);
	return 0;
}

static int push(struct cp_filter_push *p, const char *ours, char *err, size_t errlen)
{
	/* the module writes at most 4096 bytes */
	char theirs[4096 + 1];
	int fd = -1, e = read_text(p->path, theirs, sizeof(theirs));
	bool locked = false, named = false;
	long pid = 0;

	/* ENOENT: a module without the filter file */
	if (e)
		return e == ENOENT ? 0 : cp_err(err, errlen, "%s: %s", p->path, strerror(e));
	theirs[strcspn(theirs, "\n")] = '\0';
	/* who set it: a live run holds its owner file's lock, a dead one not */
	if (strcmp(theirs, "none")) {
		fd = owner_open(p, 0, &locked);
		named = fd >= 0 && owner_names(fd, theirs, &pid);
	}
	if (fd >= 0 && !(locked && named))
		close(fd);
	if (locked && named) {
		/* left by a run that died: it hides connects from every run */
		p->owner_fd = fd;
		fprintf(stderr,
			"connprobe: note: cleared the module's filter '%s', left in force by connprobe (pid %ld), which ended without clearing it\n",
			theirs, pid);
		if (write_text(p->path, "none"))
			return cp_err(err, errlen, "%s: cannot clear '%s': %m",
				      p->path, theirs);
		strcpy(theirs, "none");
	}
	if (!strcmp(theirs, ours))
		return 0;
	if (!strcmp(ours, "none")) {
		fprintf(stderr,
			"connprobe: note: the module's filter '%s' is in force: the connects it turns away are not traced\n",
			theirs);
		return 0;
	}
	if (strcmp(theirs, "none") && fd >= 0 && !locked && named)
		snprintf(err, errlen,
			 "the module's filter is already '%s', set by connprobe (pid %ld), which is running; the filter is global: run with the same filters, or after it",
			 theirs, pid);
	else if (strcmp(theirs, "none"))
		snprintf(err, errlen,
			 "the module's filter is already '%s' (another connprobe running?); to clear it: echo none > %s",
			 theirs, p->path);
	else if (filter_own(p, ours))
		snprintf(err, errlen,
			 "another connprobe is putting its filter in force; the filter is global: run with the same filters, or after it");
	else if (write_text(p->path, ours))
		cp_err(err, errlen, "%s: cannot set '%s': %m", p->path, ours);
	else
		p->pushed = true;
	return p->pushed ? 0 : -1;
}

int filter_push(struct cp_filter_push *p, const char *dir,
		const struct cp_filter *f, char *err, size_t errlen)
{
	const char *rundir = getenv("CONNPROBE_RUNDIR");
	char ours[512];
	int ret;

	*p = (struct cp_filter_push){ .owner_fd = -1 };
	if (snprintf(p->path, sizeof(p->path), "%s/%s", dir,
		     CONNPROBE_FILTER_FILE) >= (int)sizeof(p->path) ||
	    snprintf(p->owner, sizeof(p->owner), "%s/%s", rundir && *rundir ? rundir :
		     FILTER_RUNDIR, FILTER_OWNER_FILE) >= (int)sizeof(p->owner) ||
	    filter_kernel_text(f, ours, sizeof(ours)))
		return cp_err(err, errlen, "filter too long for the module");
	ret = push(p, ours, err, errlen);
	/* a dead run's owner file, kept for ours if we pushed */
	if (!p->pushed)
		filter_disown(p);
	return ret;
}

void filter_unpush(struct cp_filter_push *p)
{
	if (p->pushed && write_text(p->path, "none"))
		fprintf(stderr, "connprobe: %s: cannot put back 'none': %m\n", p->path);
	p->pushed = false;
	filter_disown(p);
}
