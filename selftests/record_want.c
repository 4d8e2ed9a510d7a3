// SPDX-License-Identifier: GPL-2.0
/*
 * What a test expects connprobe to have recorded; see record_want.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record_reader.h"
#include "record_want.h"

/* Who this thread is, as want_identity() last learnt it. */
static struct {
	uint32_t uid, netns;
	uint64_t cgroup_id;
} self;

void timed_connect(int fd, const struct endpoint *dst, struct call *c)
{
	c->before = monotonic_ns();
	c->ret = connect(fd, &dst->sa, dst->len) ? -errno : 0;
	c->after = monotonic_ns();
}

/* The cgroup v2 path of this process, from the "0::" line. */
static int own_cgroup_path(char *path, size_t len)
{
	char line[4096];
	int err = -ENOENT;
	FILE *f;

	f = fopen("/proc/self/cgroup", "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(path, len, "%s", line + 3);
		err = 0;
	}
	fclose(f);
	return err;
}

/*
 * The id of this process's cgroup, which is what bpf_get_current_cgroup_id()
 * and connprobe report: the kernfs node id, which is also the cgroup
 * directory's file handle.  The test VM mounts no cgroup2, and /proc/self/
 * cgroup lists the v2 hierarchy only once it has been mounted somewhere:
 * mount a private one for the lookup and take it away at once.
 */
static int own_cgroup_id(uint64_t *id)
{
	char dir[] = "/tmp/cgroup2.XXXXXX", path[4096], full[8192];
	union {
		struct file_handle fh;
		char room[sizeof(struct file_handle) + sizeof(uint64_t)];
	} h;
	int err, mount_id;

	if (!mkdtemp(dir))
		return -errno;
	if (mount("cgroup2", dir, "cgroup2", 0, NULL)) {
		err = -errno;
		rmdir(dir);
		return err;
	}
	err = own_cgroup_path(path, sizeof(path));
	if (!err) {
		snprintf(full, sizeof(full), "%s%s", dir, path);
		h.fh.handle_bytes = sizeof(uint64_t);
		if (name_to_handle_at(AT_FDCWD, full, &h.fh, &mount_id, 0))
			err = -errno;
		else if (h.fh.handle_bytes != sizeof(uint64_t))
			err = -EPROTO;
		else
			memcpy(id, h.fh.f_handle, sizeof(*id));
	}
	umount2(dir, MNT_DETACH);
	rmdir(dir);
	return err;
}

int want_identity(void)
{
	struct stat st;

	if (stat("/proc/thread-self/ns/net", &st))
		return -errno;
	self.netns = st.st_ino;
	self.uid = getuid();
	return own_cgroup_id(&self.cgroup_id);
}

void want_call(struct connprobe_record *want, int fd, int ret)
{
	memset(want, 0, sizeof(*want));
	want->size = sizeof(*want);
	want->version = CONNPROBE_RECORD_VERSION;
	want->event = CONNPROBE_EVENT_CONNECT;
	want->ret = ret;
	want->pid = getpid();
	want->tid = gettid();
	want->uid = self.uid;
	want->cgroup_id = self.cgroup_id;
	want->fd = fd;
	/* This thread's comm, NUL-padded to 16 bytes like the record's. */
	prctl(PR_GET_NAME, want->comm);
}

void want_socket(struct connprobe_record *want, int family, int type,
		 int protocol)
{
	want->flags |= CONNPROBE_F_SOCK;
	want->family = family;
	want->type = type;
	want->protocol = protocol;
	want->netns = self.netns;
}

void want_daddr(struct connprobe_record *want, const struct endpoint *dst)
{
	const size_t path_off = offsetof(struct sockaddr_un, sun_path);
	const void *addr;
	size_t len;

	want->flags |= CONNPROBE_F_DADDR;
	want->daddr_family = dst->sa.sa_family;
	want->addrlen = dst->len;
	switch (dst->sa.sa_family) {
	case AF_UNIX:
		/* The path as passed: every byte after the family. */
		if (dst->len > path_off)
			memcpy(want->sun_path, dst->un.sun_path,
			       dst->len - path_off);
		break;
	case AF_INET:
	case AF_INET6:
		want->dport = endpoint_port(dst);
		addr = endpoint_addr(dst, &len);
		memcpy(want->daddr, addr, len);
		break;
	}
}

void want_source(struct connprobe_record *want, const struct endpoint *src)
{
	const void *addr;
	size_t len;

	want->flags |= CONNPROBE_F_SADDR;
	want->sport = endpoint_port(src);
	addr = endpoint_addr(src, &len);
	memset(want->saddr, 0, sizeof(want->saddr));
	memcpy(want->saddr, addr, len);
}

