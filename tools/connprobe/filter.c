// SPDX-License-Identifier: GPL-2.0
/* The record filter: plain comparisons, pushable into the module. */
#include <string.h>
#include <sys/socket.h>

#include "filter.h"
#include "format.h"
#include "names.h"
#include "outcome.h"

/*
 * The family the connection goes out as: the destination's, with
 * IPv4-mapped IPv6 counted as IPv4; else the socket's; else AF_UNSPEC.
 */
static unsigned int wire_family(const struct connprobe_record *rec)
{
	if (rec->flags & CONNPROBE_F_DADDR) {
		if (rec_daddr_family(rec) == AF_INET6 && ipv4_mapped(rec->daddr))
			return AF_INET;
		return rec->daddr_family;
	}
	if (rec->flags & CONNPROBE_F_SOCK)
		return rec->family;
	return AF_UNSPEC;
}

static bool family_match(const struct cp_filter *f,
			 const struct connprobe_record *rec)
{
	unsigned int fam = wire_family(rec);

	return ((f->mask & CP_FILTER_IPV4) && fam == AF_INET) ||
	       ((f->mask & CP_FILTER_IPV6) && fam == AF_INET6);
}

static bool port_match(const struct cp_filter *f,
		       const struct connprobe_record *rec)
{
	unsigned int fam = rec_daddr_family(rec), i;

	if (fam != AF_INET && fam != AF_INET6)
		return false;
	for (i = 0; i < f->nr_ports && i < CP_FILTER_MAX_PORTS; i++)
		if (f->ports[i] == rec->dport)
			return true;
	return false;
}

static bool errno_match(const struct cp_filter *f,
			const struct connprobe_record *rec)
{
	long long err = -(long long)rec->ret;
	unsigned int i;

	if (rec->ret >= 0)
		return false;
	for (i = 0; i < f->nr_errnos && i < CP_FILTER_MAX_ERRNOS; i++)
		if (f->errnos[i] == err || f->errnos[i] == caller_errno(err))
			return true;
	return false;
}

bool filter_match(const struct cp_filter *f,
		  const struct connprobe_record *rec,
		  const struct cp_cgroup_test *cg)
{
	__u32 m = f->mask;

	if (!m)
		return true;
	if ((m & CP_FILTER_PID) && rec->pid != f->pid)
		return false;
	if ((m & CP_FILTER_TID) && rec->tid != f->tid)
		return false;
	if ((m & CP_FILTER_UID) && rec->uid != f->uid)
		return false;
	if ((m & CP_FILTER_LATENCY) && rec->latency_ns < f->min_latency_ns)
		return false;
	if ((m & (CP_FILTER_IPV4 | CP_FILTER_IPV6)) && !family_match(f, rec))
		return false;
	if ((m & CP_FILTER_PORT) && !port_match(f, rec))
		return false;
	if ((m & CP_FILTER_FAILED) && !record_failed(rec))
		return false;
	if ((m & CP_FILTER_ERRNO) && !errno_match(f, rec))
		return false;
	if ((m & CP_FILTER_COMM) &&
	    strncmp(rec->comm, f->comm, CONNPROBE_COMM_LEN))
		return false;
	if ((m & CP_FILTER_CGROUP) &&
	    !(cg && cg->under(cg->ctx, rec->cgroup_id)))
		return false;
	return true;
}
