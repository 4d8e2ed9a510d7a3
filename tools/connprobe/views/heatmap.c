// SPDX-License-Identifier: GPL-2.0
/*
 * The latency heat map, as SVG: a panel per outcome (most frequent
 * first), time across, log2 latency up, a cell's colour its count on a
 * log scale from the panel's least to its most.  The text in it is
 * outcome names and numbers: nothing that XML must escape.
 */
#include <math.h>
#include <stdlib.h>

#include "views.h"

#define CELL_W		5
#define CELL_H		10
#define LEFT		60	/* the latency labels */
#define PANEL_GAP	50	/* the title above, the time axis below */
#define WIDTH		(LEFT + HEAT_COLS * CELL_W + 20)

/* The rows any panel uses, so that every panel has the same axis. */
static void rows_used(const struct cp_agg *a, int *lo, int *hi)
{
	const uint32_t *g;
	size_t i, c;
	int r;

	*lo = HEAT_ROWS;
	*hi = -1;
	for (i = 0; i < a->outcomes.tab.nr; i++)
		for (g = agg_heat(a, i), c = 0; c < HEAT_COLS; c++)
			for (r = 0; r < HEAT_ROWS; r++)
				if (g[c * HEAT_ROWS + r]) {
					*lo = r < *lo ? r : *lo;
					*hi = r > *hi ? r : *hi;
				}
}

/* 2^@row microseconds, the row's lower bound: "512us", "1.02ms". */
static void latency_label(int row, char *buf, size_t len)
{
	double us = row ? (double)(1ULL << row) : 0;

	if (us < 1000)
		snprintf(buf, len, "%.0fus", us);
	else if (us < 1e6)
		snprintf(buf, len, "%.3gms", us / 1e3);
	else
		snprintf(buf, len, "%.3gs", us / 1e6);
}

/* Light yellow to dark red, by @f from 0 to 1. */
static void colour(double f, char *buf, size_t len)
{
	snprintf(buf, len, "rgb(%d,%d,%d)", (int)(255 - f * 66),
		 (int)(255 - f * 255), (int)(204 - f * 166));
}

static void panel(FILE *f, const struct cp_agg *a, size_t i, int y,
		  int lo, int hi)
{
	const uint32_t *g = agg_heat(a, i);
	char label[OUTCOME_BUF_LEN], fill[32];
	uint32_t max = 0, n;
	double span_s = (double)a->heat_width_ns * HEAT_COLS / 1e9;
	size_t c;
	int r;

	for (c = 0; c < HEAT_COLS * HEAT_ROWS; c++)
		max = g[c] > max ? g[c] : max;
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s: %llu</text>\n",
		LEFT, y - 8, outcome_label(htab_entry(&a->outcomes.tab, i),
					   label, sizeof(label)),
		group_stats_of(&a->outcomes, i)->count);
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n",
		LEFT, y, HEAT_COLS * CELL_W, (hi - lo + 1) * CELL_H);
	for (r = lo; r <= hi; r++) {
		/* the slowest row on top */
		int ry = y + (hi - r) * CELL_H;

		if ((r - lo) % 2 == 0) {
			latency_label(r, label, sizeof(label));
			fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
				LEFT - 4, ry + CELL_H, label);
		}
		for (c = 0; c < HEAT_COLS; c++) {
			n = g[c * HEAT_ROWS + r];
			if (!n)
				continue;
			colour(max > 1 ? log(n) / log(max) : 1, fill, sizeof(fill));
			fprintf(f, "<rect x=\"%zu\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%u</title></rect>\n",
				LEFT + c * CELL_W, ry, CELL_W, CELL_H, fill, n);
		}
	}
	y += (hi - lo + 1) * CELL_H + 14;
	fprintf(f, "<text x=\"%d\" y=\"%d\">0 s</text>\n", LEFT, y);
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.3f s (%.3f s a column)</text>\n",
		LEFT + HEAT_COLS * CELL_W, y, span_s,
		(double)a->heat_width_ns / 1e9);
}

void heatmap_print(FILE *f, const struct cp_agg *a)
{
	size_t n = a->outcomes.tab.nr, i;
	size_t *idx = sorted_indexes(n, outcome_by_count, &a->outcomes);
	int lo, hi, panel_h, height;

	if (!idx)
		return;
	rows_used(a, &lo, &hi);
	if (hi < 0)
		lo = hi = 0;
	panel_h = (hi - lo + 1) * CELL_H + PANEL_GAP;
	height = 30 + (int)n * panel_h + 10;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"10\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
		"<text x=\"%d\" y=\"18\" font-size=\"13\">connect() latency by outcome: log2 buckets over time, %llu records</text>\n",
		WIDTH, height, LEFT, a->records);
	for (i = 0; i < n; i++)
		panel(f, a, idx[i], 30 + PANEL_GAP - 20 + (int)i * panel_h, lo, hi);
	fputs("</svg>\n", f);
	free(idx);
}
