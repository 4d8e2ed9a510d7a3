// SPDX-License-Identifier: GPL-2.0
/* Sorting indexes into an aggregator's table. */
#define _GNU_SOURCE	/* qsort_r */
#include <stdlib.h>
#include <string.h>

#include "views.h"

struct by {
	index_cmp cmp;
	const void *ctx;
};

static int by_index(const void *a, const void *b, void *arg)
{
	const struct by *by = arg;

	return by->cmp(*(const size_t *)a, *(const size_t *)b, by->ctx);
}

size_t *sorted_indexes(size_t n, index_cmp cmp, const void *ctx)
{
	size_t *idx = malloc((n + 1) * sizeof(*idx)), i;
	struct by by = { cmp, ctx };

	if (!idx)
		return NULL;
	for (i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(*idx), by_index, &by);
	return idx;
}

int outcome_by_count(size_t i, size_t j, const void *outcomes)
{
	const struct group_table *t = outcomes;
	unsigned long long x = group_stats_of(t, i)->count,
			   y = group_stats_of(t, j)->count;

	if (x != y)
		return x < y ? 1 : -1;
	return memcmp(htab_entry(&t->tab, i), htab_entry(&t->tab, j),
		      sizeof(struct cp_outcome));
}
