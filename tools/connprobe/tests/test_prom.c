// SPDX-License-Identifier: GPL-2.0
/* Prometheus exposition and the atomic textfile. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "views.h"
#include "fixtures.h"
#include "runner.h"

static const struct agg_opts prom_parts = { .parts = AGG_PROM };

static const char *render(struct memout *c, struct cp_agg *p,
			  const struct cp_stats *lost)
{
	struct cp_out *o = memout_out(c);

	if (!o)
		return NULL;
	prom_print(o, p, &(struct view_opts){ .view = AV_PROM }, lost);
	return memout_text(c);
}

static int test_counters_by_labels(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1, 0, 1), done;
	struct cp_agg p;
	struct memout c = { 0 };
	const char *text;
	int ret = 1;

	(void)arg;
	agg_init(&p, &prom_parts);
	CHECK_INT(agg_add(&p, &r), 0);
	CHECK_INT(agg_add(&p, &r), 0);
	r.ret = -115;
	CHECK_INT(agg_add(&p, &r), 0);
	done = rec_complete(&r, 0, 3000000);
	CHECK_INT(agg_add(&p, &done), 0);
	r.flags = 0;		/* EBADF-like: no socket known */
	r.ret = -9;
	CHECK_INT(agg_add(&p, &r), 0);
	text = render(&c, &p, NULL);
	CHECK_HAS(text, "# TYPE connprobe_connect_calls_total counter\n");
	CHECK_HAS(text, "connprobe_connect_calls_total{outcome=\"ECONNREFUSED\",family=\"inet\",protocol=\"tcp\"} 2\n");
	CHECK_HAS(text, "connprobe_connect_calls_total{outcome=\"EINPROGRESS\",family=\"inet\",protocol=\"tcp\"} 1\n");
	CHECK_HAS(text, "connprobe_connect_calls_total{outcome=\"EBADF\",family=\"unknown\",protocol=\"unknown\"} 1\n");
	CHECK_HAS(text, "connprobe_connect_completions_total{outcome=\"OK\",family=\"inet\",protocol=\"tcp\"} 1\n");
	/* losses unknown: no loss counters rather than a made-up 0 */
	CHECK(!strstr(text, "connprobe_lost_records_total"));
	ret = 0;
fail:
	memout_close(&c);
	agg_free(&p);
	return ret;
}

/* What the caller got: the kernel's restart codes are EINTR, one series. */
static int test_caller_view(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1, 0, 1);
	struct cp_agg p;
	struct memout c = { 0 };
	const char *text;
	int ret = 1;

	(void)arg;
	agg_init(&p, &prom_parts);
	r.ret = -512;		/* ERESTARTSYS */
	CHECK_INT(agg_add(&p, &r), 0);
	r.ret = -514;		/* ERESTARTNOHAND */
	CHECK_INT(agg_add(&p, &r), 0);
	r.ret = -4;
	CHECK_INT(agg_add(&p, &r), 0);
	text = render(&c, &p, NULL);
	CHECK_HAS(text, "connprobe_connect_calls_total{outcome=\"EINTR\",family=\"inet\",protocol=\"tcp\"} 3\n");
	CHECK_HAS(text, "connprobe_connect_duration_seconds_count{outcome=\"EINTR\"} 3\n");
	CHECK(!strstr(text, "ERESTART"));
	ret = 0;
fail:
	memout_close(&c);
	agg_free(&p);
	return ret;
}

