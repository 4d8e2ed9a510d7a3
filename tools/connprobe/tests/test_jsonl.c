// SPDX-License-Identifier: GPL-2.0
/* JSON Lines: the keys of every version, escaping, nulls. */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "format.h"
#include "row.h"
#include "fixtures.h"
#include "runner.h"

/* 16 bytes, no NUL: quotes, controls, DEL, UTF-8, invalid UTF-8, a surrogate. */
static const char HOSTILE_COMM[CONNPROBE_COMM_LEN] =
	"\"\\\n\t\x01\x1b\x7f\xc3\xa9\xff\xc3" "A\xed\xa0\x80Z";
static const char HOSTILE_COMM_JSON[] =
	"\"\\\"\\\\\\n\\t\\u0001\\u001b\\u007f\xc3\xa9\\ufffd\\ufffdA\\ufffd\\ufffd\\ufffdZ\"";

/* The keys of record version 1, unchanged, for the refused IPv4 record. */
#define V1_KEYS_REFUSED(ts, cpu, seq)					\
	"{\"event\":\"connect\",\"ts_ns\":" ts ",\"cpu\":" cpu ",\"pid\":100,\"tid\":101," \
	"\"comm\":\"curl\",\"family\":\"inet\",\"proto\":\"tcp\",\"saddr\":\"127.0.0.1\"," \
	"\"sport\":40000,\"daddr\":\"127.0.0.1\",\"dport\":80,\"ret\":-111," \
	"\"error\":\"ECONNREFUSED\",\"latency_ns\":52000,\"seq\":" seq ",\"fd\":3"

static const char *render(struct memout *c, struct stream_opts opts,
			  const struct connprobe_record *rec)
{
	struct cp_out *o = memout_out(c);
	struct cp_rows r;

	if (!o)
		return NULL;
	opts.format = FORMAT_JSON;
	rows_begin(&r, o, &opts);
	rows_record(&r, rec);
	return memout_text(c);
}

static int test_json_escape_hostile(const void *arg)
{
	struct memout c = { 0 };
	struct cp_out *o = memout_out(&c);
	int ret = 1;

	(void)arg;
	CHECK(o);
	json_string(o, HOSTILE_COMM, sizeof(HOSTILE_COMM));
	CHECK_STR(memout_text(&c), HOSTILE_COMM_JSON);
	ret = 0;
fail:
	memout_close(&c);
	return ret;
}

static int test_json_full_record(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1500000000, 2, 7);
	struct stream_opts opts = { 0 };
	struct memout c = { 0 };
	int ret = 1;

	(void)arg;
	r.id = 9;
	r.uid = 1000;
	r.cgroup_id = 77;
	r.netns = 4026531840U;
	CHECK_STR(render(&c, opts, &r),
		  V1_KEYS_REFUSED("1500000000", "2", "7")
		  ",\"id\":9,\"uid\":1000,\"cgroup_id\":77,\"netns\":4026531840,"
		  "\"via\":\"syscall\",\"caller_error\":\"ECONNREFUSED\","
		  "\"cgroup\":null,\"container\":null}\n");
	ret = 0;
fail:
	memout_close(&c);
	return ret;
}

static int test_json_unknown_and_hostile(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(5, 0, 1);
	struct stream_opts opts = { 0 };
	struct memout c = { 0 };
	char want[1024];
	int ret = 1;

	(void)arg;
	r.flags = 0;
	r.ret = 0;
	r.fd = -1;
	r.id = 9;		/* no F_SOCK: id and netns are unknown */
	r.netns = 5;
	memcpy(r.comm, HOSTILE_COMM, sizeof(r.comm));
	snprintf(want, sizeof(want),
		 "{\"event\":\"connect\",\"ts_ns\":5,\"cpu\":0,\"pid\":100,\"tid\":101,"
		 "\"comm\":%s,\"family\":null,\"proto\":null,\"saddr\":null,"
		 "\"sport\":null,\"daddr\":null,\"dport\":null,\"ret\":0,"
		 "\"error\":null,\"latency_ns\":52000,\"seq\":1,\"fd\":-1,"
		 "\"id\":null,\"uid\":0,\"cgroup_id\":0,\"netns\":null,"
		 "\"via\":\"syscall\",\"caller_error\":null,\"cgroup\":null,"
		 "\"container\":null}\n",
		 HOSTILE_COMM_JSON);
	CHECK_STR(render(&c, opts, &r), want);
	ret = 0;
fail:
	memout_close(&c);
	return ret;
}

