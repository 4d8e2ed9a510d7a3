// SPDX-License-Identifier: GPL-2.0
/* Building the hostile capture corpus from one valid capture. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capture.h"
#include "runner.h"
#include "fixtures.h"
#include "hostile.h"

#define NR_RECORDS	3

int capture_parse(struct cp_capture *c, const void *data, size_t size,
		  struct cp_cgroups *cgroups, char *err, size_t errlen)
{
	static char path[32];
	int fd = memfd_create("connprobe-capture", MFD_CLOEXEC), ret;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		perror("memory file");
		abort();
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ret = capture_open(c, path, cgroups, err, errlen);
	close(fd);
	return ret;
}

unsigned char *hostile_base(size_t *len)
{
	struct connprobe_record r[NR_RECORDS] = {
		rec_refused_v4(1, 0, 1), rec_refused_v4(2, 1, 1),
		rec_refused_v4(3, 0, 2),
	};
	struct cp_stats_cpu cpus[1] = { { .cpu = 1, .written = 5, .lost = 2 } };
	char sym[] = "__sys_connect";
	struct cp_stats_probe probe = { sym, 1, 0, 4096 };
	struct cp_stats lost = {
		.cpus = cpus, .nr_cpus = 1, .total_lost = 2,
		.probes = &probe, .nr_probes = 1,
	};
	char path[] = "/tmp/connprobe-hostile.XXXXXX";
	unsigned char *data = NULL;
	struct cp_cgroups cg;
	int fd = mkstemp(path);

	if (fd < 0)
		return NULL;
	close(fd);
	cgroups_init(&cg);
	r[0].cgroup_id = 7;
	if (!cgroups_add(&cg, 7, "/system.slice/a.service", 23) &&
	    cgroups_lookup(&cg, 7) &&
	    !write_capture(path, r, NR_RECORDS, &lost, &cg))
		data = (unsigned char *)read_file(path, len);
	cgroups_free(&cg);
	unlink(path);
	return data;
}

/* Offsets into the base capture. */
#define HDR		sizeof(struct cp_capture_header)
#define REC		sizeof(struct connprobe_record)
#define SECTIONS	(HDR + NR_RECORDS * REC)
#define FOOT(len)	((len) - sizeof(struct cp_capture_footer))

static const char TRUNCATED[] =
	"truncated capture: no end marker (was the recording cut short?)";

static int add(struct hostile *h, size_t *n, const char *name,
	       const unsigned char *base, size_t len, const char *err)
{
	h[*n].data = malloc(len ? len : 1);
	if (!h[*n].data)
		return -1;
	memcpy(h[*n].data, base, len);
	h[*n].len = len;
	h[*n].name = name;
	h[*n].parse_err = err;
	h[*n].record_err = NULL;
	return (*n)++, 0;
}

/* Overwrite @size bytes at @off of the last entry added. */
static void patch(struct hostile *h, size_t n, size_t off, const void *v,
		  size_t size)
{
	memcpy(h[n - 1].data + off, v, size);
}

#define MAX_HOSTILE	32

