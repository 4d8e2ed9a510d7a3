/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * connprobe record format: the one definition shared by the kernel module
 * and the userspace tool.  Records are fixed-size, carry no kernel pointers
 * and every byte is written (padding is explicit and zeroed).
 */
#ifndef _UAPI_CONNPROBE_H
#define _UAPI_CONNPROBE_H

#include <linux/types.h>

#define CONNPROBE_RECORD_VERSION	1
#define CONNPROBE_COMM_LEN		16
#define CONNPROBE_ADDR_LEN		16

/* debugfs layout, under the debugfs mount point */
#define CONNPROBE_DEBUGFS_DIR		"connprobe"
#define CONNPROBE_CPU_FILE_BASE		"cpu"	/* cpu0, cpu1, ...: one per CPU */
#define CONNPROBE_STATS_FILE		"stats"

/* What a record describes. */
enum connprobe_event {
	CONNPROBE_EVENT_CONNECT = 1,	/* one connect() call, at its return */
};

/*
 * Validity bits in connprobe_record.flags.  A field whose bit is clear was
 * not known to the kernel (e.g. the address of a call that failed with EBADF
 * before anything was copied in) and is all zero.
 */
#define CONNPROBE_F_SOCK	0x1		/* family, type, protocol */
#define CONNPROBE_F_DADDR	0x2		/* daddr_family, daddr, dport */
#define CONNPROBE_F_SADDR	0x4		/* saddr, sport */

/**
 * struct connprobe_record - one traced event
 * @size: sizeof(struct connprobe_record), for readers to check
 * @version: CONNPROBE_RECORD_VERSION
 * @event: enum connprobe_event
 * @flags: CONNPROBE_F_* validity bits
 * @ts_ns: CLOCK_MONOTONIC time of the call's entry, in ns
 * @latency_ns: time from the call's entry to its return, in ns
 * @seq: per-CPU sequence number of the record; records lost on that CPU
 *	leave a gap
 * @ret: the kernel's return value (0 or a negated errno)
 * @cpu: CPU the record was written on (the CPU the call returned on)
 * @pid: thread group id (userspace's pid)
 * @tid: thread id
 * @fd: the file descriptor passed to connect()
 * @family: the socket's address family (AF_*), if CONNPROBE_F_SOCK
 * @type: the socket's type (SOCK_STREAM, ...), if CONNPROBE_F_SOCK
 * @protocol: the socket's protocol (IPPROTO_*), if CONNPROBE_F_SOCK
 * @daddr_family: sa_family of the address passed to connect()
 * @sport: source port, host byte order, if CONNPROBE_F_SADDR
 * @dport: destination port, host byte order, if CONNPROBE_F_DADDR
 * @saddr: source address (IPv4 in the first 4 bytes), network byte order
 * @daddr: destination address (IPv4 in the first 4 bytes), network byte order
 * @comm: the task's command name, NUL-terminated and NUL-padded
 */
struct connprobe_record {
	__u16 size;
	__u8 version;
	__u8 event;
	__u32 flags;
	__u64 ts_ns;
	__u64 latency_ns;
	__u64 seq;
	__s32 ret;
	__u32 cpu;
	__u32 pid;
	__u32 tid;
	__s32 fd;
	__u16 family;
	__u16 type;
	__u16 protocol;
	__u16 daddr_family;
	__u16 sport;
	__u16 dport;
	__u8 saddr[CONNPROBE_ADDR_LEN];
	__u8 daddr[CONNPROBE_ADDR_LEN];
	char comm[CONNPROBE_COMM_LEN];
};

/* Bumped with CONNPROBE_RECORD_VERSION whenever the layout changes. */
#define CONNPROBE_RECORD_SIZE		112

#endif /* _UAPI_CONNPROBE_H */
