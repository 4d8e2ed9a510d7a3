/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * connprobe record format: the one definition shared by the kernel module
 * and the userspace tool.  Records are fixed-size, carry no kernel pointers
 * and every byte is written (padding is explicit and zeroed).
 */
#ifndef _UAPI_CONNPROBE_H
#define _UAPI_CONNPROBE_H

#include <linux/types.h>

#define CONNPROBE_RECORD_VERSION	2
#define CONNPROBE_COMM_LEN		16
#define CONNPROBE_ADDR_LEN		16
#define CONNPROBE_PATH_LEN		108	/* sizeof(sockaddr_un.sun_path) */

/* debugfs layout, under the debugfs mount point */
#define CONNPROBE_DEBUGFS_DIR		"connprobe"
#define CONNPROBE_CPU_FILE_BASE		"cpu"	/* cpu0, cpu1, ...: one per CPU */
#define CONNPROBE_STATS_FILE		"stats"
#define CONNPROBE_FILTER_FILE		"filter"

/*
 * The filter file: which connects are traced at all.  It reads back as
 * "none" or as the terms in force; a write puts a new filter in force
 * whole: "none", or terms separated by blanks, each at most once, all of
 * which must match:
 *
 *   pid=N  tid=N  uid=N  comm=NAME  cgroup=ID    who calls (the cgroup v2
 *                                                id or one below it)
 *   family=ipv4|ipv6|ipv4,ipv6                   how it goes out (IPv4-mapped
 *                                                IPv6 counts as IPv4)
 *   port=N[,N...]                                destination port, any of
 *   failed                                       failed (EINPROGRESS is not)
 *   errno=N[,N...]                               positive errno, any of
 *   min_latency_ns=N                             latency at least N
 *
 * A malformed write fails with EINVAL and leaves the filter in force as it
 * was.  Calls turned away at their entry and records turned away are
 * counted in the stats file, apart from the buffer's accounting.
 */
#define CONNPROBE_FILTER_MAX_PORTS	16
#define CONNPROBE_FILTER_MAX_ERRNOS	8

/* What a record describes. */
enum connprobe_event {
	/* One connect() call, at its return. */
	CONNPROBE_EVENT_CONNECT = 1,
	/*
	 * The end of a connect that returned EINPROGRESS: @ret is what
	 * SO_ERROR then gives (0: established), @latency_ns runs from the
	 * connect() call, @id is the connect record's.
	 */
	CONNPROBE_EVENT_COMPLETE = 2,
};

/*
 * Validity bits in connprobe_record.flags.  A field whose bit is clear was
 * not known to the kernel (e.g. the address of a call that failed with EBADF
 * before anything was copied in) and is all zero.
 */
#define CONNPROBE_F_SOCK	0x1	/* family, type, protocol, netns, id */
#define CONNPROBE_F_DADDR	0x2	/* daddr_family, addrlen, daddr, dport */
#define CONNPROBE_F_SADDR	0x4	/* saddr, sport */
/* Not validity: how the call came, how it ended. */
#define CONNPROBE_F_IO_URING	0x8	/* submitted as IORING_OP_CONNECT */
#define CONNPROBE_F_ABANDONED	0x10	/* COMPLETE: closed or aborted first */
/*
 * The address read at the call's entry is not the destination the socket
 * connected to (the caller changed its buffer while the call ran, or the
 * call went to an attempt already under way): @daddr and @dport are the
 * socket's, what the kernel used.
 */
#define CONNPROBE_F_DADDR_CHANGED	0x20
/*
 * The descriptor named another file when the call returned (a dup2() or
 * close() by another thread while it ran): the socket fields are unknown.
 */
#define CONNPROBE_F_FD_CHANGED	0x40

/**
 * struct connprobe_record - one traced event
 * @size: sizeof(struct connprobe_record), for readers to check
 * @version: CONNPROBE_RECORD_VERSION
 * @event: enum connprobe_event
 * @flags: CONNPROBE_F_* bits
 * @ts_ns: CLOCK_MONOTONIC time of the call's entry, in ns
 * @latency_ns: time from the call's entry to its return (CONNECT) or to
 *	the end of the attempt (COMPLETE), in ns
 * @seq: per-CPU sequence number of the record; records lost on that CPU
 *	leave a gap
 * @id: correlation id (module-local, never a pointer), 0 if there was no
 *	socket: a TCP connect attempt's CONNECT record, its COMPLETE record
 *	and every later call on the socket until its next attempt share one;
 *	any other call gets its own
 * @cgroup_id: id of the task's cgroup (v2 hierarchy), as BPF reports it
 * @ret: the kernel's return value (0 or a negated errno)
 * @cpu: CPU the record was written on (the CPU the call returned on)
 * @pid: thread group id (userspace's pid), in the initial pid namespace
 * @tid: thread id, in the initial pid namespace
 * @uid: the task's real uid, in the initial user namespace
 * @netns: inode number of the socket's network namespace
 * @fd: the file descriptor passed to connect()
 * @family: the socket's address family (AF_*)
 * @type: the socket's type (SOCK_STREAM, ...)
 * @protocol: the socket's protocol (IPPROTO_*)
 * @daddr_family: sa_family of the address passed to connect()
 * @sport: source port, host byte order
 * @dport: destination port, host byte order
 * @addrlen: length of the address passed to connect()
 * @signal: for a call interrupted by a signal (@ret EINTR or one of the
 *	kernel's restart codes), the lowest-numbered signal pending and not
 *	blocked when it returned, the one that interrupted it (SIGCANCEL, 32,
 *	for pthread_cancel()); else 0
 * @saddr: source address (IPv4 in the first 4 bytes), network byte order
 * @comm: the task's command name, NUL-terminated and NUL-padded
 * @daddr: destination address (IPv4 in the first 4 bytes), network order;
 *	with @dport, zero (not known) when @addrlen is shorter than a
 *	sockaddr_in (AF_INET) or a sockaddr_in6 without scope (AF_INET6)
 * @sun_path: for AF_UNIX destinations, the path as passed: addrlen - 2
 *	bytes (an abstract name starts with a NUL byte)
 */
struct connprobe_record {
	__u16 size;
	__u8 version;
	__u8 event;
	__u32 flags;
	__u64 ts_ns;
	__u64 latency_ns;
	__u64 seq;
	__u64 id;
	__u64 cgroup_id;
	__s32 ret;
	__u32 cpu;
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__u32 netns;
	__s32 fd;
	__u16 family;
	__u16 type;
	__u16 protocol;
	__u16 daddr_family;
	__u16 sport;
	__u16 dport;
	__u16 addrlen;
	__u16 signal;
	__u8 saddr[CONNPROBE_ADDR_LEN];
	char comm[CONNPROBE_COMM_LEN];
	union {
		__u8 daddr[CONNPROBE_ADDR_LEN];
		char sun_path[CONNPROBE_PATH_LEN];
	};
};

/* Bumped with CONNPROBE_RECORD_VERSION whenever the layout changes. */
#define CONNPROBE_RECORD_SIZE		232

#endif /* _UAPI_CONNPROBE_H */
