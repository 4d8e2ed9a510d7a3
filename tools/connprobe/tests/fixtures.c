// SPDX-License-Identifier: GPL-2.0
/* Test records, fake debugfs trees and output capture. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <limits.h>
#include <ftw.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture_write.h"
#include "fixtures.h"
#include "runner.h"

struct connprobe_record rec_new(__u64 ts_ns, __u32 cpu, __u64 seq)
{
	struct connprobe_record r;

	memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	r.version = CONNPROBE_RECORD_VERSION;
	r.event = CONNPROBE_EVENT_CONNECT;
	r.ts_ns = ts_ns;
	r.cpu = cpu;
	r.seq = seq;
	return r;
}

void rec_sock(struct connprobe_record *r, int family, int type, int protocol)
{
	r->flags |= CONNPROBE_F_SOCK;
	r->family = family;
	r->type = type;
	r->protocol = protocol;
}

void rec_saddr(struct connprobe_record *r, const char *addr, int port)
{
	r->flags |= CONNPROBE_F_SADDR;
	inet_pton(r->family, addr, r->saddr);
	r->sport = port;
}

void rec_daddr(struct connprobe_record *r, int family, const char *addr,
	       int port)
{
	r->flags |= CONNPROBE_F_DADDR;
	r->daddr_family = family;
	r->addrlen = family == AF_INET6 ? sizeof(struct sockaddr_in6)
				       : sizeof(struct sockaddr_in);
	inet_pton(family, addr, r->daddr);
	r->dport = port;
}

void rec_comm(struct connprobe_record *r, const char *comm)
{
	memset(r->comm, 0, sizeof(r->comm));
	memcpy(r->comm, comm, strnlen(comm, sizeof(r->comm)));
}

struct connprobe_record rec_refused_v4(__u64 ts_ns, __u32 cpu, __u64 seq)
{
	struct connprobe_record r = rec_new(ts_ns, cpu, seq);

	r.pid = 100;
	r.tid = 101;
	r.fd = 3;
	r.ret = -111;
	r.latency_ns = 52000;
	rec_comm(&r, "curl");
	rec_sock(&r, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	rec_saddr(&r, "127.0.0.1", 40000);
	rec_daddr(&r, AF_INET, "127.0.0.1", 80);
	return r;
}

void rec_unix(struct connprobe_record *r, int type, const char *path,
	      size_t len)
{
	rec_sock(r, AF_UNIX, type, 0);
	r->flags |= CONNPROBE_F_DADDR;
	r->daddr_family = AF_UNIX;
	memset(r->sun_path, 0, sizeof(r->sun_path));
	memcpy(r->sun_path, path, len);
	r->addrlen = 2 + len;
}

struct connprobe_record rec_complete(const struct connprobe_record *connect,
				     __s32 ret, __u64 latency_ns)
{
	struct connprobe_record r = *connect;

	r.event = CONNPROBE_EVENT_COMPLETE;
	r.ret = ret;
	r.latency_ns = latency_ns;
	r.seq++;
	return r;
}

int write_capture(const char *path, const struct connprobe_record *recs,
		  size_t n, const struct cp_stats *lost,
		  struct cp_cgroups *cgroups)
{
	struct cp_source_info info = {
		.realtime_offset_ns = TEST_REALTIME_OFFSET,
		.start_ns = n ? recs[0].ts_ns : 0, .hostname = TEST_HOSTNAME,
	};
	struct capture_writer w;
	char err[256];
	int ret;
	size_t i;

	/* a fresh capture: no .old of the file that held @path's name */
	unlink(path);
	if (capture_writer_open(&w, path, cgroups, err, sizeof(err)))
		return -1;
	capture_writer_begin(&w, &info);
	for (i = 0; i < n; i++)
		capture_writer_add(&w, &recs[i]);
	ret = capture_writer_finish(&w, lost, err, sizeof(err));
	capture_writer_close(&w);
	return ret;
}