static int test_histogram_buckets(const void *arg)
{
	static const unsigned long long lat[] = {
		50000, 100000, 100001, 2000000, 200000000000ULL,
	};
	struct connprobe_record r = rec_refused_v4(1, 0, 1);
	struct cp_agg p;
	struct memout c = { 0 };
	const char *text;
	size_t i;
	int ret = 1;

	(void)arg;
	agg_init(&p, &prom_parts);
	for (i = 0; i < ARRAY_LEN(lat); i++) {
		r.latency_ns = lat[i];
		CHECK_INT(agg_add(&p, &r), 0);
	}
	text = render(&c, &p, NULL);
	CHECK_HAS(text, "# TYPE connprobe_connect_duration_seconds histogram\n");
	/* le is inclusive; buckets are cumulative; past 120 s only +Inf */
	CHECK_HAS(text, "connprobe_connect_duration_seconds_bucket{outcome=\"ECONNREFUSED\",le=\"0.0001\"} 2\n");
	CHECK_HAS(text, "connprobe_connect_duration_seconds_bucket{outcome=\"ECONNREFUSED\",le=\"0.00025\"} 3\n");
	CHECK_HAS(text, "connprobe_connect_duration_seconds_bucket{outcome=\"ECONNREFUSED\",le=\"0.0025\"} 4\n");
	CHECK_HAS(text, "connprobe_connect_duration_seconds_bucket{outcome=\"ECONNREFUSED\",le=\"120\"} 4\n");
	CHECK_HAS(text, "connprobe_connect_duration_seconds_bucket{outcome=\"ECONNREFUSED\",le=\"+Inf\"} 5\n");
	CHECK_HAS(text, "connprobe_connect_duration_seconds_sum{outcome=\"ECONNREFUSED\"} 200.002250001\n");
	CHECK_HAS(text, "connprobe_connect_duration_seconds_count{outcome=\"ECONNREFUSED\"} 5\n");
	ret = 0;
fail:
	memout_close(&c);
	agg_free(&p);
	return ret;
}

static int test_losses(const void *arg)
{
	char sym[] = "__sys_connect";
	struct cp_stats_probe probe = { sym, 3, 1, 4096 };
	struct cp_stats lost = { .total_lost = 7, .probes = &probe, .nr_probes = 1 };
	struct cp_agg p;
	struct memout c = { 0 };
	const char *text;
	int ret = 1;

	(void)arg;
	agg_init(&p, &prom_parts);
	text = render(&c, &p, &lost);
	CHECK_HAS(text, "# TYPE connprobe_lost_records_total counter\nconnprobe_lost_records_total 7\n");
	CHECK_HAS(text, "connprobe_missed_calls_total{probe=\"__sys_connect\",reason=\"maxactive\"} 3\n");
	CHECK_HAS(text, "connprobe_missed_calls_total{probe=\"__sys_connect\",reason=\"recursion\"} 1\n");
	ret = 0;
fail:
	memout_close(&c);
	agg_free(&p);
	return ret;
}

/* Names in @dir other than "." and "..", ';'-separated. */
static void list_dir(const char *dir, char *buf, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	buf[0] = '\0';
	while (d && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    strlen(buf) + strlen(de->d_name) + 2 > len)
			continue;
		strcat(buf, de->d_name);
		strcat(buf, ";");
	}
	if (d)
		closedir(d);
}

