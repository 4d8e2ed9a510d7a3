// SPDX-License-Identifier: GPL-2.0
/* Capture files: round trip, and every hostile variant refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "fixtures.h"
#include "hostile.h"
#include "runner.h"

static int test_round_trip(const void *arg)
{
	struct connprobe_record r[3] = {
		rec_refused_v4(1, 0, 1), rec_refused_v4(2, 1, 1),
		rec_refused_v4(3, 0, 2),
	};
	struct cp_stats_cpu cpus[2] = {
		{ .cpu = 0, .written = 9 },
		{ .cpu = 1, .written = 5, .lost = 2 },
	};
	char sym[] = "__sys_connect";
	struct cp_stats_probe probe = { sym, 1, 3, 4096 };
	struct cp_stats lost = {
		.cpus = cpus, .nr_cpus = 2, .total_lost = 2,
		.probes = &probe, .nr_probes = 1,
	};
	const struct connprobe_record *got;
	struct cp_cgroups w_cg, r_cg;
	const struct cp_cgroup *cg;
	struct cp_capture cap = { 0 };
	char path[] = "/tmp/connprobe-cap.XXXXXX", err[256];
	int i, fd = mkstemp(path), ret = 1;

	(void)arg;
	cgroups_init(&w_cg);
	cgroups_init(&r_cg);
	CHECK(fd >= 0);
	close(fd);
	/* cgroup 5 is named by a record, 6 is not: only 5 is stored */
	CHECK_INT(cgroups_add(&w_cg, 5, "/docker/" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 72), 0);
	CHECK_INT(cgroups_add(&w_cg, 6, "/unused", 7), 0);
	r[1].cgroup_id = 5;
	CHECK_INT(write_capture(path, r, 3, &lost, &w_cg), 0);
	CHECK_INT(capture_open(&cap, path, &r_cg, err, sizeof(err)), 0);
	CHECK_STR(cap.hdr.hostname, TEST_HOSTNAME);
	CHECK_INT(cap.hdr.realtime_offset_ns, TEST_REALTIME_OFFSET);
	CHECK_INT(cap.nr_records, 3);
	for (i = 0; i < 3; i++) {
		got = capture_next(&cap, err, sizeof(err));
		CHECK(got && !memcmp(got, &r[i], sizeof(r[i])));
	}
	CHECK(capture_next(&cap, err, sizeof(err)) == NULL);
	CHECK_STR(err, "");		/* the end, not an error */
	CHECK(cap.lost_known);
	CHECK_INT(cap.lost.total_lost, 2);
	CHECK_INT(cap.lost.nr_cpus, 2);
	CHECK_INT(cap.lost.cpus[1].lost, 2);
	CHECK_STR(cap.lost.probes[0].symbol, "__sys_connect");
	CHECK_INT(cap.lost.probes[0].kp_nmissed, 3);
	cg = cgroups_lookup(&r_cg, 5);
	CHECK(cg);
	CHECK_STR(cg->container, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	CHECK(cgroups_lookup(&r_cg, 6) == NULL);
	ret = 0;
fail:
	capture_close(&cap);
	cgroups_free(&w_cg);
	cgroups_free(&r_cg);
	unlink(path);
	return ret;
}

static int test_file_read_in_chunks(const void *arg)
{
	enum { N = 2500, BAD = 2222 };	/* more than two read() chunks */
	struct connprobe_record *r = calloc(N, sizeof(*r));
	const struct connprobe_record *got;
	struct cp_capture cap = { 0 };
	char path[] = "/tmp/connprobe-cap.XXXXXX", err[256];
	int i, fd = mkstemp(path), ret = 1;

	(void)arg;
	CHECK(r && fd >= 0);
	close(fd);
	for (i = 0; i < N; i++)
		r[i] = rec_refused_v4(i, 0, i);
	r[BAD].size = 7;
	CHECK_INT(write_capture(path, r, N, NULL, NULL), 0);
	CHECK_INT(capture_open(&cap, path, NULL, err, sizeof(err)), 0);
	for (i = 0; (got = capture_next(&cap, err, sizeof(err))); i++)
		CHECK_INT(got->seq, i);
	/* every record up to the bad one, in order, then the reason */
	CHECK_INT(i, BAD);
	CHECK_STR(err, "record 2222: record version " XSTR(CONNPROBE_RECORD_VERSION)
		  " of 7 bytes, this tool reads version " XSTR(CONNPROBE_RECORD_VERSION) " of "
		  XSTR(CONNPROBE_RECORD_SIZE) " bytes: module and tool were built from different connprobe.h");
	ret = 0;
fail:
	capture_close(&cap);
	unlink(path);
	free(r);
	return ret;
}

static int test_losses_unknown(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1, 0, 1);
	struct cp_capture cap = { 0 };
	char path[] = "/tmp/connprobe-cap.XXXXXX", err[256];
	int fd = mkstemp(path), ret = 1;

	(void)arg;
	CHECK(fd >= 0);
	close(fd);
	CHECK_INT(write_capture(path, &r, 1, NULL, NULL), 0);
	CHECK_INT(capture_open(&cap, path, NULL, err, sizeof(err)), 0);
	CHECK(!cap.lost_known);
	ret = 0;
fail:
	capture_close(&cap);
	unlink(path);
	return ret;
}

static int test_hostile_corpus(const void *arg)
{
	struct cp_capture cap = { 0 };
	struct hostile *h = NULL;
	struct cp_cgroups cg;
	size_t n = 0, i = 0;
	char err[512];
	int ret = 1;

	(void)arg;
	cgroups_init(&cg);
	CHECK_INT(hostile_corpus(&h, &n), 0);
	CHECK(n >= 20);
	for (i = 0; i < n; i++) {
		err[0] = '\0';
		if (h[i].parse_err) {
			CHECK_INT(capture_parse(&cap, h[i].data, h[i].len, &cg,
						err, sizeof(err)), -1);
			CHECK_STR(err, h[i].parse_err);
		} else {
			CHECK_INT(capture_parse(&cap, h[i].data, h[i].len, &cg,
						err, sizeof(err)), 0);
			/* the records before the bad one are read */
			while (capture_next(&cap, err, sizeof(err)))
				;
			CHECK_INT(cap.next, h[i].bad_record);
			CHECK_STR(err, h[i].record_err);
		}
		capture_close(&cap);
	}
	ret = 0;
fail:
	if (ret && i < n)
		diag("hostile capture: %s", h[i].name);
	capture_close(&cap);
	cgroups_free(&cg);
	hostile_free(h, n);
	return ret;
}

static int test_open_errors(const void *arg)
{
	struct cp_capture cap = { 0 };
	char err[256];
	int ret = 1;

	(void)arg;
	CHECK_INT(capture_open(&cap, "/nonexistent.data", NULL, err, sizeof(err)), -1);
	CHECK_STR(err, "No such file or directory");
	CHECK_INT(capture_open(&cap, "/tmp", NULL, err, sizeof(err)), -1);
	CHECK_STR(err, "Is a directory");
	ret = 0;
fail:
	capture_close(&cap);
	return ret;
}

TEST_LIST(capture_tests) = {
	{ "capture: records verbatim, header, losses, used cgroups only", test_round_trip },
	{ "capture: a file is read in chunks, in order, up to a bad record", test_file_read_in_chunks },
	{ "capture: losses unknown when the run could not count them", test_losses_unknown },
	{ "capture: every hostile variant refused with its message", test_hostile_corpus },
	{ "capture: missing file and directory", test_open_errors },
	{ NULL, NULL },
};
