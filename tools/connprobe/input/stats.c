// SPDX-License-Identifier: GPL-2.0
/* Parser and printers for <debugfs>/connprobe/stats (README: debugfs). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "sink.h"

#define SYMBOL_CHARS	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.$"
/* Far more than any module writes; stops us slurping a wrong file. */
#define MAX_STATS_SIZE	(1 << 20)
#define OFF(field)	offsetof(struct cp_stats, field)
#define U64(st, off)	(*(unsigned long long *)((char *)(st) + (off)))

/* The known lines; bit 1 << L_x of cp_stats.have says the file had it. */
enum { L_CPU, L_PROBE, L_MODE, L_TOTAL, L_BUF_SIZE, L_UNTRACKED,
       L_RECLAIMED, L_FILTERED, NR_LINES };

/* Known lines ("N" a decimal, "SYMBOL" a word), errors' "expected" text too. */
static const struct line_def {
	const char *shape;
	size_t off[4];
	const char *json[2];
	const char *text;
} lines[NR_LINES] = {
	[L_CPU] = { .shape = "cpu N written N read N lost N buffered N" },
	[L_PROBE] = { .shape = "probe SYMBOL nmissed N kp_nmissed N maxactive N" },
	[L_MODE] = { .shape = "mode SYMBOL" },
	[L_TOTAL] = { .shape = "total written N read N lost N buffered N",
		      .off = { OFF(total_written), OFF(total_read),
			       OFF(total_lost), OFF(total_buffered) } },
	[L_BUF_SIZE] = { .shape = "buf_size N", .off = { OFF(buf_size) },
			 .json = { "buf_size" } },
	[L_UNTRACKED] = { "attempts_untracked N", { OFF(attempts_untracked) },
			  { "attempts_untracked" },
			  "TCP attempts untracked (table full): %llu\n" },
	[L_RECLAIMED] = { "attempts_reclaimed N", { OFF(attempts_reclaimed) },
			  { "attempts_reclaimed" },
			  "TCP attempts gone with their socket, no record: %llu\n" },
	[L_FILTERED] = { "filtered calls N records N",
			 { OFF(filtered_calls), OFF(filtered_records) },
			 { "filtered_calls", "filtered_records" },
			 "Turned away by the module's filter: %llu calls, %llu records\n" },
};

/* Match the line's other words to @shape: numbers to @n, a symbol to @sym. */
static int match_shape(const char *shape, char **save,
		       unsigned long long *n, const char **sym)
{
	const char *s;
	char *w, *end;
	size_t len;

	for (s = shape; *s; s += len + (s[len] == ' ')) {
		len = strcspn(s, " ");
		w = strtok_r(NULL, " \t", save);
		if (!w)
			return -1;
		if (len == 1 && *s == 'N') {
			errno = 0;
			/* strtoull() alone takes "+1", " 1", even "-1" */
			*n++ = strtoull(w, &end, 10);
			if (!isdigit((unsigned char)w[0]) || errno || *end)
				return -1;
		} else if (len == 6 && !strncmp(s, "SYMBOL", 6)) {
			/* a kernel symbol, a mode: what JSON takes unescaped */
			if (w[strspn(w, SYMBOL_CHARS)])
				return -1;
			*sym = w;
		} else if (strlen(w) != len || strncmp(s, w, len)) {
			return -1;
		}
	}
	return strtok_r(NULL, " \t", save) ? -1 : 0;
}

/* Store line @i: NULL, or what is wrong with it. */
static const char *store(struct cp_stats *st, int i,
			 const unsigned long long *n, const char *sym)
{
	void *p;
	size_t k;

	/* one of each line, one cpu line per CPU, any number of probes */
	for (k = 0; i == L_CPU && k < st->nr_cpus; k++)
		if (st->cpus[k].cpu == n[0])
			return "duplicate line";
	if (i != L_PROBE && i != L_CPU && (st->have & 1u << i))
		return "duplicate line";
	if (i == L_CPU) {
		if (n[0] > UINT_MAX)
			return "CPU number out of range";
		p = realloc(st->cpus, (st->nr_cpus + 1) * sizeof(*st->cpus));
		if (!p)
			return "out of memory";
		st->cpus = p;
		st->cpus[st->nr_cpus++] = (struct cp_stats_cpu){ n[0], n[1], n[2], n[3], n[4] };
	} else if (i == L_PROBE) {
		p = realloc(st->probes, (st->nr_probes + 1) * sizeof(*st->probes));
		if (p)
			st->probes = p;
		if (!p || !(sym = strdup(sym)))
			return "out of memory";
		st->probes[st->nr_probes++] = (struct cp_stats_probe){
			(char *)sym, n[0], n[1], n[2] };
	} else if (i == L_MODE) {
		if (strlen(sym) >= sizeof(st->mode))
			return "mode name too long";
		strcpy(st->mode, sym);
	}
	for (k = 0; k < 4 && lines[i].off[k]; k++)
		U64(st, lines[i].off[k]) = n[k];
	st->have |= 1u << i;
	return NULL;
}

