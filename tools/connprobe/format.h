/* SPDX-License-Identifier: GPL-2.0 */
/* Rendering of one connprobe record as a table row or a JSON line. */
#ifndef CONNPROBE_FORMAT_H
#define CONNPROBE_FORMAT_H

#include <arpa/inet.h>
#include <stdio.h>

#include <connprobe.h>

#include "names.h"

/*
 * The printable view of a record.  Every field a validity bit does not
 * cover is NULL (or -1 for ports): the renderers print that as null or "-",
 * never as the zero the kernel left in the record.
 */
struct cp_fields {
	const char *family;
	const char *proto;
	const char *saddr;
	const char *daddr;
	int sport;
	int dport;
	const char *error;		/* NULL when ret >= 0 */

	/* storage the pointers above may point into */
	char family_buf[NAME_BUF_LEN];
	char proto_buf[NAME_BUF_LEN];
	char error_buf[NAME_BUF_LEN];
	char saddr_buf[INET6_ADDRSTRLEN];
	char daddr_buf[INET6_ADDRSTRLEN];
};

void record_fields(const struct connprobe_record *rec, struct cp_fields *f);

/*
 * Text form of the CONNPROBE_ADDR_LEN bytes at @addr for @family (AF_INET
 * uses the first 4), or NULL for families without an address rendering.
 */
const char *addr_str(unsigned int family, const __u8 *addr,
		     char *buf, size_t len);

void print_table_header(FILE *f);

/* One row; TIME(s) is counted from @base_ns, the first record's ts_ns. */
void print_table_row(FILE *f, const struct connprobe_record *rec,
		     __u64 base_ns);

/* One JSON object and a newline (JSON Lines). */
void print_json_record(FILE *f, const struct connprobe_record *rec);

#endif /* CONNPROBE_FORMAT_H */
