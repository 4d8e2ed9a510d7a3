// SPDX-License-Identifier: GPL-2.0
/* Validating and mapping captures. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture_read.h"
#include "reader.h"
#include "timefmt.h"

#define CP_SECTION_LOSSES_HEAD	(3 * sizeof(__u64))

/* Load a CP_SECTION_LOSSES payload into c->lost. */
static int load_losses(struct cp_capture *c, const unsigned char *p,
		       __u64 size, char *err, size_t errlen)
{
	struct cp_capture_lost_cpu cpu;
	struct cp_capture_probe probe;
	__u64 head[3];
	size_t i;

	if (c->lost_known || size < sizeof(head))
		goto bad;
	memcpy(head, p, sizeof(head));
	/* divide rather than multiply: hostile counts must not wrap */
	if (head[1] > (size - sizeof(head)) / sizeof(cpu) ||
	    head[2] > (size - sizeof(head) - head[1] * sizeof(cpu)) / sizeof(probe))
		goto bad;
	c->lost.total_lost = head[0];
	c->lost.cpus = calloc(head[1] ? head[1] : 1, sizeof(*c->lost.cpus));
	c->lost.probes = calloc(head[2] ? head[2] : 1, sizeof(*c->lost.probes));
	if (!c->lost.cpus || !c->lost.probes)
		goto oom;
	p += sizeof(head);
	for (i = 0; i < head[1]; i++, p += sizeof(cpu)) {
		memcpy(&cpu, p, sizeof(cpu));
		c->lost.cpus[i].cpu = cpu.cpu;
		c->lost.cpus[i].written = cpu.written;
		c->lost.cpus[i].lost = cpu.lost;
		c->lost.nr_cpus++;
	}
	for (i = 0; i < head[2]; i++, p += sizeof(probe)) {
		memcpy(&probe, p, sizeof(probe));
		c->lost.probes[i].symbol = strndup(probe.symbol,
						   sizeof(probe.symbol));
		if (!c->lost.probes[i].symbol)
			goto oom;
		c->lost.nr_probes++;
		c->lost.probes[i].nmissed = probe.nmissed;
		c->lost.probes[i].kp_nmissed = probe.kp_nmissed;
		c->lost.probes[i].maxactive = probe.maxactive;
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
		off += e.path_len;
		off = off + 7 < off ? size + 1 : CP_ALIGN8(off);
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
		if (sec.type == CP_SECTION_LOSSES &&
		    load_losses(c, p + off, sec.size, err, errlen))
			return -1;
		if (sec.type == CP_SECTION_CGROUPS &&
		    load_cgroups(p + off, sec.size, cgroups, err, errlen))
			return -1;
		off += padded;
	}
	return 0;
}

/* Header checks, most telling first: magic, byte order, versions. */
static int check_header(const struct cp_capture_header *h, size_t size,
			char *err, size_t errlen)
{
	if (h->byte_order != CP_CAPTURE_BYTE_ORDER) {
		snprintf(err, errlen,
			 "capture written on a host of another byte order");
		return -1;
	}
	if (h->version != CP_CAPTURE_VERSION) {
		snprintf(err, errlen,
			 "capture format version %u, this tool reads version %u",
			 h->version, CP_CAPTURE_VERSION);
		return -1;
	}
	if (h->record_version != CONNPROBE_RECORD_VERSION ||
	    h->record_size != sizeof(struct connprobe_record)) {
		snprintf(err, errlen,
			 "capture holds version %u records of %u bytes, this tool reads version %u records of %zu bytes",
			 h->record_version, h->record_size,
			 CONNPROBE_RECORD_VERSION,
			 sizeof(struct connprobe_record));
		return -1;
	}
	if (h->header_size < sizeof(*h) || h->header_size % 8) {
		snprintf(err, errlen, "corrupt capture: header size %u",
			 h->header_size);
		return -1;
	}
	if (size < h->header_size + sizeof(struct cp_capture_footer)) {
		snprintf(err, errlen,
			 "truncated capture: no end marker (was the recording cut short?)");
		return -1;
	}
	return 0;
}

/*
 * The header, from the first @len bytes (all there are, if fewer), of a
 * file of @size bytes.
 */