void want_complete(struct connprobe_record *want,
		   const struct connprobe_record *connect, int ret)
{
	want->event = CONNPROBE_EVENT_COMPLETE;
	want->ret = ret;
	/* The signal was the call's, not the attempt's. */
	want->signal = 0;
	want->ts_ns = connect->ts_ns;
	want->id = connect->id;
}

void want_id_of(struct connprobe_record *want,
		const struct connprobe_record *earlier)
{
	want->id = earlier->id;
}

void want_id_new(struct connprobe_record *want,
		 const struct connprobe_record *earlier)
{
	want->id = WANT_ID_OTHER_THAN | earlier->id;
}

/* Append to @why; returns 1, one more difference. */
static int note(char *why, size_t len, const char *fmt, ...)
{
	size_t used = strlen(why);
	va_list ap;

	if (used + 2 >= len)
		return 1;
	if (used)
		strcpy(why + used++, ";");
	va_start(ap, fmt);
	vsnprintf(why + used, len - used, fmt, ap);
	va_end(ap);
	return 1;
}

static void hex(char *buf, const void *bytes, size_t n)
{
	const unsigned char *b = bytes;
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(buf + 2 * i, "%02x", b[i]);
}

/* The bytes of @field in both records, when they differ. */
#define DIFF_BYTES(field) do {						\
	if (memcmp(want->field, got->field, sizeof(want->field))) {	\
		char w[2 * sizeof(want->field) + 1];			\
		char g[2 * sizeof(want->field) + 1];			\
									\
		hex(w, want->field, sizeof(want->field));		\
		hex(g, got->field, sizeof(got->field));			\
		n += note(why, len, " " #field " %s (want %s)", g, w);	\
	}								\
} while (0)

#define DIFF(field) do {						\
	if (want->field != got->field)					\
		n += note(why, len, " " #field " %lld (want %lld)",	\
			  (long long)got->field, (long long)want->field); \
} while (0)

/* The id against what @want says of it (see want_id_of()); 1 if wrong. */
static int diff_id(const struct connprobe_record *want,
		   const struct connprobe_record *got, char *why, size_t len)
{
	unsigned long long id = got->id, other;

	if (!(want->flags & CONNPROBE_F_SOCK)) {
		if (want->id)
			return note(why, len,
				    " id: the test relates the id of a record without a socket");
		if (id)
			return note(why, len, " id %llu (want 0: no socket)",
				    id);
		return 0;
	}
	if (!id)
		return note(why, len, " id 0 (want non-zero)");
	if (want->id & WANT_ID_OTHER_THAN) {
		other = want->id & ~WANT_ID_OTHER_THAN;
		if (id == other)
			return note(why, len,
				    " id %llu (want a new one, not the earlier record's)",
				    id);
		return 0;
	}
	if (want->id && id != want->id)
		return note(why, len, " id %llu (want %llu, the earlier record's)",
			    id, (unsigned long long)want->id);
	return 0;
}

int record_diff(const struct connprobe_record *want,
		const struct connprobe_record *got, uint64_t lo, uint64_t hi,
		char *why, size_t len)
{
	int n = 0;

	why[0] = '\0';
	DIFF(size);
	DIFF(version);
	DIFF(event);
	if (want->flags != got->flags)
		n += note(why, len, " flags 0x%x (want 0x%x)", got->flags,
			  want->flags);
	DIFF(ret);
	DIFF(pid);
	DIFF(tid);
	DIFF(uid);
	DIFF(cgroup_id);
	DIFF(netns);
	DIFF(fd);
	DIFF(family);
	DIFF(type);
	DIFF(protocol);
	DIFF(daddr_family);
	DIFF(sport);
	DIFF(dport);
	DIFF(addrlen);
	DIFF(signal);
	DIFF_BYTES(saddr);
	/* The union whole: daddr, and what follows it must be zero. */
	DIFF_BYTES(sun_path);
	if (memcmp(want->comm, got->comm, sizeof(want->comm)))
		n += note(why, len, " comm \"%.*s\" (want \"%.*s\")",
			  CONNPROBE_COMM_LEN, got->comm, CONNPROBE_COMM_LEN,
			  want->comm);
	n += diff_id(want, got, why, len);
	if (want->ts_ns)
		DIFF(ts_ns);
	if (got->ts_ns < lo || got->ts_ns + got->latency_ns > hi)
		n += note(why, len,
			  " [ts_ns, +latency_ns] = [%llu, +%llu] not within the caller's [%llu, %llu]",
			  (unsigned long long)got->ts_ns,
			  (unsigned long long)got->latency_ns,
			  (unsigned long long)lo, (unsigned long long)hi);
	if (!got->latency_ns)
		n += note(why, len, " latency_ns 0 (want > 0)");
	return n;
}
