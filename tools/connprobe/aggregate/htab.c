// SPDX-License-Identifier: GPL-2.0
/* Open addressing with linear probing over an index of entry numbers. */
#include <stdlib.h>
#include <string.h>

#include "htab.h"

#define MIN_SLOTS	64

uint64_t hash_bytes(const void *p, size_t n)
{
	return htab_hash(p, n);
}

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

static struct cp_htab_slot *probe(const struct cp_htab *h, const void *key,
				  uint32_t hash)
{
	return htab_probe(h, key, hash, h->key_size);
}

size_t htab_find_idx(const struct cp_htab *h, const void *key)
{
	if (!h->slots)
		return 0;
	return probe(h, key, (uint32_t)hash_bytes(key, h->key_size))->idx;
}

void *htab_find(const struct cp_htab *h, const void *key)
{
	size_t i = htab_find_idx(h, key);

	return i ? htab_entry(h, i - 1) : NULL;
}

/* Double the slots (kept at most half full) and rehash. */
static int grow_slots(struct cp_htab *h)
{
	size_t n = h->slots ? (h->mask + 1) * 2 : MIN_SLOTS, i;
	struct cp_htab_slot *old = h->slots, *s;
	size_t old_n = h->slots ? h->mask + 1 : 0;

	h->slots = calloc(n, sizeof(*h->slots));
	if (!h->slots) {
		h->slots = old;
		return -1;
	}
	h->mask = n - 1;
	for (i = 0; i < old_n; i++) {
		if (!old[i].idx)
			continue;
		s = probe(h, htab_entry(h, old[i].idx - 1), old[i].hash);
		*s = old[i];
	}
	free(old);
	return 0;
}

static int grow_entries(struct cp_htab *h)
{
	size_t cap = h->cap ? h->cap * 2 : 16;
	unsigned char *p;

	if (cap > UINT32_MAX - 1)
		return -1;
	p = realloc(h->entries, cap * h->entry_size);
	if (!p)
		return -1;
	h->entries = p;
	h->cap = cap;
	return 0;
}

size_t htab_insert_idx(struct cp_htab *h, const void *key)
{
	uint32_t hash = (uint32_t)hash_bytes(key, h->key_size);
	struct cp_htab_slot *s;
	void *e;

	if ((!h->slots || (h->nr + 1) * 2 > h->mask + 1) && grow_slots(h))
		return 0;
	s = probe(h, key, hash);
	if (s->idx)
		return s->idx;
	if (h->nr == h->cap && grow_entries(h))
		return 0;
	e = htab_entry(h, h->nr);
	memset(e, 0, h->entry_size);
	memcpy(e, key, h->key_size);
	s->idx = ++h->nr;
	s->hash = hash;
	return s->idx;
}

void *htab_insert(struct cp_htab *h, const void *key)
{
	size_t i = htab_insert_idx(h, key);

	return i ? htab_entry(h, i - 1) : NULL;
}

/* The slot that points at entry @idx (which must exist). */
static struct cp_htab_slot *slot_of(const struct cp_htab *h, size_t idx)
{
	const void *key = htab_entry(h, idx);

	return probe(h, key, (uint32_t)hash_bytes(key, h->key_size));
}

void htab_remove(struct cp_htab *h, const void *key)
{
	struct cp_htab_slot *s, *next;
	size_t i, j, want, idx, last;

	if (!h->slots)
		return;
	s = probe(h, key, (uint32_t)hash_bytes(key, h->key_size));
	if (!s->idx)
		return;
	idx = s->idx - 1;
	/*
	 * Backward-shift deletion: pull later entries of the probe run into
	 * the hole when their home slot allows, so lookups need no tombstones.
	 */
	i = s - h->slots;
	for (j = (i + 1) & h->mask;; j = (j + 1) & h->mask) {
		next = &h->slots[j];
		if (!next->idx)
			break;
		want = next->hash & h->mask;
		/* may next move to i?  only if its home is not in (i, j] */
		if (((j - want) & h->mask) >= ((j - i) & h->mask)) {
			h->slots[i] = *next;
			i = j;
		}
	}
	h->slots[i].idx = 0;
	/* keep the entries dense: move the last one into the hole */
	last = h->nr - 1;
	if (idx != last) {
		slot_of(h, last)->idx = idx + 1;
		memcpy(htab_entry(h, idx), htab_entry(h, last), h->entry_size);
	}
	h->nr--;
}

void htab_clear(struct cp_htab *h)
{
	if (h->slots)
		memset(h->slots, 0, (h->mask + 1) * sizeof(*h->slots));
	h->nr = 0;
}

void htab_reindex(struct cp_htab *h)
{
	struct cp_htab_slot *s;
	uint32_t hash;
	size_t i;

	if (!h->slots)
		return;
	memset(h->slots, 0, (h->mask + 1) * sizeof(*h->slots));
	for (i = 0; i < h->nr; i++) {
		hash = (uint32_t)hash_bytes(htab_entry(h, i), h->key_size);
		s = probe(h, htab_entry(h, i), hash);
		s->idx = i + 1;
		s->hash = hash;
	}
}
