// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU buffer: both modes overflowed on purpose with the reader held
 * back, the accounting identity written == read + lost + buffered checked
 * to the record, settings refused while a reader is attached or when
 * malformed, CPU hotplug, and the bounded delay of a lone record.
 *
 * Each test pins itself to one CPU and makes UDP connects (one record each,
 * no COMPLETE record) so that it knows exactly what that CPU's buffer saw.
 * Must run as root with connprobe loaded, in the quiet test VM.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "harness_list.h"

#include "connprobe.h"
#include "record_reader.h"

/* The smallest buffer: 8 sub-buffers of 8 records, 64 records per CPU. */
#define SMALL_BUF	16384
#define SMALL_RECORDS	64
#define OVERFLOW_CALLS	200
/* How long a lone record may wait unseen: the module's flush period. */
#define FLUSH_PERIOD_MS	100

struct cpu_stats {
	unsigned long long written, read, lost, buffered;
};

/* One CPU's line of the stats file. */
static int cpu_stats_read(int cpu, struct cpu_stats *st)
{
	char line[256];
	int c, found = 0;
	FILE *f = fopen(CONNPROBE_PATH "/" CONNPROBE_STATS_FILE, "r");

	if (!f)
		return -errno;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "cpu %d written %llu read %llu lost %llu buffered %llu",
			       &c, &st->written, &st->read, &st->lost,
			       &st->buffered) == 5 && c == cpu;
	fclose(f);
	return found ? 0 : -EBADMSG;
}

/* Write @val to a connprobe debugfs file: 0 or -errno. */
static int setting_write(const char *name, const char *val, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", CONNPROBE_PATH, name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

static int setting_set(const char *name, const char *val)
{
	return setting_write(name, val, strlen(val));
}

/* A connprobe debugfs setting as read back, without its newline. */
static int setting_get(const char *name, char *val, size_t size)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", CONNPROBE_PATH, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, val, size - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	val[n] = '\0';
	val[strcspn(val, "\n")] = '\0';
	return 0;
}

static int pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/* @n UDP connects to the discard port: one record each, on this CPU. */
static int udp_connects(int n)
{
	struct sockaddr_in dst = {
		.sin_family = AF_INET,
		.sin_port = htons(9),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd = socket(AF_INET, SOCK_DGRAM, 0), i;

	if (fd < 0)
		return -errno;
	for (i = 0; i < n; i++)
		if (connect(fd, (struct sockaddr *)&dst, sizeof(dst))) {
			close(fd);
			return -errno;
		}
	close(fd);
	return 0;
}

/* Drain one CPU's file into @set (every record kept, whoever made it). */
static int drain_cpu_file(int cpu, struct connprobe_record *out, size_t max,
			  size_t *n)
{
	char path[128];
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "%s/%s%d", CONNPROBE_PATH,
		 CONNPROBE_CPU_FILE_BASE, cpu);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	*n = 0;
	while (*n < max &&
	       (len = read(fd, out + *n, (max - *n) * sizeof(*out))) > 0)
		*n += len / sizeof(*out);
	close(fd);
	return 0;
}

static bool identity_holds(const struct cpu_stats *s)
{
	return s->written == s->read + s->lost + s->buffered;
}

FIXTURE(buffer) {
	char mode[32], size[32];
	struct record_set set;
};

FIXTURE_SETUP(buffer)
{
	ASSERT_EQ(0, setting_get("mode", self->mode, sizeof(self->mode)))
		TH_LOG("connprobe not loaded?");
	ASSERT_EQ(0, setting_get("buf_size", self->size, sizeof(self->size)));
	self->set.pid = getpid();
	ASSERT_EQ(0, pin_to(0));
	ASSERT_EQ(0, records_discard(&self->set)) TH_LOG("%s", self->set.error);
}

