// SPDX-License-Identifier: GPL-2.0
/*
 * Golden output: thousands of varied records (every family, odd address
 * lengths, IPv4-mapped and zero-run IPv6, abstract and binary AF_UNIX
 * paths, hostile comms, io_uring, errors known and unknown, completions
 * and abandoned ones, cgroups with containers), most in bursts that
 * share a task and addresses, rendered as JSON Lines,
 * CSV and tables in each layout.  The hashes were taken from the
 * renderers before they were rewritten for speed: the output must stay
 * byte for byte what it was.  A mismatch names the view; dump it with
 * GOLDEN_DUMP=DIR to compare against an older build's.
 */
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "row.h"
#include "fixtures.h"
#include "runner.h"

#define NR_GOLDEN	3000

static unsigned long long rng;

/* xorshift64*, seeded per view: the same records every run. */
static unsigned long long rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static void rnd_bytes(void *p, size_t n)
{
	unsigned char *b = p;

	while (n--)
		*b++ = rnd();
}

static const char *const plain_comms[] = {
	"curl", "nginx", "a", "python3.11-worke", "x y", "",
};

static void golden_comm(struct connprobe_record *r)
{
	unsigned int k = rnd() % 4;

	memset(r->comm, 0, sizeof(r->comm));
	if (k == 0)		/* any bytes: controls, quotes, bad UTF-8 */
		rnd_bytes(r->comm, rnd() % (CONNPROBE_COMM_LEN + 1));
	else if (k == 1)	/* UTF-8, cut anywhere */
		strncpy(r->comm, "h\xc3\xa9llo\xe2\x82\xac\xf0\x9f\x98\x80",
			1 + rnd() % 15);
	else
		strncpy(r->comm, plain_comms[rnd() % ARRAY_LEN(plain_comms)],
			CONNPROBE_COMM_LEN);
}

/* An address with runs of zero groups, for "::" and dotted endings. */
static void golden_addr6(__u8 *a)
{
	unsigned int k = rnd() % 6, i;

	rnd_bytes(a, CONNPROBE_ADDR_LEN);
	if (k == 0) {		/* IPv4-mapped */
		memset(a, 0, 10);
		a[10] = a[11] = 0xff;
	} else if (k == 1) {	/* IPv4-compatible, or :: and ::1 */
		memset(a, 0, 12);
		if (rnd() % 2)
			memset(a + 12, 0, 3);
	} else if (k < 5) {	/* random zero groups */
		for (i = 0; i < 8; i++)
			if (rnd() % 2)
				a[2 * i] = a[2 * i + 1] = 0;
	}
	if (rnd() % 3 == 0)	/* short groups */
		for (i = 0; i < 8; i++)
			a[2 * i] = 0;
}

static const unsigned short families[] = {
	AF_INET, AF_INET6, AF_UNIX, AF_UNSPEC, AF_NETLINK, AF_PACKET, 200,
};

static void golden_dest(struct connprobe_record *r)
{
	static const unsigned short addrlens[] = {
		0, 1, 2, 3, 15, 16, 23, 24, 28, 110, 200,
	};
	unsigned int n;

	r->daddr_family = rnd() % 8 ? families[rnd() % 3]
				    : families[rnd() % ARRAY_LEN(families)];
	r->addrlen = rnd() % 3 ? 0 : addrlens[rnd() % ARRAY_LEN(addrlens)];
	r->dport = rnd();
	memset(r->sun_path, 0, sizeof(r->sun_path));
	switch (r->daddr_family) {
	case AF_INET:
		rnd_bytes(r->daddr, 4);
		r->addrlen = r->addrlen ? r->addrlen : 16;
		break;
	case AF_INET6:
		golden_addr6(r->daddr);
		r->addrlen = r->addrlen ? r->addrlen : 28;
		break;
	case AF_UNIX:
		n = rnd() % CONNPROBE_PATH_LEN;
		if (rnd() % 2) {
			rnd_bytes(r->sun_path, n);
		} else {
			memset(r->sun_path, 'p', n);
			memcpy(r->sun_path, "/run/some/socket", n < 16 ? n : 16);
		}
		if (rnd() % 3 == 0)
			r->sun_path[0] = '\0';	/* abstract */
		r->addrlen = r->addrlen ? r->addrlen : 2 + n;
		break;
	default:
		rnd_bytes(r->daddr, CONNPROBE_ADDR_LEN);
	}
}

