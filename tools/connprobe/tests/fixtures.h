/* SPDX-License-Identifier: GPL-2.0 */
/* Test records and a fake debugfs tree holding connprobe/cpuN and stats. */
#ifndef CONNPROBE_TEST_FIXTURES_H
#define CONNPROBE_TEST_FIXTURES_H

#include <stddef.h>
#include <stdio.h>

#include <connprobe.h>

/* A valid, empty record: size, version and event set, no validity bits. */
struct connprobe_record rec_new(__u64 ts_ns, __u32 cpu, __u64 seq);

/* Set the socket fields and CONNPROBE_F_SOCK. */
void rec_sock(struct connprobe_record *r, int family, int type, int protocol);

/* Set saddr/sport (CONNPROBE_F_SADDR) from text in the socket's family. */
void rec_saddr(struct connprobe_record *r, const char *addr, int port);

/* Set daddr_family/daddr/dport (CONNPROBE_F_DADDR) from text. */
void rec_daddr(struct connprobe_record *r, int family, const char *addr,
	       int port);

void rec_comm(struct connprobe_record *r, const char *comm);

/* "curl" (pid 100, tid 101, fd 3) refused on 127.0.0.1:40000 -> :80. */
struct connprobe_record rec_refused_v4(__u64 ts_ns, __u32 cpu, __u64 seq);

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

/* A memory stream and its buffer, for checking printed output. */
struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

FILE *capture_open(struct capture *c);
/* Flush and return the text so far (owned by @c). */
const char *capture_text(struct capture *c);
void capture_close(struct capture *c);

#endif /* CONNPROBE_TEST_FIXTURES_H */
