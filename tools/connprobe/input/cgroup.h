/* SPDX-License-Identifier: GPL-2.0 */
/* cgroup ids to cgroup v2 paths and container ids, resolved once each. */
#ifndef CONNPROBE_CGROUP_H
#define CONNPROBE_CGROUP_H

#include <limits.h>
#include <stdbool.h>

#include <connprobe.h>

#include "htab.h"

#define CONTAINER_ID_LEN	64	/* hex digits */

struct cp_cgroup {
	__u64 id;			/* the key */
	char *path;			/* below the mount; NULL: gone */
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
	/* The last hit, for bursts from one task; until the next insert. */
	struct cp_cgroup *last;
};

/* Resolve ids on cgroup2 mount root @path (NULL: the first, if any). */
int cgroups_open(struct cp_cgroups *c, const char *path, char *err, size_t errlen);
/* An empty cache filled only by cgroups_add() (a capture's table). */
void cgroups_init(struct cp_cgroups *c);
/* Remember cgroup @id at @path (@len bytes; NULL: gone).  -1: no memory. */
int cgroups_add(struct cp_cgroups *c, __u64 id, const char *path, size_t len);
void cgroups_free(struct cp_cgroups *c);
const struct cp_cgroup *cgroups_find(struct cp_cgroups *c, __u64 id);

/* NULL if unknown or gone.  Inline: mostly the last one's cgroup again. */
static inline const struct cp_cgroup *cgroups_lookup(struct cp_cgroups *c, __u64 id)
{
	if (c->last && c->last->id == id)
		return c->last;
	return c->tab.nr || c->mount ? cgroups_find(c, id) : NULL;
}

/* The first cgroup2 mount point in @mounts (/proc/PID/mounts); -1: none. */
int cgroup2_mount_find(const char *mounts, char *buf, size_t len);
/* --cgroup PATH as a filter's ancestry test (sink.h). */
struct cp_cgroup_scope {
	struct cp_cgroups *cgroups;
	char root[PATH_MAX];		/* below the mount, no trailing '/' */
};

/* @path below the mount; a path that starts with the mount loses it. */
void cgroup_scope_init(struct cp_cgroup_scope *s, struct cp_cgroups *c, const char *path);
/* For struct cp_cgroup_test: is the cgroup @scope's root or inside it? */
bool cgroup_scope_under(void *scope, __u64 cgroup_id);
/* @id: the deepest [docker-|cri-containerd-|crio-|libpod-]<id>[.scope]. */
bool container_id(const char *path, char *id);

#endif /* CONNPROBE_CGROUP_H */
