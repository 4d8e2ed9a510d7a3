// SPDX-License-Identifier: GPL-2.0
/*
 * torture: every control operation of connprobe, in random interleavings,
 * under a connect load, for a bounded time; the guest side of
 * `make torture` (scripts/guest/torture.sh).  See torture.h for the parts.
 *
 * usage: torture [MODULE]		(MODULE: /connprobe.ko by default)
 *
 * Environment (each optional):
 *   TORTURE_SECONDS       how long operators and load run (600)
 *   TORTURE_SEED          the seed of every thread's generator; a random
 *                         one otherwise.  Printed first ("# torture seed
 *                         N"): the same seed replays the same sequence of
 *                         operations and calls in each thread, though not
 *                         the same interleaving of the threads.
 *   TORTURE_OPERATORS     operator threads (4), TORTURE_LOADERS load
 *                         threads (4), each at most 16
 *   TORTURE_HANG_SECONDS  an operation running longer is a hang (60)
 *   TORTURE_SKIP          operations never to draw, by name, separated by
 *                         commas (e.g. "buf_size" while a known bug of its
 *                         is being fixed); none by default
 *
 * It fails (TAP "not ok", exit 1) when an operation hangs, when a record
 * read is framed wrong or differs from the call it reports (torture_check.c),
 * or when, at the end, with the load stopped, the module loaded and every
 * buffer drained, written != read + lost + buffered on a CPU or in total.
 * The kernel's own reports (oops, WARN, lockdep, KASAN, hung tasks) are
 * judged by vm-run.sh on the console.
 *
 * It forks: the child, the engine, runs everything; the parent, the
 * supervisor (torture_watch.c), only watches it for hangs.
 *
 * Refuses to run where a network device other than lo exists: it loads and
 * unloads modules and takes CPUs offline, which belongs in the test VM.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "record_reader.h"
#include "torture.h"

/* Reads of one cpuN file while draining it at the end, at most. */
#define DRAIN_READS	100000
/* How long the load runs at the end with the module surely loaded. */
#define FINAL_LOAD_S	2
/* Seconds between progress lines. */
#define PROGRESS_S	30

struct config cfg;
struct shared *shared;

static int env_int(const char *name, int def, int min, int max)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return def;
	v = strtol(s, &end, 10);
	if (*end || v < min || v > max) {
		fprintf(stderr, "torture: %s=%s is not in [%d, %d]\n", name, s,
			min, max);
		exit(2);
	}
	return v;
}

static unsigned long long random_seed(void)
{
	unsigned long long seed = 0;
	int fd = open("/dev/urandom", O_RDONLY);

	if (fd < 0 || read(fd, &seed, sizeof(seed)) != sizeof(seed))
		seed = (unsigned long long)time(NULL) ^ getpid();
	if (fd >= 0)
		close(fd);
	/* Short enough to type again. */
	return seed % 1000000000000ull;
}

/* TORTURE_SKIP: op names, separated by commas or blanks. */
static unsigned int skip_ops(const char *list)
{
	char buf[256], *name, *save;
	unsigned int mask = 0;
	int op;

	snprintf(buf, sizeof(buf), "%s", list ?: "");
	for (name = strtok_r(buf, ", ", &save); name;
	     name = strtok_r(NULL, ", ", &save)) {
		for (op = 0; op < OP_N && strcmp(name, op_name(op)); op++)
			;
		if (op == OP_N) {
			fprintf(stderr, "torture: TORTURE_SKIP: no operation is called %s\n",
				name);
			exit(2);
		}
		mask |= 1u << op;
	}
	if (mask == (1u << OP_N) - 1) {
		fprintf(stderr, "torture: TORTURE_SKIP leaves no operation\n");
		exit(2);
	}
	return mask;
}

static void configure(int argc, char **argv)
{
	const char *s = getenv("TORTURE_SEED");
	char *end;

	cfg.seconds = env_int("TORTURE_SECONDS", 600, 1, 7 * 24 * 3600);
	cfg.operators = env_int("TORTURE_OPERATORS", 4, 1, MAX_OPERATORS);
	cfg.loaders = env_int("TORTURE_LOADERS", 4, 1, MAX_LOADERS);
	cfg.hang_seconds = env_int("TORTURE_HANG_SECONDS", 60, 5, 3600);
	cfg.skip_ops = skip_ops(getenv("TORTURE_SKIP"));
	cfg.ko = argc > 1 ? argv[1] : "/connprobe.ko";
	cfg.ncpus = sysconf(_SC_NPROCESSORS_CONF);
	if (cfg.ncpus < 1)
		cfg.ncpus = 1;
	if (s && *s) {
		cfg.seed = strtoull(s, &end, 10);
		if (*end) {
			fprintf(stderr, "torture: TORTURE_SEED=%s is not a number\n",
				s);
			exit(2);
		}
	} else {
		cfg.seed = random_seed();
	}
}

