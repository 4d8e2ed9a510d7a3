/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A hash table of fixed-size entries keyed by their first key_size bytes:
 * the aggregator's groups and the cgroup cache.  Entries live in one dense
 * array, in the order they came, so that views walk and sort them as an
 * array and a group's index can stand for it; lookups never allocate.
 */
#ifndef CONNPROBE_HTAB_H
#define CONNPROBE_HTAB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cp_htab_slot {
	uint32_t idx;		/* entry index + 1; 0: empty */
	uint32_t hash;		/* low bits of the key's hash */
};

struct cp_htab {
	size_t key_size;
	size_t entry_size;
	unsigned char *entries;
	size_t nr;
	size_t cap;
	struct cp_htab_slot *slots;	/* at most half full */
	size_t mask;			/* number of slots - 1 */
};

void htab_init(struct cp_htab *h, size_t key_size, size_t entry_size);
void htab_free(struct cp_htab *h);

/* The entry whose key equals @key, or NULL. */
void *htab_find(const struct cp_htab *h, const void *key);

/*
 * The entry for @key, a new one (zeroed, key copied) if there was none;
 * NULL if out of memory.  Entry pointers are valid until the next insert.
 */
void *htab_insert(struct cp_htab *h, const void *key);

/* htab_insert(), as the entry's index + 1; 0 if out of memory. */
size_t htab_insert_idx(struct cp_htab *h, const void *key);

/*
 * Remove the entry for @key, if any.  The last entry moves into its
 * place: indexes of entries are stable only in a table without removes.
 */
void htab_remove(struct cp_htab *h, const void *key);

/*
 * Pointers to the entries, sorted by @cmp, to which qsort() hands
 * pointers to them; free() it; NULL if out of memory.  Views sort what
 * they show, not the table, which goes on counting (top, prom).
 */
const void **htab_sorted(const struct cp_htab *h,
			 int (*cmp)(const void *, const void *));

static inline void *htab_entry(const struct cp_htab *h, size_t i)
{
	return h->entries + i * h->entry_size;
}

/*
 * What follows is inline so that a caller with a key of constant size
 * gets hashing and compares unrolled for it: the summary looks up three
 * keys per record.
 */
static inline uint64_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = n, w;

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

/* The slot holding @key (@n bytes), or the empty slot where it would go. */
static inline struct cp_htab_slot *htab_probe(const struct cp_htab *h,
					      const void *key, uint32_t hash,
					      size_t n)
{
	struct cp_htab_slot *s;
	size_t i;

	for (i = hash & h->mask;; i = (i + 1) & h->mask) {
		s = &h->slots[i];
		if (!s->idx || (s->hash == hash &&
				!memcmp(htab_entry(h, s->idx - 1), key, n)))
			return s;
	}
}

/* The index + 1 of the entry whose key (@n bytes) equals @key; 0: none. */
static inline size_t htab_find_idx_n(const struct cp_htab *h,
				     const void *key, size_t n)
{
	return h->slots ? htab_probe(h, key, hash_bytes(key, n), n)->idx : 0;
}

#endif /* CONNPROBE_HTAB_H */
