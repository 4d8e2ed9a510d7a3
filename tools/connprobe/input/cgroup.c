// SPDX-License-Identifier: GPL-2.0
/* cgroup id -> path by kernfs file handle, or by a walk; container ids. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <mntent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cgroup.h"
#include "format.h"
#include "sink.h"

#define FILEID_KERNFS		0xfe	/* include/linux/exportfs.h */
#define WALK_INTERVAL_NS	1000000000LL

void cgroups_init(struct cp_cgroups *c)
{
	memset(c, 0, sizeof(*c));
	htab_init(&c->tab, sizeof(__u64), sizeof(struct cp_cgroup));
}

int cgroups_add(struct cp_cgroups *c, __u64 id, const char *path, size_t len)
{
	struct cp_cgroup *cg = htab_insert(&c->tab, &id);

	c->last = NULL;		/* an insert may move the entries */
	if (!cg || cg->path || !path)
		return cg ? 0 : -1;
	cg->path = strndup(path, len);
	if (cg->path) {
		container_id(cg->path, cg->container);
		return 0;
	}
	htab_remove(&c->tab, &id);	/* unknown, not gone */
	return -1;
}

static ssize_t fd_path(int fd, char *buf)
{
	char proc[32];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, buf, PATH_MAX - 1);
	if (n == PATH_MAX - 1)
		errno = ENAMETOOLONG;	/* it may have been cut */
	else if (n >= 0)
		buf[n] = '\0';
	return n == PATH_MAX - 1 ? -1 : n;
}

/* Else the exporter's seccomp filter kills open_by_handle_at()'s caller. */
static bool may_open_handles(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	return !syscall(SYS_capget, &h, d) &&
	       (d[CAP_TO_INDEX(CAP_DAC_READ_SEARCH)].effective &
		CAP_TO_MASK(CAP_DAC_READ_SEARCH));
}

