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
 *	filtered calls 0 records 0
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <connprobe.h>

#include "json.h"
#include "readfile.h"
#include "stats.h"

#define MAX_WORDS	10	/* the longest known line has 10 words */
#define MAX_VALUES	5
/* Far more than any module writes; stops us slurping a wrong file. */
#define MAX_STATS_SIZE	(1 << 20)

/*
 * The known line shapes, word by word: "N" is an unsigned decimal, "SYMBOL"
 * any word, anything else must appear literally.  They double as the
 * "expected" text of the error message.
 */
static const char CPU_SHAPE[] =
	"cpu N written N read N lost N buffered N";
static const char TOTAL_SHAPE[] =
	"total written N read N lost N buffered N";
static const char PROBE_SHAPE[] =
	"probe SYMBOL nmissed N kp_nmissed N maxactive N";
static const char MODE_SHAPE[] = "mode SYMBOL";
static const char BUF_SIZE_SHAPE[] = "buf_size N";
static const char UNTRACKED_SHAPE[] = "attempts_untracked N";
static const char FILTERED_SHAPE[] = "filtered calls N records N";

union cp_value {
	unsigned long long n;
	const char *symbol;
};

static int parse_number(const char *word, unsigned long long *n)
{
	char *end;

	/* strtoull() alone would take "+1", " 1" and even "-1". */
	if (!isdigit((unsigned char)word[0]))
		return -1;
	errno = 0;
	*n = strtoull(word, &end, 10);
	return (errno || *end) ? -1 : 0;
}

/*
 * Match the @nwords words of a line against @shape, storing one value per
 * "N" or "SYMBOL" in @val.  Returns 0 on a match, -1 otherwise.
 */
static int match_shape(char **words, int nwords, const char *shape,
		       union cp_value *val)
{
	const char *s = shape;
	int i;

	for (i = 0; *s; i++) {
		size_t len = strcspn(s, " ");

		if (i >= nwords)
			return -1;
		if (len == 1 && *s == 'N') {
			if (parse_number(words[i], &(val++)->n))
				return -1;
		} else if (len == 6 && !strncmp(s, "SYMBOL", len)) {
			(val++)->symbol = words[i];
		} else if (strlen(words[i]) != len ||
			   strncmp(s, words[i], len)) {
			return -1;
		}
		s += len + (s[len] == ' ');
	}
	return i == nwords ? 0 : -1;
}

static int grow(void **array, size_t nr, size_t size)
{
	void *p = realloc(*array, (nr + 1) * size);

	if (!p)
		return -1;
	*array = p;
	return 0;
}

static const char *add_cpu(struct cp_stats *st, const union cp_value *v)
{
	struct cp_stats_cpu *c;
	size_t i;

	if (v[0].n > UINT_MAX)
		return "CPU number out of range";
	for (i = 0; i < st->nr_cpus; i++)
		if (st->cpus[i].cpu == v[0].n)
			return "duplicate cpu line";
	if (grow((void **)&st->cpus, st->nr_cpus, sizeof(*st->cpus)))
		return "out of memory";
	c = &st->cpus[st->nr_cpus++];
	c->cpu = v[0].n;
	c->written = v[1].n;
	c->read = v[2].n;
	c->lost = v[3].n;
	c->buffered = v[4].n;
	return NULL;
}

static const char *set_total(struct cp_stats *st, const union cp_value *v,
			     bool *have_total)
{
	if (*have_total)
		return "duplicate total line";
	st->total_written = v[0].n;
	st->total_read = v[1].n;
	st->total_lost = v[2].n;
	st->total_buffered = v[3].n;
	*have_total = true;
	return NULL;
}

static const char *set_mode(struct cp_stats *st, const union cp_value *v)
{
	if (strlen(v[0].symbol) >= sizeof(st->mode))
		return "mode name too long";
	strcpy(st->mode, v[0].symbol);
	return NULL;
}

static const char *add_probe(struct cp_stats *st, const union cp_value *v)
{
	struct cp_stats_probe *p;
	char *symbol = strdup(v[0].symbol);

	if (!symbol ||
	    grow((void **)&st->probes, st->nr_probes, sizeof(*st->probes))) {
		free(symbol);
		return "out of memory";
	}
	p = &st->probes[st->nr_probes++];
	p->symbol = symbol;
	p->nmissed = v[1].n;
	p->kp_nmissed = v[2].n;
	p->maxactive = v[3].n;
	return NULL;
}