static int parse_head(struct cp_capture *c, const void *head, size_t len,
		      size_t size, char *err, size_t errlen)
{
	if (len < sizeof(c->hdr.magic) ||
	    memcmp(head, CP_CAPTURE_MAGIC, sizeof(c->hdr.magic))) {
		snprintf(err, errlen, "not a connprobe capture");
		return -1;
	}
	if (len < sizeof(c->hdr)) {
		snprintf(err, errlen, "truncated capture: header cut short");
		return -1;
	}
	memcpy(&c->hdr, head, sizeof(c->hdr));
	c->hdr.hostname[sizeof(c->hdr.hostname) - 1] = '\0';
	return check_header(&c->hdr, size, err, errlen);
}

/* The footer, from the last bytes of the file: the parts must add up. */
static int parse_foot(struct cp_capture *c, const void *foot, size_t size,
		      char *err, size_t errlen)
{
	const size_t rec_size = sizeof(struct connprobe_record);
	__u64 body = size - c->hdr.header_size - sizeof(c->foot);

	memcpy(&c->foot, foot, sizeof(c->foot));
	if (memcmp(c->foot.magic, CP_CAPTURE_END_MAGIC, sizeof(c->foot.magic))) {
		snprintf(err, errlen,
			 "truncated capture: no end marker (was the recording cut short?)");
		return -1;
	}
	if (c->foot.nr_records > body / rec_size ||
	    c->foot.sections_size != body - c->foot.nr_records * rec_size) {
		snprintf(err, errlen,
			 "corrupt capture: %llu records and %llu bytes of sections do not fill its %zu bytes",
			 (unsigned long long)c->foot.nr_records,
			 (unsigned long long)c->foot.sections_size, size);
		return -1;
	}
	c->nr_records = c->foot.nr_records;
	return 0;
}

/* Where the sections start in the file. */
static size_t sections_offset(const struct cp_capture *c)
{
	return c->hdr.header_size + c->nr_records * sizeof(struct connprobe_record);
}

int capture_parse(struct cp_capture *c, const void *data, size_t size,
		  struct cp_cgroups *cgroups, char *err, size_t errlen)
{
	const unsigned char *d = data;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->size = size;
	if (parse_head(c, d, size, size, err, errlen) ||
	    parse_foot(c, d + size - sizeof(c->foot), size, err, errlen))
		return -1;
	c->records = d + c->hdr.header_size;
	return load_sections(c, d + sections_offset(c), c->foot.sections_size,
			     cgroups, err, errlen);
}

/* Read exactly @len bytes at @off; -1 with errno (0: the file ended). */
static int pread_all(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n;

	while (len) {
		n = pread(fd, buf, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!n)
				errno = 0;
			return -1;
		}
		buf = (char *)buf + n;
		len -= n;
		off += n;
	}
	return 0;
}

/*
 * A regular file: its header, footer and sections, read now; the records
 * later, by capture_next().  Sections are a few KiB (losses, cgroup
 * paths); more than this is a corrupt file, not an allocation to try.
 */
#define MAX_SECTIONS_SIZE	(64 << 20)

/* Bytes per read() of a pipe, as a file's records are read: 232 KiB. */
#define SPOOL_CHUNK	(1024 * sizeof(struct connprobe_record))

static int open_file(struct cp_capture *c, int fd, size_t size,
		     struct cp_cgroups *cgroups, char *err, size_t errlen)
{
	unsigned char head[sizeof(c->hdr)], foot[sizeof(c->foot)];
	size_t n = size < sizeof(head) ? size : sizeof(head);

	c->size = size;
	if (pread_all(fd, head, n, 0))
		goto out_errno;
	if (parse_head(c, head, n, size, err, errlen))
		return -1;
	if (pread_all(fd, foot, sizeof(foot), size - sizeof(foot)))
		goto out_errno;
	if (parse_foot(c, foot, size, err, errlen))
		return -1;
	if (c->foot.sections_size > MAX_SECTIONS_SIZE) {
		snprintf(err, errlen, "corrupt capture: %llu bytes of sections",
			 (unsigned long long)c->foot.sections_size);
		return -1;
	}
	c->sections = malloc(c->foot.sections_size + 1);
	if (!c->sections) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (pread_all(fd, c->sections, c->foot.sections_size, sections_offset(c)))
		goto out_errno;
	c->fd = fd;
	return load_sections(c, c->sections, c->foot.sections_size, cgroups,
			     err, errlen);

out_errno:
	snprintf(err, errlen, "%s", errno ? strerror(errno) : "file changed while read");
	return -1;
}

