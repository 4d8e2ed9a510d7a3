// SPDX-License-Identifier: GPL-2.0
/*
 * Parser and printers for <debugfs>/connprobe/stats, whose lines are:
 *
 *	mode stream
 *	buf_size 1048576
 *	cpu 0 written 12 read 10 lost 0 buffered 2
 *	total written 15 read 13 lost 0 buffered 2
 *	probe __sys_connect nmissed 0 kp_nmissed 0 maxactive 4096
 *	attempts_untracked 0
 *	attempts_reclaimed 0
 *	filtered calls 0 records 0
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <connprobe.h>

#include "readfile.h"
#include "stats.h"

#define SYMBOL_CHARS	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.$"
#define MAX_WORDS	10	/* the longest known line has 10 words */
/* Far more than any module writes; stops us slurping a wrong file. */
#define MAX_STATS_SIZE	(1 << 20)

enum line_kind { L_CPU, L_TOTAL, L_PROBE, L_MODE, L_SCALAR };

/*
 * The known lines, word by word: "N" is an unsigned decimal, "SYMBOL" any
 * word, anything else must appear literally; the shape is also the
 * "expected" text of the error message.  A scalar line stores its numbers
 * at @off[] in struct cp_stats and sets @have.  Other first words are
 * lines of a newer module, skipped.
 */
static const struct line_def {
	const char *shape;
	enum line_kind kind;
	unsigned int have;
	size_t off[2];
} lines[] = {
	{ "cpu N written N read N lost N buffered N", L_CPU, 0, { 0 } },
	{ "total written N read N lost N buffered N", L_TOTAL, 0, { 0 } },
	{ "probe SYMBOL nmissed N kp_nmissed N maxactive N", L_PROBE, 0, { 0 } },
	{ "mode SYMBOL", L_MODE, 0, { 0 } },
	{ "buf_size N", L_SCALAR, STATS_HAVE_BUF_SIZE,
	  { offsetof(struct cp_stats, buf_size) } },
	{ "attempts_untracked N", L_SCALAR, STATS_HAVE_UNTRACKED,
	  { offsetof(struct cp_stats, attempts_untracked) } },
	{ "attempts_reclaimed N", L_SCALAR, STATS_HAVE_RECLAIMED,
	  { offsetof(struct cp_stats, attempts_reclaimed) } },
	{ "filtered calls N records N", L_SCALAR, STATS_HAVE_FILTERED,
	  { offsetof(struct cp_stats, filtered_calls),
	    offsetof(struct cp_stats, filtered_records) } },
};

/*
 * Match @words against @shape: 0 with the numbers in @n and the symbol in
 * @sym, or -1.  strtoull() alone would take "+1", " 1" and even "-1".
 */
static int match_shape(char **words, int nwords, const char *shape,
		       unsigned long long *n, const char **sym)
{
	const char *s = shape;
	char *end;
	int i;

	for (i = 0; *s; i++, s += strcspn(s, " "), s += *s == ' ') {
		size_t len = strcspn(s, " ");

		if (i >= nwords)
			return -1;
		if (len == 1 && *s == 'N') {
			errno = 0;
			*n++ = strtoull(words[i], &end, 10);
			if (!isdigit((unsigned char)words[i][0]) || errno || *end)
				return -1;
		} else if (len == 6 && !strncmp(s, "SYMBOL", 6)) {
			/* a kernel symbol, a mode: what JSON takes unescaped */
			if (words[i][strspn(words[i], SYMBOL_CHARS)])
				return -1;
			*sym = words[i];
		} else if (strlen(words[i]) != len || strncmp(s, words[i], len)) {
			return -1;
		}
	}
	return i == nwords ? 0 : -1;
}

/* Room for one more of @size bytes at *@array, which holds @nr. */
static void *grow(void *array, size_t nr, size_t size)
{
	return realloc(array, (nr + 1) * size);
}

