/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Remembered text: what a renderer printed for a run of fields of the
 * last record, to print again while the next records have the same
 * fields.  A connect storm is one task connecting to one destination, so
 * record after record most columns and keys print the same, and copying
 * them costs a fraction of formatting them.
 *
 * The key is every field the text depends on, zero-padded to
 * MEMO_KEY_LEN bytes.  The text is kept once two records in a row share
 * the key: where every record differs, keeping it would be a copy per
 * run for nothing.  A run that keeps missing is not even compared for a
 * while, 1, 2, 4 ... up to MEMO_MAX_SKIP records, so that a stream of
 * ever different records pays next to nothing; a burst pays a record or
 * two more before its text repeats.
 */
#ifndef CONNPROBE_MEMO_H
#define CONNPROBE_MEMO_H

#include <stdbool.h>
#include <string.h>

#define MEMO_KEY_LEN	32
#define MEMO_TEXT_MAX	256
/* Text is copied in blocks of this many bytes, the last one whole. */
#define MEMO_BLOCK	64
/* What memo_repeat() may write past the text: room to leave after it. */
#define MEMO_SLACK	MEMO_BLOCK
#define MEMO_MAX_SKIP	32

_Static_assert(MEMO_TEXT_MAX % MEMO_BLOCK == 0,
	       "the last block of a text lies inside the text");

struct text_memo {
	unsigned long long key[MEMO_KEY_LEN / 8];
	bool valid;
	unsigned short len;
	unsigned char skip;		/* records not to compare */
	unsigned char backoff;		/* the skip after the next miss */
	char text[MEMO_TEXT_MAX];
};

#define MEMO_INLINE	static inline __attribute__((always_inline))

/* Branch-free: a hit, the case that matters, costs one branch. */
MEMO_INLINE bool memo_key_equal(const struct text_memo *m, const void *key)
{
	unsigned long long w, diff = 0;
	unsigned int i;

	for (i = 0; i < MEMO_KEY_LEN / 8; i++) {
		memcpy(&w, (const char *)key + i * 8, 8);
		diff |= m->key[i] ^ w;
	}
	return !diff;
}

/*
 * The text for @key, if remembered: copied to *@p (which then points
 * past it; up to MEMO_SLACK more bytes are written over), true.  Else
 * false, and *@start says where the caller's text begins if it is to be
 * kept (memo_keep()), NULL if not.
 */
MEMO_INLINE bool memo_repeat(struct text_memo *m, const void *key, char **p,
			     char **start)
{
	unsigned int i;

	if (m->skip) {
		m->skip--;
		*start = NULL;
		return false;
	}
	if (memo_key_equal(m, key)) {
		m->backoff = 0;
		if (m->valid) {
			/* most texts are one block: no loop for them */
			memcpy(*p, m->text, MEMO_BLOCK);
			for (i = MEMO_BLOCK; i < m->len; i += MEMO_BLOCK)
				memcpy(*p + i, m->text + i, MEMO_BLOCK);
			*p += m->len;
			return true;
		}
		*start = *p;
		return false;
	}
	memcpy(m->key, key, sizeof(m->key));
	m->valid = false;
	*start = NULL;
	m->skip = m->backoff;
	m->backoff = m->backoff ? (m->backoff < MEMO_MAX_SKIP ?
				   m->backoff * 2 : MEMO_MAX_SKIP) : 1;
	return false;
}

/* Keep the text from @start (memo_repeat()'s; NULL: none) to @end. */
MEMO_INLINE void memo_keep(struct text_memo *m, const char *start,
			   const char *end)
{
	if (!start || (size_t)(end - start) > sizeof(m->text))
		return;
	memcpy(m->text, start, end - start);
	m->len = end - start;
	m->valid = true;
}

/* Forget every text: what they hold no longer prints the same. */
static inline void memo_forget(struct text_memo *m, unsigned int n)
{
	while (n--)
		m++->valid = false;
}

#endif /* CONNPROBE_MEMO_H */