/* Where report -i - keeps its copy of a pipe. */
static const char *spool_dir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir && *dir ? dir : "/var/tmp";
}

/* Write all @len bytes; -1 with errno. */
static int write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/*
 * Standard input (a pipe) copied to an unlinked temporary file, which is
 * then read as a capture file is: a capture of gigabytes costs its size
 * in $TMPDIR (default /var/tmp), not in memory, and is checked whole (its
 * footer, cgroup paths and losses come after the records) before any of
 * it is shown.  The file's descriptor, or -1 with errno.
 */
static int spool(int in)
{
	char path[PATH_MAX], *buf = malloc(SPOOL_CHUNK);
	int fd = -1, saved;
	ssize_t n;

	errno = ENAMETOOLONG;
	if (buf && snprintf(path, sizeof(path), "%s/connprobe-report.XXXXXX",
			    spool_dir()) < (int)sizeof(path))
		fd = mkstemp(path);
	if (fd < 0)
		goto out_free;
	unlink(path);
	while ((n = read(in, buf, SPOOL_CHUNK))) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || write_all(fd, buf, n))
			goto out_close;
	}
	free(buf);
	return fd;

out_close:
	saved = errno;
	close(fd);
	fd = -1;
	errno = saved;
out_free:
	free(buf);
	return fd;
}

int capture_open(struct cp_capture *c, const char *path,
		 struct cp_cgroups *cgroups, char *err, size_t errlen)
{
	struct stat st;
	int fd, tmp, ret;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->name = path;
	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (fd < 0 || fstat(fd, &st))
		goto out_errno;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto out_errno;
	}
	if (!S_ISREG(st.st_mode)) {
		/* a pipe: read on from a file of our own */
		tmp = spool(fd);
		if (tmp >= 0 && fstat(tmp, &st)) {
			close(tmp);
			tmp = -1;
		}
		if (tmp < 0) {
			snprintf(err, errlen, "copying to a temporary file in %s (TMPDIR): %s",
				 spool_dir(), strerror(errno));
			goto out_close;
		}
		if (fd > STDIN_FILENO)
			close(fd);
		fd = tmp;
	}
	ret = open_file(c, fd, st.st_size, cgroups, err, errlen);
	if (c->fd < 0 && fd != STDIN_FILENO)
		close(fd);
	return ret;

out_errno:
	snprintf(err, errlen, "%s", strerror(errno));
out_close:
	if (fd > STDIN_FILENO)
		close(fd);
	return -1;
}

/* Records per read() of a file: 232 KiB, at home in a core's L2 cache. */
#define CHUNK_RECORDS	1024

/* Read the chunk holding record c->next from the file. */
static int read_chunk(struct cp_capture *c, char *err, size_t errlen)
{
	const size_t rec_size = sizeof(struct connprobe_record);
	unsigned long long n = c->nr_records - c->next;

	if (!c->chunk && !(c->chunk = malloc(CHUNK_RECORDS * rec_size))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (n > CHUNK_RECORDS)
		n = CHUNK_RECORDS;
	if (pread_all(c->fd, c->chunk, n * rec_size,
		      c->hdr.header_size + c->next * rec_size)) {
		snprintf(err, errlen, "reading record %llu: %s", c->next,
			 errno ? strerror(errno) : "file changed while read");
		return -1;
	}
	c->chunk_first = c->next;
	c->chunk_len = n;
	return 0;
}

const struct connprobe_record *capture_next_slow(struct cp_capture *c,
						 char *err, size_t errlen)
{
	const struct connprobe_record *rec;
	char msg[256];
	const unsigned char *p;

	err[0] = '\0';
	if (c->next >= c->nr_records)
		return NULL;
	if (c->records) {
		p = c->records + c->next * sizeof(*rec);
		rec = (const void *)p;
		if ((uintptr_t)p % _Alignof(struct connprobe_record)) {
			if (!c->chunk && !(c->chunk = malloc(sizeof(*rec)))) {
				snprintf(err, errlen, "out of memory");
				return NULL;
			}
			memcpy(c->chunk, p, sizeof(*rec));
			rec = c->chunk;
		}
	} else {
		if (c->next >= c->chunk_first + c->chunk_len &&
		    read_chunk(c, err, errlen))
			return NULL;
		rec = &c->chunk[c->next - c->chunk_first];
	}
	if (!record_ok(rec) && record_check(rec, msg, sizeof(msg))) {
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
	free(c->sections);
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
