// SPDX-License-Identifier: GPL-2.0
/* The record filter (the module's comparisons), what a run reports, errors. */
#include <stdarg.h>
#include <unistd.h>

#include "format.h"
#include "outcome.h"
#include "sink.h"

/* @n is at most the list's size: the command line counts what it fills */
static bool in_list(const __u16 *list, unsigned int n, long long v)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (list[i] == v)
			return true;
	return false;
}

/* The family it leaves as: the destination's (IPv4-mapped is IPv4), else the socket's. */
static bool family_match(const struct cp_filter *f, const struct connprobe_record *rec)
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

static bool port_match(const struct cp_filter *f, const struct connprobe_record *rec)
{
	unsigned int fam = rec_daddr_family(rec);

	return (fam == AF_INET || fam == AF_INET6) &&
	       in_list(f->ports, f->nr_ports, rec->dport);
}

static bool errno_match(const struct cp_filter *f, const struct connprobe_record *rec)
{
	long long err = -(long long)rec->ret;

	return rec->ret < 0 && (in_list(f->errnos, f->nr_errnos, err) ||
				in_list(f->errnos, f->nr_errnos, caller_errno(err)));
}

bool filter_match(const struct cp_filter *f, const struct connprobe_record *rec,
		  const struct cp_cgroup_test *cg)
{
	__u32 m = f->mask;

	return (!(m & CP_FILTER_PID) || rec->pid == f->pid) &&
	       (!(m & CP_FILTER_TID) || rec->tid == f->tid) &&
	       (!(m & CP_FILTER_UID) || rec->uid == f->uid) &&
	       (!(m & CP_FILTER_LATENCY) || rec->latency_ns >= f->min_latency_ns) &&
	       (!(m & (CP_FILTER_IPV4 | CP_FILTER_IPV6)) || family_match(f, rec)) &&
	       (!(m & CP_FILTER_PORT) || port_match(f, rec)) &&
	       (!(m & CP_FILTER_FAILED) || record_failed(rec)) &&
	       (!(m & CP_FILTER_ERRNO) || errno_match(f, rec)) &&
	       (!(m & CP_FILTER_COMM) || !strncmp(rec->comm, f->comm, CONNPROBE_COMM_LEN)) &&
	       (!(m & CP_FILTER_CGROUP) || (cg && cg->under(cg->ctx, rec->cgroup_id)));
}

void sink_report_counts(const struct cp_sink *s, const struct cp_stats *lost)
{
	fprintf(stderr, "%llu records read", s->read);
	if (s->filter && s->filter->mask)
		fprintf(stderr, ", %llu matched", s->matched);
	if (!lost) {
		fprintf(stderr, ", lost unknown\n");
		return;
	}
	fprintf(stderr, ", %llu lost\n", lost->total_lost);
	stats_print_losses(stderr, lost);
}

void sink_say_tracing(const struct cp_source_info *info)
{
	/* only for a person watching: stdout stays data */
	if (info->live && isatty(STDERR_FILENO))
		fprintf(stderr, "Tracing connect()... Hit Ctrl-C to end.\n");
}

int cp_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}
