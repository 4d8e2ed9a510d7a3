// SPDX-License-Identifier: GPL-2.0
/* Parsing and printing of the stats file. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "fixtures.h"
#include "runner.h"

static const char GOOD[] =
	"mode flight\n"
	"buf_size 65536\n"
	"cpu 0 written 12 read 9 lost 0 buffered 3\n"
	"cpu 1 written 8 read 3 lost 5 buffered 0\n"
	"total written 20 read 12 lost 5 buffered 3\n"
	"probe __sys_connect nmissed 2 kp_nmissed 1 maxactive 4096\n"
	"attempts_untracked 7\n"
	"attempts_reclaimed 4\n"
	"filtered calls 11 records 13\n";

/* stats_parse() cuts its text up: a copy of @text. */
static int parse(const char *text, struct cp_stats *st, char *err,
		 size_t errlen)
{
	char *copy = strdup(text);
	int ret = stats_parse(copy, st, err, errlen);

	free(copy);
	return ret;
}

static int test_parse_good(const void *arg)
{
	struct cp_stats st = { 0 };
	char err[256] = "";
	int ret = 1;

	(void)arg;
	CHECK_INT(parse(GOOD, &st, err, sizeof(err)), 0);
	CHECK_INT(st.nr_cpus, 2);
	CHECK_INT(st.cpus[0].cpu, 0);
	CHECK_INT(st.cpus[0].written, 12);
	CHECK_INT(st.cpus[0].read, 9);
	CHECK_INT(st.cpus[0].lost, 0);
	CHECK_INT(st.cpus[0].buffered, 3);
	CHECK_INT(st.cpus[1].cpu, 1);
	CHECK_INT(st.cpus[1].written, 8);
	CHECK_INT(st.cpus[1].read, 3);
	CHECK_INT(st.cpus[1].lost, 5);
	CHECK_INT(st.cpus[1].buffered, 0);
	CHECK_INT(st.total_written, 20);
	CHECK_INT(st.total_read, 12);
	CHECK_INT(st.total_lost, 5);
	CHECK_INT(st.total_buffered, 3);
	CHECK_STR(st.mode, "flight");
	CHECK_INT(st.buf_size, 65536);
	CHECK_INT(st.attempts_untracked, 7);
	CHECK_INT(st.attempts_reclaimed, 4);
	CHECK_INT(st.filtered_calls, 11);
	CHECK_INT(st.filtered_records, 13);
	CHECK_INT(st.nr_probes, 1);
	CHECK_STR(st.probes[0].symbol, "__sys_connect");
	CHECK_INT(st.probes[0].nmissed, 2);
	CHECK_INT(st.probes[0].kp_nmissed, 1);
	CHECK_INT(st.probes[0].maxactive, 4096);
	ret = 0;
fail:
	stats_free(&st);
	return ret;
}

static int test_parse_unknown_lines(const void *arg)
{
	struct cp_stats st = { 0 };
	char err[256] = "";
	int ret = 1;

	(void)arg;
	CHECK_INT(parse("version 2\n"
			      "\n"
			      "cpu 0 written 18446744073709551615 read 0 lost 1 buffered 0\n"
			      "dropped_subbufs 7 on cpu 0\n"
			      "total written 1 read 0 lost 1 buffered 0\n"
			      "probe __sys_connect_file nmissed 0 kp_nmissed 0 maxactive 20\n"
			      "cpus 4", &st, err, sizeof(err)), 0);
	CHECK_INT(st.nr_cpus, 1);
	CHECK(st.cpus[0].written == 18446744073709551615ULL);
	CHECK_INT(st.total_lost, 1);
	CHECK_INT(st.nr_probes, 1);
	CHECK_STR(st.probes[0].symbol, "__sys_connect_file");
	ret = 0;
fail:
	stats_free(&st);
	return ret;
}

