/* SPDX-License-Identifier: GPL-2.0 */
/* Entries keyed by their first key_size bytes, dense in one array: an index names one. */
#ifndef CONNPROBE_HTAB_H
#define CONNPROBE_HTAB_H

#include <stdint.h>
#include <string.h>

struct cp_htab {
	size_t key_size;
	size_t entry_size;
	unsigned char *entries;	/* room for half the slots */
	size_t nr;
	uint32_t *slots;	/* entry index + 1, 0: empty; at most half full */
	size_t mask;		/* number of slots - 1 */
};

void htab_init(struct cp_htab *h, size_t key_size, size_t entry_size);
/* Frees the memory; the table stays usable, empty. */
void htab_free(struct cp_htab *h);
void *htab_find(const struct cp_htab *h, const void *key);
/* @key's entry, new and zeroed if need be; NULL if out of memory. */
void *htab_insert(struct cp_htab *h, const void *key);
/* The last entry moves into the removed one's place. */
void htab_remove(struct cp_htab *h, const void *key);
/* Pointers to free(), largest count at @count_off (0: none) first, then key. */
const void **htab_sorted(const struct cp_htab *h, size_t count_off);

static inline void *htab_entry(const struct cp_htab *h, size_t i)
{
	return h->entries + i * h->entry_size;
}

/* Inline: a caller's constant key size unrolls hashing and compares. */
static inline uint64_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = n, w = 0;

	for (; n >= 8; n -= 8, b += 8) {
		memcpy(&w, b, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	if (n) {
		w = 0;
		memcpy(&w, b, n);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	}
	/* splitmix64's finalizer: every input bit reaches every output bit */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

/* The slot of @key (@n bytes), or the empty one where it would go. */
static inline uint32_t *htab_slot(const struct cp_htab *h, const void *key,
				  size_t n)
{
	size_t i = hash_bytes(key, n) & h->mask;

	while (h->slots[i] && memcmp(htab_entry(h, h->slots[i] - 1), key, n))
		i = (i + 1) & h->mask;
	return &h->slots[i];
}

#endif /* CONNPROBE_HTAB_H */