int cgroups_open(struct cp_cgroups *c, const char *path, char *err, size_t errlen)
{
	char found[PATH_MAX];
	const char *mount = path ?: found;
	struct statfs sfs;
	struct statx stx;
	ssize_t n;

	cgroups_init(c);
	if (!path && cgroup2_mount_find("/proc/self/mounts", found, sizeof(found)))
		return 0;
	c->mount_fd = open(mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	n = c->mount_fd < 0 ? -1 : fd_path(c->mount_fd, c->canon);
	c->prefix = n > 1 ? n : 0;	/* below "/", a path keeps its '/' */
	c->by_handle = may_open_handles();
	/* not the mount's root: its paths would pass for paths below the mount */
	if (n < 0 || fstatfs(c->mount_fd, &sfs) ||
	    statx(c->mount_fd, "", AT_EMPTY_PATH, 0, &stx))
		cp_err(err, errlen, "%s: %m", mount);
	else if (sfs.f_type != CGROUP2_SUPER_MAGIC)
		cp_err(err, errlen, "%s: not a cgroup2 mount", mount);
	else if (!(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
		cp_err(err, errlen, "%s: not the root of a cgroup2 mount", mount);
	else if (!(c->mount = strdup(mount)))
		cp_err(err, errlen, "out of memory");
	else
		return 0;
	if (c->mount_fd >= 0)
		close(c->mount_fd);
	return -1;
}

/* Cache @id at @path, a full path, as below the mount. */
static int add_below(struct cp_cgroups *c, __u64 id, const char *path)
{
	size_t n = c->prefix;

	/* a cgroup outside a mount of a subtree (a cgroup namespace): gone */
	if (strncmp(path, c->canon, n) || (path[n] && path[n] != '/'))
		return cgroups_add(c, id, NULL, 0);
	path = path[n] ? path + n : "/";
	return cgroups_add(c, id, path, strlen(path));
}

/* Cgroup @id by its kernfs file handle: 0 once cached, or an errno. */
static int by_handle(struct cp_cgroups *c, __u64 id)
{
	union {
		struct file_handle fh;
		char bytes[sizeof(struct file_handle) + sizeof(__u64)];
	} h = { .fh = { .handle_bytes = sizeof(id), .handle_type = FILEID_KERNFS } };
	char buf[PATH_MAX];
	int fd, err = 0;

	memcpy(h.fh.f_handle, &id, sizeof(id));
	fd = open_by_handle_at(c->mount_fd, &h.fh, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (fd_path(fd, buf) < 0 || add_below(c, id, buf))
		err = errno;
	close(fd);
	return err;
}

/* Cache every cgroup of the hierarchy: 0, or -1 if some went unseen. */
static int walk(struct cp_cgroups *c)
{
	char *roots[] = { c->canon, NULL };
	/* no stat() of each cgroup's many files: directories are enough */
	FTS *fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR | FTS_NOSTAT, NULL);
	FTSENT *e;
	int ret = 0;

	c->walked_ns = mono_now();
	if (!fts)
		return -1;
	while ((e = fts_read(fts)))
		/* a cgroup removed under the walk is gone, not unseen */
		if ((e->fts_info == FTS_D && add_below(c, e->fts_ino, e->fts_path)) ||
		    (e->fts_errno && e->fts_errno != ENOENT))
			ret = -1;
	if (errno)
		ret = -1;
	fts_close(fts);
	return ret;
}

const struct cp_cgroup *cgroups_find(struct cp_cgroups *c, __u64 id)
{
	struct cp_cgroup *cg = htab_find(&c->tab, &id);
	int err;

	if (!cg && c->mount && c->by_handle) {
		err = by_handle(c, id);
		/* removed: ids are never reused, it stays gone */
		if (err == ESTALE || err == ENOENT)
			cgroups_add(c, id, NULL, 0);
		/* refused after all (a user namespace, seccomp): walk */
		else if (err == EPERM || err == EACCES || err == ENOSYS || err == EOPNOTSUPP)
			c->by_handle = false;
	}
	/* at most a walk a second: a miss may come with every record */
	if (!cg && c->mount && !c->by_handle &&
	    mono_now() - c->walked_ns >= WALK_INTERVAL_NS && !walk(c) &&
	    !htab_find(&c->tab, &id))
		cgroups_add(c, id, NULL, 0);	/* not in a fresh walk: gone */
	if (!cg)
		cg = htab_find(&c->tab, &id);
	if (!cg || !cg->path)
		return NULL;
	cg->used = true;
	c->last = cg;
	return cg;
}

void cgroups_free(struct cp_cgroups *c)
{
	size_t i;

	for (i = 0; i < c->tab.nr; i++)
		free(((struct cp_cgroup *)htab_entry(&c->tab, i))->path);
	htab_free(&c->tab);
	if (c->mount)
		close(c->mount_fd);
	free(c->mount);
	cgroups_init(c);
}

int cgroup2_mount_find(const char *mounts, char *buf, size_t len)
{
	FILE *f = setmntent(mounts, "re");
	struct mntent *m;
	int ret = -1;

	/* getmntent() undoes the octal escapes (\040 for a space) */
	while (f && ret && (m = getmntent(f)))
		if (!strcmp(m->mnt_type, "cgroup2") && strlen(m->mnt_dir) < len) {
			strcpy(buf, m->mnt_dir);
			ret = 0;
		}
	if (f)
		endmntent(f);
	return ret;
}

void cgroup_scope_init(struct cp_cgroup_scope *s, struct cp_cgroups *c, const char *path)
{
	size_t m = c->mount ? strlen(c->mount) : 0, n;

	s->cgroups = c;
	if (m && !strncmp(path, c->mount, m) && (path[m] == '\0' || path[m] == '/'))
		path += m;
	snprintf(s->root, sizeof(s->root), "%s%s", path[0] == '/' ? "" : "/", path);
	n = strlen(s->root);
	while (n > 1 && s->root[n - 1] == '/')
		s->root[--n] = '\0';
}

bool cgroup_scope_under(void *scope, __u64 cgroup_id)
{
	struct cp_cgroup_scope *s = scope;
	const struct cp_cgroup *cg = cgroups_lookup(s->cgroups, cgroup_id);
	size_t n = strlen(s->root);

	/* the root holds all; below /a are /a/b, not /ab */
	return cg && (n == 1 || (!strncmp(cg->path, s->root, n) &&
				 (cg->path[n] == '\0' || cg->path[n] == '/')));
}

bool container_id(const char *path, char *id)
{
	static const char pattern[] =
		"(^|/)(docker-|cri-containerd-|crio-|libpod-)?([0-9a-f]{64})(\\.scope)?(/|$)";
	static regex_t re;
	static bool compiled;
	regmatch_t m[4];
	int flags = 0;

	id[0] = '\0';
	if (!compiled && regcomp(&re, pattern, REG_EXTENDED))
		return false;
	compiled = true;
	/* the deepest match wins: nested cgroups sit below the id */
	while (!regexec(&re, path, 4, m, flags)) {
		memcpy(id, path + m[3].rm_so, CONTAINER_ID_LEN);
		id[CONTAINER_ID_LEN] = '\0';
		/* on from the '/' the match may share with the next one */
		path += m[0].rm_eo - (path[m[0].rm_eo - 1] == '/');
		flags = REG_NOTBOL;
	}
	return id[0];
}
