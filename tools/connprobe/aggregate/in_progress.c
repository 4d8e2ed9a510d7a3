// SPDX-License-Identifier: GPL-2.0
/*
 * --in-progress, see in_progress.h.  A connect left in progress and its
 * COMPLETE record share an id: the connect waits in a table under its id
 * until the COMPLETE record takes it out.
 */
#include <stdlib.h>
#include <string.h>

#include "htab.h"
#include "in_progress.h"
#include "outcome.h"

struct in_progress_sink {
	struct cp_sink sink;
	struct cp_sink *inner;
	struct cp_htab held;	/* id -> its CONNECT record */
};

struct held {
	__u64 id;
	struct connprobe_record rec;
};

static int ip_begin(struct cp_sink *s, const struct cp_source_info *info)
{
	struct in_progress_sink *p = (struct in_progress_sink *)s;
	int ret = p->inner->ops->begin(p->inner, info);

	if (ret)
		memcpy(s->err, p->inner->err, sizeof(s->err));
	return ret;
}

static int ip_record(struct cp_sink *s, const struct connprobe_record *rec)
{
	struct in_progress_sink *p = (struct in_progress_sink *)s;
	struct held *h;

	if (rec->event == CONNPROBE_EVENT_COMPLETE) {
		htab_remove(&p->held, &rec->id);
		return 0;
	}
	if (!record_in_progress(rec))
		return 0;
	h = htab_insert(&p->held, &rec->id);
	if (!h) {
		strcpy(s->err, "out of memory");
		return -1;
	}
	h->rec = *rec;
	return 0;
}

static int by_ts(const void *a, const void *b)
{
	const struct held *x = a, *y = b;

	return (x->rec.ts_ns > y->rec.ts_ns) - (x->rec.ts_ns < y->rec.ts_ns);
}

static int ip_end(struct cp_sink *s, const struct cp_stats *lost)
{
	struct in_progress_sink *p = (struct in_progress_sink *)s;
	size_t i;

	qsort(p->held.entries, p->held.nr, p->held.entry_size, by_ts);
	for (i = 0; i < p->held.nr; i++) {
		const struct held *h = htab_entry(&p->held, i);

		if (p->inner->ops->record(p->inner, &h->rec))
			goto fail;
	}
	/* the counts of the run are ours: the inner sink saw the survivors */
	p->inner->read = s->read;
	p->inner->matched = s->matched;
	p->inner->filter = s->filter;
	if (!p->inner->ops->end(p->inner, lost))
		return 0;
fail:
	memcpy(s->err, p->inner->err, sizeof(s->err));
	return -1;
}

static void ip_destroy(struct cp_sink *s)
{
	struct in_progress_sink *p = (struct in_progress_sink *)s;

	sink_destroy(p->inner);
	htab_free(&p->held);
	free(p);
}

static const struct cp_sink_ops in_progress_ops = {
	.begin = ip_begin,
	.record = ip_record,
	.end = ip_end,
	.destroy = ip_destroy,
};

struct cp_sink *in_progress_sink_new(struct cp_sink *inner)
{
	struct in_progress_sink *p;

	if (!inner)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p) {
		sink_destroy(inner);
		return NULL;
	}
	p->sink.ops = &in_progress_ops;
	p->inner = inner;
	htab_init(&p->held, sizeof(__u64), sizeof(struct held));
	return &p->sink;
}