static __s32 golden_ret(void)
{
	static const __s32 rets[] = {
		-ECONNREFUSED, -EINPROGRESS, -ETIMEDOUT, -ENETUNREACH, -EBADF,
		-512, -513, -514, -516, -530, -531, -532, -134, -135, -4095,
		INT_MIN, -1, 1, INT_MAX,
	};
	unsigned int k = rnd() % 4;

	if (k < 2)
		return 0;
	if (k == 2)
		return rets[rnd() % ARRAY_LEN(rets)];
	return -(__s32)(rnd() % 600);
}

static struct connprobe_record golden_record(unsigned long long i)
{
	struct connprobe_record r = rec_new(0, 0, 0);

	r.event = rnd() % 4 ? CONNPROBE_EVENT_CONNECT
			    : CONNPROBE_EVENT_COMPLETE;
	r.flags = rnd() % 5 ? rnd() & 0x1f : rnd();
	r.ts_ns = rnd() % 4 ? 1000000000ULL + i * 1234567 : rnd();
	r.latency_ns = rnd() % 2 ? rnd() % 100000000 : rnd() >> (rnd() % 64);
	r.seq = rnd() % 2 ? i : rnd();
	r.id = rnd() % 2 ? i + 1 : rnd();
	r.cgroup_id = rnd() % 8;
	r.ret = golden_ret();
	r.cpu = rnd() % 3 ? rnd() % 8 : (__u32)rnd();
	r.pid = rnd() % 3 ? rnd() % 100000 : (__u32)rnd();
	r.tid = rnd() % 2 ? r.pid : (__u32)rnd();
	r.uid = rnd() % 2 ? 1000 : (__u32)rnd();
	r.netns = rnd();
	r.fd = rnd() % 3 ? (int)(rnd() % 1024) : (__s32)rnd();
	r.family = rnd() % 8 ? families[rnd() % 3]
			     : families[rnd() % ARRAY_LEN(families)];
	r.type = rnd() % 4 ? SOCK_STREAM : rnd() % 12;
	r.protocol = rnd() % 4 ? IPPROTO_TCP : rnd() % 300;
	r.sport = rnd();
	if (r.family == AF_INET6)
		golden_addr6(r.saddr);
	else
		rnd_bytes(r.saddr, sizeof(r.saddr));
	golden_comm(&r);
	golden_dest(&r);
	return r;
}

/*
 * Most records continue a burst: the previous record's task, addresses
 * and ids, with what changes per call new.  Now and then one field that
 * a remembered run of text depends on changes alone: a renderer that
 * repeats the previous record's text must notice each of them.
 */
static struct connprobe_record golden_burst(const struct connprobe_record *prev,
					    unsigned long long i)
{
	const __u32 per_call = CONNPROBE_F_IO_URING | CONNPROBE_F_ABANDONED;
	struct connprobe_record n = golden_record(i), r = *prev;

	r.event = n.event;
	r.flags = (r.flags & ~per_call) | (n.flags & per_call);
	r.ts_ns = n.ts_ns;
	r.latency_ns = n.latency_ns;
	r.seq = n.seq;
	r.id = n.id;
	r.ret = n.ret;
	r.cpu = n.cpu;
	r.fd = n.fd;
	r.sport = n.sport;
	switch (rnd() % 24) {
	case 0: r.pid = n.pid; break;
	case 1: r.tid = n.tid; break;
	case 2: r.comm[rnd() % CONNPROBE_COMM_LEN] = n.comm[0]; break;
	case 3: r.flags ^= 1u << (rnd() % 3); break;	/* validity */
	case 4: r.family = n.family; break;
	case 5: r.type = n.type; break;
	case 6: r.protocol = n.protocol; break;
	case 7: r.saddr[rnd() % CONNPROBE_ADDR_LEN] ^= 1 + rnd() % 255; break;
	case 8: r.daddr_family = n.daddr_family; break;
	case 9: r.addrlen = n.addrlen; break;
	case 10: r.sun_path[rnd() % CONNPROBE_PATH_LEN] ^= 1 + rnd() % 255; break;
	case 11: r.dport = n.dport; break;
	case 12: r.uid = n.uid; break;
	case 13: r.cgroup_id = n.cgroup_id; break;
	case 14: r.netns = n.netns; break;
	}
	return r;
}

/* cgroups 1..5 known, two in containers; 0, 6 and 7 unknown. */
static int golden_cgroups(struct cp_cgroups *cg)
{
	static const char *const paths[] = {
		"/", "/system.slice/sshd.service",
		"/system.slice/docker-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope",
		"/kubepods/pod1/fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210",
		"/user.slice/\"odd\\name\"\n",
	};
	size_t i;

	cgroups_init(cg);
	for (i = 0; i < ARRAY_LEN(paths); i++)
		if (cgroups_add(cg, i + 1, paths[i], strlen(paths[i])))
			return -1;
	return 0;
}