/* Parse one line; @lineno is only for messages. */
static int parse_line(const char *line, int lineno, struct cp_stats *st,
		      bool *have_total, char *err, size_t errlen)
{
	char *copy, *words[MAX_WORDS + 1], *word, *save;
	union cp_value v[MAX_VALUES];
	const char *shape = NULL, *problem = NULL;
	static const char malformed[] = "malformed";
	int nwords = 0;

	copy = strdup(line);
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* One word too many is enough to know a known line is malformed. */
	for (word = strtok_r(copy, " \t", &save); word && nwords <= MAX_WORDS;
	     word = strtok_r(NULL, " \t", &save))
		words[nwords++] = word;

	/* Other first words are lines from a newer module: skip them. */
	if (nwords && !strcmp(words[0], "cpu"))
		shape = CPU_SHAPE;
	else if (nwords && !strcmp(words[0], "total"))
		shape = TOTAL_SHAPE;
	else if (nwords && !strcmp(words[0], "probe"))
		shape = PROBE_SHAPE;
	else if (nwords && !strcmp(words[0], "mode"))
		shape = MODE_SHAPE;
	else if (nwords && !strcmp(words[0], "buf_size"))
		shape = BUF_SIZE_SHAPE;
	else if (nwords && !strcmp(words[0], "attempts_untracked"))
		shape = UNTRACKED_SHAPE;
	else if (nwords && !strcmp(words[0], "filtered"))
		shape = FILTERED_SHAPE;

	if (shape && match_shape(words, nwords, shape, v))
		problem = malformed;
	else if (shape == CPU_SHAPE)
		problem = add_cpu(st, v);
	else if (shape == TOTAL_SHAPE)
		problem = set_total(st, v, have_total);
	else if (shape == PROBE_SHAPE)
		problem = add_probe(st, v);
	else if (shape == MODE_SHAPE)
		problem = set_mode(st, v);
	else if (shape == BUF_SIZE_SHAPE)
		st->buf_size = v[0].n;
	else if (shape == UNTRACKED_SHAPE)
		st->attempts_untracked = v[0].n;
	else if (shape == FILTERED_SHAPE) {
		st->filtered_calls = v[0].n;
		st->filtered_records = v[1].n;
	}
	if (!problem && shape == BUF_SIZE_SHAPE)
		st->have |= STATS_HAVE_BUF_SIZE;
	else if (!problem && shape == UNTRACKED_SHAPE)
		st->have |= STATS_HAVE_UNTRACKED;
	else if (!problem && shape == FILTERED_SHAPE)
		st->have |= STATS_HAVE_FILTERED;

	if (problem == malformed)
		snprintf(err, errlen,
			 "line %d: malformed %s line \"%s\" (expected \"%s\")",
			 lineno, words[0], line, shape);
	else if (problem)
		snprintf(err, errlen, "line %d: %s: \"%s\"", lineno, problem,
			 line);
	free(copy);
	return problem ? -1 : 0;
}

int stats_parse(const char *text, struct cp_stats *st,
		char *err, size_t errlen)
{
	char *copy, *line, *next;
	bool have_total = false;
	int lineno = 0, ret = -1;

	memset(st, 0, sizeof(*st));
	copy = strdup(text);
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (line = copy; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (parse_line(line, ++lineno, st, &have_total, err, errlen))
			goto out_free_copy;
	}
	/* Loss reporting needs both; a file without them is not ours. */
	if (!st->nr_cpus)
		snprintf(err, errlen, "no 'cpu' line");
	else if (!have_total)
		snprintf(err, errlen, "no 'total' line");
	else
		ret = 0;
out_free_copy:
	free(copy);
	return ret;
}

int stats_read(const char *path, struct cp_stats *st,
	       char *err, size_t errlen)
{
	char msg[256];
	char *text = read_whole_file(path, MAX_STATS_SIZE);
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
	if (st->have & STATS_HAVE_UNTRACKED)
		fprintf(f, "\nTCP attempts untracked (table full): %llu\n",
			st->attempts_untracked);
	else
		fprintf(f, "\nTCP attempts untracked (table full): unknown\n");
	if (st->have & STATS_HAVE_FILTERED)
		fprintf(f, "Turned away by the module's filter: %llu calls, %llu records\n",
			st->filtered_calls, st->filtered_records);
	else
		fprintf(f, "Turned away by the module's filter: unknown\n");
}

/* ,"@key": and @v, or null if the stats file had no line for it. */
static void json_u64_or_null(struct cp_out *o, const char *key,
			     unsigned long long v, bool known)
{
	json_key(o, key);
	if (known)
		out_u64(o, v);
	else
		out_str(o, "null");
}

