// SPDX-License-Identifier: GPL-2.0
/* CSV: header of the JSON keys, quoting, nulls. */
#include <string.h>

#include "../csv.h"
#include "fixtures.h"
#include "runner.h"

static const char HEADER[] =
	"event,ts_ns,cpu,pid,tid,comm,family,proto,saddr,sport,daddr,dport,"
	"ret,error,latency_ns,seq,fd,id,uid,cgroup_id,netns,via,caller_error,"
	"cgroup,container,abandoned,signal,daddr_changed,fd_changed";

static const char *render(struct memout *c, struct emit_opts opts,
			  const struct connprobe_record *recs, size_t n)
{
	struct emit_state st = { .opts = opts };
	struct cp_out *o = memout_out(c);
	size_t i;

	if (!o)
		return NULL;
	csv_header(o, &st);
	for (i = 0; i < n; i++)
		csv_record(o, &st, &recs[i]);
	return memout_text(c);
}

static int test_csv_header_and_row(const void *arg)
{
	struct connprobe_record r[2] = {
		rec_refused_v4(1500000000, 2, 7), rec_new(9, 1, 1),
	};
	struct emit_opts opts = { 0 };
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
	struct emit_opts opts = {
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

TEST_LIST(csv_tests) = {
	{ "CSV: header is the JSON keys, rows in that order, null empty", test_csv_header_and_row },
	{ "CSV: quoting, control characters, -T time column", test_csv_quoting },
	{ NULL, NULL },
};
