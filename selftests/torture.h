/* SPDX-License-Identifier: GPL-2.0 */
/*
 * torture: every control operation of the module in random interleavings
 * under a connect load (scripts/guest/torture.sh runs it in the test VM).
 * What its parts share:
 *
 *   torture.c        configuration, the run and its end (drain,
 *                    accounting, the verdict)
 *   torture_watch.c  the supervisor, which watches the engine for hangs
 *   torture_ops.c    the operators: threads that run random control
 *                    operations (cpuN files, settings, rmmod/insmod,
 *                    CPU hotplug)
 *   torture_load.c   the load: threads that connect in every way and log
 *                    each call in a ledger of their own
 *   torture_check.c  records read back, and their check against the ledgers
 *   torture_report.c the counts, printed by the engine or the supervisor
 *
 * The engine (operators, load, checks) runs in a child process; the parent
 * only watches it (see torture.c), through the struct shared below.
 */
#ifndef TORTURE_H
#define TORTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "connprobe.h"
#include "loopback.h"

#define MAX_OPERATORS	16
#define MAX_LOADERS	16

/* The control operations, in the order the "# ops:" line prints them. */
enum op {
	OP_OPEN, OP_READ, OP_POLL, OP_CLOSE, OP_BUF_SIZE, OP_MODE, OP_FILTER,
	OP_BENCH, OP_STATS, OP_RMMOD, OP_INSMOD, OP_OFFLINE, OP_ONLINE,
	OP_N
};

/* The kinds of connect the load makes. */
enum kind {
	K_TCP_OK, K_TCP_REFUSED, K_TCP_NONBLOCK, K_TCP_SELF, K_UDP, K_UNIX,
	K_IO_URING,
	K_N
};

/*
 * Results are tallied by errno: slot 0 for success, slot E for errno E,
 * the last slot for anything larger.
 */
#define RESULT_SLOTS	136

/*
 * What one thread is doing, for the supervisor: @what is an enum op, or
 * OP_N + an enum kind, or a step of the end (STEP_*); @since_ns is when it
 * started (CLOCK_MONOTONIC), 0 while the thread is between operations.
 */
struct beat {
	pid_t tid;
	int what;
	uint64_t since_ns;
};

enum step {
	STEP_START = OP_N + K_N,	/* insmod, peers, threads */
	STEP_STOP_OPS,			/* joining the operators */
	STEP_SETTLE,			/* cpu1 online, the module loaded */
	STEP_STOP_LOAD,			/* joining the load */
	STEP_DRAIN,			/* reading every cpuN until empty */
	STEP_STATS,			/* the accounting */
	STEP_UNLOAD,			/* the last rmmod */
	STEP_N
};

/* Slots of struct shared.beat: the engine's main thread, then the rest. */
#define BEAT_MAIN		0
#define BEAT_OPERATOR(i)	(1 + (i))
#define BEAT_LOADER(i)		(1 + MAX_OPERATORS + (i))
#define BEAT_N			(1 + MAX_OPERATORS + MAX_LOADERS)

/*
 * Shared between the engine and the supervisor (an anonymous shared
 * mapping made before the fork).  Each counter has one writer, the thread
 * that owns it; the supervisor reads them only to report a hang.
 */
struct shared {
	uint64_t ops[MAX_OPERATORS][OP_N][RESULT_SLOTS];
	uint64_t calls[MAX_LOADERS][K_N][RESULT_SLOTS];
	struct beat beat[BEAT_N];
};

/* The run, from the environment (see torture.c). */
struct config {
	unsigned long long seed;
	int seconds;		/* TORTURE_SECONDS */
	int operators;		/* TORTURE_OPERATORS */
	int loaders;		/* TORTURE_LOADERS */
	int hang_seconds;	/* TORTURE_HANG_SECONDS */
	unsigned int skip_ops;	/* TORTURE_SKIP: 1 << op, never drawn */
	const char *ko;		/* the module to insmod */
	int ncpus;		/* CPUs the kernel may have: cpu0 ... cpuN-1 */
	pid_t pid;		/* the engine's: the load's records carry it */
};

extern struct config cfg;
extern struct shared *shared;

/* Names for the report, and for the supervisor's hang message. */
const char *op_name(enum op op);
const char *kind_name(enum kind kind);
const char *what_name(int what);

/* CLOCK_MONOTONIC in ns, the clock of connprobe_record.ts_ns. */
uint64_t now_ns(void);
void sleep_ms(unsigned int ms);

/*
 * Watch the engine, process @child, until it exits (torture_watch.c).
 * Returns its exit status, or 1 if it hung or died.
 */
int supervise(pid_t child);

/* Tally a result (0 or an errno) in a row of RESULT_SLOTS counters. */
static inline void tally(uint64_t *slots, int err)
{
	int slot = err < 0 ? RESULT_SLOTS - 1 :
		   err < RESULT_SLOTS - 1 ? err : RESULT_SLOTS - 1;

	__atomic_store_n(&slots[slot], slots[slot] + 1, __ATOMIC_RELAXED);
}

/* Start and end of an operation, for the supervisor to watch. */
void beat_start(int slot, int what);
void beat_end(int slot);

/*
 * A pseudo-random generator per thread (splitmix64): from the run's seed
 * and a stream number, the same sequence every time.
 */
struct rng {
	uint64_t s;
};

void rng_init(struct rng *r, unsigned long long seed, unsigned int stream);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n). */
unsigned int rng_below(struct rng *r, unsigned int n);
/* An index into @weights (of @n), each drawn in proportion to its weight. */
unsigned int rng_weighted(struct rng *r, const unsigned int *weights,
			  unsigned int n);

