// SPDX-License-Identifier: GPL-2.0
/* Validating and reading captures; replaying them through a sink. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "format.h"

#define REC_SIZE	sizeof(struct connprobe_record)
/* Sections are a few KiB: more is a corrupt file, not a malloc to try. */
#define MAX_SECTIONS_SIZE	(64 << 20)
/* Records per read(): 232 KiB, at home in a core's L2 cache. */
#define CHUNK_RECORDS	1024
#define TRUNCATED	"truncated capture: no end marker (was the recording cut short?)"
#define BAD_CGROUPS	"corrupt capture: bad cgroup section"

/* Each load_*() returns NULL, or what is wrong. */
static const char *load_losses(struct cp_capture *c, const unsigned char *p, __u64 size)
{
	struct cp_capture_lost_cpu cpu;
	struct cp_capture_probe probe;
	struct cp_stats *l = &c->lost;
	__u64 head[3];

	if (c->lost_known || size < sizeof(head))
		return "corrupt capture: bad losses section";
	memcpy(head, p, sizeof(head));
	p += sizeof(head);
	/* divide rather than multiply: hostile counts must not wrap */
	if (head[1] > (size - sizeof(head)) / sizeof(cpu) ||
	    head[2] > (size - sizeof(head) - head[1] * sizeof(cpu)) / sizeof(probe))
		return "corrupt capture: bad losses section";
	l->total_lost = head[0];
	l->cpus = calloc(head[1] + 1, sizeof(*l->cpus));
	l->probes = calloc(head[2] + 1, sizeof(*l->probes));
	if (!l->cpus || !l->probes)
		return "out of memory";
	for (; l->nr_cpus < head[1]; p += sizeof(cpu)) {
		memcpy(&cpu, p, sizeof(cpu));
		l->cpus[l->nr_cpus++] = (struct cp_stats_cpu){
			.cpu = cpu.cpu, .written = cpu.written, .lost = cpu.lost };
	}
	for (; l->nr_probes < head[2]; p += sizeof(probe)) {
		memcpy(&probe, p, sizeof(probe));
		l->probes[l->nr_probes] = (struct cp_stats_probe){
			strndup(probe.symbol, sizeof(probe.symbol)),
			probe.nmissed, probe.kp_nmissed, probe.maxactive };
		if (!l->probes[l->nr_probes++].symbol)
			return "out of memory";
	}
	c->lost_known = true;
	return NULL;
}

static const char *load_cgroups(const unsigned char *p, __u64 size,
				struct cp_cgroups *cgroups)
{
	struct cp_capture_cgroup e;
	__u64 off;

	/* the section is at most MAX_SECTIONS_SIZE: no wrap */
	for (off = 0; off < size; off = CP_ALIGN8(off + e.path_len)) {
		if (size - off < sizeof(e))
			return BAD_CGROUPS;
		memcpy(&e, p + off, sizeof(e));
		off += sizeof(e);
		if (e.path_len > size - off || CP_ALIGN8(off + e.path_len) > size)
			return BAD_CGROUPS;
		if (cgroups && cgroups_add(cgroups, e.id, (const char *)p + off, e.path_len))
			return "out of memory";
	}
	return NULL;
}

static int load_sections(struct cp_capture *c, const unsigned char *p,
			 __u64 size, struct cp_cgroups *cgroups, char *err, size_t errlen)
{
	struct cp_capture_section sec;
	const char *problem = NULL;
	__u64 off;

	for (off = 0; off < size && !problem; off += CP_ALIGN8((__u64)sec.size)) {
		if (size - off < sizeof(sec))
			return cp_err(err, errlen, "corrupt capture: section header cut short");
		memcpy(&sec, p + off, sizeof(sec));
		off += sizeof(sec);
		if (CP_ALIGN8((__u64)sec.size) > size - off)
			return cp_err(err, errlen,
				      "corrupt capture: section of %u bytes overruns the file", sec.size);
		if (sec.type == CP_SECTION_LOSSES)
			problem = load_losses(c, p + off, sec.size);
		else if (sec.type == CP_SECTION_CGROUPS)
			problem = load_cgroups(p + off, sec.size, cgroups);
	}
	return problem ? cp_err(err, errlen, "%s", problem) : 0;
}

/* Read @len bytes at @off: NULL, or why not (in a file, one pread() does). */
static const char *pread_all(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n = pread(fd, buf, len, off);

	return n == (ssize_t)len ? NULL : n < 0 ? strerror(errno) : "file changed while read";
}

