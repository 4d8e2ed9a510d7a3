// SPDX-License-Identifier: GPL-2.0
/* Record validation and reading of the per-CPU files. */
#include "capture.h"
#include "live.h"
#include "fixtures.h"
#include "runner.h"

static int test_check_good(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1, 0, 1);
	char err[256] = "";

	(void)arg;
	CHECK_INT(record_check(&r, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	return 0;
fail:
	return 1;
}

static int test_check_complete(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1, 0, 1);
	char err[256] = "";

	(void)arg;
	r.event = CONNPROBE_EVENT_COMPLETE;
	CHECK_INT(record_check(&r, err, sizeof(err)), 0);
	r.event = 3;
	CHECK_INT(record_check(&r, err, sizeof(err)), -1);
	CHECK_STR(err, "unknown record event 3");
	return 0;
fail:
	return 1;
}

static int test_check_bad_size(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1, 0, 1);
	char err[256] = "";

	(void)arg;
	r.size = 120;
	CHECK_INT(record_check(&r, err, sizeof(err)), -1);
	CHECK_STR(err, "record version " XSTR(CONNPROBE_RECORD_VERSION) " of 120 bytes, this tool reads version " XSTR(CONNPROBE_RECORD_VERSION) " of " XSTR(CONNPROBE_RECORD_SIZE) " bytes: module and tool were built from different connprobe.h");
	return 0;
fail:
	return 1;
}

static int test_check_bad_version(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1, 0, 1);
	char err[256] = "";

	(void)arg;
	r.version = 99;
	CHECK_INT(record_check(&r, err, sizeof(err)), -1);
	CHECK_STR(err, "record version 99 of " XSTR(CONNPROBE_RECORD_SIZE) " bytes, this tool reads version " XSTR(CONNPROBE_RECORD_VERSION) " of " XSTR(CONNPROBE_RECORD_SIZE) " bytes: module and tool were built from different connprobe.h");
	r.version = CONNPROBE_RECORD_VERSION;
	r.event = 0;
	CHECK_INT(record_check(&r, err, sizeof(err)), -1);
	CHECK_STR(err, "unknown record event 0");
	return 0;
fail:
	return 1;
}

static int test_open_lists_cpu_files(const void *arg)
{
	struct cp_reader rd = { 0 };
	struct fakefs fs = { 0 };
	char err[256] = "";
	int ret = 1;

	(void)arg;
	CHECK_INT(fakefs_create(&fs), 0);
	/* possible CPUs need not be contiguous; other names are not CPUs */
	CHECK_INT(fakefs_write_str(&fs, "cpu10", ""), 0);
	CHECK_INT(fakefs_write_str(&fs, "cpu2", ""), 0);
	CHECK_INT(fakefs_write_str(&fs, "cpu0", ""), 0);
	CHECK_INT(fakefs_write_str(&fs, "cpux", ""), 0);
	CHECK_INT(fakefs_write_str(&fs, "cpu1x", ""), 0);
	CHECK_INT(fakefs_write_str(&fs, "stats", ""), 0);
	CHECK_INT(reader_open(&rd, fs.dir, err, sizeof(err)), 0);
	CHECK_INT(rd.nr, 3);
	CHECK_INT(rd.cpus[0], 0);
	CHECK_INT(rd.cpus[1], 2);
	CHECK_INT(rd.cpus[2], 10);
	ret = 0;
fail:
	reader_close(&rd);
	fakefs_destroy(&fs);
	return ret;
}