static int test_json_restart_and_io_uring(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(5, 0, 1);
	struct stream_opts opts = { 0 };
	struct memout c = { 0 };
	const char *text;
	int ret = 1;

	(void)arg;
	r.ret = -512;
	r.flags |= CONNPROBE_F_IO_URING;
	r.fd = -1;	/* the module does not know io_uring's descriptor */
	text = render(&c, opts, &r);
	CHECK_HAS(text, "\"ret\":-512,\"error\":\"ERESTARTSYS\",");
	CHECK_HAS(text, "\"via\":\"io_uring\",\"caller_error\":\"EINTR\",");
	/* unknown: null, as the docs promise, not the -1 the record holds */
	CHECK_HAS(text, ",\"seq\":1,\"fd\":null,\"id\":");
	ret = 0;
fail:
	memout_close(&c);
	return ret;
}

static int test_json_complete_abandoned(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(5, 0, 1), done;
	struct stream_opts opts = { 0 };
	struct memout c = { 0 };
	const char *text;
	int ret = 1;

	(void)arg;
	r.ret = -115;
	text = render(&c, opts, &r);
	CHECK(!strstr(text, "abandoned"));	/* CONNECT records have none */
	done = rec_complete(&r, 0, 9000);
	memout_close(&c);
	text = render(&c, opts, &done);
	CHECK(!strncmp(text, "{\"event\":\"complete\",", 20));
	CHECK_HAS(text, ",\"abandoned\":false}\n");
	done.flags |= CONNPROBE_F_ABANDONED;
	memout_close(&c);
	text = render(&c, opts, &done);
	CHECK_HAS(text, ",\"abandoned\":true}\n");
	ret = 0;
fail:
	memout_close(&c);
	return ret;
}

