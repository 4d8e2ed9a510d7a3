// SPDX-License-Identifier: GPL-2.0
/* The group hash table: insert, find, remove, growth, sorting. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "htab.h"
#include "runner.h"

struct entry {
	uint64_t key;
	uint64_t value;
};

/* Every key in [0, n) but the removed ones is found with its value. */
static int all_found(struct cp_htab *h, uint64_t n, uint64_t removed_mod)
{
	struct entry *e;
	uint64_t k;

	for (k = 0; k < n; k++) {
		e = htab_find(h, &k);
		if (removed_mod && k % removed_mod == 0) {
			CHECK(e == NULL);
			continue;
		}
		CHECK(e && e->key == k && e->value == k * 3);
	}
	return 0;
fail:
	diag("key %llu", (unsigned long long)k);
	return 1;
}

/* Keys 0..@n-1 with values 3k; 0 on success. */
static int fill(struct cp_htab *h, uint64_t n)
{
	struct entry *e;
	uint64_t k;

	for (k = 0; k < n; k++) {
		e = htab_insert(h, &k);
		if (!e || e->key != k || e->value != 0)	/* new: zeroed */
			return -1;
		e->value = k * 3;
	}
	return 0;
}

static int test_insert_find_grow(const void *arg)
{
	struct cp_htab h;
	uint64_t k;
	int ret = 1;

	(void)arg;
	htab_init(&h, sizeof(uint64_t), sizeof(struct entry));
	k = 1;
	CHECK(htab_find(&h, &k) == NULL);	/* empty: no index yet */
	CHECK_INT(fill(&h, 10000), 0);
	CHECK_INT(h.nr, 10000);
	k = 5;
	CHECK(htab_insert(&h, &k) == htab_find(&h, &k));	/* no duplicate */
	CHECK_INT(h.nr, 10000);
	CHECK_INT(all_found(&h, 10000, 0), 0);
	ret = 0;
fail:
	htab_free(&h);
	return ret;
}

static int test_remove_keeps_others(const void *arg)
{
	struct cp_htab h;
	uint64_t k;
	int ret = 1;

	(void)arg;
	htab_init(&h, sizeof(uint64_t), sizeof(struct entry));
	CHECK_INT(fill(&h, 5000), 0);
	/* removal shifts probe runs back and moves the last entry: every
	 * other key must stay findable */
	for (k = 0; k < 5000; k += 3)
		htab_remove(&h, &k);
	k = 99999;
	htab_remove(&h, &k);		/* absent: nothing happens */
	CHECK_INT(h.nr, 5000 - 1667);
	CHECK_INT(all_found(&h, 5000, 3), 0);
	ret = 0;
fail:
	htab_free(&h);
	return ret;
}

static int test_sorted(const void *arg)
{
	const struct entry **sorted = NULL;
	struct cp_htab h;
	int ret = 1;

	(void)arg;
	htab_init(&h, sizeof(uint64_t), sizeof(struct entry));
	CHECK_INT(fill(&h, 1000), 0);
	/* largest count (value) first */
	sorted = (const struct entry **)htab_sorted(&h, offsetof(struct entry,
								  value));
	CHECK(sorted);
	CHECK_INT(sorted[0]->key, 999);
	CHECK_INT(sorted[999]->key, 0);
	/* the table itself keeps its order and its index */
	CHECK_INT(((struct entry *)htab_entry(&h, 0))->key, 0);
	CHECK_INT(all_found(&h, 1000, 0), 0);
	/* without a count, by the key's bytes: 256 (00 01 ...) before 1 */
	free(sorted);
	sorted = (const struct entry **)htab_sorted(&h, 0);
	CHECK(sorted);
	CHECK_INT(sorted[0]->key, 0);
	CHECK_INT(sorted[1]->key, 256);
	CHECK_INT(sorted[999]->key, 767);
	ret = 0;
fail:
	free(sorted);
	htab_free(&h);
	return ret;
}

TEST_LIST(htab_tests) = {
	{ "htab: insert zeroes, find, no duplicates, growth", test_insert_find_grow },
	{ "htab: remove keeps every other key findable", test_remove_keeps_others },
	{ "htab: sorted by count, then key; the table unchanged", test_sorted },
	{ NULL, NULL },
};