void stats_print_json(FILE *f, const struct cp_stats *st)
{
	struct cp_out o;
	size_t i;

	if (out_init(&o, f))
		return;
	out_str(&o, "{\"cpus\":[");
	for (i = 0; i < st->nr_cpus; i++) {
		out_str(&o, i ? ",{\"cpu\":" : "{\"cpu\":");
		out_u64(&o, st->cpus[i].cpu);
		json_key(&o, "written");
		out_u64(&o, st->cpus[i].written);
		json_key(&o, "read");
		out_u64(&o, st->cpus[i].read);
		json_key(&o, "lost");
		out_u64(&o, st->cpus[i].lost);
		json_key(&o, "buffered");
		out_u64(&o, st->cpus[i].buffered);
		out_char(&o, '}');
	}
	out_str(&o, "],\"total\":{\"written\":");
	out_u64(&o, st->total_written);
	json_key(&o, "read");
	out_u64(&o, st->total_read);
	json_key(&o, "lost");
	out_u64(&o, st->total_lost);
	json_key(&o, "buffered");
	out_u64(&o, st->total_buffered);
	out_str(&o, "},\"probes\":[");
	for (i = 0; i < st->nr_probes; i++) {
		out_str(&o, i ? ",{\"symbol\":" : "{\"symbol\":");
		json_string_or_null(&o, st->probes[i].symbol);
		json_key(&o, "nmissed");
		out_u64(&o, st->probes[i].nmissed);
		json_key(&o, "kp_nmissed");
		out_u64(&o, st->probes[i].kp_nmissed);
		json_key(&o, "maxactive");
		out_u64(&o, st->probes[i].maxactive);
		out_char(&o, '}');
	}
	out_str(&o, "],\"mode\":");
	json_string_or_null(&o, st->mode[0] ? st->mode : NULL);
	json_u64_or_null(&o, "buf_size", st->buf_size,
			 st->have & STATS_HAVE_BUF_SIZE);
	json_u64_or_null(&o, "attempts_untracked", st->attempts_untracked,
			 st->have & STATS_HAVE_UNTRACKED);
	json_u64_or_null(&o, "filtered_calls", st->filtered_calls,
			 st->have & STATS_HAVE_FILTERED);
	json_u64_or_null(&o, "filtered_records", st->filtered_records,
			 st->have & STATS_HAVE_FILTERED);
	out_str(&o, "}\n");
	out_close(&o);
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

static const struct cp_stats_cpu *find_cpu(const struct cp_stats *st,
					   unsigned int cpu)
{
	size_t i;

	for (i = 0; i < st->nr_cpus; i++)
		if (st->cpus[i].cpu == cpu)
			return &st->cpus[i];
	return NULL;
}

static const struct cp_stats_probe *find_probe(const struct cp_stats *st,
					       const char *symbol)
{
	size_t i;

	for (i = 0; i < st->nr_probes; i++)
		if (!strcmp(st->probes[i].symbol, symbol))
			return &st->probes[i];
	return NULL;
}

int stats_diff(const struct cp_stats *start, const struct cp_stats *end,
	       struct cp_stats *delta)
{
	const struct cp_stats_probe *p0;
	const struct cp_stats_cpu *c0;
	struct cp_stats_probe *p;
	struct cp_stats_cpu *c;
	size_t i;

	memset(delta, 0, sizeof(*delta));
	delta->total_written = stats_delta(start->total_written,
					   end->total_written);
	delta->total_lost = stats_delta(start->total_lost, end->total_lost);
	delta->cpus = calloc(end->nr_cpus ? end->nr_cpus : 1,
			     sizeof(*delta->cpus));
	delta->probes = calloc(end->nr_probes ? end->nr_probes : 1,
			       sizeof(*delta->probes));
	if (!delta->cpus || !delta->probes)
		return -1;
	for (i = 0; i < end->nr_cpus; i++) {
		c = &delta->cpus[delta->nr_cpus++];
		c0 = find_cpu(start, end->cpus[i].cpu);
		c->cpu = end->cpus[i].cpu;
		c->written = stats_delta(c0 ? c0->written : 0,
					 end->cpus[i].written);
		c->read = stats_delta(c0 ? c0->read : 0, end->cpus[i].read);
		c->lost = stats_delta(c0 ? c0->lost : 0, end->cpus[i].lost);
		c->buffered = end->cpus[i].buffered;
	}
	for (i = 0; i < end->nr_probes; i++) {
		p = &delta->probes[i];
		p->symbol = strdup(end->probes[i].symbol);
		if (!p->symbol)
			return -1;
		delta->nr_probes++;
		p0 = find_probe(start, p->symbol);
		p->nmissed = stats_delta(p0 ? p0->nmissed : 0,
					 end->probes[i].nmissed);
		p->kp_nmissed = stats_delta(p0 ? p0->kp_nmissed : 0,
					    end->probes[i].kp_nmissed);
		p->maxactive = end->probes[i].maxactive;
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
	char path[PATH_MAX], err[512];
	struct cp_stats st;
	int ret = 1;

	if (snprintf(path, sizeof(path), "%s/%s", dir, CONNPROBE_STATS_FILE) >=
	    (int)sizeof(path)) {
		fprintf(stderr, "connprobe: %s: path too long\n", dir);
		return 1;
	}
	if (stats_read(path, &st, err, sizeof(err))) {
		fprintf(stderr, "connprobe: %s\n", err);
		goto cleanup;
	}
	if (json)
		stats_print_json(stdout, &st);
	else
		stats_print_text(stdout, &st);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "connprobe: write error on standard output\n");
		goto cleanup;
	}
	ret = 0;
cleanup:
	stats_free(&st);
	return ret;
}
