/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgroup ids to cgroup v2 paths and container ids.  A record carries the
 * task's cgroup id, the kernfs inode number of the cgroup's directory.
 * With CAP_DAC_READ_SEARCH, open_by_handle_at() of a kernfs file handle
 * holding it opens that directory (systemd's way); without (the
 * exporter's sandbox), a walk of the hierarchy finds it.  Ids are never
 * reused: each is resolved once, and one that is gone is remembered as
 * gone.
 */
#ifndef CONNPROBE_CGROUP_H
#define CONNPROBE_CGROUP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include <connprobe.h>

#include "htab.h"

#define CONTAINER_ID_LEN	64	/* hex digits */

struct cp_cgroup {
	__u64 id;			/* the key */
	char *path;			/* below the mount, "/" for the root;
					 * NULL: gone before it was seen */
	char container[CONTAINER_ID_LEN + 1];	/* "" if none */
	bool used;			/* a record named it (for captures) */
};

struct cp_cgroups {
	char *mount;			/* NULL: only what cgroups_add() gave */
	int mount_fd;			/* open while @mount is set */
	bool by_handle;			/* else by a walk */
	long long walked_ns;		/* the last walk (mono_now()) */
	size_t prefix;			/* @canon's length, 0 for "/" */
	char canon[PATH_MAX];		/* the mount's path, as readlink() has it */
	struct cp_htab tab;
	/*
	 * The last lookup's hit: records come in bursts from one task, and
	 * this saves hashing its id for each.  Valid until the next insert.
	 */
	struct cp_cgroup *last;
};

/*
 * Resolve ids on the cgroup2 mount @mount, or the first in
 * /proc/self/mounts (none: lookups find nothing).  -1 with a message in
 * @err if @mount is not the root of a cgroup2 mount one can open.
 */
int cgroups_open(struct cp_cgroups *c, const char *mount,
		 char *err, size_t errlen);

/* An empty cache filled only by cgroups_add() (a capture's table). */
void cgroups_init(struct cp_cgroups *c);

/* Remember cgroup @id at @path (@len bytes).  -1 if out of memory. */
int cgroups_add(struct cp_cgroups *c, __u64 id, const char *path,
		size_t len);

/* cgroups_lookup() past its fast cases. */
const struct cp_cgroup *cgroups_find(struct cp_cgroups *c, __u64 id);

/*
 * The cgroup with @id, marked used; NULL if unknown or gone.  Inline for
 * the cases of nearly every record: the last one's cgroup again, or an
 * empty cache with no mount (a capture without a cgroup table).
 */
static inline const struct cp_cgroup *cgroups_lookup(struct cp_cgroups *c,
						     __u64 id)
{
	if (c->last && c->last->id == id)
		return c->last;
	return c->tab.nr || c->mount ? cgroups_find(c, id) : NULL;
}

void cgroups_free(struct cp_cgroups *c);

/*
 * The mount point of the first cgroup2 filesystem listed in @mounts (a
 * /proc/PID/mounts file), with its octal escapes undone.  -1 if none.
 */
int cgroup2_mount_find(const char *mounts, char *buf, size_t len);

/* --cgroup PATH as a filter's ancestry test (sink.h). */
struct cp_cgroup_scope {
	struct cp_cgroups *cgroups;
	char root[PATH_MAX];		/* below the mount, no trailing '/' */
};

/* @path below the mount; a path that starts with the mount loses it. */
void cgroup_scope_init(struct cp_cgroup_scope *s, struct cp_cgroups *c,
		       const char *path);

/* For struct cp_cgroup_test: is the cgroup @scope's root or inside it? */
bool cgroup_scope_under(void *scope, __u64 cgroup_id);

/*
 * Find the container id (CONTAINER_ID_LEN hex digits) in cgroup v2 path
 * @path and copy it to @id.  The deepest component that names one wins:
 * <id> with a prefix docker-, cri-containerd-, crio-, libpod- or none,
 * and a suffix .scope or none (docker with either driver, containerd,
 * cri-o, podman); conmon's own cgroups (crio-conmon-<id>) do not match.
 * False, @id empty, if none does.
 */
bool container_id(const char *path, char *id);

#endif /* CONNPROBE_CGROUP_H */