static int test_textfile_atomic(const void *arg)
{
	struct fakefs fs = { 0 };
	char path[160], names[256], err[256], *text = NULL;
	struct stat st;
	int ret = 1;

	(void)arg;
	CHECK_INT(fakefs_create(&fs), 0);
	CHECK_INT(textfile_write(fs.dir, "connprobe.prom", "a 1\n", 4, err, sizeof(err)), 0);
	CHECK_INT(textfile_write(fs.dir, "connprobe.prom", "a 2\n", 4, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/connprobe.prom", fs.dir);
	text = read_file(path, NULL);
	CHECK_STR(text, "a 2\n");
	/* readable by node_exporter's user; no temporary file left over */
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0644);
	list_dir(fs.dir, names, sizeof(names));
	CHECK_STR(names, "connprobe.prom;");
	CHECK_INT(textfile_write("/nonexistent-dir", "x.prom", "", 0, err, sizeof(err)), -1);
	CHECK_STR(err, "/nonexistent-dir: No such file or directory");
	ret = 0;
fail:
	free(text);
	fakefs_destroy(&fs);
	return ret;
}

/*
 * Failures by destination: failed calls and failed ends only, IPv4 and
 * IPv6 alike; the first PROM_MAX_DESTINATIONS destinations get their own
 * series, later ones count as "other", and a destination that has a
 * series keeps it (each series only grows).
 */
static int test_failures_by_destination(const void *arg)
{
	struct connprobe_record r = rec_refused_v4(1, 0, 1), done;
	struct cp_agg p;
	struct memout c = { 0 };
	char addr[32], want[256];
	const char *text;
	int ret = 1, i;

	(void)arg;
	agg_init(&p, &prom_parts);
	CHECK_INT(agg_add(&p, &r), 0);
	CHECK_INT(agg_add(&p, &r), 0);
	r.ret = 0;		/* a success: not a failure of anyone's */
	CHECK_INT(agg_add(&p, &r), 0);
	r.ret = -115;		/* in progress, then refused */
	rec_daddr(&r, AF_INET6, "2001:db8::1", 443);
	CHECK_INT(agg_add(&p, &r), 0);
	done = rec_complete(&r, -111, 3000000);
	CHECK_INT(agg_add(&p, &done), 0);
	/* 70 more destinations, one timeout each: 62 fit, 8 are "other" */
	r.ret = -110;
	for (i = 0; i < 70; i++) {
		snprintf(addr, sizeof(addr), "10.0.0.%d", i + 1);
		rec_daddr(&r, AF_INET, addr, 22);
		CHECK_INT(agg_add(&p, &r), 0);
	}
	/* one with a series already keeps it; a new one is "other" */
	rec_daddr(&r, AF_INET, "127.0.0.1", 80);
	r.ret = -111;
	CHECK_INT(agg_add(&p, &r), 0);
	rec_daddr(&r, AF_INET, "10.0.1.1", 80);
	CHECK_INT(agg_add(&p, &r), 0);
	text = render(&c, &p, NULL);
	CHECK_HAS(text, "# TYPE connprobe_connect_failures_by_destination_total counter\n");
	CHECK_HAS(text, "connprobe_connect_failures_by_destination_total{event=\"connect\",outcome=\"ECONNREFUSED\",destination=\"127.0.0.1\",port=\"80\"} 3\n");
	CHECK_HAS(text, "connprobe_connect_failures_by_destination_total{event=\"complete\",outcome=\"ECONNREFUSED\",destination=\"2001:db8::1\",port=\"443\"} 1\n");
	CHECK(!strstr(text, "outcome=\"EINPROGRESS\",destination"));
	CHECK(!strstr(text, "outcome=\"OK\",destination"));
	for (i = 0; i < 70; i++) {
		snprintf(want, sizeof(want), "outcome=\"ETIMEDOUT\",destination=\"10.0.0.%d\",port=\"22\"} 1\n", i + 1);
		if (i < PROM_MAX_DESTINATIONS - 2)
			CHECK_HAS(text, want);
		else
			CHECK(!strstr(text, want));
	}
	CHECK_HAS(text, "{event=\"connect\",outcome=\"ETIMEDOUT\",destination=\"other\",port=\"\"} 8\n");
	CHECK_HAS(text, "{event=\"connect\",outcome=\"ECONNREFUSED\",destination=\"other\",port=\"\"} 1\n");
	ret = 0;
fail:
	memout_close(&c);
	agg_free(&p);
	return ret;
}

TEST_LIST(prom_tests) = {
	{ "prom: counters by outcome, family, protocol; completions apart", test_counters_by_labels },
	{ "prom: the caller's EINTR, not the kernel's restart codes", test_caller_view },
	{ "prom: histogram buckets cumulative, le inclusive, sum, count", test_histogram_buckets },
	{ "prom: lost records and missed calls", test_losses },
	{ "prom: failures by destination, bounded: the first 64, then \"other\"", test_failures_by_destination },
	{ "prom: textfile replaced atomically, mode 0644, no temp left", test_textfile_atomic },
	{ NULL, NULL },
};