uint64_t now_ns(void)
{
	return monotonic_ns();
}

void rng_init(struct rng *r, unsigned long long seed, unsigned int stream)
{
	r->s = seed ^ (0xd1b54a32d192ed03ull * (stream + 1));
	rng_next(r);
}

uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

unsigned int rng_below(struct rng *r, unsigned int n)
{
	return n ? rng_next(r) % n : 0;
}

unsigned int rng_weighted(struct rng *r, const unsigned int *weights,
			  unsigned int n)
{
	unsigned int i, total = 0, pick;

	for (i = 0; i < n; i++)
		total += weights[i];
	pick = rng_below(r, total);
	for (i = 0; i + 1 < n && pick >= weights[i]; i++)
		pick -= weights[i];
	return i;
}

void beat_start(int slot, int what)
{
	struct beat *b = &shared->beat[slot];

	__atomic_store_n(&b->tid, gettid(), __ATOMIC_RELAXED);
	__atomic_store_n(&b->what, what, __ATOMIC_RELAXED);
	__atomic_store_n(&b->since_ns, now_ns(), __ATOMIC_RELEASE);
}

void beat_end(int slot)
{
	__atomic_store_n(&shared->beat[slot].since_ns, 0, __ATOMIC_RELEASE);
}

void sleep_ms(unsigned int ms)
{
	struct timespec ts = {
		.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000l,
	};

	nanosleep(&ts, NULL);
}

/* --------------------------------------------------------------- engine */

/* Read every cpuN file until it is empty. */
static int drain(struct seen_log *log)
{
	struct connprobe_record batch[64];
	char path[sizeof(CONNPROBE_PATH) + 300], tail;
	struct dirent *de;
	unsigned int cpu;
	int fd, i, err = 0;
	ssize_t n;
	DIR *dir;

	dir = opendir(CONNPROBE_PATH);
	if (!dir)
		return errno;
	while ((de = readdir(dir))) {
		if (sscanf(de->d_name, CONNPROBE_CPU_FILE_BASE "%u%c", &cpu,
			   &tail) != 1)
			continue;
		snprintf(path, sizeof(path), "%s/%s", CONNPROBE_PATH,
			 de->d_name);
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0) {
			err = errno;
			continue;
		}
		for (i = 0; i < DRAIN_READS; i++) {
			n = read(fd, batch, sizeof(batch));
			if (n <= 0) {
				if (n < 0)
					err = errno;
				break;
			}
			seen_take(log, batch, n, cpu);
		}
		if (i == DRAIN_READS)
			err = EAGAIN;
		close(fd);
	}
	closedir(dir);
	return err;
}

/*
 * The accounting, quiet: on every CPU and in total, written == read + lost
 * + buffered.  Prints the lines it checked.
 */
static bool accounting(unsigned long long *written, char *why, size_t len)
{
	unsigned long long w, r, l, b;
	char buf[65536], *line, *save;
	int ncpu = 0, bad = 0, err;
	bool total = false;
	unsigned int cpu;

	err = read_file(CONNPROBE_PATH "/" CONNPROBE_STATS_FILE, buf,
			sizeof(buf));
	if (err) {
		snprintf(why, len, "stats: %s", strerror(err));
		return false;
	}
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "cpu %u written %llu read %llu lost %llu buffered %llu",
			   &cpu, &w, &r, &l, &b) == 5) {
			ncpu++;
		} else if (sscanf(line, "total written %llu read %llu lost %llu buffered %llu",
				  &w, &r, &l, &b) == 4) {
			total = true;
			*written = w;
		} else {
			continue;
		}
		printf("# stats: %s\n", line);
		if (w != r + l + b) {
			if (!bad++)
				snprintf(why, len, "%s: %lld off", line,
					 (long long)(w - r - l - b));
		}
	}
	if (!bad && (!ncpu || !total))
		snprintf(why, len, "stats has %d cpu lines and %s total line",
			 ncpu, total ? "a" : "no");
	return !bad && ncpu && total;
}

