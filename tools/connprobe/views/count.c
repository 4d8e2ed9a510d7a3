// SPDX-License-Identifier: GPL-2.0
/*
 * The count sink.  Keys are the addresses as text: a destination may be
 * an AF_UNIX path, and the rows are printed as text anyway.  Only the
 * CONNECT records count: a COMPLETE record ends an attempt already
 * counted.
 */
#include <stdlib.h>
#include <string.h>

#include "count.h"
#include "format.h"
#include "htab.h"
#include "text.h"

struct count_key {
	char laddr[INET6_ADDRSTRLEN];
	char raddr[UNIX_ADDR_BUF_LEN];
	int lport, rport;		/* -1: none */
};

struct count_entry {
	struct count_key key;		/* first: htab's key */
	unsigned long long connects;
};

struct count_sink {
	struct cp_sink sink;
	struct count_opts opts;
	struct cp_htab tab;
};

#define to_count(s) ((struct count_sink *)(s))

static int count_begin(struct cp_sink *s, const struct cp_source_info *info)
{
	(void)s;
	sink_say_tracing(info);
	return 0;
}

static int count_record(struct cp_sink *s, const struct connprobe_record *rec)
{
	struct count_sink *cs = to_count(s);
	struct count_entry *e;
	struct count_key k;
	unsigned int fam;
	size_t n;

	if (rec->event != CONNPROBE_EVENT_CONNECT)
		return 0;
	memset(&k, 0, sizeof(k));
	k.lport = k.rport = -1;
	if (rec_saddr_family(rec)) {
		addr_fmt(rec->family, rec->saddr, k.laddr);
		if (cs->opts.lport)
			k.lport = rec->sport;
	}
	fam = rec_daddr_family(rec);
	n = rec_daddr_fmt(rec, k.raddr);
	if (fam == AF_UNIX)	/* the caller's bytes: any but NUL */
		text_ascii(k.raddr, n, k.raddr);
	else if (fam)
		k.rport = rec->dport;
	e = htab_insert(&cs->tab, &k);
	if (!e) {
		snprintf(s->err, sizeof(s->err), "out of memory");
		return -1;
	}
	e->connects++;
	return 0;
}

/* Largest count first; equal counts in key order, for stable output. */
static int by_count(const void *a, const void *b)
{
	const struct count_entry *x = a, *y = b;

	if (x->connects != y->connects)
		return x->connects < y->connects ? 1 : -1;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

static void put_port(FILE *f, int port)
{
	if (port < 0)
		fprintf(f, " %-20s", "-");
	else
		fprintf(f, " %-20d", port);
}

/* bcc's layout: %-25s addresses, %-20s ports, %-10s count. */
static int count_end(struct cp_sink *s, const struct cp_stats *lost)
{
	struct count_sink *cs = to_count(s);
	FILE *f = cs->opts.f;
	size_t i;

	qsort(cs->tab.entries, cs->tab.nr, sizeof(struct count_entry), by_count);
	htab_reindex(&cs->tab);
	fprintf(f, "%-25s %-25s", "LADDR", "RADDR");
	if (cs->opts.lport)
		fprintf(f, " %-20s", "LPORT");
	fprintf(f, " %-20s %s\n", "RPORT", "CONNECTS");
	for (i = 0; i < cs->tab.nr; i++) {
		const struct count_entry *e = htab_entry(&cs->tab, i);

		fprintf(f, "%-25s %-25s", e->key.laddr[0] ? e->key.laddr : "-",
			e->key.raddr[0] ? e->key.raddr : "-");
		if (cs->opts.lport)
			put_port(f, e->key.lport);
		put_port(f, e->key.rport);
		fprintf(f, " %llu\n", e->connects);
	}
	if (fflush(f) || ferror(f)) {
		snprintf(s->err, sizeof(s->err), "write error on standard output");
		return -1;
	}
	sink_report_counts(s, lost);
	return 0;
}

static void count_destroy(struct cp_sink *s)
{
	htab_free(&to_count(s)->tab);
	free(s);
}

static const struct cp_sink_ops count_ops = {
	.begin = count_begin,
	.record = count_record,
	.end = count_end,
	.destroy = count_destroy,
};

struct cp_sink *count_sink_new(const struct count_opts *o)
{
	struct count_sink *cs = calloc(1, sizeof(*cs));

	if (!cs)
		return NULL;
	cs->sink.ops = &count_ops;
	cs->opts = *o;
	htab_init(&cs->tab, sizeof(struct count_key), sizeof(struct count_entry));
	return &cs->sink;
}