/* Check all but the records of capture @fd, the most telling checks first. */
static int open_fd(struct cp_capture *c, int fd, size_t size,
		   struct cp_cgroups *cgroups, char *err, size_t errlen)
{
	const struct cp_capture_header *h = &c->hdr;
	const struct cp_capture_footer *f = &c->foot;
	size_t n = size < sizeof(*h) ? size : sizeof(*h);
	const char *problem = pread_all(fd, &c->hdr, n, 0);
	unsigned char *sec = NULL;
	__u64 body;
	int ret = -1;

	c->fd = fd;
	err[0] = '\0';
	c->hdr.hostname[sizeof(h->hostname) - 1] = '\0';
	if (problem)
		goto out;
	if (n < sizeof(h->magic) || memcmp(h->magic, CP_CAPTURE_MAGIC, sizeof(h->magic)))
		problem = "not a connprobe capture";
	else if (n < sizeof(*h))
		problem = "truncated capture: header cut short";
	else if (h->byte_order != CP_CAPTURE_BYTE_ORDER)
		problem = "capture written on a host of another byte order";
	else if (h->version != CP_CAPTURE_VERSION)
		cp_err(err, errlen, "capture format version %u, this tool reads version %u",
		       h->version, CP_CAPTURE_VERSION);
	else if (h->record_version != CONNPROBE_RECORD_VERSION || h->record_size != REC_SIZE)
		cp_err(err, errlen,
		       "capture holds version %u records of %u bytes, this tool reads version %u records of %zu bytes",
		       h->record_version, h->record_size, CONNPROBE_RECORD_VERSION, REC_SIZE);
	else if (h->header_size < sizeof(*h) || h->header_size % 8)
		cp_err(err, errlen, "corrupt capture: header size %u", h->header_size);
	else if (size < h->header_size + sizeof(*f))
		problem = TRUNCATED;
	else
		problem = pread_all(fd, &c->foot, sizeof(*f), size - sizeof(*f));
	if (problem || err[0])
		goto out;
	body = size - h->header_size - sizeof(*f);
	if (memcmp(f->magic, CP_CAPTURE_END_MAGIC, sizeof(f->magic)))
		problem = TRUNCATED;
	else if (f->nr_records > body / REC_SIZE ||
		 f->sections_size != body - f->nr_records * REC_SIZE)
		cp_err(err, errlen,
		       "corrupt capture: %llu records and %llu bytes of sections do not fill its %zu bytes",
		       (unsigned long long)f->nr_records, (unsigned long long)f->sections_size,
		       size);
	else if (f->sections_size > MAX_SECTIONS_SIZE)
		cp_err(err, errlen, "corrupt capture: %llu bytes of sections",
		       (unsigned long long)f->sections_size);
	else if (!(sec = malloc(f->sections_size + 1)) ||
		 !(c->chunk = malloc(CHUNK_RECORDS * REC_SIZE)))
		problem = "out of memory";
	else if (!(problem = pread_all(fd, sec, f->sections_size,
				       h->header_size + body - f->sections_size)))
		ret = load_sections(c, sec, f->sections_size, cgroups, err, errlen);
	if (!ret)
		c->nr_records = f->nr_records;
out:
	if (problem)
		snprintf(err, errlen, "%s", problem);
	free(sec);
	return ret;
}

/* A pipe, to a file in @dir unlinked at once, checked whole as any: its fd, or -1 (errno). */
static int spool(int in, const char *dir, off_t *size)
{
	char path[PATH_MAX], *buf = malloc(CHUNK_RECORDS * REC_SIZE);
	int fd = -1;
	ssize_t n = 0;

	errno = buf ? ENAMETOOLONG : ENOMEM;
	if (buf && snprintf(path, sizeof(path), "%s/connprobe-report.XXXXXX", dir) <
	    (int)sizeof(path) && (fd = mkostemp(path, O_CLOEXEC)) >= 0)
		unlink(path);
	for (*size = 0; fd >= 0 &&
	     (n = read(in, buf, CHUNK_RECORDS * REC_SIZE)) > 0; *size += n) {
		/* a short write: the disk is full */
		errno = ENOSPC;
		if (write(fd, buf, n) != n)
			break;
	}
	if (fd >= 0 && n) {
		close(fd);	/* which sets errno only if it fails */
		fd = -1;
	}
	free(buf);
	return fd;
}

int capture_open(struct cp_capture *c, const char *path,
		 struct cp_cgroups *cgroups, char *err, size_t errlen)
{
	const char *tmpdir = getenv("TMPDIR");
	struct stat st;
	int fd, tmp = -1;

