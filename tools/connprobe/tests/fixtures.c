// SPDX-License-Identifier: GPL-2.0
/* Test records, fake debugfs trees and output capture. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixtures.h"

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

FILE *capture_open(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	c->f = open_memstream(&c->buf, &c->len);
	return c->f;
}

const char *capture_text(struct capture *c)
{
	fflush(c->f);
	return c->buf;
}

void capture_close(struct capture *c)
{
	if (c->f)
		fclose(c->f);
	free(c->buf);
	memset(c, 0, sizeof(*c));
}