/* Store a matched line; NULL, or what is wrong with it. */
static const char *store(struct cp_stats *st, const struct line_def *d,
			 const unsigned long long *n, const char *sym,
			 bool *have_total)
{
	struct cp_stats_cpu *c;
	size_t i;

	switch (d->kind) {
	case L_CPU:
		if (n[0] > UINT_MAX)
			return "CPU number out of range";
		for (i = 0; i < st->nr_cpus; i++)
			if (st->cpus[i].cpu == n[0])
				return "duplicate cpu line";
		c = grow(st->cpus, st->nr_cpus, sizeof(*c));
		if (!c)
			return "out of memory";
		st->cpus = c;
		st->cpus[st->nr_cpus++] = (struct cp_stats_cpu){
			n[0], n[1], n[2], n[3], n[4] };
		return NULL;
	case L_TOTAL:
		if (*have_total)
			return "duplicate total line";
		*have_total = true;
		st->total_written = n[0];
		st->total_read = n[1];
		st->total_lost = n[2];
		st->total_buffered = n[3];
		return NULL;
	case L_PROBE: {
		struct cp_stats_probe *p = grow(st->probes, st->nr_probes,
						sizeof(*p));
		char *copy = p ? strdup(sym) : NULL;

		if (p)
			st->probes = p;
		if (!copy)
			return "out of memory";
		st->probes[st->nr_probes++] = (struct cp_stats_probe){
			copy, n[0], n[1], n[2] };
		return NULL;
	}
	case L_MODE:
		if (strlen(sym) >= sizeof(st->mode))
			return "mode name too long";
		strcpy(st->mode, sym);
		return NULL;
	case L_SCALAR:
		for (i = 0; i < 2 && d->off[i]; i++)
			*(unsigned long long *)((char *)st + d->off[i]) = n[i];
		st->have |= d->have;
		return NULL;
	}
	return NULL;
}

/* Parse one line (@line is cut into words); @lineno for messages. */
static int parse_line(char *line, int lineno, struct cp_stats *st,
		      bool *have_total, char *err, size_t errlen)
{
	char whole[256], *words[MAX_WORDS + 1], *save, *w;
	const struct line_def *d = NULL;
	unsigned long long n[5];
	const char *sym = NULL, *problem;
	int nwords = 0;
	size_t i;

	snprintf(whole, sizeof(whole), "%s", line);
	/* One word too many is enough to know a known line is malformed. */
	for (w = strtok_r(line, " \t", &save); w && nwords <= MAX_WORDS;
	     w = strtok_r(NULL, " \t", &save))
		words[nwords++] = w;
	for (i = 0; nwords && i < sizeof(lines) / sizeof(lines[0]); i++)
		if (!strncmp(lines[i].shape, words[0], strlen(words[0])) &&
		    lines[i].shape[strlen(words[0])] == ' ')
			d = &lines[i];
	if (!d)
		return 0;
	if (match_shape(words, nwords, d->shape, n, &sym)) {
		snprintf(err, errlen, "line %d: malformed %s line \"%s\" (expected \"%s\")",
			 lineno, words[0], whole, d->shape);
		return -1;
	}
	problem = store(st, d, n, sym, have_total);
	if (problem)
		snprintf(err, errlen, "line %d: %s: \"%s\"", lineno, problem, whole);
	return problem ? -1 : 0;
}

int stats_parse(const char *text, struct cp_stats *st,
		char *err, size_t errlen)
{
	char *copy = strdup(text), *line, *next;
	bool have_total = false;
	int lineno = 0, ret = -1;

	memset(st, 0, sizeof(*st));
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (line = copy; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (parse_line(line, ++lineno, st, &have_total, err, errlen))
			goto out;
	}
	/* Loss reporting needs both; a file without them is not ours. */
	if (!st->nr_cpus)
		snprintf(err, errlen, "no 'cpu' line");
	else if (!have_total)
		snprintf(err, errlen, "no 'total' line");
	else
		ret = 0;
out:
	free(copy);
	return ret;
}

int stats_read(const char *path, struct cp_stats *st,
	       char *err, size_t errlen)
{
	char msg[512], *text = read_whole_file(path, MAX_STATS_SIZE);
	int ret;

	memset(st, 0, sizeof(*st));
	if (!text) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	ret = stats_parse(text, st, msg, sizeof(msg));
	if (ret)
		snprintf(err, errlen, "%s: %s", path, msg);
	free(text);
	return ret;
}

void stats_free(struct cp_stats *st)
{
	size_t i;

	for (i = 0; i < st->nr_probes; i++)
		free(st->probes[i].symbol);
	free(st->probes);
	free(st->cpus);
	memset(st, 0, sizeof(*st));
}