	*c = (struct cp_capture){ .name = path, .fd = -1 };
	if (!tmpdir || !*tmpdir)
		tmpdir = "/var/tmp";
	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (fd < 0 || fstat(fd, &st))
		cp_err(err, errlen, "%m");
	else if (S_ISDIR(st.st_mode))
		cp_err(err, errlen, "%s", strerror(EISDIR));
	else if (S_ISREG(st.st_mode))
		return open_fd(c, fd, st.st_size, cgroups, err, errlen);
	else if ((tmp = spool(fd, tmpdir, &st.st_size)) < 0)
		cp_err(err, errlen, "copying to a temporary file in %s (TMPDIR): %m", tmpdir);
	if (fd > STDIN_FILENO)
		close(fd);
	return tmp < 0 ? -1 : open_fd(c, tmp, st.st_size, cgroups, err, errlen);
}

int record_check(const struct connprobe_record *rec, char *err, size_t errlen)
{
	if (record_ok(rec))
		return 0;
	if (rec->size != sizeof(*rec) || rec->version != CONNPROBE_RECORD_VERSION)
		return cp_err(err, errlen,
			      "record version %u of %u bytes, this tool reads version %u of %zu bytes: module and tool were built from different connprobe.h",
			      rec->version, rec->size, CONNPROBE_RECORD_VERSION, sizeof(*rec));
	return cp_err(err, errlen, "unknown record event %u", rec->event);
}

const struct connprobe_record *capture_next_slow(struct cp_capture *c,
						 char *err, size_t errlen)
{
	unsigned long long n = c->nr_records - c->next;
	const char *problem = NULL;
	char msg[256];

	err[0] = '\0';
	if (!n)
		return NULL;
	if (c->next - c->chunk_first >= c->chunk_len) {
		n = n < CHUNK_RECORDS ? n : CHUNK_RECORDS;
		problem = pread_all(c->fd, c->chunk, n * REC_SIZE,
				    c->hdr.header_size + c->next * REC_SIZE);
		c->chunk_first = c->next;
		c->chunk_len = problem ? 0 : n;
	}
	if (problem)
		cp_err(err, errlen, "reading record %llu: %s", c->next, problem);
	else if (record_check(&c->chunk[c->next - c->chunk_first], msg, sizeof(msg)))
		cp_err(err, errlen, "record %llu: %s", c->next, msg);
	else
		return &c->chunk[c->next++ - c->chunk_first];
	return NULL;
}

void capture_close(struct cp_capture *c)
{
	if (c->fd > STDIN_FILENO)
		close(c->fd);
	free(c->chunk);
	stats_free(&c->lost);
	*c = (struct cp_capture){ .fd = -1 };
}

void capture_print_info(FILE *f, const struct cp_capture *c)
{
	struct cp_timecache tc = { 0 };
	char when[48], lost[24] = "unknown";
	size_t n = fmt_rfc3339(&tc, when, realtime_of(c->hdr.start_ns, c->hdr.realtime_offset_ns));

	if (c->lost_known)
		snprintf(lost, sizeof(lost), "%llu", c->lost.total_lost);
	fprintf(f, "host:            %s\nstarted:         %.*s\n"
		"duration:        %.3f s\n"
		"records:         %llu (version %u, %u bytes each)\n"
		"lost:            %s\ncapture format:  version %u\n",
		c->hdr.hostname, (int)n, when,
		(double)(long long)(c->foot.end_ns - c->hdr.start_ns) / 1e9,
		c->nr_records, c->hdr.record_version, c->hdr.record_size, lost,
		c->hdr.version);
}

int replay_run(struct cp_capture *c, struct cp_sink *sink)
{
	struct cp_source_info info = {
		.realtime_offset_ns = c->hdr.realtime_offset_ns,
		.start_ns = c->hdr.start_ns, .hostname = c->hdr.hostname };
	const struct connprobe_record *rec;
	int bad = sink->ops->begin(sink, &info);
	char err[512];

	/* recorded rounds were sorted already: file order is time order */
	while (!bad && (rec = capture_next(c, err, sizeof(err))))
		bad = sink_feed(sink, rec);
	if (!bad && err[0]) {
		/* what the sink printed so far stays: say where it stopped */
		sink_abort(sink);
		fprintf(stderr, "connprobe: %s: %s\n", c->name, err);
		return 1;
	}
	if (bad || sink->ops->end(sink, c->lost_known ? &c->lost : NULL)) {
		fprintf(stderr, "connprobe: %s\n", sink->err);
		return 1;
	}
	return 0;
}