/* The last rmmod: nothing holds the module any more; bounded retries. */
static bool unload(char *why, size_t len)
{
	int tries, err = 0;

	for (tries = 0; tries < 20; tries++) {
		err = module_remove();
		if (!err || err == ENOENT)
			break;
		sleep_ms(500);
	}
	if (err && err != ENOENT) {
		snprintf(why, len, "rmmod: %s", strerror(err));
		return false;
	}
	if (module_loaded() || !access(CONNPROBE_PATH, F_OK)) {
		snprintf(why, len, "the module or its debugfs directory is left");
		return false;
	}
	return true;
}

/* Whether a TAP line said "not ok": the engine's exit status. */
static int failed;

/* One TAP line of the engine's. */
__attribute__((format(printf, 2, 3)))
static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s - torture: ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok)
		failed = 1;
}

/* Bring the module back for the end: loaded, no filter. */
static bool settle(char *why, size_t len)
{
	int tries, err = 0;

	if (cfg.ncpus > 1)
		err = write_file("/sys/devices/system/cpu/cpu1/online", "1");
	if (err)
		printf("# cpu1 online at the end: %s\n", strerror(err));
	for (tries = 0; tries < 10 && !module_loaded(); tries++) {
		err = module_insert("");
		if (err && err != EEXIST)
			sleep_ms(500);
	}
	if (!module_loaded()) {
		snprintf(why, len, "insmod at the end: %s", strerror(err));
		return false;
	}
	err = write_file(CONNPROBE_PATH "/" CONNPROBE_FILTER_FILE, "none\n");
	if (err)
		printf("# filter none at the end: %s\n", strerror(err));
	return true;
}

static void run_until(uint64_t end)
{
	uint64_t start = now_ns(), next = start + PROGRESS_S * 1000000000ull;

	while (now_ns() < end) {
		sleep_ms(250);
		if (now_ns() < next)
			continue;
		next += PROGRESS_S * 1000000000ull;
		printf("# t=%.0f s: %llu operations, %llu calls, %llu records read, module %s\n",
		       (now_ns() - start) / 1e9,
		       (unsigned long long)total_ops(shared),
		       (unsigned long long)total_calls(shared),
		       (unsigned long long)seen_total(),
		       module_loaded() ? "loaded" : "not loaded");
	}
}

/* What was read and checked, as figures. */
static void print_records(struct seen_log *const *logs, int nlogs,
			  const struct verdict *v)
{
	unsigned long long reads = 0, records = 0, others = 0, kept = 0;
	unsigned long long dropped = 0;
	int i;

	for (i = 0; i < nlogs; i++) {
		reads += logs[i]->reads;
		records += logs[i]->records;
		others += logs[i]->others;
		kept += logs[i]->n;
		dropped += logs[i]->dropped;
	}
	printf("# records: %llu read in %llu reads (%llu at the end), %llu of other processes, %llu of the load kept, %llu not kept (memory bound)\n",
	       records, reads, (unsigned long long)logs[nlogs - 1]->records,
	       others, kept, dropped);
	printf("# checked: %llu CONNECT records, %llu COMPLETE records (%llu with their CONNECT read); %llu of %llu calls have a record\n",
	       (unsigned long long)v->connects,
	       (unsigned long long)v->completes,
	       (unsigned long long)v->completes_with_connect,
	       (unsigned long long)v->calls_recorded,
	       (unsigned long long)v->calls);
	for (i = 0; i < v->nwrong[0]; i++)
		printf("# wrong: %s\n", v->wrong[0][i]);
	for (i = 0; i < v->nwrong[1]; i++)
		printf("# wrong: %s\n", v->wrong[1][i]);
	if (v->unchecked)
		printf("# %llu records not checked: made after their thread's ledger filled\n",
		       (unsigned long long)v->unchecked);
}

/* The records' verdicts: framing, CONNECT records, COMPLETE records. */
static void tap_records(const struct verdict *v)
{
	char why[256];
	uint64_t bad = seen_bad(why, sizeof(why));

	tap(!bad, "every read returned whole records, each framed right%s%s",
	    bad ? ": " : "", bad ? why : "");
	/* None checked would prove nothing. */
	tap(!v->wrong_connects && v->connects,
	    "every CONNECT record of the load matches one call of its ledger: tid, destination, ret (%llu checked, %llu wrong)",
	    (unsigned long long)v->connects,
	    (unsigned long long)v->wrong_connects);
	tap(!v->wrong_completes,
	    "every COMPLETE record matches an attempt left in progress, with its CONNECT record's id (%llu checked, %llu wrong)",
	    (unsigned long long)v->completes,
	    (unsigned long long)v->wrong_completes);
}

