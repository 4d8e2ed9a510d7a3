// SPDX-License-Identifier: GPL-2.0
/* -c: tcpconnect's count table, from the aggregator's flows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "views.h"

/* Largest count first; equal counts in key order, for stable output. */
static int by_count(const void *a, const void *b)
{
	const struct flow *x = *(void *const *)a, *y = *(void *const *)b;

	if (x->connects != y->connects)
		return x->connects < y->connects ? 1 : -1;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

/* bcc's layout: %-25s addresses, %-20s ports, %-10s count. */
static void col(struct cp_out *o, const char *s, size_t width)
{
	out_col(o, s[0] ? s : "-", s[0] ? strlen(s) : 1, width);
}

static void port_col(struct cp_out *o, int port)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%d", port);
	col(o, port < 0 ? "" : buf, 20);
}

void count_print(struct cp_out *o, const struct cp_agg *a,
		 const struct view_opts *vo, const struct cp_stats *lost)
{
	const void **flows = htab_sorted(&a->flows, by_count);
	const struct flow *f;
	size_t i;

	(void)lost;
	if (!flows)
		return;
	col(o, "LADDR", 25);
	col(o, "RADDR", 25);
	if (vo->lport)
		col(o, "LPORT", 20);
	col(o, "RPORT", 20);
	out_str(o, "CONNECTS\n");
	for (i = 0; i < a->flows.nr; i++) {
		f = flows[i];
		col(o, f->key.laddr, 25);
		col(o, f->key.raddr, 25);
		if (vo->lport)
			port_col(o, f->key.lport);
		port_col(o, f->key.rport);
		out_u64(o, f->connects);
		out_char(o, '\n');
	}
	free(flows);
}