static int test_json_unix_cgroup_time(const void *arg)
{
	static const char ID[] =
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	struct connprobe_record r = rec_new(1000000000, 0, 1);
	struct cp_cgroups cg;
	struct stream_opts opts = {
		.wallclock = true, .realtime_offset_ns = TEST_REALTIME_OFFSET,
		.cgroups = &cg,
	};
	struct memout c = { 0 };
	const char *text;
	char path[128];
	int ret = 1;

	(void)arg;
	cgroups_init(&cg);
	snprintf(path, sizeof(path), "/kubepods.slice/cri-containerd-%s.scope", ID);
	CHECK_INT(cgroups_add(&cg, 31, path, strlen(path)), 0);
	r.cgroup_id = 31;
	rec_unix(&r, SOCK_STREAM, "\0dbus\0", 6);
	text = render(&c, opts, &r);
	CHECK_HAS(text, "\"daddr\":\"@dbus@\",\"dport\":null,");
	CHECK_HAS(text, "\"cgroup_id\":31,");
	CHECK_HAS(text, "\"cgroup\":\"/kubepods.slice/cri-containerd-");
	CHECK_HAS(text, "\"container\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"");
	CHECK_HAS(text, ",\"time\":\"2025-11-26T00:00:01.000000000Z\"}\n");
	ret = 0;
fail:
	memout_close(&c);
	cgroups_free(&cg);
	return ret;
}

/* 99999.996 s: four rows later, the table's TIME(s) outgrows its column */
#define ANCHOR_NS	99999996000000ULL

/* The rows after a stream's header and its first row, @anchor's. */
static const char *rows_after(struct memout *c, const struct stream_opts *o)
{
	const char *text = strchr(memout_text(c), '\n') + 1;

	return o->format != FORMAT_JSON ? strchr(text, '\n') + 1 : text;
}

/*
 * The rows of a burst are copied from the last one, with the values that
 * change written afresh: each must still be its record's own row, as a
 * stream of @anchor and it alone has it.  Each byte of @base is flipped
 * in turn, after four rows of @base, and the changed record comes three
 * times too; with @cg_id, that cgroup's path appears before the fourth.
 * sport changes length from row to row.
 */
static int burst_rows(struct stream_opts opts,
		      const struct connprobe_record *base, __u64 cg_id,
		      size_t *bad_byte)
{
	static const char path[] = "/kubepods.slice/cri-containerd-"
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope";
	struct connprobe_record rec, anchor = *base;
	struct cp_rows r, alone;
	struct memout c, one;
	struct cp_cgroups cg;
	char want[8192];
	size_t i, k, n;
	int ret = 0;

	anchor.ts_ns -= ANCHOR_NS;
	anchor.pid ^= 0xffff;
	for (i = 0; !ret && i < sizeof(*base); i++) {
		cgroups_init(&cg);
		opts.cgroups = &cg;
		ret = !memout_out(&c);
		if (!ret) {
			rows_begin(&r, &c.out, &opts);
			rows_record(&r, &anchor);
		}
		for (n = 0, k = 0; !ret && k < 7; k++) {
			rec = *base;
			rec.ts_ns += k * 1000000;
			rec.seq += k;
			rec.latency_ns += k * 17;
			/* the text after a value that changes length moves */
			rec.sport = k % 2 ? 80 : 40000 + k;
			((unsigned char *)&rec)[i] ^= k < 4 ? 0 : 0x41;
			if (k == 3 && cg_id)
				cgroups_add(&cg, cg_id, path, strlen(path));
			rows_record(&r, &rec);
			ret = !memout_out(&one);
			if (!ret) {
				rows_begin(&alone, &one.out, &opts);
				rows_record(&alone, &anchor);
				rows_record(&alone, &rec);
				n += snprintf(want + n, sizeof(want) - n, "%s",
					      rows_after(&one, &opts));
			}
			memout_close(&one);
		}
		if (!ret && strcmp(rows_after(&c, &opts), want))
			ret = 1;
		*bad_byte = i;
		memout_close(&c);
		cgroups_free(&cg);
	}
	return ret;
}

static int test_rows_burst(const void *arg)
{
	static const struct stream_opts formats[] = {
		{ .format = FORMAT_JSON }, { .format = FORMAT_CSV },
		{ .format = FORMAT_TABLE }, { .format = FORMAT_TABLE, .wide = true },
		{ .format = FORMAT_TABLE, .wallclock = true },
	};
	struct connprobe_record v4 = rec_refused_v4(2 * ANCHOR_NS, 2, 7), un, wide,
				lite;
	size_t f, bad = 0;
	int ret = 1;

	(void)arg;
	v4.id = 9;
	v4.cgroup_id = 31;
	v4.netns = 4026531840U;
	un = rec_new(2 * ANCHOR_NS, 0, 1);
	rec_unix(&un, SOCK_STREAM, "/run/a-rather-long-socket-path/of/some/daemon.sock", 50);
	/* cells wider than their column push the table's next ones right */
	wide = v4;
	wide.pid = 4000000000U;
	lite = v4;
	rec_sock(&lite, AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
	rec_saddr(&lite, "100.100.100.100", 40000);
	for (f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
		if (burst_rows(formats[f], &v4, 0, &bad) ||
		    burst_rows(formats[f], &v4, 31, &bad) ||
		    burst_rows(formats[f], &un, 0, &bad) ||
		    burst_rows(formats[f], &wide, 0, &bad) ||
		    burst_rows(formats[f], &lite, 0, &bad)) {
			fprintf(stderr, "format %zu: a burst's row differs once byte %zu changes\n",
				f, bad);
			goto fail;
		}
	}
	ret = 0;
fail:
	return ret;
}

TEST_LIST(jsonl_tests) = {
	{ "JSON escaping of a hostile comm", test_json_escape_hostile },
	{ "JSON: version 1 keys unchanged, then id..container", test_json_full_record },
	{ "JSON: unknown fields null, hostile comm escaped", test_json_unknown_and_hostile },
	{ "JSON: ERESTARTSYS with caller_error EINTR; via io_uring, fd null", test_json_restart_and_io_uring },
	{ "JSON: complete event carries abandoned, connect does not", test_json_complete_abandoned },
	{ "JSON: AF_UNIX path as daddr, cgroup, container, -T time", test_json_unix_cgroup_time },
	{ "table, JSON, CSV: each row of a burst is its record's own row", test_rows_burst },
	{ NULL, NULL },
};
