// SPDX-License-Identifier: GPL-2.0
/* Buffered output, its numbers, and the files written with it: textfiles, captures. */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "capture_write.h"
#include "format.h"

int out_init(struct cp_out *o, FILE *f)
{
	*o = (struct cp_out){ .f = f, .buf = malloc(OUT_BUF_SIZE), .size = OUT_BUF_SIZE };
	return o->buf ? 0 : -1;
}

void out_make_room(struct cp_out *o, size_t n)
{
	if (o->len)
		fwrite(o->buf, 1, o->len, o->f);
	o->len = 0;
	if (n <= o->size)
		return;
	/* only a row with a cgroup path of tens of kB is this long */
	o->buf = realloc(o->buf, n);
	if (!o->buf) {
		fputs("connprobe: out of memory\n", stderr);
		abort();
	}
	o->size = n;
}

int out_flush(struct cp_out *o)
{
	out_make_room(o, 0);
	return fflush(o->f) || ferror(o->f) ? -1 : 0;
}

int out_close(struct cp_out *o)
{
	int ret = o->buf ? out_flush(o) : 0;

	free(o->buf);
	o->buf = NULL;
	return ret;
}

char fmt_digits4[10001][4];
unsigned char fmt_len4[10000];

static void __attribute__((constructor)) fmt_init(void)
{
	unsigned int i, d, v;

	for (i = 0; i < 10000; i++) {
		for (d = 4, v = i; d-- > 0; v /= 10)
			fmt_digits4[i][d] = '0' + v % 10;
		fmt_len4[i] = i >= 1000 ? 4 : i >= 100 ? 3 : i >= 10 ? 2 : 1;
	}
}

int textfile_write(const char *dir, const char *name, const void *data,
		   size_t len, char *err, size_t errlen)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	int fd, ok;

	if (snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, name) >= (int)sizeof(tmp) ||
	    snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return cp_err(err, errlen, "%s: path too long", dir);
	fd = mkstemp(tmp);
	if (fd < 0)
		return cp_err(err, errlen, "%s: %s", dir, strerror(errno));
	/* mkstemp() makes it 0600; the collector may run as another user */
	ok = !fchmod(fd, 0644) && write(fd, data, len) == (ssize_t)len;
	if (!close(fd) && ok && !rename(tmp, path))
		return 0;
	cp_err(err, errlen, "%s: %s", path, strerror(errno));
	unlink(tmp);
	return -1;
}

_Static_assert(sizeof(struct cp_capture_header) % 8 == 0 &&
	       sizeof(struct cp_capture_footer) % 8 == 0 &&
	       sizeof(struct connprobe_record) % 8 == 0,
	       "capture parts must keep records 8-byte aligned");

/* A section header; the caller writes its payload, padded to 8 bytes. */
static void section_begin(struct capture_writer *w, __u32 type, __u32 size)
{
	struct cp_capture_section sec = { .type = type, .size = size };

	out_mem(&w->out, &sec, sizeof(sec));
	w->sections_size += sizeof(sec) + CP_ALIGN8(size);
}

static void write_losses(struct capture_writer *w, const struct cp_stats *l)
{
	__u64 head[3] = { l->total_lost, l->nr_cpus, l->nr_probes };
	size_t i;

	section_begin(w, CP_SECTION_LOSSES, sizeof(head) +
		      l->nr_cpus * sizeof(struct cp_capture_lost_cpu) +
		      l->nr_probes * sizeof(struct cp_capture_probe));
	out_mem(&w->out, head, sizeof(head));
	for (i = 0; i < l->nr_cpus; i++)
		out_mem(&w->out, &(struct cp_capture_lost_cpu){
			.cpu = l->cpus[i].cpu, .written = l->cpus[i].written,
			.lost = l->cpus[i].lost,
		}, sizeof(struct cp_capture_lost_cpu));
	for (i = 0; i < l->nr_probes; i++) {
		struct cp_capture_probe probe = {
			.nmissed = l->probes[i].nmissed, .kp_nmissed = l->probes[i].kp_nmissed,
			.maxactive = l->probes[i].maxactive,
		};

		strncpy(probe.symbol, l->probes[i].symbol, sizeof(probe.symbol) - 1);
		out_mem(&w->out, &probe, sizeof(probe));
	}
}