/* The load made every kind of call; io_uring only where the kernel has it. */
static void tap_kinds(void)
{
	char missing[128] = "";
	int kind;

	for (kind = 0; kind < K_N; kind++)
		if (!kind_calls(shared, kind) &&
		    (kind != K_IO_URING || load_io_uring_ok()))
			snprintf(missing + strlen(missing),
				 sizeof(missing) - strlen(missing), " %s",
				 kind_name(kind));
	tap(!missing[0], "the load made every kind of call%s%s%s",
	    missing[0] ? ", but not:" : "", missing,
	    load_io_uring_ok() ? "" : " (io_uring unavailable: not made)");
}

static int engine(void)
{
	struct seen_log end_log = { 0 }, *logs[MAX_OPERATORS + 1];
	unsigned long long written = 0;
	struct ledger *ledgers;
	char why[512], others[256];
	struct verdict v;
	int i, nledgers, err;
	bool ok;

	cfg.pid = getpid();
	devices_besides_lo(others, sizeof(others));
	if (others[0]) {
		printf("not ok - torture: refusing to run: network devices besides lo: %s (run it in the test VM)\n",
		       others);
		return 2;
	}
	beat_start(BEAT_MAIN, STEP_START);
	err = module_insert("");
	if (err && err != EEXIST) {
		tap(false, "insmod %s at the start: %s", cfg.ko, strerror(err));
		return 1;
	}
	if (load_start() || ops_start())
		return 1;
	beat_end(BEAT_MAIN);
	run_until(now_ns() + (uint64_t)cfg.seconds * 1000000000ull);

	beat_start(BEAT_MAIN, STEP_STOP_OPS);
	ops_stop();
	beat_start(BEAT_MAIN, STEP_SETTLE);
	ok = settle(why, sizeof(why));
	beat_end(BEAT_MAIN);
	sleep_ms(FINAL_LOAD_S * 1000);
	beat_start(BEAT_MAIN, STEP_STOP_LOAD);
	load_stop();
	beat_end(BEAT_MAIN);
	sleep_ms(1000);
	if (ok) {
		beat_start(BEAT_MAIN, STEP_DRAIN);
		err = drain(&end_log);
		if (err)
			printf("# draining at the end: %s\n", strerror(err));
		beat_start(BEAT_MAIN, STEP_STATS);
		ok = accounting(&written, why, sizeof(why));
	}
	beat_end(BEAT_MAIN);

	report_counts(shared);
	for (i = 0; i < cfg.operators; i++)
		logs[i] = ops_log(i);
	logs[i] = &end_log;
	ledgers = load_ledgers(&nledgers);
	check_records(logs, cfg.operators + 1, ledgers, nledgers, &v);
	print_records(logs, cfg.operators + 1, &v);

	tap(ok, "accounting once quiet, drained, module loaded: written == read + lost + buffered per CPU and in total (written %llu)%s%s",
	    written, ok ? "" : ": ", ok ? "" : why);
	tap_records(&v);
	beat_start(BEAT_MAIN, STEP_UNLOAD);
	ok = unload(why, sizeof(why));
	beat_end(BEAT_MAIN);
	tap(ok, "rmmod at the end, nothing left%s%s", ok ? "" : ": ",
	    ok ? "" : why);
	tap_kinds();
	if (failed)
		printf("# torture failed: replay with TORTURE_SEED=%llu\n",
		       cfg.seed);
	fflush(stdout);
	return failed;
}

int main(int argc, char **argv)
{
	pid_t child;

	setvbuf(stdout, NULL, _IOLBF, 0);
	configure(argc, argv);
	printf("# torture seed %llu\n", cfg.seed);
	printf("# torture: %d s, %d operators, %d load threads, %d CPUs, a hang after %d s, module %s\n",
	       cfg.seconds, cfg.operators, cfg.loaders, cfg.ncpus,
	       cfg.hang_seconds, cfg.ko);
	if (cfg.skip_ops)
		printf("# torture: TORTURE_SKIP=%s: never drawn\n",
		       getenv("TORTURE_SKIP"));
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		perror("torture: mmap");
		return 2;
	}
	fflush(stdout);
	child = fork();
	if (child < 0) {
		perror("torture: fork");
		return 2;
	}
	if (!child)
		_exit(engine());
	return supervise(child);
}
