/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A hash table of fixed-size entries keyed by their first key_size bytes:
 * the groups of summary, hist and prom, and the cgroup cache.  Entries
 * live in one array (cheap to walk and sort); lookups never allocate, so
 * a record that hits an existing group costs no allocation.
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
	struct cp_htab_slot *slots;
	size_t mask;		/* number of slots - 1 */
};

/* A fast 64-bit hash of @n bytes (not for adversarial collision needs). */
uint64_t hash_bytes(const void *p, size_t n);

void htab_init(struct cp_htab *h, size_t key_size, size_t entry_size);
void htab_free(struct cp_htab *h);

/* The entry whose key equals @key, or NULL. */
void *htab_find(const struct cp_htab *h, const void *key);

/*
 * The entry for @key; a new one (zeroed, key copied) if there was none.
 * NULL if out of memory.  Pointers to entries are valid until the next
 * insert.
 */
void *htab_insert(struct cp_htab *h, const void *key);

/* htab_insert(), as the entry's index + 1; 0 if out of memory. */
size_t htab_insert_idx(struct cp_htab *h, const void *key);

/* htab_find(), as the entry's index + 1; 0 if there is none. */
size_t htab_find_idx(const struct cp_htab *h, const void *key);

/*
 * Remove the entry for @key, if any.  The last entry moves into its place,
 * so entry indexes and pointers are valid only until the next remove.
 */
void htab_remove(struct cp_htab *h, const void *key);

/* Rebuild the index after the entries were reordered (sorted). */
void htab_reindex(struct cp_htab *h);

/* Forget every entry, keeping the memory. */
void htab_clear(struct cp_htab *h);

static inline void *htab_entry(const struct cp_htab *h, size_t i)
{
	return h->entries + i * h->entry_size;
}

/*
 * memcmp() is a call per lookup, longer than the compare for the short
 * keys here: compare words inline when the key is a whole number of them.
 */
static inline int htab_keys_equal(const void *a, const void *b, size_t n)
{
	uint64_t x, y;
	size_t i;

	if (n % 8)
		return !memcmp(a, b, n);
	for (i = 0; i < n; i += 8) {
		memcpy(&x, (const char *)a + i, 8);
		memcpy(&y, (const char *)b + i, 8);
		if (x != y)
			return 0;
	}
	return 1;
}

/*
 * What follows is inline so that a caller with a key of constant size
 * gets hashing and compares unrolled for it: the summary looks up three
 * keys per record.  hash_bytes() and the functions above are these with
 * the size known only at run time.
 */
static inline uint64_t htab_mix(uint64_t h)
{
	/* splitmix64's finalizer: every input bit reaches every output bit */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

/* One 8-byte word into the hash. */
static inline uint64_t htab_hash_word(uint64_t h, const unsigned char *b)
{
	uint64_t w;

	memcpy(&w, b, 8);
	h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

static inline uint64_t htab_hash(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = n, w;

	for (; n >= 8; n -= 8, b += 8)
		h = htab_hash_word(h, b);
	if (n) {
		w = 0;
		memcpy(&w, b, n);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	}
	return htab_mix(h);
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
		if (!s->idx)
			return s;
		if (s->hash == hash &&
		    htab_keys_equal(htab_entry(h, s->idx - 1), key, n))
			return s;
	}
}

/* htab_find_idx() for a key of @n bytes, h->key_size, a constant. */
static inline size_t htab_find_idx_n(const struct cp_htab *h,
				     const void *key, size_t n)
{
	if (!h->slots)
		return 0;
	return htab_probe(h, key, (uint32_t)htab_hash(key, n), n)->idx;
}

#endif /* CONNPROBE_HTAB_H */