FIXTURE_TEARDOWN(buffer)
{
	int fd = open("/sys/devices/system/cpu/cpu1/online", O_WRONLY);

	/* A failed hotplug test must not leave cpu1 offline. */
	if (fd >= 0) {
		EXPECT_EQ(1, write(fd, "1", 1));
		close(fd);
	}
	EXPECT_EQ(0, setting_set("mode", self->mode));
	EXPECT_EQ(0, setting_set("buf_size", self->size));
	records_free(&self->set);
}

/* Stream mode keeps the oldest 64 and drops the rest, counting each. */
TEST_F(buffer, stream_overflow_drops_newest_and_counts_them)
{
	struct connprobe_record recs[SMALL_RECORDS + 1];
	struct cpu_stats before, full, after;
	size_t n, i;

	ASSERT_EQ(0, setting_set("mode", "stream"));
	ASSERT_EQ(0, setting_set("buf_size", "16384"));
	ASSERT_EQ(0, cpu_stats_read(0, &before));
	ASSERT_EQ(0, before.buffered);
	ASSERT_TRUE(identity_holds(&before));

	ASSERT_EQ(0, udp_connects(OVERFLOW_CALLS));
	ASSERT_EQ(0, cpu_stats_read(0, &full));
	EXPECT_EQ(before.written + OVERFLOW_CALLS, full.written);
	EXPECT_EQ(before.lost + OVERFLOW_CALLS - SMALL_RECORDS, full.lost);
	EXPECT_EQ(SMALL_RECORDS, full.buffered);
	EXPECT_EQ(before.read, full.read);
	EXPECT_TRUE(identity_holds(&full));

	ASSERT_EQ(0, drain_cpu_file(0, recs, SMALL_RECORDS + 1, &n));
	ASSERT_EQ(SMALL_RECORDS, n);
	/* The first 64 calls, in order, and none after. */
	for (i = 0; i < n; i++)
		EXPECT_EQ(before.written + i, recs[i].seq);
	ASSERT_EQ(0, cpu_stats_read(0, &after));
	EXPECT_EQ(full.read + SMALL_RECORDS, after.read);
	EXPECT_EQ(0, after.buffered);
	EXPECT_TRUE(identity_holds(&after));

	/* The next record's seq shows the gap the 136 drops left. */
	ASSERT_EQ(0, udp_connects(1));
	ASSERT_EQ(0, drain_cpu_file(0, recs, 2, &n));
	ASSERT_EQ(1, n);
	EXPECT_EQ(before.written + OVERFLOW_CALLS, recs[0].seq);
}

/* Flight recorder keeps the newest records and counts the overwritten. */
TEST_F(buffer, flight_overflow_keeps_newest_and_counts_the_rest)
{
	struct connprobe_record recs[SMALL_RECORDS + 1];
	struct cpu_stats before, full, after;
	size_t n, i;

	ASSERT_EQ(0, setting_set("mode", "flight"));
	ASSERT_EQ(0, setting_set("buf_size", "16384"));
	ASSERT_EQ(0, cpu_stats_read(0, &before));
	ASSERT_EQ(0, before.buffered);

	ASSERT_EQ(0, udp_connects(OVERFLOW_CALLS));
	ASSERT_EQ(0, cpu_stats_read(0, &full));
	EXPECT_EQ(before.written + OVERFLOW_CALLS, full.written);
	EXPECT_LE(full.buffered, SMALL_RECORDS);
	EXPECT_LT(0, full.buffered);
	EXPECT_EQ(before.lost + OVERFLOW_CALLS - full.buffered, full.lost);
	EXPECT_TRUE(identity_holds(&full));

	ASSERT_EQ(0, drain_cpu_file(0, recs, SMALL_RECORDS + 1, &n));
	ASSERT_EQ(full.buffered, n);
	/* The newest calls, in order, up to the last one made. */
	for (i = 0; i < n; i++)
		EXPECT_EQ(full.written - n + i, recs[i].seq);
	ASSERT_EQ(0, cpu_stats_read(0, &after));
	EXPECT_EQ(full.read + n, after.read);
	EXPECT_EQ(0, after.buffered);
	EXPECT_TRUE(identity_holds(&after));
}