char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (cap - n < 4096) {
			char *p = realloc(buf, cap + 65536);

			if (!p) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
			cap += 65536;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

int write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return -1;
	ret = fwrite(data, 1, len, f) != len;
	return fclose(f) || ret ? -1 : 0;
}

int fakefs_create(struct fakefs *fs)
{
	snprintf(fs->root, sizeof(fs->root), "/tmp/connprobe-test.XXXXXX");
	if (!mkdtemp(fs->root))
		return -1;
	snprintf(fs->dir, sizeof(fs->dir), "%s/%s", fs->root,
		 CONNPROBE_DEBUGFS_DIR);
	return mkdir(fs->dir, 0700);
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

int fakefs_write(const struct fakefs *fs, const char *name,
		 const void *data, size_t len)
{
	char tmp[160], path[160];
	int fd, ret;

	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", fs->dir, name);
	snprintf(path, sizeof(path), "%s/%s", fs->dir, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -1;
	ret = write_all(fd, data, len);
	if (close(fd) || ret)
		return -1;
	return rename(tmp, path);
}

int fakefs_append(const struct fakefs *fs, const char *name,
		  const void *data, size_t len)
{
	char path[160];
	int fd, ret;

	snprintf(path, sizeof(path), "%s/%s", fs->dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (fd < 0)
		return -1;
	ret = write_all(fd, data, len);
	return close(fd) || ret ? -1 : 0;
}

int fakefs_write_str(const struct fakefs *fs, const char *name,
		     const char *text)
{
	return fakefs_write(fs, name, text, strlen(text));
}

static int remove_entry(const char *path, const struct stat *sb, int flag,
			struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void fakefs_destroy(struct fakefs *fs)
{
	if (fs->root[0])
		nftw(fs->root, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	fs->root[0] = '\0';
}

int cgtree_create(struct cgtree *t)
{
	static int n;

	memset(t, 0, sizeof(*t));
	if (cgroup2_mount_find("/proc/self/mounts", t->mount,
			       sizeof(t->mount))) {
		diag("no cgroup2 mount in /proc/self/mounts: this test needs cgroup v2");
		return -1;
	}
	snprintf(t->name, sizeof(t->name), "/connprobe-test.%d.%d",
		 (int)getpid(), n++);
	if (!cgtree_mkdir(t, "")) {
		diag("cannot create cgroup %s%s (%m): this test needs root and a writable cgroup2 mount",
		     t->mount, t->name);
		t->name[0] = '\0';
		return -1;
	}
	return 0;
}

__u64 cgtree_mkdir(const struct cgtree *t, const char *sub)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s%s", t->mount, t->name, sub);
	if (mkdir(path, 0755) || stat(path, &st))
		return 0;
	return st.st_ino;
}

/* A cgroup's files cannot be removed: only its directory, once empty. */
static int remove_cgroup(const char *path, const struct stat *sb, int flag,
			 struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : 0;
}

void cgtree_destroy(struct cgtree *t)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s%s", t->mount, t->name);
	if (t->name[0])
		nftw(path, remove_cgroup, 8, FTW_DEPTH | FTW_PHYS);
	t->name[0] = '\0';
}

FILE *memout_open(struct memout *c)
{
	memset(c, 0, sizeof(*c));
	c->f = open_memstream(&c->buf, &c->len);
	return c->f;
}

struct cp_out *memout_out(struct memout *c)
{
	if (!memout_open(c) || out_init(&c->out, c->f))
		return NULL;
	return &c->out;
}

const char *memout_text(struct memout *c)
{
	if (c->out.buf)
		out_flush(&c->out);
	fflush(c->f);
	return c->buf;
}

void memout_close(struct memout *c)
{
	if (c->out.buf && c->f)
		out_close(&c->out);
	if (c->f)
		fclose(c->f);
	free(c->buf);
	memset(c, 0, sizeof(*c));
}
