/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The capture file of `connprobe record`, read by `connprobe report`:
 *
 *	header		struct cp_capture_header (header_size bytes)
 *	records		nr_records struct connprobe_record, exactly as the
 *			kernel wrote them, record_size bytes each
 *	sections	TLVs: what the run lost, the cgroup paths it saw
 *	footer		struct cp_capture_footer, the file's last bytes
 *
 * The footer is written last, so a recording cut short has none and is
 * refused as truncated rather than read as complete; it also says where
 * the records end, so a file that was cut and has a stray footer-like
 * tail still fails the size check.  Every part is a multiple of 8 bytes,
 * so the records of a mapped file are naturally aligned.  Fields are in
 * the byte order of the recording host (byte_order says which).
 */
#ifndef CONNPROBE_CAPTURE_H
#define CONNPROBE_CAPTURE_H

#include <linux/types.h>

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

struct cp_capture_footer {
	char magic[8];			/* CP_CAPTURE_END_MAGIC */
	__u64 nr_records;
	__u64 sections_size;		/* bytes between records and footer */
	__u64 end_ns;			/* CLOCK_MONOTONIC at the end */
};

/* A section: this, then size bytes of payload, then zeros to 8 bytes. */
struct cp_capture_section {
	__u32 type;			/* enum cp_capture_section_type */
	__u32 size;
};

enum cp_capture_section_type {
	/*
	 * What the run lost (absent: unknown): __u64 total_lost,
	 * __u64 nr_cpus, __u64 nr_probes, then nr_cpus
	 * struct cp_capture_lost_cpu, then nr_probes
	 * struct cp_capture_probe.
	 */
	CP_SECTION_LOSSES = 1,
	/*
	 * The cgroups the records name, resolved while recording (the
	 * cgroups may be gone when the capture is read): entries of
	 * struct cp_capture_cgroup, each followed by path_len bytes of the
	 * path below the cgroup2 mount and zeros to 8 bytes.
	 */
	CP_SECTION_CGROUPS = 2,
	/* Readers skip types they do not know. */
};

struct cp_capture_lost_cpu {
	__u32 cpu;
	__u32 __pad;
	__u64 written;
	__u64 lost;
};

#define CP_CAPTURE_SYMBOL_LEN	48

struct cp_capture_probe {
	char symbol[CP_CAPTURE_SYMBOL_LEN];	/* NUL-terminated */
	__u64 nmissed;
	__u64 kp_nmissed;
	__u64 maxactive;
};

struct cp_capture_cgroup {
	__u64 id;
	__u32 path_len;
	__u32 __pad;
};

/* Round @n up to a multiple of 8. */
#define CP_ALIGN8(n)	(((n) + 7) & ~(__u64)7)

#endif /* CONNPROBE_CAPTURE_H */