/*
 * A flight recorder that wrapped with no reader, switched to stream: the
 * reader gets what the ring still holds, once each, and the identity
 * holds.  The calls fill whole sub-buffers, so that the next record finds
 * the stream buffer full (the reader's position, left far behind by the
 * flight recorder, was then taken for a stream reader's).
 */
TEST_F(buffer, flight_wrapped_then_stream_reads_each_record_once)
{
	const int calls = 50 * SMALL_RECORDS / 8;
	struct connprobe_record recs[SMALL_RECORDS + 1];
	struct cpu_stats before, after;
	size_t n, i;

	ASSERT_EQ(0, setting_set("mode", "flight"));
	ASSERT_EQ(0, setting_set("buf_size", "16384"));
	ASSERT_EQ(0, cpu_stats_read(0, &before));
	ASSERT_EQ(0, udp_connects(calls));
	ASSERT_EQ(0, setting_set("mode", "stream"));
	ASSERT_EQ(0, udp_connects(1));

	ASSERT_EQ(0, drain_cpu_file(0, recs, SMALL_RECORDS + 1, &n));
	/* The ring's 64 newest flight records; the stream one was dropped. */
	ASSERT_EQ(SMALL_RECORDS, n);
	for (i = 0; i < n; i++)
		EXPECT_EQ(before.written + calls - SMALL_RECORDS + i,
			  recs[i].seq);
	ASSERT_EQ(0, cpu_stats_read(0, &after));
	EXPECT_EQ(before.written + calls + 1, after.written);
	EXPECT_EQ(before.read + SMALL_RECORDS, after.read);
	EXPECT_EQ(before.lost + calls + 1 - SMALL_RECORDS, after.lost);
	EXPECT_EQ(0, after.buffered);
	EXPECT_TRUE(identity_holds(&after));
}

/* Seconds each side of the race below runs. */
#define RACE_SECONDS	3
/* How long the race may take before it counts as a deadlock. */
#define RACE_DEADLINE_S	60
/* Between two changes: a resize takes far longer than an open. */
#define CHANGE_PAUSE_US	2000

/* Until @end: open, read and close each CPU's file; returns the reads. */
static int race_readers(uint64_t end)
{
	struct connprobe_record rec[8];
	char path[128];
	int cpu, fd, reads = 0;

	while (monotonic_ns() < end) {
		for (cpu = 0; cpu < 2; cpu++) {
			snprintf(path, sizeof(path), "%s/%s%d", CONNPROBE_PATH,
				 CONNPROBE_CPU_FILE_BASE, cpu);
			fd = open(path, O_RDONLY);
			/* EBUSY: a change runs; ENOENT: its files are new. */
			if (fd < 0)
				continue;
			if (read(fd, rec, sizeof(rec)) >= 0)
				reads++;
			close(fd);
		}
	}
	return reads;
}

/* Until @end: resize and switch modes; returns the changes made. */
static int race_changes(uint64_t end)
{
	static const char *const changes[][2] = {
		{ "buf_size", "65536" }, { "mode", "flight" },
		{ "buf_size", "1048576" }, { "mode", "stream" },
	};
	int i = 0, made = 0;

	while (monotonic_ns() < end) {
		if (!setting_set(changes[i][0], changes[i][1]))
			made++;
		i = (i + 1) % 4;
		/* Readers are refused while a change runs: let them in. */
		usleep(CHANGE_PAUSE_US);
	}
	return made;
}

/*
 * The readers' side in a child: opens, reads and closes race the resizes
 * and mode switches of this thread, with connects writing records.  Both
 * must end: a resize removes the files, waiting for their operations in
 * flight, and must not hold anything an open waits for.  Each side must
 * also get through at least once.
 */