enum golden_view {
	V_JSON, V_JSON_TIME, V_CSV, V_CSV_TIME, V_TABLE, V_TABLE_WIDE,
	V_TABLE_TIME_UID,
};

static void render(enum golden_view v, struct cp_out *o,
		   struct cp_cgroups *cg)
{
	struct stream_opts opts = {
		.realtime_offset_ns = TEST_REALTIME_OFFSET, .cgroups = cg,
	};
	struct connprobe_record r = { 0 };
	unsigned long long i;
	struct cp_rows rows;

	opts.format = v == V_JSON || v == V_JSON_TIME ? FORMAT_JSON :
		      v == V_CSV || v == V_CSV_TIME ? FORMAT_CSV : FORMAT_TABLE;
	opts.wallclock = v == V_JSON_TIME || v == V_CSV_TIME ||
			 v == V_TABLE_TIME_UID;
	opts.wide = v == V_TABLE_WIDE;
	opts.print_uid = v == V_TABLE_TIME_UID;
	rows_begin(&rows, o, &opts);
	rng = 0x9e3779b97f4a7c15ULL;
	for (i = 0; i < NR_GOLDEN; i++) {
		r = i && rnd() % 4 ? golden_burst(&r, i) : golden_record(i);
		rows_record(&rows, &r);
	}
}

/* FNV-1a, 64 bits. */
static unsigned long long fnv1a(const char *s, size_t n)
{
	unsigned long long h = 0xcbf29ce484222325ULL;

	while (n--) {
		h ^= (unsigned char)*s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void dump(const char *name, const char *text, size_t len)
{
	const char *dir = getenv("GOLDEN_DUMP");
	char path[4096];

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	write_file(path, text, len);
}

struct golden {
	enum golden_view view;
	const char *name;
	size_t len;
	unsigned long long hash;
};

static int check_golden(const void *arg)
{
	const struct golden *g = arg;
	struct memout c = { 0 };
	struct cp_cgroups cg;
	struct cp_out *o;
	const char *text;
	int ret = 1;

	CHECK(!golden_cgroups(&cg));
	o = memout_out(&c);
	CHECK(o);
	render(g->view, o, &cg);
	text = memout_text(&c);
	CHECK(text);
	dump(g->name, text, c.len);
	if (c.len != g->len || fnv1a(text, c.len) != g->hash)
		diag("%s: %zu bytes, hash 0x%016llx", g->name, c.len,
		     fnv1a(text, c.len));
	CHECK_INT(c.len, g->len);
	CHECK(fnv1a(text, c.len) == g->hash);
	ret = 0;
fail:
	memout_close(&c);
	cgroups_free(&cg);
	return ret;
}

static const struct golden goldens[] = {
	{ V_JSON, "json", 1386115, 0x2d2db73815ebb29aULL },
	{ V_JSON_TIME, "json-time", 1506115, 0x1b60d8ed82ac5d04ULL },
	{ V_CSV, "csv", 604668, 0x08c53f8bad6dab06ULL },
	{ V_CSV_TIME, "csv-time", 697673, 0xd051a57c33c4e857ULL },
	{ V_TABLE, "table", 385601, 0x6090633d8772f0adULL },
	{ V_TABLE_WIDE, "table-wide", 589666, 0xed0098bdb0518ef8ULL },
	{ V_TABLE_TIME_UID, "table-time-uid", 415611, 0xe6922c7f97eba241ULL },
};

#define GOLDEN(i)							\
static int test_golden_##i(const void *arg)				\
{									\
	(void)arg;							\
	return check_golden(&goldens[i]);				\
}
GOLDEN(0)
GOLDEN(1)
GOLDEN(2)
GOLDEN(3)
GOLDEN(4)
GOLDEN(5)
GOLDEN(6)

TEST_LIST(golden_tests) = {
	{ "golden: JSON Lines of varied records, byte for byte", test_golden_0 },
	{ "golden: JSON Lines with -T", test_golden_1 },
	{ "golden: CSV", test_golden_2 },
	{ "golden: CSV with -T", test_golden_3 },
	{ "golden: table", test_golden_4 },
	{ "golden: table -w", test_golden_5 },
	{ "golden: table -T -U", test_golden_6 },
	{ NULL, NULL },
};
