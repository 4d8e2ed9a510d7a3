/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A record as one line of JSON (JSON Lines) or of CSV: the same keys in
 * the same order.  The keys of the first format (event ... fd) come
 * first and keep their order; newer keys follow.  CSV (RFC 4180 quoting,
 * LF line ends) has a header row of the keys and null as an empty field;
 * control characters and invalid UTF-8 in its text fields become '?', so
 * a row is always one line, and a text field that starts with '=', '+',
 * '-' or '@' gets a leading "'" (no formula runs in a spreadsheet).
 */
#ifndef CONNPROBE_JSONL_H
#define CONNPROBE_JSONL_H

#include <stdbool.h>

#include <connprobe.h>

#include "cgroup.h"
#include "format.h"
#include "out.h"
#include "timefmt.h"

struct emit_opts {
	bool wallclock;			/* add "time" (RFC 3339, UTC) */
	long long realtime_offset_ns;
	struct cp_cgroups *cgroups;	/* for "cgroup", "container"; may be NULL */
};

/* The longest "cgroup" and "container" text remembered. */
#define CGROUP_TEXT_MAX	1024

struct emit_state {
	struct emit_opts opts;
	struct cp_timecache utc;
	struct row_memo memo[2];	/* CSV's, JSON's */
	/*
	 * The "cgroup" and "container" values of the last record's cgroup
	 * as written: the records of a task share its cgroup, and escaping
	 * its path costs more than the rest of the row.
	 */
	__u64 cgroup_id;
	bool cgroup_json;
	unsigned short cgroup_len;	/* 0: nothing remembered */
	char cgroup_text[CGROUP_TEXT_MAX];
};

void jsonl_record(struct cp_out *o, struct emit_state *st,
		  const struct connprobe_record *rec);

void csv_header(struct cp_out *o, struct emit_state *st);
void csv_record(struct cp_out *o, struct emit_state *st,
		const struct connprobe_record *rec);

#endif /* CONNPROBE_JSONL_H */
