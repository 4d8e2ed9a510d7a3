// SPDX-License-Identifier: GPL-2.0
/*
 * Walking the cgroup v2 hierarchy and caching id -> path.  A walk, not
 * open_by_handle_at() of a kernfs handle (systemd's way): that needs
 * CAP_DAC_READ_SEARCH and a real cgroup2 mount, where a walk works for
 * any user and on the directory tree --cgroupfs names (the tests' too).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fts.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "timefmt.h"

#define MOUNTS			"/proc/self/mounts"
#define RESCAN_INTERVAL_NS	1000000000LL

void cgroups_init(struct cp_cgroups *c)
{
	memset(c, 0, sizeof(*c));
	htab_init(&c->tab, sizeof(__u64), sizeof(struct cp_cgroup));
}

int cgroups_add(struct cp_cgroups *c, __u64 id, const char *path,
		size_t len)
{
	struct cp_cgroup *cg;

	c->last = NULL;
	cg = htab_insert(&c->tab, &id);
	if (!cg)
		return -1;
	if (cg->path || !path)
		return 0;
	cg->path = strndup(path, len);
	if (!cg->path)
		return -1;
	container_id(cg->path, cg->container);
	return 0;
}

/* Walk the whole hierarchy; -1 with errno if the mount cannot be read. */
static int scan(struct cp_cgroups *c)
{
	char *roots[] = { c->mount, NULL };
	size_t m = strlen(c->mount);
	FTSENT *e;
	FTS *fts;
	int err;

	c->last_scan_ns = mono_now();
	/*
	 * No stat() of the many files of each cgroup: fts_ino, the cgroup
	 * id, is there for directories all the same.
	 */
	fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR | FTS_NOSTAT, NULL);
	if (!fts)
		return -1;
	/* fts joins a root that ends in '/' without another */
	m -= m && c->mount[m - 1] == '/';
	e = fts_read(fts);
	if (!e || e->fts_info != FTS_D) {
		err = !e ? errno : e->fts_errno ? e->fts_errno : ENOTDIR;
		fts_close(fts);
		errno = err;
		return -1;
	}
	cgroups_add(c, e->fts_ino, "/", 1);
	while ((e = fts_read(fts)))
		if (e->fts_info == FTS_D)
			cgroups_add(c, e->fts_ino, e->fts_path + m,
				    e->fts_pathlen - m);
	fts_close(fts);
	return 0;
}

int cgroups_open(struct cp_cgroups *c, const char *mount,
		 char *err, size_t errlen)
{
	char found[PATH_MAX];

	cgroups_init(c);
	if (!mount) {
		if (cgroup2_mount_find(MOUNTS, found, sizeof(found)))
			return 0;
		mount = found;
	}
	c->mount = strdup(mount);
	if (!c->mount) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (scan(c)) {
		snprintf(err, errlen, "%s: %s", mount, strerror(errno));
		cgroups_free(c);
		return -1;
	}
	return 0;
}

const struct cp_cgroup *cgroups_find(struct cp_cgroups *c, __u64 id)
{
	struct cp_cgroup *cg = htab_find(&c->tab, &id);

	if (!cg && c->mount &&
	    mono_now() - c->last_scan_ns >= RESCAN_INTERVAL_NS) {
		scan(c);
		cg = htab_find(&c->tab, &id);
		/* a fresh walk did not find it: it is gone, do not walk again */
		if (!cg) {
			c->last = NULL;
			cg = htab_insert(&c->tab, &id);
		}
	}
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
		if (!strcmp(m->mnt_type, "cgroup2") &&
		    strlen(m->mnt_dir) < len) {
			strcpy(buf, m->mnt_dir);
			ret = 0;
		}
	if (f)
		endmntent(f);
	return ret;
}

bool cgroup_path_under(const char *path, const char *root)
{
	size_t n = strlen(root);

	if (n == 0 || (n == 1 && root[0] == '/'))
		return true;
	return !strncmp(path, root, n) && (path[n] == '\0' || path[n] == '/');
}

void cgroup_scope_init(struct cp_cgroup_scope *s, struct cp_cgroups *c,
		       const char *path)
{
	size_t m = c->mount ? strlen(c->mount) : 0, n;

	s->cgroups = c;
	if (m && !strncmp(path, c->mount, m) &&
	    (path[m] == '\0' || path[m] == '/'))
		path += m;
	snprintf(s->root, sizeof(s->root), "%s%s", path[0] == '/' ? "" : "/",
		 path);
	n = strlen(s->root);
	while (n > 1 && s->root[n - 1] == '/')
		s->root[--n] = '\0';
}

bool cgroup_scope_under(void *scope, __u64 cgroup_id)
{
	struct cp_cgroup_scope *s = scope;
	const struct cp_cgroup *cg = cgroups_lookup(s->cgroups, cgroup_id);

	return cg && cgroup_path_under(cg->path, s->root);
}
