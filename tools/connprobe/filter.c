// SPDX-License-Identifier: GPL-2.0
/* The record filter: the module's comparisons, and --cgroup's by path. */
#include <string.h>
#include <sys/socket.h>

#include "filter.h"
#include "format.h"
#include "outcome.h"

static bool in_list(const __u16 *list, unsigned int n, unsigned int max,
		    long long v)
{
	unsigned int i;

	for (i = 0; i < n && i < max; i++)
		if (list[i] == v)
			return true;
	return false;
}

/*
 * The family the connection goes out as: the destination's, IPv4-mapped
 * IPv6 as IPv4 (it leaves as IPv4); else the socket's.
 */
static bool family_match(const struct cp_filter *f,
			 const struct connprobe_record *rec)
{
	unsigned int fam = AF_UNSPEC;

	if (rec->flags & CONNPROBE_F_DADDR)
		fam = rec_daddr_family(rec) == AF_INET6 &&
		      ipv4_mapped(rec->daddr) ? AF_INET : rec->daddr_family;
	else if (rec->flags & CONNPROBE_F_SOCK)
		fam = rec->family;
	return ((f->mask & CP_FILTER_IPV4) && fam == AF_INET) ||
	       ((f->mask & CP_FILTER_IPV6) && fam == AF_INET6);
}

static bool port_match(const struct cp_filter *f,
		       const struct connprobe_record *rec)
{
	unsigned int fam = rec_daddr_family(rec);

	return (fam == AF_INET || fam == AF_INET6) &&
	       in_list(f->ports, f->nr_ports, CP_FILTER_MAX_PORTS, rec->dport);
}

static bool errno_match(const struct cp_filter *f,
			const struct connprobe_record *rec)
{
	long long err = -(long long)rec->ret;

	return rec->ret < 0 &&
	       (in_list(f->errnos, f->nr_errnos, CP_FILTER_MAX_ERRNOS, err) ||
		in_list(f->errnos, f->nr_errnos, CP_FILTER_MAX_ERRNOS,
			caller_errno(err)));
}

bool filter_match(const struct cp_filter *f,
		  const struct connprobe_record *rec,
		  const struct cp_cgroup_test *cg)
{
	__u32 m = f->mask;

	return (!(m & CP_FILTER_PID) || rec->pid == f->pid) &&
	       (!(m & CP_FILTER_TID) || rec->tid == f->tid) &&
	       (!(m & CP_FILTER_UID) || rec->uid == f->uid) &&
	       (!(m & CP_FILTER_LATENCY) ||
		rec->latency_ns >= f->min_latency_ns) &&
	       (!(m & (CP_FILTER_IPV4 | CP_FILTER_IPV6)) ||
		family_match(f, rec)) &&
	       (!(m & CP_FILTER_PORT) || port_match(f, rec)) &&
	       (!(m & CP_FILTER_FAILED) || record_failed(rec)) &&
	       (!(m & CP_FILTER_ERRNO) || errno_match(f, rec)) &&
	       (!(m & CP_FILTER_COMM) ||
		!strncmp(rec->comm, f->comm, CONNPROBE_COMM_LEN)) &&
	       (!(m & CP_FILTER_CGROUP) ||
		(cg && cg->under(cg->ctx, rec->cgroup_id)));
}
