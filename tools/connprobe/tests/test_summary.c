// SPDX-License-Identifier: GPL-2.0
/* summary: records per outcome, attempts per destination and process. */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "views.h"
#include "fixtures.h"
#include "runner.h"

/* A zeroed, initialised summary (it is large for the stack); NULL: OOM. */
static struct cp_agg *new_summary(void)
{
	static const struct agg_opts summary_parts = { .parts = AGG_GROUPS };
	struct cp_agg *s = calloc(1, sizeof(*s));

	if (s)
		agg_init(s, &summary_parts);
	return s;
}

static void free_summary(struct cp_agg *s)
{
	if (s)
		agg_free(s);
	free(s);
}

/* The stats of the only group of @t. */
static const struct group_stats *only(const struct group_table *t)
{
	return t->tab.nr == 1 ? &((struct group *)htab_entry(&t->tab, 0))->st
			      : NULL;
}

static int test_outcomes_count_records(const void *arg)
{
	struct connprobe_record ok = rec_refused_v4(1, 0, 1), refused;
	struct cp_agg *s = new_summary();
	struct cp_outcome key = { .event = CONNPROBE_EVENT_CONNECT };
	const struct group *g;
	int i, ret = 1;

	(void)arg;
	CHECK(s);
	ok.ret = 0;
	refused = rec_refused_v4(2, 0, 2);
	for (i = 0; i < 3; i++)
		CHECK_INT(agg_add(s, &ok), 0);
	CHECK_INT(agg_add(s, &refused), 0);
	CHECK_INT(s->outcomes.tab.nr, 2);
	g = htab_find(&s->outcomes.tab, &key);
	CHECK(g);
	CHECK_INT(g->st.count, 3);
	CHECK_INT(g->st.failed, 0);
	/* same destination and process: one group each, 1 of 4 failed */
	CHECK(only(&s->dests) && only(&s->procs));
	CHECK_INT(only(&s->dests)->count, 4);
	CHECK_INT(only(&s->dests)->failed, 1);
	CHECK_INT(only(&s->procs)->lat.count, 4);
	CHECK_INT(s->records, 4);
	CHECK_INT(s->failed, 1);
	ret = 0;
fail:
	free_summary(s);
	return ret;
}

static int test_nonblocking_is_one_attempt(const void *arg)
{
	struct connprobe_record c = rec_refused_v4(1, 0, 1), done;
	struct cp_agg *s = new_summary();
	int ret = 1;

	(void)arg;
	CHECK(s);
	c.ret = -115;
	c.id = 77;
	c.latency_ns = 9000;
	CHECK_INT(agg_add(s, &c), 0);
	CHECK_INT(s->pending.nr, 1);
	/* the completion comes from another context: its pid is not ours */
	done = rec_complete(&c, -111, 30000000);
	done.pid = 9999;
	CHECK_INT(agg_add(s, &done), 0);
	CHECK_INT(s->pending.nr, 0);
	/* one attempt, failed, with the completion's latency, for pid 100 */
	CHECK(only(&s->dests) && only(&s->procs));
	CHECK_INT(only(&s->procs)->count, 1);
	CHECK_INT(only(&s->procs)->failed, 1);
	CHECK_INT(only(&s->procs)->lat.count, 1);
	CHECK_INT(only(&s->procs)->lat.max, 30000000);
	CHECK_INT(((struct proc_key *)htab_entry(&s->procs.tab, 0))->pid, 100);
	/* the outcome table still shows both records */
	CHECK_INT(s->outcomes.tab.nr, 2);
	CHECK_INT(s->records - s->completes, 1);
	CHECK_INT(s->completes, 1);
	ret = 0;
fail:
	free_summary(s);
	return ret;
}

static int test_complete_without_connect(const void *arg)
{
	struct connprobe_record c = rec_refused_v4(1, 0, 1), done;
	struct cp_agg *s = new_summary();
	int ret = 1;

	(void)arg;
	CHECK(s);
	c.id = 5;
	/* its connect was filtered out or came before the run */
	done = rec_complete(&c, 0, 1000);
	CHECK_INT(agg_add(s, &done), 0);
	CHECK(only(&s->dests));
	CHECK_INT(only(&s->dests)->count, 1);
	CHECK_INT(only(&s->dests)->failed, 0);
	ret = 0;
fail:
	free_summary(s);
	return ret;
}

static int test_other_row(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1, 0, 1);
	struct cp_agg *s = new_summary();
	unsigned int i;
	int ret = 1;

	(void)arg;
	CHECK(s);
	for (i = 0; i < AGG_MAX_GROUPS + 10; i++) {
		r.pid = i;
		CHECK_INT(agg_add(s, &r), 0);
	}
	/* beyond the cap, processes fold into one row; nothing is lost */
	CHECK_INT(s->procs.tab.nr, AGG_MAX_GROUPS);
	CHECK_INT(s->procs.other.g.st.count, 10);
	r.pid = 3;	/* a known group still counts as itself */
	CHECK_INT(agg_add(s, &r), 0);
	CHECK_INT(s->procs.other.g.st.count, 10);
	ret = 0;
fail:
	free_summary(s);
	return ret;
}

/* Render @s as text or JSON. */
static const char *render(struct memout *c, const struct cp_agg *s,
			  bool json, unsigned int rows,
			  const struct cp_stats *lost)
{
	struct cp_out *o = memout_out(c);

	if (!o)
		return NULL;
	summary_print(o, s, &(struct view_opts){ .json = json, .rows = rows },
		      lost);
	return memout_text(c);
}

