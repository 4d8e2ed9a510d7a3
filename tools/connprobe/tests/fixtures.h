/* SPDX-License-Identifier: GPL-2.0 */
/* Test records and a fake debugfs tree holding connprobe/cpuN and stats. */
#ifndef CONNPROBE_TEST_FIXTURES_H
#define CONNPROBE_TEST_FIXTURES_H

#include <stddef.h>
#include <stdio.h>

#include <connprobe.h>

#include "cgroup.h"
#include "out.h"
#include "stats.h"

/* A valid, empty record: size, version and event set, no validity bits. */
struct connprobe_record rec_new(__u64 ts_ns, __u32 cpu, __u64 seq);

/* Set the socket fields and CONNPROBE_F_SOCK. */
void rec_sock(struct connprobe_record *r, int family, int type, int protocol);

/* Set saddr/sport (CONNPROBE_F_SADDR) from text in the socket's family. */
void rec_saddr(struct connprobe_record *r, const char *addr, int port);

/* Set daddr_family/daddr/dport (CONNPROBE_F_DADDR) from text, addrlen
 * that of a full sockaddr_in or sockaddr_in6. */
void rec_daddr(struct connprobe_record *r, int family, const char *addr,
	       int port);

void rec_comm(struct connprobe_record *r, const char *comm);

/*
 * An AF_UNIX socket of @type connecting to the @len bytes of @path (an
 * abstract name starts with a NUL): CONNPROBE_F_SOCK and _DADDR.
 */
void rec_unix(struct connprobe_record *r, int type, const char *path,
	      size_t len);

/* "curl" (pid 100, tid 101, fd 3) refused on 127.0.0.1:40000 -> :80. */
struct connprobe_record rec_refused_v4(__u64 ts_ns, __u32 cpu, __u64 seq);

/* The COMPLETE record of @connect, ending with @ret after @latency_ns. */
struct connprobe_record rec_complete(const struct connprobe_record *connect,
				     __s32 ret, __u64 latency_ns);

/* What test captures say about their recording. */
#define TEST_REALTIME_OFFSET	1764115200000000000LL	/* 2025-11-26 00:00 UTC */
#define TEST_HOSTNAME		"testhost"

/*
 * Write a fresh capture (whatever @path held is removed, not kept as
 * .old) of @n records to @path, with @lost (NULL: unknown) and
 * the cgroups of @cgroups the records name (may be NULL).  0 on success.
 */
int write_capture(const char *path, const struct connprobe_record *recs,
		  size_t n, const struct cp_stats *lost,
		  struct cp_cgroups *cgroups);

/* The whole of file @path, NUL-terminated (free() it); NULL on error. */
char *read_file(const char *path, size_t *len);

/* Write @len bytes to @path.  0 on success. */
int write_file(const char *path, const void *data, size_t len);

struct fakefs {
	char root[64];		/* what --debugfs gets */
	char dir[80];		/* root/connprobe */
};

/* A fresh temporary root with an empty connprobe/ in it. */
int fakefs_create(struct fakefs *fs);

/* Replace root/connprobe/@name atomically, as the module's file would. */
int fakefs_write(const struct fakefs *fs, const char *name,
		 const void *data, size_t len);

/* Append to root/connprobe/@name (records arriving in a CPU file). */
int fakefs_append(const struct fakefs *fs, const char *name,
		  const void *data, size_t len);

int fakefs_write_str(const struct fakefs *fs, const char *name,
		     const char *text);

void fakefs_destroy(struct fakefs *fs);

/*
 * A fresh child cgroup on the host's cgroup2 mount, for what only a real
 * cgroupfs gives (kernfs file handles).  The tests run as root on a host
 * with cgroup v2 (README, make check), so having none is a failure: -1
 * with a diagnostic saying why.
 */
struct cgtree {
	char mount[200];	/* what --cgroupfs gets */
	char name[64];		/* "/connprobe-test.PID.N", below the mount */
};

int cgtree_create(struct cgtree *t);

/* mkdir @sub ("/a/b") below the child; the cgroup's id, or 0. */
__u64 cgtree_mkdir(const struct cgtree *t, const char *sub);

/* Remove the child and every cgroup below it. */
void cgtree_destroy(struct cgtree *t);

/* A memory stream and its buffer, for checking printed output. */
struct memout {
	FILE *f;
	char *buf;
	size_t len;
	struct cp_out out;	/* on f, once memout_out() made it */
};

FILE *memout_open(struct memout *c);
/* memout_open() and a struct cp_out on the stream; NULL on failure. */
struct cp_out *memout_out(struct memout *c);
/* Flush (the cp_out too) and return the text so far (owned by @c). */
const char *memout_text(struct memout *c);
void memout_close(struct memout *c);

#endif /* CONNPROBE_TEST_FIXTURES_H */