/* Each must fail with exactly this message. */
static const struct {
	const char *text;
	const char *err;
} BAD[] = {
	{ "cpu 0 written 12 read 0 lost 0 buffered 0\ncpu 1 written x read 0 lost 0 buffered 0\ntotal written 12 read 0 lost 0 buffered 0\n",
	  "line 2: malformed cpu line \"cpu 1 written x read 0 lost 0 buffered 0\" (expected \"cpu N written N read N lost N buffered N\")" },
	{ "cpu 0 written 12 read 0 lost -1 buffered 0\ntotal written 12 read 0 lost 0 buffered 0\n",
	  "line 1: malformed cpu line \"cpu 0 written 12 read 0 lost -1 buffered 0\" (expected \"cpu N written N read N lost N buffered N\")" },
	{ "cpu 0 written +12 read 0 lost 0 buffered 0\ntotal written 12 read 0 lost 0 buffered 0\n",
	  "line 1: malformed cpu line \"cpu 0 written +12 read 0 lost 0 buffered 0\" (expected \"cpu N written N read N lost N buffered N\")" },
	{ "cpu 0 written 12 read 0 lost 0 buffered 0 extra\ntotal written 12 read 0 lost 0 buffered 0\n",
	  "line 1: malformed cpu line \"cpu 0 written 12 read 0 lost 0 buffered 0 extra\" (expected \"cpu N written N read N lost N buffered N\")" },
	{ "cpu 0 written 18446744073709551616 read 0 lost 0 buffered 0\ntotal written 12 read 0 lost 0 buffered 0\n",
	  "line 1: malformed cpu line \"cpu 0 written 18446744073709551616 read 0 lost 0 buffered 0\" (expected \"cpu N written N read N lost N buffered N\")" },
	{ "cpu 0 written 1 read 0 lost 0 buffered 0\ntotal written 1\n",
	  "line 2: malformed total line \"total written 1\" (expected \"total written N read N lost N buffered N\")" },
	{ "cpu 0 written 1 read 0 lost 0 buffered 0\ntotal written 1 read 0 lost 0 buffered 0\nprobe __sys_connect nmissed 0 kp_nmissed 0\n",
	  "line 3: malformed probe line \"probe __sys_connect nmissed 0 kp_nmissed 0\" (expected \"probe SYMBOL nmissed N kp_nmissed N maxactive N\")" },
	{ "cpu 0 written 1 read 0 lost 0 buffered 0\ncpu 0 written 1 read 0 lost 0 buffered 0\ntotal written 1 read 0 lost 0 buffered 0\n",
	  "line 2: duplicate line: \"cpu 0 written 1 read 0 lost 0 buffered 0\"" },
	{ "cpu 0 written 1 read 0 lost 0 buffered 0\ntotal written 1 read 0 lost 0 buffered 0\ntotal written 1 read 0 lost 0 buffered 0\n",
	  "line 3: duplicate line: \"total written 1 read 0 lost 0 buffered 0\"" },
	{ "cpu 0 written 1 read 0 lost 0 buffered 0\n",
	  "no 'total' line" },
	/* symbols go into JSON unescaped: word characters only */
	{ "mode fl\"ight\ncpu 0 written 1 read 0 lost 0 buffered 0\n",
	  "line 1: malformed mode line \"mode fl\"ight\" (expected \"mode SYMBOL\")" },
	{ "total written 1 read 0 lost 0 buffered 0\n",
	  "no 'cpu' line" },
};

static int test_parse_malformed(const void *arg)
{
	struct cp_stats st = { 0 };
	char err[256];
	size_t i;
	int ret = 1;

	(void)arg;
	for (i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++) {
		err[0] = '\0';
		CHECK_INT(parse(BAD[i].text, &st, err, sizeof(err)), -1);
		CHECK_STR(err, BAD[i].err);
		stats_free(&st);
	}
	ret = 0;
fail:
	stats_free(&st);
	return ret;
}

static int test_print_json(const void *arg)
{
	struct cp_stats st = { 0 };
	struct memout c = { 0 };
	char err[256] = "";
	int ret = 1;

	(void)arg;
	CHECK_INT(parse(GOOD, &st, err, sizeof(err)), 0);
	CHECK(memout_open(&c));
	stats_print_json(c.f, &st);
	CHECK_STR(memout_text(&c),
		  "{\"cpus\":[{\"cpu\":0,\"written\":12,\"read\":9,\"lost\":0,\"buffered\":3},"
		  "{\"cpu\":1,\"written\":8,\"read\":3,\"lost\":5,\"buffered\":0}],"
		  "\"total\":{\"written\":20,\"read\":12,\"lost\":5,\"buffered\":3},"
		  "\"probes\":[{\"symbol\":\"__sys_connect\",\"nmissed\":2,\"kp_nmissed\":1,\"maxactive\":4096}],"
		  "\"mode\":\"flight\",\"buf_size\":65536,\"attempts_untracked\":7,"
		  "\"attempts_reclaimed\":4,\"filtered_calls\":11,\"filtered_records\":13}\n");
	memout_close(&c);
	CHECK(memout_open(&c));
	stats_print_text(c.f, &st);
	CHECK_HAS(memout_text(&c),
		  "\nTCP attempts untracked (table full): 7\n"
		  "TCP attempts gone with their socket, no record: 4\n"
		  "Turned away by the module's filter: 11 calls, 13 records\n");
	ret = 0;
fail:
	memout_close(&c);
	stats_free(&st);
	return ret;
}

