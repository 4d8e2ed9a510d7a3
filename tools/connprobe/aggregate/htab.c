// SPDX-License-Identifier: GPL-2.0
/* Open addressing with linear probing over an index of entry numbers. */
#include <stdlib.h>
#include <string.h>

#include "htab.h"

#define MIN_SLOTS	64

void htab_init(struct cp_htab *h, size_t key_size, size_t entry_size)
{
	memset(h, 0, sizeof(*h));
	h->key_size = key_size;
	h->entry_size = entry_size;
}

void htab_free(struct cp_htab *h)
{
	free(h->entries);
	free(h->slots);
	htab_init(h, h->key_size, h->entry_size);
}

/*
 * The slot holding @key, or the empty slot where it would go.  Not
 * inline: htab_find() on an empty table (no cgroups known, per record)
 * then returns without saving the registers this needs.
 */
static __attribute__((noinline))
struct cp_htab_slot *slot_of(const struct cp_htab *h, const void *key)
{
	return htab_probe(h, key, hash_bytes(key, h->key_size), h->key_size);
}

void *htab_find(const struct cp_htab *h, const void *key)
{
	struct cp_htab_slot *s;

	if (!h->slots)	/* empty (no cgroups known): no hashing */
		return NULL;
	s = slot_of(h, key);
	return s->idx ? htab_entry(h, s->idx - 1) : NULL;
}

/* Twice the slots, or the first ones; the entries hashed into them. */
static int grow(struct cp_htab *h)
{
	size_t old_n = h->slots ? h->mask + 1 : 0, i;
	size_t n = old_n ? old_n * 2 : MIN_SLOTS;
	struct cp_htab_slot *old = h->slots;

	h->slots = calloc(n, sizeof(*h->slots));
	if (!h->slots) {
		h->slots = old;
		return -1;
	}
	h->mask = n - 1;
	for (i = 0; i < old_n; i++)
		if (old[i].idx)
			*htab_probe(h, htab_entry(h, old[i].idx - 1),
				    old[i].hash, h->key_size) = old[i];
	free(old);
	return 0;
}

size_t htab_insert_idx(struct cp_htab *h, const void *key)
{
	uint32_t hash = hash_bytes(key, h->key_size);
	size_t cap = h->cap ? h->cap * 2 : 16;
	struct cp_htab_slot *s;
	unsigned char *p;

	if ((h->nr + 1) * 2 > (h->slots ? h->mask + 1 : 0) && grow(h))
		return 0;
	s = htab_probe(h, key, hash, h->key_size);
	if (s->idx)
		return s->idx;
	if (h->nr == h->cap) {
		p = cap < UINT32_MAX ? realloc(h->entries, cap * h->entry_size)
				     : NULL;
		if (!p)
			return 0;
		h->entries = p;
		h->cap = cap;
	}
	p = htab_entry(h, h->nr);
	memset(p, 0, h->entry_size);
	memcpy(p, key, h->key_size);
	s->idx = ++h->nr;
	s->hash = hash;
	return s->idx;
}

void *htab_insert(struct cp_htab *h, const void *key)
{
	size_t i = htab_insert_idx(h, key);

	return i ? htab_entry(h, i - 1) : NULL;
}

void htab_remove(struct cp_htab *h, const void *key)
{
	struct cp_htab_slot *s;
	size_t i, j, idx, last = h->nr - 1;

	if (!h->slots || !(s = slot_of(h, key))->idx)
		return;
	idx = s->idx - 1;
	/*
	 * Backward-shift deletion: pull later slots of the probe run into
	 * the hole when their home slot allows, so lookups need no tombstones.
	 */
	i = s - h->slots;
	for (j = (i + 1) & h->mask; h->slots[j].idx; j = (j + 1) & h->mask) {
		/* may j move to i?  only if its home is not in (i, j] */
		if (((j - h->slots[j].hash) & h->mask) >= ((j - i) & h->mask)) {
			h->slots[i] = h->slots[j];
			i = j;
		}
	}
	h->slots[i].idx = 0;
	/* keep the entries dense: the last one moves into the hole */
	if (idx != last) {
		key = htab_entry(h, last);
		slot_of(h, key)->idx = idx + 1;
		memcpy(htab_entry(h, idx), key, h->entry_size);
	}
	h->nr--;
}

const void **htab_sorted(const struct cp_htab *h,
			 int (*cmp)(const void *, const void *))
{
	const void **p = malloc((h->nr + 1) * sizeof(*p));
	size_t i;

	if (!p)
		return NULL;
	for (i = 0; i < h->nr; i++)
		p[i] = htab_entry(h, i);
	qsort(p, h->nr, sizeof(*p), cmp);
	return p;
}
