// SPDX-License-Identifier: GPL-2.0
/* Validating and reading captures. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture_read.h"
#include "timefmt.h"

#define REC_SIZE	sizeof(struct connprobe_record)
/*
 * Sections are a few KiB (losses, cgroup paths); more than this is a
 * corrupt file, not an allocation to try.
 */
#define MAX_SECTIONS_SIZE	(64 << 20)
/* Records per read(): 232 KiB, at home in a core's L2 cache. */
#define CHUNK_RECORDS	1024
#define TRUNCATED \
	"truncated capture: no end marker (was the recording cut short?)"

/* Load a CP_SECTION_LOSSES payload into c->lost. */
static int load_losses(struct cp_capture *c, const unsigned char *p,
		       __u64 size, char *err, size_t errlen)
{
	struct cp_capture_lost_cpu cpu;
	struct cp_capture_probe probe;
	struct cp_stats *l = &c->lost;
	__u64 head[3];

	if (c->lost_known || size < sizeof(head))
		goto bad;
	memcpy(head, p, sizeof(head));
	p += sizeof(head);
	/* divide rather than multiply: hostile counts must not wrap */
	if (head[1] > (size - sizeof(head)) / sizeof(cpu) ||
	    head[2] > (size - sizeof(head) - head[1] * sizeof(cpu)) / sizeof(probe))
		goto bad;
	l->total_lost = head[0];
	l->cpus = calloc(head[1] + 1, sizeof(*l->cpus));
	l->probes = calloc(head[2] + 1, sizeof(*l->probes));
	if (!l->cpus || !l->probes)
		goto oom;
	for (; l->nr_cpus < head[1]; p += sizeof(cpu)) {
		memcpy(&cpu, p, sizeof(cpu));
		l->cpus[l->nr_cpus++] = (struct cp_stats_cpu){
			.cpu = cpu.cpu, .written = cpu.written,
			.lost = cpu.lost };
	}
	for (; l->nr_probes < head[2]; p += sizeof(probe)) {
		memcpy(&probe, p, sizeof(probe));
		l->probes[l->nr_probes] = (struct cp_stats_probe){
			strndup(probe.symbol, sizeof(probe.symbol)),
			probe.nmissed, probe.kp_nmissed, probe.maxactive };
		if (!l->probes[l->nr_probes++].symbol)
			goto oom;
	}
	c->lost_known = true;
	return 0;
bad:
	snprintf(err, errlen, "corrupt capture: bad losses section");
	return -1;
oom:
	snprintf(err, errlen, "out of memory");
	return -1;
}

static int load_cgroups(const unsigned char *p, __u64 size,
			struct cp_cgroups *cgroups, char *err, size_t errlen)
{
	struct cp_capture_cgroup e;
	__u64 off = 0;

	while (off < size) {
		if (size - off < sizeof(e))
			goto bad;
		memcpy(&e, p + off, sizeof(e));
		off += sizeof(e);
		if (e.path_len > size - off)
			goto bad;
		if (cgroups && cgroups_add(cgroups, e.id,
					   (const char *)p + off, e.path_len)) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		/* the section is at most MAX_SECTIONS_SIZE: no wrap */
		off = CP_ALIGN8(off + e.path_len);
		if (off > size)
			goto bad;
	}
	return 0;
bad:
	snprintf(err, errlen, "corrupt capture: bad cgroup section");
	return -1;
}

static int load_sections(struct cp_capture *c, const unsigned char *p,
			 __u64 size, struct cp_cgroups *cgroups,
			 char *err, size_t errlen)
{
	struct cp_capture_section sec;
	__u64 off = 0, padded;

	while (off < size) {
		if (size - off < sizeof(sec)) {
			snprintf(err, errlen, "corrupt capture: section header cut short");
			return -1;
		}
		memcpy(&sec, p + off, sizeof(sec));
		off += sizeof(sec);
		padded = CP_ALIGN8((__u64)sec.size);
		if (padded > size - off) {
			snprintf(err, errlen,
				 "corrupt capture: section of %u bytes overruns the file",
				 sec.size);
			return -1;
		}
		if ((sec.type == CP_SECTION_LOSSES &&
		     load_losses(c, p + off, sec.size, err, errlen)) ||
		    (sec.type == CP_SECTION_CGROUPS &&
		     load_cgroups(p + off, sec.size, cgroups, err, errlen)))
			return -1;
		off += padded;
	}
	return 0;
}

