// SPDX-License-Identifier: GPL-2.0
/* Table and JSON Lines rendering of connprobe records. */
#include <stdbool.h>
#include <sys/socket.h>

#include "format.h"
#include "json.h"

/*
 * Address columns are as wide as the longest IPv6 text inet_ntop() produces
 * for the addresses connect() sees (8 groups of 4 hex digits), so an IPv6
 * row lines up with IPv4 rows instead of pushing the later columns right.
 * Header and rows share this one format so they cannot drift apart.
 */
#define ROW_FMT "%-9s %-7s %-7s %-16s %-7s %-9s %-39s %-5s %-39s %-5s %-14s %s\n"

const char *addr_str(unsigned int family, const __u8 *addr,
		     char *buf, size_t len)
{
	if (family != AF_INET && family != AF_INET6)
		return NULL;
	return inet_ntop(family, addr, buf, len);
}

void record_fields(const struct connprobe_record *rec, struct cp_fields *f)
{
	bool sock = rec->flags & CONNPROBE_F_SOCK;

	f->family = f->proto = f->saddr = f->daddr = f->error = NULL;
	f->sport = f->dport = -1;

	if (sock) {
		f->family = family_str(rec->family, f->family_buf,
				       sizeof(f->family_buf));
		f->proto = proto_str(rec->family, rec->type, rec->protocol,
				     f->proto_buf, sizeof(f->proto_buf));
	}
	/* saddr carries no family of its own: it is the socket's. */
	if (sock && (rec->flags & CONNPROBE_F_SADDR)) {
		f->saddr = addr_str(rec->family, rec->saddr, f->saddr_buf,
				    sizeof(f->saddr_buf));
		if (f->saddr)
			f->sport = rec->sport;
	}
	if (rec->flags & CONNPROBE_F_DADDR) {
		f->daddr = addr_str(rec->daddr_family, rec->daddr,
				    f->daddr_buf, sizeof(f->daddr_buf));
		if (f->daddr)
			f->dport = rec->dport;
	}
	/* Widen before negating: -INT_MIN does not fit in an int. */
	if (rec->ret < 0)
		f->error = errno_str(-(long long)rec->ret, f->error_buf,
				     sizeof(f->error_buf));
}

void print_table_header(FILE *f)
{
	fprintf(f, ROW_FMT, "TIME(s)", "PID", "TID", "COMM", "FAM", "PROTO",
		"SADDR", "SPORT", "DADDR", "DPORT", "RESULT", "LAT(ms)");
}

/* "-" for unknown, so a column never shows a value the kernel did not know. */
static const char *or_dash(const char *s)
{
	return s ? s : "-";
}

static const char *port_str(int port, char *buf, size_t len)
{
	if (port < 0)
		return "-";
	snprintf(buf, len, "%d", port);
	return buf;
}

/*
 * comm is whatever the task set with prctl(PR_SET_NAME): replace bytes that
 * are not printable ASCII so a name cannot move the cursor or inject
 * terminal escapes.  The JSON output keeps the real bytes.
 */
static void printable_comm(const char *comm, char *out)
{
	size_t i;

	for (i = 0; i < CONNPROBE_COMM_LEN && comm[i]; i++)
		out[i] = (comm[i] >= 0x20 && comm[i] < 0x7f) ? comm[i] : '?';
	out[i] = '\0';
}

void print_table_row(FILE *f, const struct connprobe_record *rec,
		     __u64 base_ns)
{
	char time[32], pid[16], tid[16], comm[CONNPROBE_COMM_LEN + 1];
	char sport[12], dport[12], result[NAME_BUF_LEN], lat[32];
	struct cp_fields fl;
	double rel;

	record_fields(rec, &fl);
	/*
	 * ts_ns is taken at the call's entry but records are emitted at its
	 * return, so a slow connect can predate the first record printed.
	 */
	rel = rec->ts_ns >= base_ns ? (double)(rec->ts_ns - base_ns)
				    : -(double)(base_ns - rec->ts_ns);
	snprintf(time, sizeof(time), "%.3f", rel / 1e9);
	snprintf(pid, sizeof(pid), "%u", rec->pid);
	snprintf(tid, sizeof(tid), "%u", rec->tid);
	printable_comm(rec->comm, comm);
	if (rec->ret > 0)	/* not an errno: show the raw value */
		snprintf(result, sizeof(result), "%d", rec->ret);
	else
		snprintf(result, sizeof(result), "%s",
			 rec->ret ? fl.error : "OK");
	snprintf(lat, sizeof(lat), "%.3f", rec->latency_ns / 1e6);

	fprintf(f, ROW_FMT, time, pid, tid, comm, or_dash(fl.family),
		or_dash(fl.proto), or_dash(fl.saddr),
		port_str(fl.sport, sport, sizeof(sport)), or_dash(fl.daddr),
		port_str(fl.dport, dport, sizeof(dport)), result, lat);
}

static void json_port(FILE *f, int port)
{
	if (port < 0)
		fputs("null", f);
	else
		fprintf(f, "%d", port);
}

void print_json_record(FILE *f, const struct connprobe_record *rec)
{
	struct cp_fields fl;

	record_fields(rec, &fl);
	/* record_check() accepted only CONNPROBE_EVENT_CONNECT records. */
	fprintf(f, "{\"event\":\"connect\",\"ts_ns\":%llu,\"cpu\":%u,"
		"\"pid\":%u,\"tid\":%u,\"comm\":",
		(unsigned long long)rec->ts_ns, rec->cpu, rec->pid, rec->tid);
	json_string(f, rec->comm, CONNPROBE_COMM_LEN);
	fputs(",\"family\":", f);
	json_string_or_null(f, fl.family);
	fputs(",\"proto\":", f);
	json_string_or_null(f, fl.proto);
	fputs(",\"saddr\":", f);
	json_string_or_null(f, fl.saddr);
	fputs(",\"sport\":", f);
	json_port(f, fl.sport);
	fputs(",\"daddr\":", f);
	json_string_or_null(f, fl.daddr);
	fputs(",\"dport\":", f);
	json_port(f, fl.dport);
	fprintf(f, ",\"ret\":%d,\"error\":", rec->ret);
	json_string_or_null(f, fl.error);
	fprintf(f, ",\"latency_ns\":%llu,\"seq\":%llu,\"fd\":%d}\n",
		(unsigned long long)rec->latency_ns,
		(unsigned long long)rec->seq, rec->fd);
}
