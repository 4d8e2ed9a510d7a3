/* SPDX-License-Identifier: GPL-2.0 */
/* The capture file (header, records, TLV sections, footer), and reading it. */
#ifndef CONNPROBE_CAPTURE_H
#define CONNPROBE_CAPTURE_H

#include "cgroup.h"
#include "sink.h"

/* Every part a multiple of 8 bytes, fields in the host's byte order. */
#define CP_CAPTURE_MAGIC	"CONNPRB\n"	/* 8 bytes, no NUL */
#define CP_CAPTURE_END_MAGIC	"CPEND\0\0\n"
#define CP_CAPTURE_VERSION	1
#define CP_CAPTURE_BYTE_ORDER	0x01020304
#define CP_CAPTURE_HOST_LEN	72		/* utsname nodename: 65 */

struct cp_capture_header {
	char magic[8];
	__u32 byte_order;		/* CP_CAPTURE_BYTE_ORDER */
	__u16 version;			/* CP_CAPTURE_VERSION */
	__u16 header_size;		/* sizeof(struct cp_capture_header) */
	__u16 record_size;		/* sizeof(struct connprobe_record) */
	__u8 record_version;		/* CONNPROBE_RECORD_VERSION */
	__u8 __pad0;
	__u32 __pad1;
	/* ts_ns + this = CLOCK_REALTIME, as measured at the start */
	__s64 realtime_offset_ns;
	__u64 start_ns;			/* CLOCK_MONOTONIC at the start */
	char hostname[CP_CAPTURE_HOST_LEN];	/* NUL-terminated */
	__u8 __reserved[128];		/* zero */
};

/* Written last: a capture cut short has none, or one that does not add up. */
struct cp_capture_footer {
	char magic[8];			/* CP_CAPTURE_END_MAGIC */
	__u64 nr_records;
	__u64 sections_size;		/* bytes between records and footer */
	__u64 end_ns;			/* CLOCK_MONOTONIC at the end */
};

/* A section: this, then size bytes of payload, then zeros to 8 bytes. */
struct cp_capture_section {
	__u32 type, size;
};

/* Readers skip types they do not know. */
enum cp_capture_section_type {
	/* __u64 total_lost, nr_cpus, nr_probes, then the cpus, the probes */
	CP_SECTION_LOSSES = 1,
	/* cgroups resolved when recorded: cp_capture_cgroup, path, zeros */
	CP_SECTION_CGROUPS = 2,
};

struct cp_capture_lost_cpu {
	__u32 cpu, __pad;
	__u64 written, lost;
};

struct cp_capture_probe {
	char symbol[48];		/* NUL-terminated */
	__u64 nmissed, kp_nmissed, maxactive;
};

struct cp_capture_cgroup {
	__u64 id;
	__u32 path_len, __pad;
};

#define CP_ALIGN8(n)	(((n) + 7) & ~(__u64)7)

struct cp_capture {
	const char *name;		/* the path, for messages */
	struct cp_capture_header hdr;	/* copied: aligned, NUL-terminated */
	struct cp_capture_footer foot;
	unsigned long long nr_records;
	bool lost_known;
	struct cp_stats lost;		/* what the recording lost */
	/* read() in chunks, not mapped: a TLB miss per page costs more */
	int fd;				/* -1: none */
	struct connprobe_record *chunk;
	unsigned long long chunk_first, chunk_len;
	unsigned long long next;	/* capture_next()'s record */
};

/* Open @path ("-": a pipe, spooled), check all but its records, fill @cgroups (or NULL). */
int capture_open(struct cp_capture *c, const char *path,
		 struct cp_cgroups *cgroups, char *err, size_t errlen);
void capture_close(struct cp_capture *c);

static inline int record_ok(const struct connprobe_record *rec)
{
	return rec->size == sizeof(*rec) && rec->version == CONNPROBE_RECORD_VERSION &&
	       (rec->event == CONNPROBE_EVENT_CONNECT ||
		rec->event == CONNPROBE_EVENT_COMPLETE);
}

/* record_ok(), with why not (-1) in @err. */
int record_check(const struct connprobe_record *rec, char *err, size_t errlen);

const struct connprobe_record *capture_next_slow(struct cp_capture *c,
						 char *err, size_t errlen);

/* The next record, checked; NULL at the end (@err empty) or on an error. */
static inline const struct connprobe_record *
capture_next(struct cp_capture *c, char *err, size_t errlen)
{
	/* inline: a good record in the chunk already read */
	if (c->next - c->chunk_first < c->chunk_len &&
	    record_ok(&c->chunk[c->next - c->chunk_first])) {
		err[0] = '\0';
		return &c->chunk[c->next++ - c->chunk_first];
	}
	return capture_next_slow(c, err, errlen);
}

void capture_print_info(FILE *f, const struct cp_capture *c);

/* Feed @c to @sink, then its losses: the exit status (1 after saying why). */
int replay_run(struct cp_capture *c, struct cp_sink *sink);

#endif /* CONNPROBE_CAPTURE_H */