/*
 * The header, from the first @len bytes (all there are, if fewer) of a
 * file of @size bytes; the checks most telling first: magic, byte order,
 * versions.
 */
static int parse_head(struct cp_capture *c, const void *head, size_t len,
		      size_t size, char *err, size_t errlen)
{
	const struct cp_capture_header *h = &c->hdr;

	if (len < sizeof(h->magic) ||
	    memcmp(head, CP_CAPTURE_MAGIC, sizeof(h->magic))) {
		snprintf(err, errlen, "not a connprobe capture");
		return -1;
	}
	if (len < sizeof(*h)) {
		snprintf(err, errlen, "truncated capture: header cut short");
		return -1;
	}
	memcpy(&c->hdr, head, sizeof(*h));
	c->hdr.hostname[sizeof(h->hostname) - 1] = '\0';
	if (h->byte_order != CP_CAPTURE_BYTE_ORDER)
		snprintf(err, errlen,
			 "capture written on a host of another byte order");
	else if (h->version != CP_CAPTURE_VERSION)
		snprintf(err, errlen,
			 "capture format version %u, this tool reads version %u",
			 h->version, CP_CAPTURE_VERSION);
	else if (h->record_version != CONNPROBE_RECORD_VERSION ||
		 h->record_size != REC_SIZE)
		snprintf(err, errlen,
			 "capture holds version %u records of %u bytes, this tool reads version %u records of %zu bytes",
			 h->record_version, h->record_size,
			 CONNPROBE_RECORD_VERSION, REC_SIZE);
	else if (h->header_size < sizeof(*h) || h->header_size % 8)
		snprintf(err, errlen, "corrupt capture: header size %u",
			 h->header_size);
	else if (size < h->header_size + sizeof(struct cp_capture_footer))
		snprintf(err, errlen, TRUNCATED);
	else
		return 0;
	return -1;
}

/* The footer, from the last bytes of the file: the parts must add up. */
static int parse_foot(struct cp_capture *c, const void *foot, size_t size,
		      char *err, size_t errlen)
{
	__u64 body = size - c->hdr.header_size - sizeof(c->foot);

	memcpy(&c->foot, foot, sizeof(c->foot));
	if (memcmp(c->foot.magic, CP_CAPTURE_END_MAGIC, sizeof(c->foot.magic))) {
		snprintf(err, errlen, TRUNCATED);
		return -1;
	}
	if (c->foot.nr_records > body / REC_SIZE ||
	    c->foot.sections_size != body - c->foot.nr_records * REC_SIZE) {
		snprintf(err, errlen,
			 "corrupt capture: %llu records and %llu bytes of sections do not fill its %zu bytes",
			 (unsigned long long)c->foot.nr_records,
			 (unsigned long long)c->foot.sections_size, size);
		return -1;
	}
	c->nr_records = c->foot.nr_records;
	return 0;
}

/*
 * Read exactly @len bytes at @off: NULL, or what went wrong.  A regular
 * file gives all that is asked but at its end, and report installs no
 * signal handler that could interrupt the read.
 */
static const char *pread_all(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n = pread(fd, buf, len, off);

	if (n == (ssize_t)len)
		return NULL;
	return n < 0 ? strerror(errno) : "file changed while read";
}

/*
 * Take capture file @fd of @size bytes (closed by capture_close()): its
 * header, footer and sections, read now; the records later, by
 * capture_next().
 */
static int open_fd(struct cp_capture *c, int fd, size_t size,
		   struct cp_cgroups *cgroups, char *err, size_t errlen)
{
	unsigned char head[sizeof(c->hdr)], foot[sizeof(c->foot)], *sec;
	size_t n = size < sizeof(head) ? size : sizeof(head);
	const char *problem;
	__u64 len;
	int ret = -1;