/*
 * Where a call went, small enough to keep millions: @where is 1 + the
 * index of an endpoint the load registered (its listeners and the like),
 * or W_LOOP4/W_LOOP6 for another port of 127.0.0.1/::1 (a socket
 * connecting to itself), or W_NONE for anything else; @port is the port
 * (0 for AF_UNIX).  Two destinations are equal only if known.
 */
struct dest {
	uint16_t where, port;
};

#define W_NONE	0
#define W_LOOP4	0xfff0
#define W_LOOP6	0xfff1

/* Register a destination of the load's, before any call goes there. */
void dest_register(const struct endpoint *ep);
void dest_of_endpoint(struct dest *d, const struct endpoint *ep);
/* The destination a CONNECT or COMPLETE record names (W_NONE if none). */
void dest_of_record(struct dest *d, const struct connprobe_record *rec);
bool dest_equal(const struct dest *a, const struct dest *b);

/* ---------------------------------------------------------------- load */

/*
 * One call of the load: the window the caller measured around it, where
 * it went and what it got.  For K_IO_URING, @ret is the completion's
 * result: the request's first, non-blocking call returns EINPROGRESS, and
 * a retry, if any, returns @ret (see connect_io_uring.c).  @ret_unknown:
 * the ring failed, so what the request did is not known (only the
 * destination is checked).  The check fills in the rest.
 */
struct call_entry {
	uint64_t before, after;
	struct dest dst;
	int32_t ret;
	uint8_t kind;
	uint8_t ret_unknown;
	uint8_t refusing;	/* the destination refuses: never established */
	uint8_t matched;	/* M_* bits: which records were matched */
	uint64_t connect_id;	/* the id of the in-progress CONNECT read */
	uint64_t connect_ts;	/* and its ts_ns */
};

#define M_CONNECT	0x1	/* the CONNECT record with @ret */
#define M_IN_PROGRESS	0x2	/* io_uring: the first call's, EINPROGRESS */
#define M_COMPLETE	0x4	/* the attempt's COMPLETE record */

/*
 * A load thread's calls, in order (their windows do not overlap).  Once
 * the ledgers are full (a bound on memory), a thread goes on calling
 * without logging: its records from @full_ns on are not checked.
 */
struct ledger {
	pid_t tid;
	struct call_entry *e;
	size_t n, cap;
	uint64_t full_ns;	/* 0 while it logs every call */
};

/* The peers and threads of the load; 0 or -1 with a message printed. */
int load_start(void);
/* Ask the load to stop, and wait for it. */
void load_stop(void);
/* The ledgers, once load_stop() returned. */
struct ledger *load_ledgers(int *n);
/* A load thread's tid (0 until it runs), for the filter's tid= term. */
pid_t load_tid(int i);
/* The port of the TCP listener (IPv4), for the filter's port= term. */
uint16_t load_listen_port(void);
/* Whether io_uring ran (false: the kernel has none, or forbids it). */
bool load_io_uring_ok(void);

/* -------------------------------------------------------------- records */

/* What the check keeps of a record of the load's process. */
struct seen {
	uint64_t ts_ns, id, seq;
	int32_t ret;
	uint32_t tid;		/* for an io-wq worker's, the submitter's */
	uint32_t flags;
	struct dest dst;
	uint16_t cpu;
	uint8_t event;
};

/* Records one thread read; each thread has its own. */
struct seen_log {
	struct seen *s;
	size_t n, cap;
	uint64_t reads, records, others, dropped;
};

/*
 * Take the @len bytes a read() of cpu @cpu returned: they must be whole
 * records, each framed right (size, version, its CPU); the load's are kept.
 * Returns how many were framed wrong (counted, the first one described).
 */
int seen_take(struct seen_log *log, const void *buf, size_t len,
	      unsigned int cpu);

/* Framing failures of every seen_take(), and the first one's description. */
uint64_t seen_bad(char *why, size_t len);

/* What the check of the records against the ledgers found. */
#define VERDICT_WRONG	5
struct verdict {
	uint64_t connects, completes;	/* records checked */
	uint64_t wrong_connects, wrong_completes;
	uint64_t completes_with_connect;	/* whose CONNECT was read */
	uint64_t calls, calls_recorded;	/* ledger entries, and with a record */
	uint64_t unchecked;		/* records after their ledger filled */
	/* The first wrong CONNECT [0] and COMPLETE [1] records, described. */
	char wrong[2][VERDICT_WRONG][448];
	int nwrong[2];
};

void check_records(struct seen_log *const *logs, int nlogs,
		   struct ledger *ledgers, int nledgers, struct verdict *v);

/* ----------------------------------------------------------- operators */

/* Start the operators; 0 or -1. */
int ops_start(void);
/* Ask them to stop, close what they hold, and wait for them. */
void ops_stop(void);
/* The records each operator read, once ops_stop() returned. */
struct seen_log *ops_log(int i);

/* The module: loaded?  And the two syscalls, 0 or an errno. */
bool module_loaded(void);
int module_insert(const char *params);
int module_remove(void);
/* One write of @s to @path: 0 or an errno. */
int write_file(const char *path, const char *s);
/* The whole of @path (at most @len - 1 bytes) in @buf: 0 or an errno. */
int read_file(const char *path, char *buf, size_t len);

/* --------------------------------------------------------------- report */

/* The "# ops:" and "# load:" lines and each one's results, from @sh. */
void report_counts(const struct shared *sh);
/* Operations run and calls made so far, for the progress lines. */
uint64_t total_ops(const struct shared *sh);
uint64_t total_calls(const struct shared *sh);
/* Calls of one kind made so far. */
uint64_t kind_calls(const struct shared *sh, int kind);
/* Records read so far, by every reader. */
uint64_t seen_total(void);

#endif /* TORTURE_H */
