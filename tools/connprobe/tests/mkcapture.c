// SPDX-License-Identifier: GPL-2.0
/*
 * mkcapture - write synthetic records: a capture for `connprobe report`
 * (the benchmark, prom-check), or with --raw bare records for a fake
 * debugfs cpuN file.  The mix is fixed by a seeded generator, so a given
 * -n always gives the same bytes: a connect mix of a busy host (most
 * succeed; refusals, timeouts, unreachables, EINTR, EBADF; non-blocking
 * connects with their completions; IPv4, IPv6, IPv4-mapped and AF_UNIX).
 * Processes and destinations are drawn as on a real server, a few busy
 * ones and a long tail (log-uniform, Zipf-like); --uniform draws them
 * evenly, the worst case for the caches of summary.  --identical writes
 * a burst instead: one task connecting again and again to one unreachable
 * address (connect_loop unreach), only ts, latency, seq and sport varying.
 * --cgroup-id puts every record in one cgroup (a real one, for --cgroup).
 *
 * usage: mkcapture [-n RECORDS] [--raw] [--uniform | --identical]
 *                  [--cgroup-id ID] -o FILE
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <connprobe.h>

#include "capture_write.h"
#include "out.h"

#define NR_PROCS	200
#define NR_DESTS	500
#define NR_CPUS		4

static unsigned long long rng_state = 0x9e3779b97f4a7c15ULL;

/* xorshift64*: fast, and the same sequence everywhere. */
static unsigned long long rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static const char *const comms[] = {
	"curl", "nginx", "python3", "java", "envoy", "postgres", "redis-cli",
	"node",
};
static const unsigned short ports[] = { 80, 443, 5432, 6379, 8080, 53 };

static bool uniform, identical;
static unsigned long long cgroup_id;	/* 0: five made-up ones */

/* One of @n: log-uniform (a few often, most rarely), or uniform. */
static unsigned int pick(unsigned int n)
{
	double u = (rnd() >> 11) * (1.0 / 9007199254740992.0);

	if (uniform)
		return rnd() % n;
	return (unsigned int)exp(u * log(n + 1.0)) - 1;
}

/* Destination @d: mostly IPv4, some IPv6, IPv4-mapped and AF_UNIX. */
static void set_dest(struct connprobe_record *r, unsigned int d)
{
	r->flags |= CONNPROBE_F_SOCK | CONNPROBE_F_DADDR;
	r->type = SOCK_STREAM;
	if (d % 20 == 0) {
		static const char path[] = "/run/app-x.sock";

		r->family = r->daddr_family = AF_UNIX;
		r->addrlen = 2 + sizeof(path);
		memcpy(r->sun_path, path, sizeof(path));
		r->sun_path[9] = 'a' + d % 26;
		return;
	}
	r->protocol = IPPROTO_TCP;
	r->dport = ports[d % (sizeof(ports) / sizeof(ports[0]))];
	if (d % 10 == 1 || d % 10 == 2) {
		r->family = r->daddr_family = AF_INET6;
		r->addrlen = sizeof(struct sockaddr_in6);
		inet_pton(AF_INET6, d % 10 == 1 ? "2001:db8::1" : "::ffff:10.0.0.1",
			  r->daddr);
		r->daddr[15] = d;
	} else {
		r->family = r->daddr_family = AF_INET;
		r->addrlen = sizeof(struct sockaddr_in);
		r->daddr[0] = 10;
		r->daddr[1] = d >> 8;
		r->daddr[2] = d;
		r->daddr[3] = 1 + d % 250;
	}
	r->flags |= CONNPROBE_F_SADDR;
	memcpy(r->saddr, r->daddr, sizeof(r->saddr));
	r->saddr[r->family == AF_INET ? 3 : 15] ^= 0x5a;	/* a neighbour */
	r->sport = 32768 + rnd() % 28000;
}

/* Latency around @base_ns, up to 4x more. */
static unsigned long long jitter(unsigned long long base_ns)
{
	return base_ns + rnd() % (base_ns * 3 + 1);
}

/* Record @i; a non-blocking connect also fills @complete (returns 1). */
static int make_record(unsigned long long i, struct connprobe_record *r,
		       struct connprobe_record *complete, unsigned long long *seq)
{
	unsigned int p = pick(NR_PROCS), d = pick(NR_DESTS);
	unsigned int roll = rnd() % 100;

	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->version = CONNPROBE_RECORD_VERSION;
	r->event = CONNPROBE_EVENT_CONNECT;
	r->ts_ns = 1000000000ULL + i * 1000;
	r->cpu = i % NR_CPUS;
	r->seq = seq[r->cpu]++;
	r->pid = 1000 + p;
	r->tid = r->pid + rnd() % 4;
	r->uid = p % 3 ? 1000 : 0;
	r->cgroup_id = cgroup_id ?: 100 + p % 5;
	r->fd = 3 + rnd() % 60;
	strncpy(r->comm, comms[p % (sizeof(comms) / sizeof(comms[0]))],
		sizeof(r->comm) - 1);
	if (roll >= 98) {		/* EBADF: nothing but the fd is known */
		r->ret = -EBADF;
		r->latency_ns = jitter(800);
		return 0;
	}
	set_dest(r, d);
	r->netns = 4026531840U;
	r->id = i + 1;
	if (roll < 80) {
		r->latency_ns = jitter(30000);
	} else if (roll < 88) {
		r->ret = -EINPROGRESS;
		r->latency_ns = jitter(9000);
		*complete = *r;
		complete->event = CONNPROBE_EVENT_COMPLETE;
		complete->latency_ns = jitter(400000);
		complete->ret = roll == 87 ? -ECONNREFUSED : 0;
		if (roll == 86)
			complete->flags |= CONNPROBE_F_ABANDONED;
		return 1;
	} else if (roll < 93) {
		r->ret = -ECONNREFUSED;
		r->latency_ns = jitter(40000);
	} else if (roll < 95) {
		r->ret = -ETIMEDOUT;
		r->latency_ns = jitter(127000000000ULL / 4);
	} else if (roll < 96) {
		r->ret = -ENETUNREACH;
		r->latency_ns = jitter(5000);
	} else {
		r->ret = -512;		/* ERESTARTSYS: the caller got EINTR */
		r->latency_ns = jitter(2000000000ULL);
	}
	return 0;
}

