// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: any bytes as a capture.  A capture that parses is
 * then put through every view (table, JSON, CSV, summary, hist, prom,
 * -c, the heat map), so a record the parser lets through cannot crash a
 * renderer either.
 * Built with clang -fsanitize=fuzzer,address,undefined; run by the
 * "fuzz" test with a time bound.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capture.h"
#include "row.h"
#include "views.h"

static FILE *devnull;

/* Every view of every record; output goes to /dev/null. */
static void render_all(struct cp_capture *c, struct cp_cgroups *cg)
{
	struct stream_opts ro = { .wide = true, .wallclock = true, .cgroups = cg,
			       .realtime_offset_ns = c->hdr.realtime_offset_ns };
	static const struct agg_opts every_part = {
		.parts = AGG_GROUPS | AGG_LOG2 | AGG_PROM | AGG_FLOWS | AGG_HEAT,
		.log2_div = 1000,
	};
	struct view_opts text = { 0 }, json = { .json = true, .rows = 3 };
	const struct cp_stats *lost = c->lost_known ? &c->lost : NULL;
	static struct cp_agg sum;
	const struct connprobe_record *rec;
	uint64_t h[LOG2HIST_SLOTS] = { 0 };
	char err[512];
	struct cp_rows rows[3];
	struct cp_out o;
	int f;

	if (out_init(&o, devnull))
		return;
	agg_init(&sum, &every_part);
	for (f = FORMAT_TABLE; f <= FORMAT_CSV; f++) {
		ro.format = f;
		rows_begin(&rows[f], &o, &ro);
	}
	while ((rec = capture_next(c, err, sizeof(err)))) {
		for (f = FORMAT_TABLE; f <= FORMAT_CSV; f++)
			rows_record(&rows[f], rec);
		agg_add(&sum, rec);
		h[log2hist_slot(rec->latency_ns / 1000)]++;
	}
	summary_print(&o, &sum, &text, lost);
	summary_print(&o, &sum, &json, lost);
	prom_print(&o, &sum, &text, lost);
	hist_print(&o, &sum, &json, NULL);
	count_print(&o, &sum, &text, lost);
	heatmap_print(&o, &sum, &text, lost);
	log2hist_print(&o, h, "usecs");
	agg_free(&sum);
	out_close(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cp_capture c;
	int fd = memfd_create("connprobe-capture", MFD_CLOEXEC);
	struct cp_cgroups cg;
	char err[512], path[32];

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	cgroups_init(&cg);
	if (!capture_open(&c, path, &cg, err, sizeof(err)))
		render_all(&c, &cg);
	capture_close(&c);
	close(fd);
	cgroups_free(&cg);
	return 0;
}
