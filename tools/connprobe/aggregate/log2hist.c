// SPDX-License-Identifier: GPL-2.0
/* bcc-compatible log2 histogram output (libbpf-tools trace_helpers.c). */
#include <stdio.h>

#include "log2hist.h"

#define STARS_MAX	40

void log2hist_print(struct cp_out *o, const struct cp_log2hist *h,
		    const char *unit)
{
	uint64_t val_max = 0, low, high;
	int idx_max = -1, i, width, stars, n;
	char line[160];

	for (i = 0; i < LOG2HIST_SLOTS; i++) {
		if (h->slot[i])
			idx_max = i;
		if (h->slot[i] > val_max)
			val_max = h->slot[i];
	}
	if (idx_max < 0)
		return;
	/* bcc halves the bars and doubles the ranges past 32 slots */
	stars = idx_max <= 32 ? STARS_MAX : STARS_MAX / 2;
	width = idx_max <= 32 ? 10 : 20;
	snprintf(line, sizeof(line), "%*s%-*s : count    distribution\n",
		 idx_max <= 32 ? 5 : 15, "", idx_max <= 32 ? 19 : 29, unit);
	out_str(o, line);
	for (i = 0; i <= idx_max; i++) {
		low = i ? 1ULL << i : 0;
		high = i == 63 ? UINT64_MAX : (1ULL << (i + 1)) - 1;
		snprintf(line, sizeof(line), "%*llu -> %-*llu : %-8llu |",
			 width, (unsigned long long)low, width,
			 (unsigned long long)high,
			 (unsigned long long)h->slot[i]);
		out_str(o, line);
		n = h->slot[i] * stars / val_max;
		for (int s = 0; s < stars; s++)
			out_char(o, s < n ? '*' : ' ');
		out_str(o, "|\n");
	}
}