TEST_F(buffer, resize_and_mode_race_readers_without_deadlock)
{
	uint64_t end = monotonic_ns() + RACE_SECONDS * 1000000000ULL;
	struct cpu_stats st;
	int status, made, cpu, i;
	pid_t reader, loader;

	reader = fork();
	ASSERT_LE(0, reader);
	if (!reader) {
		/* On the other CPU, where there is one: truly at once. */
		pin_to(1);
		_exit(race_readers(end) > 0 ? 0 : 1);
	}
	loader = fork();
	ASSERT_LE(0, loader);
	if (!loader) {
		while (monotonic_ns() < end)
			if (udp_connects(10))
				_exit(1);
		_exit(0);
	}
	made = race_changes(end);
	/* Bounded: a deadlocked child never exits. */
	for (i = 0; i < RACE_DEADLINE_S * 10; i++) {
		if (waitpid(reader, &status, WNOHANG) == reader)
			break;
		usleep(100000);
	}
	ASSERT_GT(RACE_DEADLINE_S * 10, i)
		TH_LOG("the reader is stuck: a resize deadlocked with it");
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("the reader never read");
	ASSERT_EQ(loader, waitpid(loader, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	EXPECT_LT(0, made) TH_LOG("no change got through the readers");
	/* Quiet again: the accounting is exact on each CPU. */
	for (cpu = 0; cpu < 2; cpu++) {
		ASSERT_EQ(0, cpu_stats_read(cpu, &st));
		EXPECT_TRUE(identity_holds(&st))
			TH_LOG("cpu%d: written %llu read %llu lost %llu buffered %llu",
			       cpu, st.written, st.read, st.lost, st.buffered);
	}
}

/* A mode or size change would pull records from under a reader. */
TEST_F(buffer, settings_refused_while_a_reader_is_attached)
{
	char mode[32], size[32];
	int fd;

	fd = open(CONNPROBE_PATH "/" CONNPROBE_CPU_FILE_BASE "0", O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EBUSY, setting_set("mode", "flight"));
	EXPECT_EQ(-EBUSY, setting_set("buf_size", "65536"));
	close(fd);
	ASSERT_EQ(0, setting_get("mode", mode, sizeof(mode)));
	ASSERT_EQ(0, setting_get("buf_size", size, sizeof(size)));
	EXPECT_STREQ(self->mode, mode);
	EXPECT_STREQ(self->size, size);
	EXPECT_EQ(0, setting_set("mode", "flight"));
}

/* Every malformed or out-of-range write is refused and changes nothing. */
TEST_F(buffer, bad_settings_refused_unchanged)
{
	static const struct { const char *file, *val; size_t len; int err; } bad[] = {
		{ "buf_size", "", 0, EINVAL },
		{ "buf_size", " \n", 2, EINVAL },
		{ "buf_size", "abc\n", 4, EINVAL },
		{ "buf_size", "-65536\n", 7, EINVAL },
		{ "buf_size", "99999999999999999999999\n", 24, ERANGE },
		{ "buf_size", "65536junk\n", 10, EINVAL },
		{ "buf_size", "\x01\xff\x00\x7f", 4, EINVAL },
		{ "buf_size", "65536\0\n", 7, EINVAL },	/* NUL, then more */
		{ "buf_size", "1\n", 2, EINVAL },		/* below 16 KiB */
		{ "buf_size", "268435457\n", 10, EINVAL },	/* above 256 MiB */
		{ "mode", "", 0, EINVAL },
		{ "mode", "\n", 1, EINVAL },
		{ "mode", "streams\n", 8, EINVAL },
		{ "mode", "FLIGHT\n", 7, EINVAL },
		{ "mode", "flight junk\n", 12, EINVAL },
		{ "mode", "\x01\xff\x00\x7f", 4, EINVAL },
		{ "mode", "flight\0\n", 8, EINVAL },		/* NUL, then more */
		{ "mode", "flightflightflightflight\n", 25, EINVAL },
	};
	char mode[32], size[32];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-bad[i].err, setting_write(bad[i].file, bad[i].val,
						     bad[i].len))
			TH_LOG("%s <- bad value #%zu", bad[i].file, i);
		ASSERT_EQ(0, setting_get("mode", mode, sizeof(mode)));
		ASSERT_EQ(0, setting_get("buf_size", size, sizeof(size)));
		EXPECT_STREQ(self->mode, mode);
		EXPECT_STREQ(self->size, size);
	}
}

