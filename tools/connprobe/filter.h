/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which records to keep.  Live, filter_push() hands the module what it can
 * apply; the tool applies all of it again, as the tests of its filter.c.
 */
#ifndef CONNPROBE_FILTER_H
#define CONNPROBE_FILTER_H

#include <stdbool.h>

#include <connprobe.h>

#define CP_FILTER_MAX_PORTS	CONNPROBE_FILTER_MAX_PORTS
#define CP_FILTER_MAX_ERRNOS	CONNPROBE_FILTER_MAX_ERRNOS

/* cp_filter.mask: the fields in force; all of them must match. */
#define CP_FILTER_PID		0x001
#define CP_FILTER_TID		0x002
#define CP_FILTER_UID		0x004
#define CP_FILTER_PORT		0x008	/* any of ports[] */
#define CP_FILTER_IPV4		0x010	/* with IPV6: either family */
#define CP_FILTER_IPV6		0x020
#define CP_FILTER_FAILED	0x040	/* record_failed() */
#define CP_FILTER_ERRNO		0x080	/* any of errnos[] */
#define CP_FILTER_LATENCY	0x100	/* latency_ns >= min_latency_ns */
#define CP_FILTER_COMM		0x200
#define CP_FILTER_CGROUP	0x400	/* cgroup_id or below */

struct cp_filter {
	__u32 mask;
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__u64 min_latency_ns;
	/* the subtree's root; 0 where the tool can only go by path */
	__u64 cgroup_id;
	__u16 nr_ports;
	__u16 ports[CP_FILTER_MAX_PORTS];	/* destination, host order */
	__u16 nr_errnos;
	__u16 errnos[CP_FILTER_MAX_ERRNOS];	/* positive errno values */
	char comm[CONNPROBE_COMM_LEN];		/* NUL-padded */
};

/* Is a cgroup id the filter's cgroup or below it?  cgroup.h's cache says. */
struct cp_cgroup_test {
	bool (*under)(void *ctx, __u64 cgroup_id);
	void *ctx;
};

/*
 * @cg is needed only with CP_FILTER_CGROUP.  --errno matches the kernel's
 * error or what the caller saw (EINTR for ERESTARTSYS).
 */
bool filter_match(const struct cp_filter *f,
		  const struct connprobe_record *rec,
		  const struct cp_cgroup_test *cg);

#endif /* CONNPROBE_FILTER_H */
