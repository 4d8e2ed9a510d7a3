// SPDX-License-Identifier: GPL-2.0
/* log2 histograms (bcc's layout) and log-linear percentiles. */
#include <stdlib.h>

#include "views.h"
#include "fixtures.h"
#include "runner.h"

static int test_log2_slots(const void *arg)
{
	(void)arg;
	/* slot 0 holds 0 and 1, slot i holds [2^i, 2^(i+1)) */
	CHECK_INT(log2hist_slot(0), 0);
	CHECK_INT(log2hist_slot(1), 0);
	CHECK_INT(log2hist_slot(2), 1);
	CHECK_INT(log2hist_slot(3), 1);
	CHECK_INT(log2hist_slot(4), 2);
	CHECK_INT(log2hist_slot(1023), 9);
	CHECK_INT(log2hist_slot(1024), 10);
	CHECK_INT(log2hist_slot(~0ULL), 63);
	return 0;
fail:
	return 1;
}

static int test_log2_print_like_bcc(const void *arg)
{
	uint64_t h[LOG2HIST_SLOTS] = { 0 };
	struct memout c = { 0 };
	struct cp_out *o = memout_out(&c);
	int ret = 1;

	(void)arg;
	CHECK(o);
	h[1] = 2;
	h[3] = 8;
	h[4] = 3;
	log2hist_print(o, h, "usecs");
	/* print_log2_hist() of libbpf-tools, byte for byte */
	CHECK_STR(memout_text(&c),
		  "     usecs               : count    distribution\n"
		  "         0 -> 1          : 0        |                                        |\n"
		  "         2 -> 3          : 2        |**********                              |\n"
		  "         4 -> 7          : 0        |                                        |\n"
		  "         8 -> 15         : 8        |****************************************|\n"
		  "        16 -> 31         : 3        |***************                         |\n");
	ret = 0;
fail:
	memout_close(&c);
	return ret;
}

static int test_log2_wide_ranges(const void *arg)
{
	uint64_t h[LOG2HIST_SLOTS] = { 0 };
	struct memout c = { 0 };
	struct cp_out *o = memout_out(&c);
	const char *text;
	int ret = 1;

	(void)arg;
	CHECK(o);
	h[40] = 1;
	log2hist_print(o, h, "usecs");
	log2hist_print(o, (uint64_t[LOG2HIST_SLOTS]){ 0 }, "usecs");	/* empty: nothing */
	text = memout_text(&c);
	/* past slot 32, bcc widens the ranges and halves the bars */
	CHECK(!strncmp(text, "               usecs                         : count    distribution\n", 69));
	CHECK_HAS(text, "\n       1099511627776 -> 2199023255551        : 1        |********************|\n");
	ret = 0;
fail:
	memout_close(&c);
	return ret;
}

static int test_latdist_buckets(const void *arg)
{
	uint64_t v;

	(void)arg;
	/* exact below 32, then 16 buckets per octave, each value in its own */
	for (v = 0; v < 100000; v += v < 64 ? 1 : 997) {
		unsigned int i = latdist_index(v);

		CHECK(latdist_bucket_max(i) >= v);
		CHECK(i == 0 || latdist_bucket_max(i - 1) < v);
	}
	CHECK_INT(latdist_bucket_max(latdist_index(31)), 31);
	CHECK_INT(latdist_index(1ULL << 60), LATDIST_BUCKETS - 1);
	return 0;
fail:
	return 1;
}

static int test_percentiles(const void *arg)
{
	struct cp_latdist *d = calloc(1, sizeof(*d));
	uint64_t v, p50, p99;
	int ret = 1;

	(void)arg;
	CHECK(d);
	CHECK_INT(latdist_percentile(d, 50), 0);	/* empty */
	/* 1..100000 us: p50 is 50 ms, p99 99 ms, each within 1/32 */
	for (v = 1; v <= 100000; v++)
		latdist_add(d, v * 1000);
	p50 = latdist_percentile(d, 50);
	p99 = latdist_percentile(d, 99);
	CHECK(p50 >= 50000000 - 50000000 / 32 && p50 <= 50000000 + 50000000 / 32);
	CHECK(p99 >= 99000000 - 99000000 / 32 && p99 <= 99000000 + 99000000 / 32);
	CHECK_INT(latdist_percentile(d, 100), 100000000);	/* the exact max */
	CHECK_INT(d->min, 1000);
	CHECK_INT(d->count, 100000);
	/* one sample: every percentile is that sample */
	memset(d, 0, sizeof(*d));
	latdist_add(d, 123456789);
	CHECK_INT(latdist_percentile(d, 50), 123456789);
	CHECK_INT(latdist_percentile(d, 99), 123456789);
	ret = 0;
fail:
	free(d);
	return ret;
}

/* hist's outcomes are what the caller got: EINTR, not ERESTARTSYS. */
static int test_hist_caller_view(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1, 0, 1);
	struct cp_source_info info = { 0 };
	struct memout c = { 0 };
	struct view_opts ho = { .view = AV_HIST, .f = memout_open(&c) };
	struct cp_sink *s = view_sink_new(&ho);
	const char *text;
	int ret = 1;

	(void)arg;
	CHECK(ho.f && s);
	CHECK_INT(s->ops->begin(s, &info), 0);
	r.ret = -512;
	CHECK_INT(s->ops->record(s, &r), 0);
	r.ret = -516;
	CHECK_INT(s->ops->record(s, &r), 0);
	CHECK_INT(s->ops->end(s, NULL), 0);
	text = memout_text(&c);
	CHECK_HAS(text, "outcome = EINTR\n");
	CHECK_HAS(text, " : 2        |");
	CHECK(!strstr(text, "ERESTART"));
	ret = 0;
fail:
	sink_destroy(s);
	memout_close(&c);
	return ret;
}

TEST_LIST(hist_tests) = {
	{ "log2 slots: 0 and 1 in slot 0, then powers of two", test_log2_slots },
	{ "log2 histogram printed as bcc prints it", test_log2_print_like_bcc },
	{ "log2 histogram past slot 32: wide ranges, half bars", test_log2_wide_ranges },
	{ "latency buckets: every value in the bucket that holds it", test_latdist_buckets },
	{ "percentiles within 1/32, max exact", test_percentiles },
	{ "hist: outcomes as the caller got them (EINTR)", test_hist_caller_view },
	{ NULL, NULL },
};