/*
 * @fmt with @name and @v, or with @unknown (text: unknown, JSON: null)
 * in @v's place when the module had no line for it.
 */
static void scalar(FILE *f, const char *fmt, const char *name,
		   unsigned long long v, bool known, const char *unknown)
{
	char num[24];

	snprintf(num, sizeof(num), "%llu", v);
	fprintf(f, fmt, name, known ? num : unknown);
}

static void text_scalar(FILE *f, const char *what, unsigned long long v,
			bool known)
{
	scalar(f, "%s: %s\n", what, v, known, "unknown");
}

void stats_print_text(FILE *f, const struct cp_stats *st)
{
	size_t i;

	if (st->mode[0] && (st->have & STATS_HAVE_BUF_SIZE))
		fprintf(f, "mode %s, buffer %llu bytes per CPU\n\n", st->mode,
			st->buf_size);
	else if (st->mode[0])
		fprintf(f, "mode %s\n\n", st->mode);
	fprintf(f, "%-8s %20s %20s %20s %20s\n", "CPU", "WRITTEN", "READ",
		"LOST", "BUFFERED");
	for (i = 0; i < st->nr_cpus; i++)
		fprintf(f, "%-8u %20llu %20llu %20llu %20llu\n",
			st->cpus[i].cpu, st->cpus[i].written, st->cpus[i].read,
			st->cpus[i].lost, st->cpus[i].buffered);
	fprintf(f, "%-8s %20llu %20llu %20llu %20llu\n", "total",
		st->total_written, st->total_read, st->total_lost,
		st->total_buffered);
	fprintf(f, "\n%-24s %12s %12s %12s\n", "PROBE", "NMISSED",
		"KP_NMISSED", "MAXACTIVE");
	for (i = 0; i < st->nr_probes; i++)
		fprintf(f, "%-24s %12llu %12llu %12llu\n",
			st->probes[i].symbol, st->probes[i].nmissed,
			st->probes[i].kp_nmissed, st->probes[i].maxactive);
	fputc('\n', f);
	text_scalar(f, "TCP attempts untracked (table full)",
		    st->attempts_untracked, st->have & STATS_HAVE_UNTRACKED);
	text_scalar(f, "TCP attempts gone with their socket, no record",
		    st->attempts_reclaimed, st->have & STATS_HAVE_RECLAIMED);
	if (st->have & STATS_HAVE_FILTERED)
		fprintf(f, "Turned away by the module's filter: %llu calls, %llu records\n",
			st->filtered_calls, st->filtered_records);
	else
		fprintf(f, "Turned away by the module's filter: unknown\n");
}

static void json_scalar(FILE *f, const char *key, unsigned long long v,
			bool known)
{
	scalar(f, ",\"%s\":%s", key, v, known, "null");
}

/* Symbols and the mode are word characters (match_shape()): no escaping. */
void stats_print_json(FILE *f, const struct cp_stats *st)
{
	const struct cp_stats_cpu *c;
	const struct cp_stats_probe *p;
	size_t i;

	fputs("{\"cpus\":[", f);
	for (i = 0; i < st->nr_cpus; i++) {
		c = &st->cpus[i];
		fprintf(f, "%s{\"cpu\":%u,\"written\":%llu,\"read\":%llu,\"lost\":%llu,\"buffered\":%llu}",
			i ? "," : "", c->cpu, c->written, c->read, c->lost,
			c->buffered);
	}
	fprintf(f, "],\"total\":{\"written\":%llu,\"read\":%llu,\"lost\":%llu,\"buffered\":%llu},\"probes\":[",
		st->total_written, st->total_read, st->total_lost,
		st->total_buffered);
	for (i = 0; i < st->nr_probes; i++) {
		p = &st->probes[i];
		fprintf(f, "%s{\"symbol\":\"%s\",\"nmissed\":%llu,\"kp_nmissed\":%llu,\"maxactive\":%llu}",
			i ? "," : "", p->symbol, p->nmissed, p->kp_nmissed,
			p->maxactive);
	}
	fprintf(f, st->mode[0] ? "],\"mode\":\"%s\"" : "],\"mode\":null",
		st->mode);
	json_scalar(f, "buf_size", st->buf_size, st->have & STATS_HAVE_BUF_SIZE);
	json_scalar(f, "attempts_untracked", st->attempts_untracked,
		    st->have & STATS_HAVE_UNTRACKED);
	json_scalar(f, "attempts_reclaimed", st->attempts_reclaimed,
		    st->have & STATS_HAVE_RECLAIMED);
	json_scalar(f, "filtered_calls", st->filtered_calls,
		    st->have & STATS_HAVE_FILTERED);
	json_scalar(f, "filtered_records", st->filtered_records,
		    st->have & STATS_HAVE_FILTERED);
	fputs("}\n", f);
}