int hostile_corpus(struct hostile **out, size_t *n)
{
	size_t len, bad_sections;
	unsigned char *base = hostile_base(&len);
	struct hostile *h = calloc(MAX_HOSTILE, sizeof(*h));
	struct cp_capture_section sec;
	__u64 big = 0xffffffffffffULL;
	__u32 u32 = 0xffffffff;
	__u16 u16;
	__u8 u8;
	int ret = -1;

	*n = 0;
	if (!base || !h)
		goto out;
	if (add(h, n, "empty file", base, 0, "not a connprobe capture") ||
	    add(h, n, "text", (const unsigned char *)"hello, world\n", 13,
		"not a connprobe capture") ||
	    add(h, n, "magic only", base, 8, "truncated capture: header cut short") ||
	    add(h, n, "header only", base, HDR, TRUNCATED) ||
	    add(h, n, "cut inside a record", base, HDR + REC + 100, TRUNCATED) ||
	    add(h, n, "cut inside the sections", base, SECTIONS + 20, TRUNCATED) ||
	    add(h, n, "last byte missing", base, len - 1, TRUNCATED) ||
	    add(h, n, "garbage appended", base, len, TRUNCATED))
		goto out;
	/* a copy with 8 bytes more: the footer is no longer at the end */
	free(h[*n - 1].data);
	h[*n - 1].data = calloc(1, len + 8);
	if (!h[*n - 1].data)
		goto out;
	memcpy(h[*n - 1].data, base, len);
	h[*n - 1].len = len + 8;

	if (add(h, n, "other capture version", base, len,
		"capture format version 2, this tool reads version " XSTR(CP_CAPTURE_VERSION)))
		goto out;
	u16 = 2;
	patch(h, *n, offsetof(struct cp_capture_header, version), &u16, 2);
	if (add(h, n, "other record version and size", base, len,
		"capture holds version 1 records of 112 bytes, this tool reads version "
		XSTR(CONNPROBE_RECORD_VERSION) " records of " XSTR(CONNPROBE_RECORD_SIZE) " bytes"))
		goto out;
	u8 = 1;
	u16 = 112;
	patch(h, *n, offsetof(struct cp_capture_header, record_version), &u8, 1);
	patch(h, *n, offsetof(struct cp_capture_header, record_size), &u16, 2);
	if (add(h, n, "other byte order", base, len,
		"capture written on a host of another byte order"))
		goto out;
	u32 = 0x04030201;
	patch(h, *n, offsetof(struct cp_capture_header, byte_order), &u32, 4);
	if (add(h, n, "header size not 8-aligned", base, len,
		"corrupt capture: header size 247"))
		goto out;
	u16 = 247;
	patch(h, *n, offsetof(struct cp_capture_header, header_size), &u16, 2);
	if (add(h, n, "header size past the end", base, len, TRUNCATED))
		goto out;
	u16 = 65528;
	patch(h, *n, offsetof(struct cp_capture_header, header_size), &u16, 2);

	bad_sections = len - sizeof(struct cp_capture_footer) - SECTIONS;
	if (add(h, n, "more records than the file holds", base, len, NULL))
		goto out;
	patch(h, *n, FOOT(len) + offsetof(struct cp_capture_footer, nr_records),
	      &big, 8);
	h[*n - 1].parse_err = "corrupt capture: 281474976710655 records and "
			      "176 bytes of sections do not fill its 1144 bytes";
	if (add(h, n, "sections size off by 8", base, len, NULL))
		goto out;
	big = bad_sections + 8;
	patch(h, *n, FOOT(len) + offsetof(struct cp_capture_footer, sections_size),
	      &big, 8);
	h[*n - 1].parse_err = "corrupt capture: 3 records and 184 bytes of "
			      "sections do not fill its 1144 bytes";

	if (add(h, n, "section overruns the file", base, len,
		"corrupt capture: section of 4294967295 bytes overruns the file"))
		goto out;
	sec = (struct cp_capture_section){ CP_SECTION_LOSSES, 0xffffffff };
	patch(h, *n, SECTIONS, &sec, sizeof(sec));
	if (add(h, n, "losses claim too many CPUs", base, len,
		"corrupt capture: bad losses section"))
		goto out;
	big = 1ULL << 60;
	patch(h, *n, SECTIONS + sizeof(sec) + 8, &big, 8);
	if (add(h, n, "losses claim too many probes", base, len,
		"corrupt capture: bad losses section"))
		goto out;
	patch(h, *n, SECTIONS + sizeof(sec) + 16, &big, 8);
	if (add(h, n, "cgroup path overruns its section", base, len,
		"corrupt capture: bad cgroup section"))
		goto out;
	/* the cgroup section follows the losses: 8 + 24 + 24 + 72 bytes */
	u32 = 4096;
	patch(h, *n, SECTIONS + 8 + 120 + 8 + 8, &u32, 4);

	if (add(h, n, "a record of another version", base, len, NULL))
		goto out;
	u8 = 9;
	patch(h, *n, HDR + REC + offsetof(struct connprobe_record, version), &u8, 1);
	h[*n - 1].bad_record = 1;
	h[*n - 1].record_err = "record 1: record version 9 of " XSTR(CONNPROBE_RECORD_SIZE)
		" bytes, this tool reads version " XSTR(CONNPROBE_RECORD_VERSION) " of "
		XSTR(CONNPROBE_RECORD_SIZE) " bytes: module and tool were built from different connprobe.h";
	if (add(h, n, "a record of an unknown event", base, len, NULL))
		goto out;
	u8 = 7;
	patch(h, *n, HDR + 2 * REC + offsetof(struct connprobe_record, event), &u8, 1);
	h[*n - 1].bad_record = 2;
	h[*n - 1].record_err = "record 2: unknown record event 7";
	ret = 0;
out:
	free(base);
	if (ret) {
		hostile_free(h, *n);
		h = NULL;
		*n = 0;
	}
	*out = h;
	return ret;
}

void hostile_free(struct hostile *h, size_t n)
{
	size_t i;

	for (i = 0; h && i < n; i++)
		free(h[i].data);
	free(h);
}
