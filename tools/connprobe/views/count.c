// SPDX-License-Identifier: GPL-2.0
/* -c: tcpconnect's count table (bcc's layout), from the aggregator's flows. */
#include <stdlib.h>

#include "views.h"

static const char *port_str(char *buf, int port)
{
	snprintf(buf, 16, "%d", port);
	return port < 0 ? "-" : buf;
}

void count_print(struct cp_out *o, const struct cp_agg *a,
		 const struct view_opts *vo, const struct cp_stats *lost)
{
	const void **flows = htab_sorted(&a->flows,
					 offsetof(struct flow, connects));
	const struct flow *f;
	char port[16];
	size_t i;

	(void)lost;
	view_printf(o, "%-25s %-25s %-*s%-20s CONNECTS\n", "LADDR", "RADDR",
		    vo->lport ? 21 : 0, vo->lport ? "LPORT" : "", "RPORT");
	for (i = 0; flows && i < a->flows.nr; i++) {
		f = flows[i];
		view_printf(o, "%-25s %-25s ", f->key.laddr[0] ? f->key.laddr :
			    "-", f->key.raddr[0] ? f->key.raddr : "-");
		if (vo->lport)
			view_printf(o, "%-20s ", port_str(port, f->key.lport));
		view_printf(o, "%-20s %llu\n", port_str(port, f->key.rport),
			    f->connects);
	}
	free(flows);
}