unsigned long long stats_delta(unsigned long long start,
			       unsigned long long end)
{
	/*
	 * A counter only goes down if the module was reloaded in between;
	 * then everything it counted happened during the run.
	 */
	return end >= start ? end - start : end;
}

int stats_diff(const struct cp_stats *start, const struct cp_stats *end,
	       struct cp_stats *delta)
{
	const struct cp_stats_probe *p0, *p1;
	const struct cp_stats_cpu *c0, *c1;
	size_t i, j;

	memset(delta, 0, sizeof(*delta));
	delta->total_written = stats_delta(start->total_written,
					   end->total_written);
	delta->total_lost = stats_delta(start->total_lost, end->total_lost);
	delta->cpus = calloc(end->nr_cpus + 1, sizeof(*delta->cpus));
	delta->probes = calloc(end->nr_probes + 1, sizeof(*delta->probes));
	if (!delta->cpus || !delta->probes)
		return -1;
	/* a CPU or probe missing from @start counts from 0 */
	for (i = 0; i < end->nr_cpus; i++) {
		static const struct cp_stats_cpu none;

		c1 = &end->cpus[i];
		for (j = 0, c0 = &none; j < start->nr_cpus; j++)
			if (start->cpus[j].cpu == c1->cpu)
				c0 = &start->cpus[j];
		delta->cpus[delta->nr_cpus++] = (struct cp_stats_cpu){
			c1->cpu, stats_delta(c0->written, c1->written),
			stats_delta(c0->read, c1->read),
			stats_delta(c0->lost, c1->lost), c1->buffered };
	}
	for (i = 0; i < end->nr_probes; i++) {
		static const struct cp_stats_probe none;
		char *symbol = strdup(end->probes[i].symbol);

		if (!symbol)
			return -1;
		p1 = &end->probes[i];
		for (j = 0, p0 = &none; j < start->nr_probes; j++)
			if (!strcmp(start->probes[j].symbol, symbol))
				p0 = &start->probes[j];
		delta->probes[delta->nr_probes++] = (struct cp_stats_probe){
			symbol, stats_delta(p0->nmissed, p1->nmissed),
			stats_delta(p0->kp_nmissed, p1->kp_nmissed),
			p1->maxactive };
	}
	return 0;
}

void stats_print_losses(FILE *f, const struct cp_stats *delta)
{
	const struct cp_stats_probe *p;
	size_t i;

	for (i = 0; i < delta->nr_cpus; i++)
		if (delta->cpus[i].lost)
			fprintf(f, "lost %llu records on CPU #%u\n",
				delta->cpus[i].lost, delta->cpus[i].cpu);
	for (i = 0; i < delta->nr_probes; i++) {
		p = &delta->probes[i];
		if (p->nmissed)
			fprintf(f, "missed %llu calls in probe %s (nmissed: maxactive %llu too low)\n",
				p->nmissed, p->symbol, p->maxactive);
		if (p->kp_nmissed)
			fprintf(f, "missed %llu calls in probe %s (kp_nmissed: probe hit while a handler ran)\n",
				p->kp_nmissed, p->symbol);
	}
}

int stats_command(const char *dir, bool json)
{
	char path[PATH_MAX], err[1024];
	struct cp_stats st;
	int ret = 1;

	if (snprintf(path, sizeof(path), "%s/%s", dir, CONNPROBE_STATS_FILE) >=
	    (int)sizeof(path)) {
		fprintf(stderr, "connprobe: %s: path too long\n", dir);
		return 1;
	}
	if (stats_read(path, &st, err, sizeof(err))) {
		fprintf(stderr, "connprobe: %s\n", err);
		goto out;
	}
	if (json)
		stats_print_json(stdout, &st);
	else
		stats_print_text(stdout, &st);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "connprobe: write error on standard output\n");
		goto out;
	}
	ret = 0;
out:
	stats_free(&st);
	return ret;
}
