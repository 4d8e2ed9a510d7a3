// SPDX-License-Identifier: GPL-2.0
/*
 * The prom sink: count every record; write the textfile every interval
 * and at the end, or print the exposition once at the end.
 */
#include <stdlib.h>

#include "prom.h"
#include "textfile.h"

struct prom_sink {
	struct cp_sink sink;
	struct prom_opts opts;
	struct cp_prom prom;
};

#define to_prom(s) ((struct prom_sink *)(s))

static int prom_begin(struct cp_sink *s, const struct cp_source_info *info)
{
	(void)s;
	sink_say_tracing(info);
	return 0;
}

static int prom_record(struct cp_sink *s, const struct connprobe_record *rec)
{
	if (prom_add(&to_prom(s)->prom, rec)) {
		snprintf(s->err, sizeof(s->err), "out of memory");
		return -1;
	}
	return 0;
}

static void prom_view(struct cp_sink *s, struct cp_out *o,
		      const struct cp_stats *lost)
{
	prom_print(o, &to_prom(s)->prom, lost);
}

/* The exposition into the textfile, or onto opts.f. */
static int prom_write(struct cp_sink *s, const struct cp_stats *lost)
{
	struct prom_sink *ps = to_prom(s);
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	if (!ps->opts.textfile_dir)
		return sink_print_view(s, ps->opts.f, prom_view, lost);
	f = open_memstream(&text, &len);
	if (!f) {
		snprintf(s->err, sizeof(s->err), "out of memory");
		return -1;
	}
	ret = sink_print_view(s, f, prom_view, lost);
	if (!ret)
		ret = textfile_write(ps->opts.textfile_dir, PROM_TEXTFILE_NAME,
				     text, len, s->err, sizeof(s->err));
	fclose(f);
	free(text);
	return ret;
}

static int prom_tick(struct cp_sink *s, const struct cp_stats *lost)
{
	return prom_write(s, lost);
}

static int prom_end(struct cp_sink *s, const struct cp_stats *lost)
{
	if (prom_write(s, lost))
		return -1;
	if (lost)
		stats_print_losses(stderr, lost);
	return 0;
}

static void prom_destroy(struct cp_sink *s)
{
	prom_free(&to_prom(s)->prom);
	free(s);
}

static const struct cp_sink_ops prom_ops = {
	.begin = prom_begin,
	.record = prom_record,
	.tick = prom_tick,
	.end = prom_end,
	.destroy = prom_destroy,
};

struct cp_sink *prom_sink_new(const struct prom_opts *o)
{
	struct prom_sink *ps = calloc(1, sizeof(*ps));

	if (!ps)
		return NULL;
	ps->sink.ops = &prom_ops;
	ps->opts = *o;
	/* without a textfile there is nothing to refresh */
	if (o->textfile_dir)
		ps->sink.tick_ns = (long long)(o->interval * 1e9);
	prom_init(&ps->prom);
	return &ps->sink;
}