int stats_parse(char *text, struct cp_stats *st, char *err, size_t errlen)
{
	char *line, *save, *w, whole[256];
	const char *sym = NULL, *problem;
	unsigned long long n[5] = { 0 };
	int lineno = 0, i;
	size_t len;

	memset(st, 0, sizeof(*st));
	while ((line = strsep(&text, "\n"))) {
		lineno++;
		snprintf(whole, sizeof(whole), "%s", line);
		w = strtok_r(line, " \t", &save);
		len = w ? strlen(w) : 0;
		for (i = 0; w && i < NR_LINES; i++)
			if (!strncmp(lines[i].shape, w, len) && lines[i].shape[len] == ' ')
				break;
		/* other first words are lines of a newer module: skipped */
		if (!w || i == NR_LINES)
			continue;
		if (match_shape(lines[i].shape + len + 1, &save, n, &sym))
			cp_err(err, errlen, "line %d: malformed %s line \"%s\" (expected \"%s\")",
			       lineno, w, whole, lines[i].shape);
		else if ((problem = store(st, i, n, sym)))
			cp_err(err, errlen, "line %d: %s: \"%s\"", lineno, problem, whole);
		else
			continue;
		return -1;
	}
	/* Loss reporting needs both; a file without them is not ours. */
	if (!st->nr_cpus)
		return cp_err(err, errlen, "no 'cpu' line");
	if (!(st->have & 1u << L_TOTAL))
		return cp_err(err, errlen, "no 'total' line");
	return 0;
}

int stats_read(const char *dir, struct cp_stats *st, char *err, size_t errlen)
{
	char path[PATH_MAX], msg[512], *text = malloc(MAX_STATS_SIZE + 1);
	int ret = -1, e;

	memset(st, 0, sizeof(*st));
	if (snprintf(path, sizeof(path), "%s/%s", dir, CONNPROBE_STATS_FILE) >= (int)sizeof(path))
		cp_err(err, errlen, "%s: path too long", dir);
	else if ((e = text ? read_text(path, text, MAX_STATS_SIZE + 1) : ENOMEM))
		cp_err(err, errlen, "%s: %s", path, strerror(e));
	else if ((ret = stats_parse(text, st, msg, sizeof(msg))))
		cp_err(err, errlen, "%s: %s", path, msg);
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
	const struct cp_stats_probe *p;
	const struct cp_stats_cpu *c;
	const struct line_def *d;

	if (st->mode[0] && (st->have & 1u << L_BUF_SIZE))
		fprintf(f, "mode %s, buffer %llu bytes per CPU\n\n", st->mode, st->buf_size);
	else if (st->mode[0])
		fprintf(f, "mode %s\n\n", st->mode);
	fprintf(f, "%-8s %20s %20s %20s %20s\n", "CPU", "WRITTEN", "READ",
		"LOST", "BUFFERED");
	for (c = st->cpus; c < st->cpus + st->nr_cpus; c++)
		fprintf(f, "%-8u %20llu %20llu %20llu %20llu\n", c->cpu,
			c->written, c->read, c->lost, c->buffered);
	fprintf(f, "%-8s %20llu %20llu %20llu %20llu\n\n%-24s %12s %12s %12s\n",
		"total", st->total_written, st->total_read, st->total_lost,
		st->total_buffered, "PROBE", "NMISSED", "KP_NMISSED", "MAXACTIVE");
	for (p = st->probes; p < st->probes + st->nr_probes; p++)
		fprintf(f, "%-24s %12llu %12llu %12llu\n", p->symbol,
			p->nmissed, p->kp_nmissed, p->maxactive);
	fputc('\n', f);
	/* what an older module did not write is "unknown", not 0 */
	for (d = lines; d < lines + NR_LINES; d++)
		if (d->text && (st->have & 1u << (d - lines)))
			fprintf(f, d->text, U64(st, d->off[0]),
				d->off[1] ? U64(st, d->off[1]) : 0);
		else if (d->text)
			fprintf(f, "%.*s unknown\n",
				(int)(strchr(d->text, ':') + 1 - d->text), d->text);
}