/* Records of a CPU taken offline are delivered; one brought online traced. */
TEST_F(buffer, hotplug_keeps_and_traces)
{
	struct connprobe_record recs[16];
	size_t n, i;
	int fd;

	fd = open("/sys/devices/system/cpu/cpu1/online", O_WRONLY);
	if (fd < 0)
		SKIP(return, "no hotpluggable cpu1 (boot the VM with 2 CPUs)");
	ASSERT_EQ(0, pin_to(1));
	ASSERT_EQ(0, udp_connects(10));
	ASSERT_EQ(0, pin_to(0));
	ASSERT_EQ(1, write(fd, "0", 1)) TH_LOG("offline: %s", strerror(errno));

	ASSERT_EQ(0, drain_cpu_file(1, recs, 16, &n));
	EXPECT_EQ(10, n);
	for (i = 0; i < n; i++)
		EXPECT_EQ(1, recs[i].cpu);

	ASSERT_EQ(1, write(fd, "1", 1)) TH_LOG("online: %s", strerror(errno));
	close(fd);
	ASSERT_EQ(0, pin_to(1));
	ASSERT_EQ(0, udp_connects(5));
	ASSERT_EQ(0, pin_to(0));
	ASSERT_EQ(0, drain_cpu_file(1, recs, 16, &n));
	EXPECT_EQ(5, n);
	for (i = 0; i < n; i++)
		EXPECT_EQ(1, recs[i].cpu);
}

/*
 * poll() sleeps while nothing is buffered and wakes for a lone record,
 * within one flush period (two if the record just missed a tick).  The
 * wait is wall-clock time, which a busy host stretches under TCG: the
 * best of three tries is held to the bound, and each try must wake at all
 * (poll's own timeout is twenty periods).
 */
#define LONE_RECORD_TRIES	3
TEST_F(buffer, lone_record_wakes_poll_within_the_flush_period)
{
	struct pollfd pfd = { .events = POLLIN };
	uint64_t t0, waited, best = UINT64_MAX;
	struct connprobe_record recs[16];
	ssize_t n;
	int i;

	pfd.fd = open(CONNPROBE_PATH "/" CONNPROBE_CPU_FILE_BASE "0", O_RDONLY);
	ASSERT_LE(0, pfd.fd);
	EXPECT_EQ(0, poll(&pfd, 1, 3 * FLUSH_PERIOD_MS));

	for (i = 0; i < LONE_RECORD_TRIES; i++) {
		ASSERT_EQ(0, udp_connects(1));
		t0 = monotonic_ns();
		ASSERT_EQ(1, poll(&pfd, 1, 20 * FLUSH_PERIOD_MS));
		waited = (monotonic_ns() - t0) / 1000000;
		ASSERT_TRUE(pfd.revents & POLLIN);
		if (waited < best)
			best = waited;
		/* Read all (a read returns 0 when nothing is left), so that the
		 * next try starts from an empty buffer.
		 */
		while ((n = read(pfd.fd, recs, sizeof(recs))) > 0)
			;
		ASSERT_EQ(0, n);
	}
	EXPECT_GE(2 * FLUSH_PERIOD_MS + 50, best)
		TH_LOG("best of %d tries woke after %llu ms", LONE_RECORD_TRIES,
		       (unsigned long long)best);
	close(pfd.fd);
}

TEST_HARNESS_MAIN