/* The cgroup section's entries, or only their size, which its header holds. */
static size_t put_cgroups(struct capture_writer *w, bool write)
{
	static const char zeros[8];
	struct cp_capture_cgroup e = { 0 };
	const struct cp_cgroup *cg;
	size_t i, size = 0;

	for (i = 0; w->cgroups && i < w->cgroups->tab.nr; i++) {
		cg = htab_entry(&w->cgroups->tab, i);
		if (!cg->used || !cg->path)
			continue;
		e.id = cg->id;
		e.path_len = strlen(cg->path);
		size += sizeof(e) + CP_ALIGN8(e.path_len);
		if (!write)
			continue;
		out_mem(&w->out, &e, sizeof(e));
		out_mem(&w->out, cg->path, e.path_len);
		out_mem(&w->out, zeros, CP_ALIGN8(e.path_len) - e.path_len);
	}
	return size;
}

void capture_writer_begin(struct capture_writer *w, const struct cp_source_info *info)
{
	struct cp_capture_header h = {
		.magic = CP_CAPTURE_MAGIC, .byte_order = CP_CAPTURE_BYTE_ORDER,
		.version = CP_CAPTURE_VERSION, .header_size = sizeof(h),
		.record_size = sizeof(struct connprobe_record),
		.record_version = CONNPROBE_RECORD_VERSION,
		.realtime_offset_ns = info->realtime_offset_ns, .start_ns = info->start_ns,
	};

	strncpy(h.hostname, info->hostname, sizeof(h.hostname) - 1);
	out_mem(&w->out, &h, sizeof(h));
}

void capture_writer_add(struct capture_writer *w, const struct connprobe_record *rec)
{
	/* resolve the cgroup now: it may be gone by the end of the run */
	if (w->cgroups)
		cgroups_lookup(w->cgroups, rec->cgroup_id);
	out_mem(&w->out, rec, sizeof(*rec));
	w->nr++;
}

int capture_writer_finish(struct capture_writer *w,
			  const struct cp_stats *lost, char *err, size_t errlen)
{
	size_t cgroups_size = put_cgroups(w, false);
	int ret;

	if (lost)
		write_losses(w, lost);
	if (cgroups_size) {
		section_begin(w, CP_SECTION_CGROUPS, cgroups_size);
		put_cgroups(w, true);
	}
	out_mem(&w->out, &(struct cp_capture_footer){
		.magic = CP_CAPTURE_END_MAGIC, .nr_records = w->nr,
		.sections_size = w->sections_size, .end_ns = mono_now(),
	}, sizeof(struct cp_capture_footer));
	ret = out_flush(&w->out);
	if (w->f != stdout && fclose(w->f))
		ret = -1;
	w->f = NULL;
	return ret ? cp_err(err, errlen, "%s: write error: %s", w->path, strerror(errno)) : 0;
}

void capture_writer_close(struct capture_writer *w)
{
	if (w->f && w->f != stdout)
		fclose(w->f);
	free(w->out.buf);
}

int capture_writer_open(struct capture_writer *w, const char *path,
			struct cp_cgroups *cgroups, char *err, size_t errlen)
{
	char old[PATH_MAX];
	struct stat st;
	int fd;

	*w = (struct capture_writer){ .path = path, .cgroups = cgroups };
	if (!strcmp(path, "-")) {
		if (isatty(STDOUT_FILENO))
			return cp_err(err, errlen, "will not write a binary capture to a terminal");
		w->f = stdout;
	} else {
		/* as perf keeps perf.data.old, a capture already there is renamed */
		if (!lstat(path, &st) && S_ISREG(st.st_mode)) {
			if (snprintf(old, sizeof(old), "%s.old", path) >= (int)sizeof(old))
				return cp_err(err, errlen, "%s: name too long", path);
			if (rename(path, old))
				return cp_err(err, errlen, "%s: cannot keep the previous capture as %s: %s",
					      path, old, strerror(errno));
		}
		/* 0644 less the umask: report needs no root to read it */
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0)
			return cp_err(err, errlen, "%s: %s", path, strerror(errno));
		/* fdopen() of a good fd fails only for want of memory */
		if (!(w->f = fdopen(fd, "w")))
			close(fd);
	}
	if (w->f && !out_init(&w->out, w->f))
		return 0;
	capture_writer_close(w);
	return cp_err(err, errlen, "out of memory");
}