/* Symbols and the mode are word characters (match_shape()): no escaping. */
void stats_print_json(FILE *f, const struct cp_stats *st)
{
	const struct cp_stats_probe *p;
	const struct cp_stats_cpu *c;
	size_t i, k;

	fputs("{\"cpus\":[", f);
	for (c = st->cpus; c < st->cpus + st->nr_cpus; c++)
		fprintf(f, "%s{\"cpu\":%u,\"written\":%llu,\"read\":%llu,\"lost\":%llu,\"buffered\":%llu}",
			c > st->cpus ? "," : "", c->cpu, c->written, c->read,
			c->lost, c->buffered);
	fprintf(f, "],\"total\":{\"written\":%llu,\"read\":%llu,\"lost\":%llu,\"buffered\":%llu},\"probes\":[",
		st->total_written, st->total_read, st->total_lost, st->total_buffered);
	for (p = st->probes; p < st->probes + st->nr_probes; p++)
		fprintf(f, "%s{\"symbol\":\"%s\",\"nmissed\":%llu,\"kp_nmissed\":%llu,\"maxactive\":%llu}",
			p > st->probes ? "," : "", p->symbol, p->nmissed,
			p->kp_nmissed, p->maxactive);
	fprintf(f, st->mode[0] ? "],\"mode\":\"%s\"" : "],\"mode\":null", st->mode);
	/* what an older module did not write is null, not 0 */
	for (i = 0; i < NR_LINES; i++)
		for (k = 0; k < 2 && lines[i].json[k]; k++)
			if (st->have & 1u << i)
				fprintf(f, ",\"%s\":%llu", lines[i].json[k],
					U64(st, lines[i].off[k]));
			else
				fprintf(f, ",\"%s\":null", lines[i].json[k]);
	fputs("}\n", f);
}

unsigned long long stats_delta(unsigned long long start, unsigned long long end)
{
	/* down only after a module reload: then all it counted is the run's */
	return end >= start ? end - start : end;
}

void stats_diff(const struct cp_stats *start, struct cp_stats *end)
{
	const struct cp_stats_probe *p0;
	const struct cp_stats_cpu *c0;
	struct cp_stats_probe *p;
	struct cp_stats_cpu *c;

	end->total_written = stats_delta(start->total_written, end->total_written);
	end->total_read = stats_delta(start->total_read, end->total_read);
	end->total_lost = stats_delta(start->total_lost, end->total_lost);
	/* a CPU or probe missing from @start counts from 0: left as it is */
	for (c = end->cpus; c < end->cpus + end->nr_cpus; c++)
		for (c0 = start->cpus; c0 < start->cpus + start->nr_cpus; c0++)
			if (c0->cpu == c->cpu) {
				c->written = stats_delta(c0->written, c->written);
				c->read = stats_delta(c0->read, c->read);
				c->lost = stats_delta(c0->lost, c->lost);
			}
	for (p = end->probes; p < end->probes + end->nr_probes; p++)
		for (p0 = start->probes; p0 < start->probes + start->nr_probes; p0++)
			if (!strcmp(p0->symbol, p->symbol)) {
				p->nmissed = stats_delta(p0->nmissed, p->nmissed);
				p->kp_nmissed = stats_delta(p0->kp_nmissed, p->kp_nmissed);
			}
}

void stats_print_losses(FILE *f, const struct cp_stats *delta)
{
	const struct cp_stats_probe *p;
	const struct cp_stats_cpu *c;

	for (c = delta->cpus; c < delta->cpus + delta->nr_cpus; c++)
		if (c->lost)
			fprintf(f, "lost %llu records on CPU #%u\n", c->lost, c->cpu);
	for (p = delta->probes; p < delta->probes + delta->nr_probes; p++) {
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
	char err[1024];
	struct cp_stats st;
	int ret = 1;

	if (stats_read(dir, &st, err, sizeof(err)))
		fprintf(stderr, "connprobe: %s\n", err);
	else if ((json ? stats_print_json : stats_print_text)(stdout, &st),
		 fflush(stdout) || ferror(stdout))
		fprintf(stderr, "connprobe: write error on standard output\n");
	else
		ret = 0;
	stats_free(&st);
	return ret;
}

int read_text(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	size_t n = f ? fread(buf, 1, size, f) : 0;
	/* kept from fclose(), which may set errno */
	int e = !f || ferror(f) ? errno : n >= size ? EFBIG : 0;

	if (f)
		fclose(f);
	buf[n < size ? n : size - 1] = '\0';
	return e;
}
