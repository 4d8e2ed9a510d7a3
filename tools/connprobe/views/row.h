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
#include "format.h"

enum table_col {
	COL_TIME, COL_PID, COL_TID, COL_UID, COL_COMM, COL_CONTAINER,
	COL_FAM, COL_PROTO, COL_SADDR, COL_SPORT, COL_DADDR, COL_DPORT,
	COL_RESULT, COL_LAT, NR_TABLE_COLS,
};

enum cp_format { FORMAT_TABLE, FORMAT_JSON, FORMAT_CSV };

/* The record stream of trace and report: how its rows look. */
struct stream_opts {
	enum cp_format format;
	bool wallclock;		/* -T: local TIME; "time" (UTC) in JSON, CSV */
	bool wide;		/* -w */
	bool print_uid;		/* -U */
	/* for CONTAINER, "cgroup" and "container"; may be NULL */
	struct cp_cgroups *cgroups;
	FILE *f;		/* where rows go */
	long long realtime_offset_ns;	/* the source's, set at its start */
};

#define MEMO_MAX	1024

/* The rows of one stream, in one of the formats. */
struct cp_rows {
	struct cp_out *out;
	struct stream_opts opts;
	bool shown[NR_TABLE_COLS];
	unsigned int width[NR_TABLE_COLS];
	/* where the next column starts, from the row's start */
	unsigned int stop[NR_TABLE_COLS];
	bool have_base;
	unsigned long long base_ns;	/* ts_ns of the first row */
	struct cp_timecache clock;	/* -T's last second */
	/* JSON's and CSV's last row, cut around what changes (put_row()) */
	__u32 task[2];			/* the last record's pid and tid */
	struct connprobe_record key;
	unsigned short len;		/* memo[]'s; 0: none */
	unsigned short cut[12];		/* the marks in memo[] */
	unsigned short piece[6];	/* lengths from mark 2k to 2k + 1 */
	const char *cg_path;		/* the cgroup path memo[] shows */
	char memo[MEMO_MAX + 32];	/* 32: put_cut() copies past the end */
	__u32 netns, netns_len;		/* "netns" as last written: */
	char netns_text[16];		/* a host has few */
};

/* Set @r up, and print the header of the table or of the CSV. */
void rows_begin(struct cp_rows *r, struct cp_out *out,
		const struct stream_opts *opts);

/*
 * One row.  The table's TIME(s) counts from the first row's time; a
 * COMPLETE record's time there is when its attempt ended.
 */
void rows_record(struct cp_rows *r, const struct connprobe_record *rec);

#endif /* CONNPROBE_ROW_H */