/* Record @i of --identical's burst. */
static void burst_record(unsigned long long i, struct connprobe_record *r,
			 unsigned long long *seq)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->version = CONNPROBE_RECORD_VERSION;
	r->event = CONNPROBE_EVENT_CONNECT;
	r->ts_ns = 1000000000ULL + i * 1000;
	r->seq = seq[0]++;
	r->pid = r->tid = 1000;
	r->uid = 1000;
	r->cgroup_id = cgroup_id ?: 100;
	r->fd = 3;
	strcpy(r->comm, "connect_loop");
	set_dest(r, 3);		/* IPv4, port 6379; a random sport */
	r->netns = 4026531840U;
	r->id = 1;
	r->ret = -ENETUNREACH;
	r->latency_ns = jitter(5000);
}

static const struct cp_stats_cpu lost_cpus[NR_CPUS] = {
	{ .cpu = 0 }, { .cpu = 1, .lost = 2 }, { .cpu = 2 }, { .cpu = 3, .lost = 1 },
};

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "raw", no_argument, NULL, 'r' },
		{ "uniform", no_argument, NULL, 'u' },
		{ "cgroup-id", required_argument, NULL, 'c' },
		{ "identical", no_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	struct cp_source_info info = {
		.realtime_offset_ns = 1764115200000000000LL, /* 2025-11-26 */
		.start_ns = 1000000000ULL, .hostname = "mkcapture",
	};
	char *probe_name = "__sys_connect";
	struct cp_stats_probe probe = { probe_name, 0, 0, 4096 };
	struct cp_stats lost = {
		.cpus = (struct cp_stats_cpu *)lost_cpus, .nr_cpus = NR_CPUS,
		.total_lost = 3, .probes = &probe, .nr_probes = 1,
	};
	unsigned long long n = 1000, i, seq[NR_CPUS] = { 0 };
	struct connprobe_record r, c;
	const char *path = NULL;
	struct capture_writer w;
	struct cp_out out;
	bool raw = false;
	char err[512];
	FILE *f = NULL;
	int opt;

	while ((opt = getopt_long(argc, argv, "n:o:", longopts, NULL)) != -1) {
		if (opt == 'n')
			n = strtoull(optarg, NULL, 10);
		else if (opt == 'o')
			path = optarg;
		else if (opt == 'r')
			raw = true;
		else if (opt == 'u')
			uniform = true;
		else if (opt == 'c')
			cgroup_id = strtoull(optarg, NULL, 10);
		else if (opt == 'i')
			identical = true;
		else
			goto usage;
	}
	if (!path || optind != argc)
		goto usage;
	if (raw) {
		f = fopen(path, "w");
		if (!f || out_init(&out, f)) {
			perror(path);
			return 1;
		}
	} else {
		/* replaced, not kept as .old: the benchmark counts disk */
		unlink(path);
		if (capture_writer_open(&w, path, NULL, err, sizeof(err))) {
			fprintf(stderr, "mkcapture: %s\n", err);
			return 1;
		}
		capture_writer_begin(&w, &info);
	}
	for (i = 0; i < n; i++) {
		int more = 0;

		if (identical)
			burst_record(i, &r, seq);
		else
			more = make_record(i, &r, &c, seq);

		if (raw)
			out_mem(&out, &r, sizeof(r));
		else
			capture_writer_add(&w, &r);
		/* the completion follows as its own record */
		if (more && ++i < n) {
			c.ts_ns = r.ts_ns;
			c.cpu = (i % NR_CPUS);
			c.seq = seq[c.cpu]++;
			if (raw)
				out_mem(&out, &c, sizeof(c));
			else
				capture_writer_add(&w, &c);
		}
	}
	if (raw)
		return out_close(&out) || fclose(f) ? 1 : 0;
	if (capture_writer_finish(&w, &lost, err, sizeof(err))) {
		fprintf(stderr, "mkcapture: %s\n", err);
		return 1;
	}
	capture_writer_close(&w);
	return 0;

usage:
	fprintf(stderr, "usage: mkcapture [-n RECORDS] [--raw] [--uniform | --identical] [--cgroup-id ID] -o FILE\n");
	return 2;
}
