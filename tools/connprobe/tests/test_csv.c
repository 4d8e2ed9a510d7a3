// SPDX-License-Identifier: GPL-2.0
/* CSV: header of the JSON keys, quoting, nulls. */
#include <string.h>
#include <sys/socket.h>

#include "row.h"
#include "fixtures.h"
#include "runner.h"

static const char HEADER[] =
	"event,ts_ns,cpu,pid,tid,comm,family,proto,saddr,sport,daddr,dport,"
	"ret,error,latency_ns,seq,fd,id,uid,cgroup_id,netns,via,caller_error,"
	"cgroup,container,abandoned,signal,daddr_changed,fd_changed";

static const char *render(struct memout *c, struct stream_opts opts,
			  const struct connprobe_record *recs, size_t n)
{
	struct cp_out *o = memout_out(c);
	struct cp_rows r;
	size_t i;

	if (!o)
		return NULL;
	opts.format = FORMAT_CSV;
	rows_begin(&r, o, &opts);
	for (i = 0; i < n; i++)
		rows_record(&r, &recs[i]);
	return memout_text(c);
}

static int test_csv_header_and_row(const void *arg)
{
	struct connprobe_record r[2] = {
		rec_refused_v4(1500000000, 2, 7), rec_new(9, 1, 1),
	};
	struct stream_opts opts = { 0 };
	struct memout c = { 0 };
	char want[1024];
	int ret = 1;

	(void)arg;
	r[0].id = 9;
	r[1] = rec_complete(&r[0], 0, 3);
	snprintf(want, sizeof(want), "%s\n%s\n%s\n", HEADER,
		 "connect,1500000000,2,100,101,curl,inet,tcp,127.0.0.1,40000,127.0.0.1,80,-111,ECONNREFUSED,52000,7,3,9,0,0,0,syscall,ECONNREFUSED,,,,,,",
		 "complete,1500000000,2,100,101,curl,inet,tcp,127.0.0.1,40000,127.0.0.1,80,0,,3,8,3,9,0,0,0,syscall,,,,false,,,");
	CHECK_STR(render(&c, opts, r, 2), want);
	ret = 0;
fail:
	memout_close(&c);
	return ret;
}

static int test_csv_quoting(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1, 0, 1);
	struct stream_opts opts = {
		.wallclock = true, .realtime_offset_ns = TEST_REALTIME_OFFSET,
	};
	struct memout c = { 0 };
	const char *text;
	int ret = 1;

	(void)arg;
	rec_comm(&r, "a,b\"c\nd\xc3\xa9");
	text = render(&c, opts, &r, 1);
	/* comma and quote quoted, newline replaced: one row, one line */
	CHECK_HAS(text, ",\"a,b\"\"c?d\xc3\xa9\",");
	CHECK_HAS(text, ",abandoned,signal,daddr_changed,fd_changed,time\n");
	CHECK_HAS(text, ",,2025-11-26T00:00:00.000000001Z\n");
	CHECK_INT(strchr(strchr(text, '\n') + 1, '\n') - text + 1, strlen(text));
	ret = 0;
fail:
	memout_close(&c);
	return ret;
}

/* 191 bytes: a kubepods cgroup, its container id at the very end. */
static const char KUBEPODS[] =
	"/kubepods.slice/kubepods-burstable.slice/"
	"kubepods-burstable-pod0a1b2c3d_4e5f_6789_abcd_ef0123456789.slice/"
	"cri-containerd-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope";

/* A text field is written whole, however long: as JSON has it. */
static int test_csv_long_cgroup(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1, 0, 1);
	struct cp_cgroups cg;
	struct stream_opts opts = { .cgroups = &cg };
	struct memout c = { 0 };
	char want[512];
	int ret = 1;

	(void)arg;
	cgroups_init(&cg);
	CHECK_INT(cgroups_add(&cg, 42, KUBEPODS, strlen(KUBEPODS)), 0);
	r.cgroup_id = 42;
	snprintf(want, sizeof(want), ",%s,%s,,,,\n", KUBEPODS,
		 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	CHECK_INT(strlen(KUBEPODS), 191);
	CHECK_HAS(render(&c, opts, &r, 1), want);
	ret = 0;
fail:
	memout_close(&c);
	cgroups_free(&cg);
	return ret;
}

/*
 * A text field a spreadsheet would take for a formula (=, +, -, @ first)
 * gets a leading quote; numbers, a negative ret too, are left alone.
 */
static int test_csv_formula(const void *arg)
{
	struct connprobe_record r[4] = {
		rec_refused_v4(1, 0, 1), rec_refused_v4(1, 0, 2),
		rec_refused_v4(1, 0, 3), rec_new(1, 0, 4),
	};
	struct cp_cgroups cg;
	struct stream_opts opts = { .cgroups = &cg };
	struct memout c = { 0 };
	const char *text;
	int ret = 1;

	(void)arg;
	cgroups_init(&cg);
	CHECK_INT(cgroups_add(&cg, 7, "-2+3", 4), 0);
	rec_comm(&r[0], "=HYPERLINK(1)");
	rec_comm(&r[1], "+cmd,x");
	rec_comm(&r[2], "@SUM(A1)");
	r[2].cgroup_id = 7;
	rec_comm(&r[3], "a=b");
	rec_unix(&r[3], SOCK_STREAM, "\0x", 2);	/* abstract: "@x" */
	text = render(&c, opts, r, 4);
	CHECK_HAS(text, ",'=HYPERLINK(1),");
	/* quoted as a whole, the quote inside */
	CHECK_HAS(text, ",\"'+cmd,x\",");
	CHECK_HAS(text, ",'@SUM(A1),");
	CHECK_HAS(text, ",'-2+3,");
	/* only the first character counts */
	CHECK_HAS(text, ",a=b,");
	CHECK_HAS(text, ",'@x,,");
	/* a number stays a number */
	CHECK_HAS(text, ",-111,ECONNREFUSED,");
	ret = 0;
fail:
	memout_close(&c);
	cgroups_free(&cg);
	return ret;
}

TEST_LIST(csv_tests) = {
	{ "CSV: header is the JSON keys, rows in that order, null empty", test_csv_header_and_row },
	{ "CSV: quoting, control characters, -T time column", test_csv_quoting },
	{ "CSV: a 191-byte cgroup path whole, with its container", test_csv_long_cgroup },
	{ "CSV: text starting with = + - @ neutralised, numbers not", test_csv_formula },
	{ NULL, NULL },
};
