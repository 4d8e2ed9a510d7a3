// SPDX-License-Identifier: GPL-2.0
/*
 * torture: the operators.  Each is a thread that runs control operations
 * of the module one after the other, each drawn at random: open, read,
 * poll and close of the cpuN files (an operator holds up to MAX_HELD open
 * between operations: while one is open, rmmod, mode and buf_size are
 * refused), writes of valid and invalid values to buf_size, mode, filter
 * and bench, reads of stats, rmmod and insmod, and cpu1 going offline and
 * online.  Several operators run at once, so operations race each other
 * and the load.  Any answer is legitimate (EBUSY, EINVAL, ENOENT while the
 * module is gone, EEXIST ...): each is tallied, and what matters is the
 * kernel's health, the records read and the accounting (torture.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "record_reader.h"
#include "torture.h"

/* cpuN files an operator keeps open between operations. */
#define MAX_HELD	2
/* Records asked of one read(), at most. */
#define READ_MAX	64
/* Operations of one operator, at most (the run's time bounds them first). */
#define OPS_MAX		10000000ul

#define CPU1_ONLINE	"/sys/devices/system/cpu/cpu1/online"

struct operator {
	int idx;
	pthread_t thread;
	struct rng rng;
	int held[MAX_HELD], held_cpu[MAX_HELD];
	unsigned int nheld;
	struct seen_log log;
};

static struct operator operators[MAX_OPERATORS];
/* Set once, to end the threads' loops. */
static int stop;
static uint64_t hard_end_ns;

/* Until stopped, and never past the run's time and a margin. */
static bool running(void)
{
	return !__atomic_load_n(&stop, __ATOMIC_RELAXED) &&
	       now_ns() < hard_end_ns;
}

/* The weights in force: the defaults but those TORTURE_SKIP names. */
static unsigned int op_weights[OP_N];

/*
 * How often each operation is drawn.  Opening and closing are frequent:
 * the resize and unload paths race opens, and are refused while a file is
 * held, so files must come and go.
 */
static const unsigned int default_weights[OP_N] = {
	[OP_OPEN] = 6, [OP_READ] = 6, [OP_POLL] = 3, [OP_CLOSE] = 6,
	[OP_BUF_SIZE] = 3, [OP_MODE] = 2, [OP_FILTER] = 2, [OP_BENCH] = 1,
	[OP_STATS] = 3, [OP_RMMOD] = 2, [OP_INSMOD] = 2, [OP_OFFLINE] = 1,
	[OP_ONLINE] = 1,
};

bool module_loaded(void)
{
	return !access("/sys/module/connprobe", F_OK);
}

int module_insert(const char *params)
{
	int fd = open(cfg.ko, O_RDONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return errno;
	if (syscall(SYS_finit_module, fd, params, 0))
		err = errno;
	close(fd);
	return err;
}

int module_remove(void)
{
	/* O_NONBLOCK: "in use" is an answer, not a wait. */
	return syscall(SYS_delete_module, "connprobe", O_NONBLOCK) ? errno : 0;
}

int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, s, strlen(s)) < 0)
		err = errno;
	close(fd);
	return err;
}

int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), tries, err = 0;
	size_t got = 0;
	ssize_t n;

	if (fd < 0)
		return errno;
	/* Bounded: a file that never ends is cut at @len or 64 reads. */
	for (tries = 0; tries < 64 && got < len - 1; tries++) {
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0)
			err = errno;
		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	buf[got] = '\0';
	return err;
}

static int cpu_open(struct operator *o, int *cpu)
{
	char path[sizeof(CONNPROBE_PATH) + 32];
	int flags = O_RDONLY | O_CLOEXEC;

	*cpu = rng_below(&o->rng, cfg.ncpus);
	if (rng_below(&o->rng, 2))
		flags |= O_NONBLOCK;
	snprintf(path, sizeof(path), "%s/%s%d", CONNPROBE_PATH,
		 CONNPROBE_CPU_FILE_BASE, *cpu);
	return open(path, flags);
}

/*
 * One read() of a size drawn at random, some not a whole number of
 * records (the module rounds down); what it returns goes to the check.
 */
static int cpu_read(struct operator *o, int fd, int cpu)
{
	static const size_t rec = sizeof(struct connprobe_record);
	char buf[READ_MAX * sizeof(struct connprobe_record) + 128];
	size_t sizes[] = { rec, 16 * rec, READ_MAX * rec, rec + 100, 100 };
	ssize_t n;

	n = read(fd, buf, sizes[rng_below(&o->rng, 5)]);
	if (n < 0)
		return errno;
	seen_take(&o->log, buf, n, cpu);
	return 0;
}