	c->fd = fd;
	if ((problem = pread_all(fd, head, n, 0)))
		goto out_problem;
	if (parse_head(c, head, n, size, err, errlen))
		return -1;
	if ((problem = pread_all(fd, foot, sizeof(foot), size - sizeof(foot))))
		goto out_problem;
	if (parse_foot(c, foot, size, err, errlen))
		return -1;
	len = c->foot.sections_size;
	if (len > MAX_SECTIONS_SIZE) {
		snprintf(err, errlen, "corrupt capture: %llu bytes of sections",
			 (unsigned long long)len);
		return -1;
	}
	/* loading copies out what the sections hold */
	sec = malloc(len + 1);
	problem = !sec ? "out of memory" : pread_all(fd, sec, len,
		c->hdr.header_size + c->nr_records * REC_SIZE);
	if (problem)
		snprintf(err, errlen, "%s", problem);
	else
		ret = load_sections(c, sec, len, cgroups, err, errlen);
	free(sec);
	return ret;

out_problem:
	snprintf(err, errlen, "%s", problem);
	return -1;
}

int capture_parse(struct cp_capture *c, const void *data, size_t size,
		  struct cp_cgroups *cgroups, char *err, size_t errlen)
{
	int fd = memfd_create("connprobe-capture", MFD_CLOEXEC);

	memset(c, 0, sizeof(*c));
	c->fd = fd;
	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		snprintf(err, errlen, "memory file: %s", strerror(errno));
		return -1;
	}
	return open_fd(c, fd, size, cgroups, err, errlen);
}

/* Where report -i - keeps its copy of a pipe. */
static const char *spool_dir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir && *dir ? dir : "/var/tmp";
}

/*
 * Standard input (a pipe) copied to an unlinked temporary file, which is
 * then read as a capture file is: a capture of gigabytes costs its size
 * in $TMPDIR (default /var/tmp), not in memory, and is checked whole (its
 * footer, cgroup paths and losses come after the records) before any of
 * it is shown.  The file's descriptor (its size in *@size), or -1 with
 * errno.
 */
static int spool(int in, off_t *size)
{
	char path[PATH_MAX], *buf = malloc(CHUNK_RECORDS * REC_SIZE);
	int fd = -1, saved;
	ssize_t n;

	errno = ENAMETOOLONG;
	if (buf && snprintf(path, sizeof(path), "%s/connprobe-report.XXXXXX",
			    spool_dir()) < (int)sizeof(path))
		fd = mkstemp(path);
	if (fd < 0)
		goto out_free;
	unlink(path);
	for (*size = 0; (n = read(in, buf, CHUNK_RECORDS * REC_SIZE)) > 0;
	     *size += n) {
		/* a short write: the disk is full */
		errno = ENOSPC;
		if (write(fd, buf, n) != n)
			break;
	}
	if (n) {
		saved = errno;
		close(fd);
		fd = -1;
		errno = saved;
	}
out_free:
	free(buf);
	return fd;
}

int capture_open(struct cp_capture *c, const char *path,
		 struct cp_cgroups *cgroups, char *err, size_t errlen)
{
	struct stat st;
	int fd, tmp;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->name = path;
	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, errlen, "%s", strerror(errno));
		goto out_close;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s", strerror(EISDIR));
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		/* a pipe: read on from a file of our own */
		tmp = spool(fd, &st.st_size);
		if (tmp < 0) {
			snprintf(err, errlen, "copying to a temporary file in %s (TMPDIR): %s",
				 spool_dir(), strerror(errno));
			goto out_close;
		}
		if (fd > STDIN_FILENO)
			close(fd);
		fd = tmp;
	}
	return open_fd(c, fd, st.st_size, cgroups, err, errlen);

out_close:
	if (fd > STDIN_FILENO)
		close(fd);
	return -1;
}

