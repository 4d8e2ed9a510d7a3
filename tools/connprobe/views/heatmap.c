// SPDX-License-Identifier: GPL-2.0
/* The latency heat map in SVG; its text is names and numbers: no escapes. */
#include <math.h>
#include <stdlib.h>

#include "views.h"

#define CELL_W		5
#define CELL_H		10
#define LEFT		60	/* the latency labels */
#define PANEL_GAP	50	/* the title above, the time axis below */
#define WIDTH		(LEFT + HEAT_COLS * CELL_W + 20)

static void panel(struct cp_out *o, const struct cp_agg *a,
		  const struct outcome_group *e, int y, int lo, int hi)
{
	const uint32_t *g = e->heat;
	char label[OUTCOME_BUF_LEN];
	uint32_t max = 0, n;
	double f, us;
	size_t c;
	int r, ry;

	for (c = 0; c < HEAT_COLS * HEAT_ROWS; c++)
		max = g[c] > max ? g[c] : max;
	view_printf(o, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s: %llu</text>\n"
		    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n",
	     LEFT, y - 8, outcome_label(&e->g.key.oc, label, sizeof(label)),
	     e->g.st.count, LEFT, y, HEAT_COLS * CELL_W, (hi - lo + 1) * CELL_H);
	for (r = lo; r <= hi; r++) {
		ry = y + (hi - r) * CELL_H;	/* the slowest row on top */
		if ((r - lo) % 2 == 0) {
			/* 2^r us, the row's lower bound: "512us", "1.02ms" */
			us = r ? (double)(1ULL << r) : 0;
			snprintf(label, sizeof(label), us < 1000 ? "%.0fus" :
				 us < 1e6 ? "%.3gms" : "%.3gs", us < 1000 ? us :
				 us < 1e6 ? us / 1e3 : us / 1e6);
			view_printf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
			     LEFT - 4, ry + CELL_H, label);
		}
		for (c = 0; c < HEAT_COLS; c++) {
			n = g[c * HEAT_ROWS + r];
			if (!n)
				continue;
			/* light yellow to dark red, on a log scale */
			f = max > 1 ? log(n) / log(max) : 1;
			view_printf(o, "<rect x=\"%zu\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"rgb(%d,%d,%d)\"><title>%u</title></rect>\n",
			     LEFT + c * CELL_W, ry, CELL_W, CELL_H,
			     (int)(255 - f * 66), (int)(255 - f * 255),
			     (int)(204 - f * 166), n);
		}
	}
	y += (hi - lo + 1) * CELL_H + 14;
	view_printf(o, "<text x=\"%d\" y=\"%d\">0 s</text>\n"
		    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.3f s (%.3f s a column)</text>\n",
	     LEFT, y, LEFT + HEAT_COLS * CELL_W, y,
	     (double)a->heat_width_ns * HEAT_COLS / 1e9,
	     (double)a->heat_width_ns / 1e9);
}

void heatmap_print(struct cp_out *o, const struct cp_agg *a,
		   const struct view_opts *vo, const struct cp_stats *lost)
{
	const void **groups = htab_sorted(&a->outcomes.tab,
					  offsetof(struct group, st.count));
	size_t n = a->outcomes.tab.nr, i;
	int lo = a->heat_lo, hi = a->heat_hi, panel_h;

	(void)vo;
	(void)lost;
	if (!groups)
		return;
	if (hi < 0)
		lo = hi = 0;
	panel_h = (hi - lo + 1) * CELL_H + PANEL_GAP;
	view_printf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"10\">\n"
	     "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
	     "<text x=\"%d\" y=\"18\" font-size=\"13\">connect() latency by outcome: log2 buckets over time, %llu records</text>\n",
	     WIDTH, 30 + (int)n * panel_h + 10, LEFT, a->records);
	for (i = 0; i < n; i++)
		panel(o, a, groups[i], 30 + PANEL_GAP - 20 + (int)i * panel_h,
		      lo, hi);
	out_str(o, "</svg>\n");
	free(groups);
}