static int test_read_all_with_cap(const void *arg)
{
	struct connprobe_record recs[150];
	struct cp_reader rd = { 0 };
	struct fakefs fs = { 0 };
	char err[256] = "";
	int i, ret = 1;

	(void)arg;
	for (i = 0; i < 150; i++)
		recs[i] = rec_refused_v4(i, 1, i);
	CHECK_INT(fakefs_create(&fs), 0);
	CHECK_INT(fakefs_write(&fs, "cpu0", recs, 10 * sizeof(recs[0])), 0);
	/* more than the cap: two rounds */
	CHECK_INT(fakefs_write(&fs, "cpu1", recs, sizeof(recs)), 0);
	CHECK_INT(reader_open(&rd, fs.dir, err, sizeof(err)), 0);
	CHECK_INT(reader_read_all(&rd, 100, err, sizeof(err)), 110);
	CHECK_INT(rd.len, 110);
	CHECK_INT(rd.rec[9].seq, 9);		/* cpu0's last */
	CHECK_INT(rd.rec[10].seq, 0);		/* cpu1's first */
	CHECK_INT(rd.rec[109].seq, 99);
	/* the cap left the rest for the next round */
	CHECK_INT(reader_read_all(&rd, 100, err, sizeof(err)), 50);
	CHECK_INT(rd.rec[49].seq, 149);
	CHECK_INT(reader_read_all(&rd, 100, err, sizeof(err)), 0);
	ret = 0;
fail:
	reader_close(&rd);
	fakefs_destroy(&fs);
	return ret;
}

static int test_read_rejects_partial(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1, 0, 1);
	struct cp_reader rd = { 0 };
	struct fakefs fs = { 0 };
	char err[256] = "";
	int ret = 1;

	(void)arg;
	CHECK_INT(fakefs_create(&fs), 0);
	CHECK_INT(fakefs_write(&fs, "cpu3", &r, 50), 0);
	CHECK_INT(reader_open(&rd, fs.dir, err, sizeof(err)), 0);
	CHECK_INT(reader_read_all(&rd, 100, err, sizeof(err)), -1);
	CHECK_STR(err, "read cpu3: got 50 bytes, not a whole number of " XSTR(CONNPROBE_RECORD_SIZE) "-byte records");
	ret = 0;
fail:
	reader_close(&rd);
	fakefs_destroy(&fs);
	return ret;
}

static int test_read_rejects_bad_record(const void *arg)
{
	struct connprobe_record r[2] = {
		rec_refused_v4(1, 0, 1), rec_refused_v4(2, 0, 2),
	};
	struct cp_reader rd = { 0 };
	struct fakefs fs = { 0 };
	char err[256] = "";
	int ret = 1;

	(void)arg;
	r[1].version = 9;
	CHECK_INT(fakefs_create(&fs), 0);
	CHECK_INT(fakefs_write(&fs, "cpu0", r, sizeof(r)), 0);
	CHECK_INT(reader_open(&rd, fs.dir, err, sizeof(err)), 0);
	CHECK_INT(reader_read_all(&rd, 100, err, sizeof(err)), -1);
	CHECK_STR(err, "cpu0: record version 9 of " XSTR(CONNPROBE_RECORD_SIZE) " bytes, this tool reads version " XSTR(CONNPROBE_RECORD_VERSION) " of " XSTR(CONNPROBE_RECORD_SIZE) " bytes: module and tool were built from different connprobe.h");
	/* nothing from the bad batch is handed out for printing */
	CHECK_INT(rd.len, 0);
	ret = 0;
fail:
	reader_close(&rd);
	fakefs_destroy(&fs);
	return ret;
}

static int test_open_no_cpu_files(const void *arg)
{
	struct cp_reader rd = { 0 };
	struct fakefs fs = { 0 };
	char err[256] = "", want[256];
	int ret = 1;

	(void)arg;
	CHECK_INT(fakefs_create(&fs), 0);
	CHECK_INT(fakefs_write_str(&fs, "stats", ""), 0);
	CHECK_INT(reader_open(&rd, fs.dir, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: no cpuN files", fs.dir);
	CHECK_STR(err, want);
	ret = 0;
fail:
	reader_close(&rd);
	fakefs_destroy(&fs);
	return ret;
}

TEST_LIST(reader_tests) = {
	{ "record check: valid record accepted", test_check_good },
	{ "record check: COMPLETE accepted, event 3 not", test_check_complete },
	{ "record check: wrong size rejected", test_check_bad_size },
	{ "record check: wrong version and unknown event rejected", test_check_bad_version },
	{ "reader: opens cpuN files only, sorted by N", test_open_lists_cpu_files },
	{ "reader: reads every CPU, at most the cap per round", test_read_all_with_cap },
	{ "reader: partial record is an error", test_read_rejects_partial },
	{ "reader: bad record fails the whole batch", test_read_rejects_bad_record },
	{ "reader: directory without cpuN files", test_open_no_cpu_files },
	{ NULL, NULL },
};
