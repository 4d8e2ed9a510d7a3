// SPDX-License-Identifier: GPL-2.0
/* --in-progress: only the connects whose attempt never ended. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "views.h"
#include "fixtures.h"
#include "runner.h"

/* A sink that keeps the ids of what it is given, in order. */
struct collect {
	struct cp_sink sink;
	__u64 ids[8];
	int n;
	bool ended;
};

static int c_begin(struct cp_sink *s, const struct cp_source_info *info)
{
	(void)s;
	(void)info;
	return 0;
}

static int c_record(struct cp_sink *s, const struct connprobe_record *rec)
{
	struct collect *c = (struct collect *)s;

	if (c->n < 8)
		c->ids[c->n++] = rec->id;
	return 0;
}

static int c_end(struct cp_sink *s, const struct cp_stats *lost)
{
	(void)lost;
	((struct collect *)s)->ended = true;
	return 0;
}

static void c_destroy(struct cp_sink *s)
{
	(void)s;	/* on the test's stack */
}

static const struct cp_sink_ops collect_ops = {
	.begin = c_begin, .record = c_record, .end = c_end, .destroy = c_destroy,
};

/* A connect by "curl" with @id that returned @ret at @ts_ns. */
static struct connprobe_record connect_rec(__u64 ts_ns, __u64 id, __s32 ret)
{
	struct connprobe_record r = rec_refused_v4(ts_ns, 0, ts_ns);

	r.id = id;
	r.ret = ret;
	return r;
}

static int test_only_unended(const void *arg)
{
	struct collect c = { .sink.ops = &collect_ops };
	struct connprobe_record r[6];
	struct cp_source_info info = { 0 };
	struct view_opts vo = { .view = AV_IN_PROGRESS, .stream = &c.sink,
				.f = stdout };
	struct cp_sink *s = view_sink_new(&vo);
	int i, ret = 1;

	(void)arg;
	CHECK(s != NULL);
	r[0] = connect_rec(30, 7, -EINPROGRESS);	/* ends below */
	r[1] = connect_rec(20, 8, -EINPROGRESS);	/* never ends */
	r[2] = connect_rec(40, 9, -512);		/* interrupted, never ends */
	r[3] = connect_rec(50, 10, -ECONNREFUSED);	/* over in the call */
	r[4] = connect_rec(60, 11, 0);			/* over in the call */
	r[5] = rec_complete(&r[0], 0, 100);
	CHECK_INT(s->ops->begin(s, &info), 0);
	for (i = 0; i < 6; i++)
		CHECK_INT(s->ops->record(s, &r[i]), 0);
	CHECK_INT(c.n, 0);	/* nothing before the end */
	CHECK_INT(s->ops->end(s, NULL), 0);
	CHECK(c.ended);
	/* the two never ended, oldest first */
	CHECK_INT(c.n, 2);
	CHECK_INT(c.ids[0], 8);
	CHECK_INT(c.ids[1], 9);
	ret = 0;
fail:
	sink_destroy(s);
	return ret;
}

TEST_LIST(in_progress_tests) = {
	{ "--in-progress: only connects whose attempt never ended, oldest first", test_only_unended },
	{ NULL, NULL },
};
