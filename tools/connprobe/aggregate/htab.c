// SPDX-License-Identifier: GPL-2.0
/* Open addressing with linear probing over an index of entry numbers. */
#define _GNU_SOURCE	/* qsort_r */
#include <stdlib.h>
#include <string.h>

#include "htab.h"

void htab_init(struct cp_htab *h, size_t key_size, size_t entry_size)
{
	*h = (struct cp_htab){ .key_size = key_size, .entry_size = entry_size };
}

void htab_free(struct cp_htab *h)
{
	free(h->entries);
	free(h->slots);
	htab_init(h, h->key_size, h->entry_size);
}

void *htab_find(const struct cp_htab *h, const void *key)
{
	uint32_t *s = h->slots ? htab_slot(h, key, h->key_size) : NULL;

	return s && *s ? htab_entry(h, *s - 1) : NULL;
}

static int grow(struct cp_htab *h)
{
	size_t n = h->slots ? (h->mask + 1) * 2 : 64, i;
	uint32_t *slots = calloc(n, sizeof(*slots));
	void *e = slots ? realloc(h->entries, n / 2 * h->entry_size) : NULL;

	if (!e) {
		free(slots);
		return -1;
	}
	free(h->slots);
	h->slots = slots;
	h->entries = e;
	h->mask = n - 1;
	for (i = 0; i < h->nr; i++)
		*htab_slot(h, htab_entry(h, i), h->key_size) = i + 1;
	return 0;
}

void *htab_insert(struct cp_htab *h, const void *key)
{
	uint32_t *s = h->slots ? htab_slot(h, key, h->key_size) : NULL;
	void *e;

	if (s && *s)
		return htab_entry(h, *s - 1);
	if ((h->nr + 1) * 2 > (h->slots ? h->mask + 1 : 0)) {
		if (grow(h))
			return NULL;
		s = htab_slot(h, key, h->key_size);
	}
	e = htab_entry(h, h->nr);
	memset(e, 0, h->entry_size);
	memcpy(e, key, h->key_size);
	*s = ++h->nr;
	return e;
}

void htab_remove(struct cp_htab *h, const void *key)
{
	uint32_t *s = h->slots ? htab_slot(h, key, h->key_size) : NULL;
	size_t i, j, home, idx;

	if (!s || !*s)
		return;
	idx = *s - 1;
	/* backward-shift deletion, so that lookups need no tombstones */
	i = s - h->slots;
	for (j = (i + 1) & h->mask; h->slots[j]; j = (j + 1) & h->mask) {
		home = hash_bytes(htab_entry(h, h->slots[j] - 1), h->key_size);
		/* may j move to i?  only if its home is not in (i, j] */
		if (((j - home) & h->mask) >= ((j - i) & h->mask)) {
			h->slots[i] = h->slots[j];
			i = j;
		}
	}
	h->slots[i] = 0;
	/* keep the entries dense: the last one moves into the hole */
	if (idx != --h->nr) {
		key = htab_entry(h, h->nr);
		*htab_slot(h, key, h->key_size) = idx + 1;
		memcpy(htab_entry(h, idx), key, h->entry_size);
	}
}

struct sort_by {
	size_t key_size, count_off;	/* count_off 0: none */
};

static int by_count_key(const void *a, const void *b, void *arg)
{
	const struct sort_by *by = arg;
	const unsigned char *x = *(void *const *)a, *y = *(void *const *)b;
	unsigned long long cx = 0, cy = 0;

	if (by->count_off) {
		cx = *(const unsigned long long *)(x + by->count_off);
		cy = *(const unsigned long long *)(y + by->count_off);
	}
	if (cx != cy)
		return cx < cy ? 1 : -1;
	return memcmp(x, y, by->key_size);
}

const void **htab_sorted(const struct cp_htab *h, size_t count_off)
{
	const void **p = malloc((h->nr + 1) * sizeof(*p));
	struct sort_by by = { h->key_size, count_off };
	size_t i;

	if (!p)
		return NULL;
	for (i = 0; i < h->nr; i++)
		p[i] = htab_entry(h, i);
	qsort_r(p, h->nr, sizeof(*p), by_count_key, &by);
	return p;
}