/* A held file, at random: its index, or -1 if none is held. */
static int held_pick(struct operator *o)
{
	return o->nheld ? (int)rng_below(&o->rng, o->nheld) : -1;
}

/* Close held file @i: 0 or close()'s errno. */
static int held_drop(struct operator *o, int i)
{
	int fd = o->held[i];

	o->nheld--;
	o->held[i] = o->held[o->nheld];
	o->held_cpu[i] = o->held_cpu[o->nheld];
	return close(fd) ? errno : 0;
}

/*
 * open: keep the file, half the time, if there is room; else read it once
 * and close it again, an open racing whatever else runs.  Kept files are
 * few enough that often none is open anywhere, and rmmod, mode and
 * buf_size are then not refused.
 */
static int op_open(struct operator *o)
{
	int cpu, fd = cpu_open(o, &cpu), err;

	if (fd < 0)
		return errno;
	if (o->nheld < MAX_HELD && rng_below(&o->rng, 2)) {
		o->held[o->nheld] = fd;
		o->held_cpu[o->nheld++] = cpu;
		return 0;
	}
	err = cpu_read(o, fd, cpu);
	close(fd);
	return err;
}

/* read: a held file, or one opened for the read alone. */
static int op_read(struct operator *o)
{
	int i = held_pick(o), cpu, fd, err;

	if (i >= 0)
		return cpu_read(o, o->held[i], o->held_cpu[i]);
	fd = cpu_open(o, &cpu);
	if (fd < 0)
		return errno;
	err = cpu_read(o, fd, cpu);
	close(fd);
	return err;
}

/* poll: every held file (or one opened for it), for up to 50 ms. */
static int op_poll(struct operator *o)
{
	struct pollfd pfd[MAX_HELD];
	int cpus[MAX_HELD], ret, err = 0;
	unsigned int n = o->nheld, i;

	for (i = 0; i < n; i++) {
		pfd[i].fd = o->held[i];
		cpus[i] = o->held_cpu[i];
	}
	if (!n) {
		pfd[0].fd = cpu_open(o, &cpus[0]);
		if (pfd[0].fd < 0)
			return errno;
		n = 1;
	}
	for (i = 0; i < n; i++)
		pfd[i].events = POLLIN;
	ret = poll(pfd, n, rng_below(&o->rng, 50));
	if (ret < 0)
		err = errno;
	for (i = 0; ret > 0 && i < n; i++)
		if (pfd[i].revents & POLLIN)
			cpu_read(o, pfd[i].fd, cpus[i]);
	if (!o->nheld)
		close(pfd[0].fd);
	return err;
}

/* close: a held file, or one opened just to be closed. */
static int op_close(struct operator *o)
{
	int i = held_pick(o), cpu, fd;

	if (i >= 0)
		return held_drop(o, i);
	fd = cpu_open(o, &cpu);
	if (fd < 0)
		return errno;
	return close(fd) ? errno : 0;
}

/* A value for a settings file: valid three times in four. */
static int op_setting(struct operator *o, const char *file,
		      const char *const *valid, int nvalid,
		      const char *const *invalid, int ninvalid)
{
	char path[sizeof(CONNPROBE_PATH) + 32];
	const char *v;

	if (rng_below(&o->rng, 4))
		v = valid[rng_below(&o->rng, nvalid)];
	else
		v = invalid[rng_below(&o->rng, ninvalid)];
	snprintf(path, sizeof(path), "%s/%s", CONNPROBE_PATH, file);
	return write_file(path, v);
}

#define N(a)	((int)(sizeof(a) / sizeof((a)[0])))

static int op_buf_size(struct operator *o)
{
	static const char *const valid[] = {
		"16384\n", "65536\n", "262144\n", "1048576\n",
	};
	static const char *const invalid[] = {
		"1\n", "abc\n", "268435457\n", "", "65536junk\n",
	};

	return op_setting(o, "buf_size", valid, N(valid), invalid, N(invalid));
}

static int op_mode(struct operator *o)
{
	static const char *const valid[] = { "stream\n", "flight\n" };
	static const char *const invalid[] = { "ring\n", "", "flight junk\n" };

	return op_setting(o, "mode", valid, N(valid), invalid, N(invalid));
}