/* An older module's file: what it does not say is null, not 0. */
static int test_print_missing_lines(const void *arg)
{
	static const char OLD[] =
		"cpu 0 written 1 read 1 lost 0 buffered 0\n"
		"total written 1 read 1 lost 0 buffered 0\n";
	struct cp_stats st = { 0 };
	struct memout c = { 0 }, t = { 0 };
	char err[256] = "";
	const char *text;
	int ret = 1;

	(void)arg;
	CHECK_INT(parse(OLD, &st, err, sizeof(err)), 0);
	CHECK(memout_open(&c));
	stats_print_json(c.f, &st);
	CHECK_HAS(memout_text(&c),
		  "\"probes\":[],\"mode\":null,\"buf_size\":null,"
		  "\"attempts_untracked\":null,\"attempts_reclaimed\":null,"
		  "\"filtered_calls\":null,"
		  "\"filtered_records\":null}\n");
	CHECK(memout_open(&t));
	stats_print_text(t.f, &st);
	text = memout_text(&t);
	CHECK_HAS(text, "TCP attempts untracked (table full): unknown\n");
	CHECK_HAS(text, "TCP attempts gone with their socket, no record: unknown\n");
	CHECK_HAS(text, "Turned away by the module's filter: unknown\n");
	ret = 0;
fail:
	memout_close(&c);
	memout_close(&t);
	stats_free(&st);
	return ret;
}

static int test_diff_and_losses(const void *arg)
{
	struct cp_stats a = { 0 }, b = { 0 };
	struct memout c = { 0 };
	char err[256] = "";
	int ret = 1;

	(void)arg;
	CHECK_INT(parse(GOOD, &a, err, sizeof(err)), 0);
	CHECK_INT(parse("cpu 0 written 20 read 9 lost 0 buffered 11\n"
			      "cpu 1 written 15 read 3 lost 12 buffered 0\n"
			      "cpu 2 written 3 read 0 lost 3 buffered 0\n"	/* came online */
			      "total written 38 read 12 lost 15 buffered 11\n"
			      "probe __sys_connect nmissed 5 kp_nmissed 1 maxactive 4096\n"
			      "probe __sys_connect_file nmissed 0 kp_nmissed 4 maxactive 20\n",
			      &b, err, sizeof(err)), 0);
	stats_diff(&a, &b);
	CHECK_INT(b.total_lost, 10);
	CHECK_INT(b.total_written, 18);
	CHECK_INT(b.nr_cpus, 3);
	CHECK_INT(b.cpus[2].lost, 3);
	CHECK_INT(b.cpus[0].written, 8);
	CHECK_INT(b.nr_probes, 2);
	CHECK_INT(b.probes[0].nmissed, 3);
	CHECK(memout_open(&c));
	stats_print_losses(c.f, &b);
	CHECK_STR(memout_text(&c),
		  "lost 7 records on CPU #1\n"
		  "lost 3 records on CPU #2\n"
		  "missed 3 calls in probe __sys_connect (nmissed: maxactive 4096 too low)\n"
		  "missed 4 calls in probe __sys_connect_file (kp_nmissed: probe hit while a handler ran)\n");
	/* a reloaded module restarts its counters */
	CHECK_INT(stats_delta(100, 4), 4);
	ret = 0;
fail:
	memout_close(&c);
	stats_free(&a);
	stats_free(&b);
	return ret;
}

/*
 * A directory that --debugfs allows (it fits PATH_MAX) but whose stats
 * file does not: said, not read at a path cut short.
 */
static int test_read_path_too_long(const void *arg)
{
	char dir[PATH_MAX - 3], err[PATH_MAX + 64];
	struct cp_stats st;
	size_t i;

	(void)arg;
	for (i = 0; i < sizeof(dir) - 1; i++)
		dir[i] = i % 2 ? 'a' : '/';
	dir[i] = '\0';
	CHECK_INT(stats_read(dir, &st, err, sizeof(err)), -1);
	CHECK(!strncmp(err, dir, strlen(dir)));
	CHECK_STR(err + strlen(dir), ": path too long");
	return 0;
fail:
	return 1;
}

TEST_LIST(stats_tests) = {
	{ "stats: parse the documented lines", test_parse_good },
	{ "stats: unknown extra lines are skipped", test_parse_unknown_lines },
	{ "stats: malformed known lines fail with line and shape", test_parse_malformed },
	{ "stats: JSON object and text, attempts_reclaimed too", test_print_json },
	{ "stats: lines the module did not write are null, not 0", test_print_missing_lines },
	{ "stats: diff of two reads, per-CPU lost and per-probe missed lines", test_diff_and_losses },
	{ "stats: a path past PATH_MAX is an error", test_read_path_too_long },
	{ NULL, NULL },
};
