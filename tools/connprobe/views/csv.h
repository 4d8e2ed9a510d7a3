/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records as CSV (RFC 4180 quoting, LF line ends): a header row of the
 * JSON keys, then one row per record with the same columns; null is an
 * empty field.  Control characters and invalid UTF-8 in text fields
 * become '?', so a row is always one line; a text field that starts
 * with '=', '+', '-' or '@' gets a leading "'" (no formula runs in a
 * spreadsheet).
 */
#ifndef CONNPROBE_CSV_H
#define CONNPROBE_CSV_H

#include "out.h"
#include "record_emit.h"

void csv_header(struct cp_out *o, struct emit_state *st);
void csv_record(struct cp_out *o, struct emit_state *st,
		const struct connprobe_record *rec);

#endif /* CONNPROBE_CSV_H */
