// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: any bytes as a capture.  A capture that parses is
 * then put through every view (table, JSON, CSV, summary, hist, prom),
 * so a record the parser lets through cannot crash a renderer either.
 * Built with clang -fsanitize=fuzzer,address,undefined; run by the
 * "fuzz" test with a time bound.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "capture_read.h"
#include "csv.h"
#include "jsonl.h"
#include "views.h"
#include "table.h"

static FILE *devnull;

/* Every view of every record; output goes to /dev/null. */
static void render_all(struct cp_capture *c, struct cp_cgroups *cg)
{
	struct table_opts topts = { .wide = true, .wallclock = true, .cgroups = cg,
				    .realtime_offset_ns = c->hdr.realtime_offset_ns };
	struct emit_state st = { .opts = { .wallclock = true, .cgroups = cg,
		.realtime_offset_ns = c->hdr.realtime_offset_ns } };
	static const struct agg_opts every_part = {
		.parts = AGG_GROUPS | AGG_LOG2 | AGG_PROM | AGG_FLOWS,
		.log2_div = 1000,
	};
	static struct cp_agg sum;
	const struct connprobe_record *rec;
	struct cp_log2hist h = { 0 };
	char err[512];
	struct cp_table t;
	struct cp_out o;

	if (out_init(&o, devnull))
		return;
	agg_init(&sum, &every_part);
	table_init(&t, &o, &topts);
	csv_header(&o, &st);
	while ((rec = capture_next(c, err, sizeof(err)))) {
		table_row(&t, rec);
		jsonl_record(&o, &st, rec);
		csv_record(&o, &st, rec);
		agg_add(&sum, rec);
		log2hist_add(&h, rec->latency_ns / 1000);
	}
	summary_print_table(&o, &sum, 0, c->lost_known ? &c->lost : NULL);
	summary_print_json(&o, &sum, 3, c->lost_known ? &c->lost : NULL);
	prom_print(&o, &sum, c->lost_known ? &c->lost : NULL);
	hist_print(&o, &sum, "usecs", true, NULL);
	count_print(&o, &sum);
	log2hist_print(&o, &h, "usecs");
	agg_free(&sum);
	out_close(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cp_capture c;
	struct cp_cgroups cg;
	char err[512];

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	cgroups_init(&cg);
	if (!capture_parse(&c, data, size, &cg, err, sizeof(err)))
		render_all(&c, &cg);
	capture_close(&c);
	cgroups_free(&cg);
	return 0;
}