/* Filters: "none" most often, so that most of the load is traced. */
static int op_filter(struct operator *o)
{
	static const char *const invalid[] = {
		"bogus\n", "pid=abc\n", "port=65536\n", "port=80 port=81\n",
		"", "pid=-1\n",
	};
	char v[6][96];
	const char *const valid[] = {
		"none\n", "none\n", "none\n", "family=ipv4\n",
		"family=ipv6\n", "family=ipv4,ipv6\n", "failed\n",
		"errno=111,115\n", "min_latency_ns=1000\n", "comm=torture\n",
		"pid=1\n", v[0], v[1], v[2], v[3],
	};

	snprintf(v[0], sizeof(v[0]), "pid=%d\n", cfg.pid);
	snprintf(v[1], sizeof(v[1]), "tid=%d\n",
		 load_tid(rng_below(&o->rng, MAX_LOADERS)));
	snprintf(v[2], sizeof(v[2]), "port=%u,%u\n", load_listen_port(),
		 load_listen_port() + 1);
	snprintf(v[3], sizeof(v[3]), "pid=%d family=ipv4 port=%u\n", cfg.pid,
		 load_listen_port());
	return op_setting(o, "filter", valid, N(valid), invalid, N(invalid));
}

static int op_bench(struct operator *o)
{
	static const char *const invalid[] = { "0\n", "abc\n", "100000001\n" };
	char n[16];
	const char *const valid[] = { n };

	/* Few records: the write path is slow under TCG. */
	snprintf(n, sizeof(n), "%u\n", 1 + rng_below(&o->rng, 2000));
	return op_setting(o, "bench", valid, N(valid), invalid, N(invalid));
}

/* stats: the whole file; one that reads but lacks its total is EBADMSG. */
static int op_stats(struct operator *o)
{
	char buf[8192];
	int err;

	(void)o;
	err = read_file(CONNPROBE_PATH "/" CONNPROBE_STATS_FILE, buf,
			sizeof(buf));
	if (!err && !strstr(buf, "\ntotal written "))
		err = EBADMSG;
	return err;
}

static int op_insmod(struct operator *o)
{
	static const char *const params[] = {
		"", "", "", "buf_size=65536", "mode=flight",
		"buf_size=16384 mode=flight", "maxactive=64",
	};

	return module_insert(params[rng_below(&o->rng, N(params))]);
}

static int op_cpu1(bool online)
{
	if (cfg.ncpus < 2)
		return ENODEV;
	return write_file(CPU1_ONLINE, online ? "1" : "0");
}

static int run_op(struct operator *o, enum op op)
{
	switch (op) {
	case OP_OPEN:
		return op_open(o);
	case OP_READ:
		return op_read(o);
	case OP_POLL:
		return op_poll(o);
	case OP_CLOSE:
		return op_close(o);
	case OP_BUF_SIZE:
		return op_buf_size(o);
	case OP_MODE:
		return op_mode(o);
	case OP_FILTER:
		return op_filter(o);
	case OP_BENCH:
		return op_bench(o);
	case OP_STATS:
		return op_stats(o);
	case OP_RMMOD:
		return module_remove();
	case OP_INSMOD:
		return op_insmod(o);
	case OP_OFFLINE:
		return op_cpu1(false);
	case OP_ONLINE:
		return op_cpu1(true);
	default:
		return EINVAL;
	}
}

static void *operator_thread(void *arg)
{
	struct operator *o = arg;
	unsigned long n;
	enum op op;
	int err;

	for (n = 0; n < OPS_MAX && running(); n++) {
		op = rng_weighted(&o->rng, op_weights, OP_N);
		beat_start(BEAT_OPERATOR(o->idx), op);
		err = run_op(o, op);
		beat_end(BEAT_OPERATOR(o->idx));
		tally(shared->ops[o->idx][op], err);
		/* Now and then a pause: the load gets the CPUs too. */
		if (!rng_below(&o->rng, 2)) {
			struct timespec ts = {
				.tv_nsec = rng_below(&o->rng, 5000) * 1000,
			};

			nanosleep(&ts, NULL);
		}
	}
	while (o->nheld)
		held_drop(o, 0);
	return NULL;
}

int ops_start(void)
{
	int i;

	hard_end_ns = now_ns() + (uint64_t)(cfg.seconds + 600) * 1000000000ull;
	for (i = 0; i < OP_N; i++)
		op_weights[i] = cfg.skip_ops & (1u << i) ? 0 : default_weights[i];
	for (i = 0; i < cfg.operators; i++) {
		struct operator *o = &operators[i];

		o->idx = i;
		rng_init(&o->rng, cfg.seed, i);
		if (pthread_create(&o->thread, NULL, operator_thread, o)) {
			perror("torture: operator thread");
			return -1;
		}
	}
	return 0;
}

void ops_stop(void)
{
	int i;

	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < cfg.operators; i++)
		pthread_join(operators[i].thread, NULL);
}

struct seen_log *ops_log(int i)
{
	return &operators[i].log;
}