static int test_print(const void *arg)
{
	struct connprobe_record r[4] = {
		rec_refused_v4(1, 0, 1), rec_refused_v4(2, 0, 2),
		rec_refused_v4(3, 0, 3), rec_new(4, 0, 4),
	};
	struct cp_agg *s = new_summary();
	struct cp_stats lost = { .total_lost = 4 };
	struct memout c = { 0 };
	int i, ret = 1;

	(void)arg;
	CHECK(s);
	r[0].ret = r[1].ret = 0;
	r[1].latency_ns = 2000000;
	r[3].pid = 7;
	rec_comm(&r[3], "sshd");
	rec_unix(&r[3], SOCK_STREAM, "\0dbus", 5);
	for (i = 0; i < 4; i++)
		CHECK_INT(agg_add(s, &r[i]), 0);
	CHECK_STR(render(&c, s, false, 0, &lost),
		  "OUTCOME            COUNT  FAIL%    P50(ms)    P99(ms)    MAX(ms)\n"
		  "OK                     3    0.0      0.052      2.000      2.000\n"
		  "ECONNREFUSED           1  100.0      0.052      0.052      0.052\n"
		  "\n"
		  "PROTO  DESTINATION        COUNT  FAIL%    P50(ms)    P99(ms)    MAX(ms)\n"
		  "tcp    127.0.0.1:80           3   33.3      0.052      2.000      2.000\n"
		  "stream @dbus                  1    0.0      0.000      0.000      0.000\n"
		  "\n"
		  "PID COMM       COUNT  FAIL%    P50(ms)    P99(ms)    MAX(ms)\n"
		  "100 curl           3   33.3      0.052      2.000      2.000\n"
		  "7   sshd           1    0.0      0.000      0.000      0.000\n"
		  "\n"
		  "4 records (4 connect, 0 complete), 1 failed, 0 in progress, 4 lost\n");
	memout_close(&c);
	/* -n 1: the largest group of each table */
	CHECK_STR(render(&c, s, true, 1, NULL),
		  "{\"records\":4,\"connect\":4,\"complete\":0,\"failed\":1,\"in_progress\":0,\"lost\":null,"
		  "\"outcomes\":[{\"count\":3,\"event\":\"connect\",\"outcome\":\"OK\",\"failed\":0,\"p50_ns\":52223,\"p99_ns\":2000000,\"max_ns\":2000000}],"
		  "\"destinations\":[{\"count\":3,\"family\":\"inet\",\"proto\":\"tcp\",\"daddr\":\"127.0.0.1\",\"dport\":80,\"failed\":1,\"p50_ns\":52223,\"p99_ns\":2000000,\"max_ns\":2000000}],"
		  "\"processes\":[{\"count\":3,\"pid\":100,\"comm\":\"curl\",\"failed\":1,\"p50_ns\":52223,\"p99_ns\":2000000,\"max_ns\":2000000}]}\n");
	ret = 0;
fail:
	memout_close(&c);
	free_summary(s);
	return ret;
}

/*
 * Two AF_UNIX paths whose hashes collide ("b" and "a\0", a path that
 * ends in a NUL) stay two groups, each shown with its own path.
 */
static int test_unix_paths_own_group(const void *arg)
{
	struct connprobe_record r[2] = { rec_new(1, 0, 1), rec_new(2, 0, 2) };
	struct cp_agg *s = new_summary();
	struct memout c = { 0 };
	const char *text;
	int ret = 1;

	(void)arg;
	CHECK(s);
	rec_unix(&r[0], SOCK_STREAM, "b", 1);
	rec_unix(&r[1], SOCK_STREAM, "a\0", 2);
	r[1].ret = -111;
	CHECK_INT(agg_add(s, &r[0]), 0);
	CHECK_INT(agg_add(s, &r[1]), 0);
	CHECK_INT(s->dests.tab.nr, 2);
	text = render(&c, s, true, 0, NULL);
	CHECK(text);
	CHECK_HAS(text, "\"daddr\":\"b\",\"dport\":null,\"failed\":0");
	CHECK_HAS(text, "\"daddr\":\"a\",\"dport\":null,\"failed\":1");
	ret = 0;
fail:
	memout_close(&c);
	free_summary(s);
	return ret;
}

/*
 * view_printf() prints what it is given whole, where the buffer has less
 * room left than that (it tries there first) and past 1023 bytes.
 */
static int test_view_printf_long(const void *arg)
{
	struct memout c = { 0 };
	char big[5000];
	const char *text;
	size_t i;
	int ret = 1;

	(void)arg;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(memout_out(&c));
	for (i = 0; i < OUT_BUF_SIZE - 100; i++)
		out_char(&c.out, 'y');
	view_printf(&c.out, "<%s>%d", big, 42);
	text = memout_text(&c);
	CHECK(text);
	CHECK_INT(strlen(text), OUT_BUF_SIZE - 100 + sizeof(big) - 1 + 4);
	text += OUT_BUF_SIZE - 100;
	CHECK(text[0] == '<' && text[1] == 'x');
	CHECK_STR(text + sizeof(big), ">42");
	ret = 0;
fail:
	memout_close(&c);
	return ret;
}

TEST_LIST(summary_tests) = {
	{ "summary: outcomes count records; one group per destination/process", test_outcomes_count_records },
	{ "summary: EINPROGRESS + COMPLETE is one attempt, by id", test_nonblocking_is_one_attempt },
	{ "summary: a COMPLETE without its connect is an attempt", test_complete_without_connect },
	{ "summary: groups beyond the cap fold into (other)", test_other_row },
	{ "summary: tables and JSON, rows sorted and cut", test_print },
	{ "summary: AF_UNIX paths whose hashes collide keep their own groups", test_unix_paths_own_group },
	{ "view_printf: a line longer than its buffer, whole", test_view_printf_long },
	{ NULL, NULL },
};
