// SPDX-License-Identifier: GPL-2.0
/* Percentiles from log-linear buckets. */
#include <math.h>

#include "latdist.h"

uint64_t latdist_bucket_max(unsigned int i)
{
	unsigned int octave, e;

	if (i < LATDIST_SUB)
		return i;
	if (i >= LATDIST_BUCKETS - 1)
		return UINT64_MAX;
	octave = i / LATDIST_SUB - 1;		/* 0 for [16, 32) */
	e = octave + LATDIST_SUB_BITS;
	/* bucket (i % 16) of [2^e, 2^(e+1)) is 2^(e-4) wide */
	return (1ULL << e) + ((uint64_t)(i % LATDIST_SUB + 1) << (e - LATDIST_SUB_BITS)) - 1;
}

uint64_t latdist_percentile(const struct cp_latdist *d, double pct)
{
	uint64_t rank, seen = 0, lo, v;
	unsigned int i;

	if (!d->count)
		return 0;
	rank = (uint64_t)ceil(pct / 100.0 * (double)d->count);
	/* the ends are known exactly */
	if (rank >= d->count)
		return d->max;
	if (rank <= 1)
		return d->min;
	for (i = 0; i < LATDIST_BUCKETS - 1; i++) {
		seen += d->bucket[i];
		if (seen >= rank)
			break;
	}
	/* the middle of the bucket: off by at most half its width */
	lo = i ? latdist_bucket_max(i - 1) + 1 : 0;
	v = lo + (latdist_bucket_max(i) - lo) / 2;
	if (v > d->max)
		v = d->max;
	if (v < d->min)
		v = d->min;
	return v;
}
