/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Latency distributions for percentiles: log-linear buckets as in
 * HdrHistogram, 16 per power of two, and a percentile reported as the
 * middle of its bucket, so it is within 1/32 (3.1 %) of the true value
 * while a group costs a fixed 2.4 KiB however many records it sees (the
 * summary has thousands of groups, hit in any order: their size is what
 * decides how often a record waits for memory).  Count, min and max are
 * exact; a bucket's count stops at 2^32 - 1.
 */
#ifndef CONNPROBE_LATDIST_H
#define CONNPROBE_LATDIST_H

#include <stdint.h>

#define LATDIST_SUB_BITS	4
#define LATDIST_SUB		(1 << LATDIST_SUB_BITS)
/* Values from 2^41 ns (37 minutes) up share the last bucket; max is exact. */
#define LATDIST_MAX_EXP		40
#define LATDIST_BUCKETS		((LATDIST_MAX_EXP - LATDIST_SUB_BITS + 2) * LATDIST_SUB)

struct cp_latdist {
	uint64_t count;
	uint64_t min;
	uint64_t max;
	uint32_t bucket[LATDIST_BUCKETS];
};

/* The bucket of @v: values below 16 have one each, then 16 per octave. */
static inline unsigned int latdist_index(uint64_t v)
{
	unsigned int e;

	if (v < LATDIST_SUB)
		return v;
	e = 63 - __builtin_clzll(v);
	if (e > LATDIST_MAX_EXP)
		return LATDIST_BUCKETS - 1;
	return (e - LATDIST_SUB_BITS + 1) * LATDIST_SUB +
	       ((v >> (e - LATDIST_SUB_BITS)) & (LATDIST_SUB - 1));
}

static inline void latdist_add(struct cp_latdist *d, uint64_t v)
{
	if (!d->count || v < d->min)
		d->min = v;
	if (v > d->max)
		d->max = v;
	d->count++;
	/* saturate rather than wrap: 4 billion samples of one bucket */
	d->bucket[latdist_index(v)] += d->bucket[latdist_index(v)] != UINT32_MAX;
}

/* The largest value bucket @i holds. */
uint64_t latdist_bucket_max(unsigned int i);

/*
 * The @pct-th percentile (0 < pct <= 100) by nearest rank: the middle of
 * the bucket holding the value of rank ceil(pct/100 * count), clamped to
 * the exact min and max; the first and last ranks are the exact min and
 * max.  0 for an empty distribution.
 */
uint64_t latdist_percentile(const struct cp_latdist *d, double pct);

#endif /* CONNPROBE_LATDIST_H */