int record_check(const struct connprobe_record *rec, char *err, size_t errlen)
{
	if (record_ok(rec))
		return 0;
	if (rec->size != sizeof(*rec))
		snprintf(err, errlen,
			 "record size %u, this tool reads %zu-byte records: module and tool were built from different connprobe.h",
			 rec->size, sizeof(*rec));
	else if (rec->version != CONNPROBE_RECORD_VERSION)
		snprintf(err, errlen,
			 "record version %u, this tool reads version %u: module and tool were built from different connprobe.h",
			 rec->version, CONNPROBE_RECORD_VERSION);
	else
		snprintf(err, errlen, "unknown record event %u", rec->event);
	return -1;
}

const struct connprobe_record *capture_next_slow(struct cp_capture *c,
						 char *err, size_t errlen)
{
	const struct connprobe_record *rec;
	unsigned long long n = c->nr_records - c->next;
	const char *problem;
	char msg[256];

	err[0] = '\0';
	if (!n)
		return NULL;
	if (c->next - c->chunk_first >= c->chunk_len) {
		if (!c->chunk &&
		    !(c->chunk = malloc(CHUNK_RECORDS * REC_SIZE))) {
			snprintf(err, errlen, "out of memory");
			return NULL;
		}
		n = n < CHUNK_RECORDS ? n : CHUNK_RECORDS;
		problem = pread_all(c->fd, c->chunk, n * REC_SIZE,
				    c->hdr.header_size + c->next * REC_SIZE);
		if (problem) {
			snprintf(err, errlen, "reading record %llu: %s",
				 c->next, problem);
			return NULL;
		}
		c->chunk_first = c->next;
		c->chunk_len = n;
	}
	rec = &c->chunk[c->next - c->chunk_first];
	if (record_check(rec, msg, sizeof(msg))) {
		snprintf(err, errlen, "record %llu: %s", c->next, msg);
		return NULL;
	}
	c->next++;
	return rec;
}

void capture_close(struct cp_capture *c)
{
	if (c->fd > STDIN_FILENO)
		close(c->fd);
	free(c->chunk);
	stats_free(&c->lost);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

void capture_print_info(FILE *f, const struct cp_capture *c)
{
	struct cp_timecache tc = { 0 };
	long long start = realtime_of(c->hdr.start_ns, c->hdr.realtime_offset_ns);
	char when[48];
	size_t n = fmt_rfc3339(&tc, when, start);

	fprintf(f, "host:            %s\n", c->hdr.hostname);
	fprintf(f, "started:         %.*s\n", (int)n, when);
	fprintf(f, "duration:        %.3f s\n",
		(double)(long long)(c->foot.end_ns - c->hdr.start_ns) / 1e9);
	fprintf(f, "records:         %llu (version %u, %u bytes each)\n",
		c->nr_records, c->hdr.record_version, c->hdr.record_size);
	if (c->lost_known)
		fprintf(f, "lost:            %llu\n", c->lost.total_lost);
	else
		fprintf(f, "lost:            unknown\n");
	fprintf(f, "capture format:  version %u\n", c->hdr.version);
}

int replay_run(struct cp_capture *c, struct cp_sink *sink)
{
	struct cp_source_info info = {
		.realtime_offset_ns = c->hdr.realtime_offset_ns,
		.start_ns = c->hdr.start_ns,
		.hostname = c->hdr.hostname,
	};
	const struct connprobe_record *rec;
	char err[512];

	if (sink->ops->begin(sink, &info))
		goto out_sink_err;
	/* recorded rounds were sorted already: file order is time order */
	while ((rec = capture_next(c, err, sizeof(err))))
		if (sink_feed(sink, rec))
			goto out_sink_err;
	if (err[0]) {
		/* what the sink printed so far stays: say where it stopped */
		sink_abort(sink);
		fprintf(stderr, "connprobe: %s: %s\n", c->name, err);
		return 1;
	}
	if (sink->ops->end(sink, c->lost_known ? &c->lost : NULL))
		goto out_sink_err;
	return 0;

out_sink_err:
	fprintf(stderr, "connprobe: %s\n", sink->err);
	return 1;
}
