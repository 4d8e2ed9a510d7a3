/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One record as one line: a table row, CSV or JSON (JSON Lines).
 *
 * The table (trace, report) has its header printed once and its columns
 * where the header says, row after row.  Address columns are as wide as
 * the longest IPv4 address, as bcc's are, and a longer address keeps its
 * tail after ".."; -w (wide) makes them as wide as the longest IPv6
 * address and adds the UID and CONTAINER columns.  Any other value longer
 * than its column pushes the next cells right until one has room to
 * spare.
 *
 * JSON and CSV have the same keys in the same order: those of the first
 * format (event ... fd) first, newer keys after.  CSV (RFC 4180 quoting,
 * LF line ends) has a header row of the keys and null as an empty field;
 * control characters and invalid UTF-8 in its text fields become '?', so
 * a row is always one line, and a text field that starts with '=', '+',
 * '-' or '@' gets a leading "'" (no formula runs in a spreadsheet).
 */
#ifndef CONNPROBE_ROW_H
#define CONNPROBE_ROW_H

#include <stdbool.h>

#include <connprobe.h>

#include "cgroup.h"
#include "out.h"
#include "timefmt.h"

enum table_col {
	COL_TIME, COL_PID, COL_TID, COL_UID, COL_COMM, COL_CONTAINER,
	COL_FAM, COL_PROTO, COL_SADDR, COL_SPORT, COL_DADDR, COL_DPORT,
	COL_RESULT, COL_LAT, NR_TABLE_COLS,
};

struct table_opts {
	bool wallclock;		/* -T: TIME is the local time of day */
	bool wide;		/* -w */
	bool print_uid;		/* -U */
	long long realtime_offset_ns;
	struct cp_cgroups *cgroups;	/* for CONTAINER; may be NULL */
};

struct cp_table {
	struct cp_out *out;
	struct table_opts opts;
	bool shown[NR_TABLE_COLS];
	unsigned int width[NR_TABLE_COLS];
	/* where the next column starts, from the row's start */
	unsigned int stop[NR_TABLE_COLS];
	bool have_base;
	unsigned long long base_ns;	/* ts_ns of the first row */
	struct cp_timecache clock;
};

void table_init(struct cp_table *t, struct cp_out *out,
		const struct table_opts *opts);
void table_header(struct cp_table *t);

/*
 * One row; TIME(s) counts from the first row's time.  A COMPLETE record's
 * time is when its attempt ended (ts_ns + latency_ns).
 */
void table_row(struct cp_table *t, const struct connprobe_record *rec);

struct emit_opts {
	bool wallclock;			/* add "time" (RFC 3339, UTC) */
	long long realtime_offset_ns;
	struct cp_cgroups *cgroups;	/* for "cgroup", "container"; may be NULL */
};

struct emit_state {
	struct emit_opts opts;
	struct cp_timecache utc;
};

void jsonl_record(struct cp_out *o, struct emit_state *st,
		  const struct connprobe_record *rec);

void csv_header(struct cp_out *o, struct emit_state *st);
void csv_record(struct cp_out *o, struct emit_state *st,
		const struct connprobe_record *rec);

#endif /* CONNPROBE_ROW_H */
