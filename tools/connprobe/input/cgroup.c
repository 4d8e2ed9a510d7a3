// SPDX-License-Identifier: GPL-2.0
/* Walking the cgroup v2 hierarchy and caching id -> path. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"

#define MOUNTINFO		"/proc/self/mountinfo"
#define RESCAN_INTERVAL_NS	1000000000LL
/* Deeper than any real hierarchy; bounds the fds the walk holds open. */
#define MAX_DEPTH		64

static long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

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

/* Add the directories below @fd, whose path below the mount is @path. */
static void scan_dir(struct cp_cgroups *c, int fd, char *path, size_t len,
		     int depth)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;
	struct stat st;
	size_t n;
	int sub;

	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d))) {
		if ((de->d_type != DT_DIR && de->d_type != DT_UNKNOWN) ||
		    !strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		n = strlen(de->d_name);
		if (len + 1 + n >= PATH_MAX)
			continue;
		sub = openat(dirfd(d), de->d_name,
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			continue;
		if (fstat(sub, &st)) {
			close(sub);
			continue;
		}
		path[len] = '/';
		memcpy(path + len + 1, de->d_name, n + 1);
		cgroups_add(c, st.st_ino, path, len + 1 + n);
		if (depth < MAX_DEPTH)
			scan_dir(c, sub, path, len + 1 + n, depth + 1);
		else
			close(sub);
		path[len] = '\0';
	}
	closedir(d);
}

/* Walk the whole hierarchy; -1 with errno if the mount cannot be read. */
static int scan(struct cp_cgroups *c)
{
	char path[PATH_MAX] = "";
	struct stat st;
	int fd;

	c->last_scan_ns = mono_ns();
	fd = open(c->mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st)) {
		close(fd);
		return -1;
	}
	cgroups_add(c, st.st_ino, "/", 1);
	scan_dir(c, fd, path, 0, 0);
	return 0;
}

int cgroups_open(struct cp_cgroups *c, const char *mount,
		 char *err, size_t errlen)
{
	char found[PATH_MAX];

	cgroups_init(c);
	if (!mount) {
		if (cgroup2_mount_find(MOUNTINFO, found, sizeof(found)))
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

const struct cp_cgroup *cgroups_lookup(struct cp_cgroups *c, __u64 id)
{
	struct cp_cgroup *cg = c->last;

	if (cg && cg->id == id)
		return cg;
	cg = htab_find(&c->tab, &id);
	if (!cg && c->mount && mono_ns() - c->last_scan_ns >= RESCAN_INTERVAL_NS) {
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

/* Undo mountinfo's octal escapes (\040 for a space) in place. */
static void unescape_octal(char *s)
{
	char *out = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*out++ = (s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0');
			s += 4;
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

int cgroup2_mount_find(const char *mountinfo, char *buf, size_t len)
{
	char *line = NULL, *sep, *fields[5], *save, *p;
	FILE *f = fopen(mountinfo, "re");
	size_t cap = 0;
	int i, ret = -1;

	if (!f)
		return -1;
	/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS... - FSTYPE SOURCE ..." */
	while (ret && getline(&line, &cap, f) > 0) {
		sep = strstr(line, " - ");
		if (!sep || strncmp(sep + 3, "cgroup2 ", 8))
			continue;
		*sep = '\0';
		for (i = 0, p = line; i < 5; i++, p = NULL)
			if (!(fields[i] = strtok_r(p, " ", &save)))
				break;
		if (i < 5)
			continue;
		unescape_octal(fields[4]);
		if (strlen(fields[4]) < len) {
			strcpy(buf, fields[4]);
			ret = 0;
		}
	}
	free(line);
	fclose(f);
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
