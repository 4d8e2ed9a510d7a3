// SPDX-License-Identifier: GPL-2.0
/* cgroup2 mount discovery, the id -> path cache, subtree tests. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "fixtures.h"
#include "runner.h"

#define ID "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa00112233445566778899"

static int test_mount_from_mounts(const void *arg)
{
	static const char MOUNTS[] =
		"/dev/vda / ext4 rw,relatime 0 0\n"
		"cgroup /sys/fs/cgroup/cpu cgroup rw,cpu 0 0\n"
		"cgroup2 /sys/fs/cgroup/unified\\040v2 cgroup2 rw,nsdelegate 0 0\n"
		"cgroup2 /other cgroup2 rw 0 0\n";
	struct fakefs fs = { 0 };
	char path[160], mount[128];
	int ret = 1;

	(void)arg;
	CHECK_INT(fakefs_create(&fs), 0);
	snprintf(path, sizeof(path), "%s/mounts", fs.dir);
	CHECK_INT(write_file(path, MOUNTS, sizeof(MOUNTS) - 1), 0);
	/* the first cgroup2 mount, its octal escape undone; v1 is skipped */
	CHECK_INT(cgroup2_mount_find(path, mount, sizeof(mount)), 0);
	CHECK_STR(mount, "/sys/fs/cgroup/unified v2");
	CHECK_INT(write_file(path, MOUNTS, 76), 0);	/* no cgroup2 line */
	CHECK_INT(cgroup2_mount_find(path, mount, sizeof(mount)), -1);
	ret = 0;
fail:
	fakefs_destroy(&fs);
	return ret;
}

/* The inode number of @root/@sub: what a record's cgroup_id is. */
static __u64 ino(const char *root, const char *sub)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s", root, sub);
	return stat(path, &st) ? 0 : st.st_ino;
}

static int mkdirs(const char *root, const char *const *subs, size_t n)
{
	char path[256];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s%s", root, subs[i]);
		if (mkdir(path, 0700))
			return -1;
	}
	return 0;
}

static int test_cache_walks_tree(const void *arg)
{
	static const char *const dirs[] = {
		"/system.slice", "/system.slice/docker-" ID ".scope",
		"/system.slice/docker-" ID ".scope/inner",
	};
	const struct cp_cgroup *cg;
	struct cp_cgroups c = { 0 };
	struct fakefs fs = { 0 };
	char err[256];
	int ret = 1;

	(void)arg;
	cgroups_init(&c);
	CHECK_INT(fakefs_create(&fs), 0);
	CHECK_INT(mkdirs(fs.dir, dirs, ARRAY_LEN(dirs)), 0);
	CHECK_INT(cgroups_open(&c, fs.dir, err, sizeof(err)), 0);
	cg = cgroups_lookup(&c, ino(fs.dir, ""));
	CHECK(cg);
	CHECK_STR(cg->path, "/");
	CHECK_STR(cg->container, "");
	CHECK(cg->used);
	cg = cgroups_lookup(&c, ino(fs.dir, dirs[2]));
	CHECK(cg);
	CHECK_STR(cg->path, dirs[2]);
	CHECK_STR(cg->container, ID);
	cg = cgroups_lookup(&c, ino(fs.dir, dirs[0]));
	CHECK(cg);
	CHECK_STR(cg->container, "");
	ret = 0;
fail:
	cgroups_free(&c);
	fakefs_destroy(&fs);
	return ret;
}

static int test_cache_rescans_and_forgets(const void *arg)
{
	static const char *const later[] = { "/later" };
	struct cp_cgroups c = { 0 };
	struct fakefs fs = { 0 };
	__u64 gone = 0x7fffffffffffULL;
	struct cp_cgroup *e;
	char err[256];
	int ret = 1;

	(void)arg;
	cgroups_init(&c);
	CHECK_INT(fakefs_create(&fs), 0);
	CHECK_INT(cgroups_open(&c, fs.dir, err, sizeof(err)), 0);
	CHECK_INT(mkdirs(fs.dir, later, 1), 0);
	/* within a second of the last walk: no new walk, nothing cached */
	CHECK(cgroups_lookup(&c, ino(fs.dir, "/later")) == NULL);
	CHECK(htab_find(&c.tab, &(__u64){ ino(fs.dir, "/later") }) == NULL);
	/* later: a new walk finds the new cgroup */
	c.last_scan_ns = 0;
	CHECK(cgroups_lookup(&c, ino(fs.dir, "/later")));
	/* an id a fresh walk does not find is gone: remembered as such */
	c.last_scan_ns = 0;
	CHECK(cgroups_lookup(&c, gone) == NULL);
	e = htab_find(&c.tab, &gone);
	CHECK(e && e->path == NULL);
	ret = 0;
fail:
	cgroups_free(&c);
	fakefs_destroy(&fs);
	return ret;
}

static int test_open_errors(const void *arg)
{
	struct cp_cgroups c = { 0 };
	char err[256] = "";
	int ret = 1;

	(void)arg;
	CHECK_INT(cgroups_open(&c, "/nonexistent-cgroupfs", err, sizeof(err)), -1);
	CHECK_STR(err, "/nonexistent-cgroupfs: No such file or directory");
	ret = 0;
fail:
	cgroups_free(&c);
	return ret;
}

static int test_path_under(const void *arg)
{
	(void)arg;
	CHECK(cgroup_path_under("/a/b", "/"));
	CHECK(cgroup_path_under("/a/b", "/a"));
	CHECK(cgroup_path_under("/a", "/a"));
	CHECK(!cgroup_path_under("/ab", "/a"));	/* a sibling, not a child */
	CHECK(!cgroup_path_under("/a", "/a/b"));
	return 0;
fail:
	return 1;
}

static int test_scope_paths(const void *arg)
{
	struct cp_cgroup_scope s;
	struct cp_cgroups c;
	int ret = 1;

	(void)arg;
	cgroups_init(&c);
	c.mount = strdup("/sys/fs/cgroup");
	CHECK(c.mount);
	cgroup_scope_init(&s, &c, "/sys/fs/cgroup/system.slice/");
	CHECK_STR(s.root, "/system.slice");
	cgroup_scope_init(&s, &c, "/sys/fs/cgroup");
	CHECK_STR(s.root, "/");
	cgroup_scope_init(&s, &c, "system.slice");
	CHECK_STR(s.root, "/system.slice");
	/* a path that merely starts like the mount is below the mount */
	cgroup_scope_init(&s, &c, "/sys/fs/cgroupx");
	CHECK_STR(s.root, "/sys/fs/cgroupx");
	ret = 0;
fail:
	cgroups_free(&c);
	return ret;
}

static int test_scope_under_uses_cache(const void *arg)
{
	struct cp_cgroup_scope s;
	struct cp_cgroups c;
	int ret = 1;

	(void)arg;
	cgroups_init(&c);
	CHECK_INT(cgroups_add(&c, 10, "/kubepods.slice/pod1", 20), 0);
	CHECK_INT(cgroups_add(&c, 11, "/system.slice", 13), 0);
	cgroup_scope_init(&s, &c, "/kubepods.slice");
	CHECK(cgroup_scope_under(&s, 10));
	CHECK(!cgroup_scope_under(&s, 11));
	CHECK(!cgroup_scope_under(&s, 12));	/* unknown: not under */
	ret = 0;
fail:
	cgroups_free(&c);
	return ret;
}

TEST_LIST(cgroup_tests) = {
	{ "cgroup: cgroup2 mount from /proc/self/mounts, escapes undone", test_mount_from_mounts },
	{ "cgroup: the walk maps inode numbers to paths and containers", test_cache_walks_tree },
	{ "cgroup: walks again for new ids, at most once a second; gone ids kept", test_cache_rescans_and_forgets },
	{ "cgroup: unreadable --cgroupfs is an error", test_open_errors },
	{ "cgroup: path under a root, not a sibling", test_path_under },
	{ "cgroup: --cgroup PATH with or without the mount", test_scope_paths },
	{ "cgroup: subtree test goes by cached path", test_scope_under_uses_cache },
	{ NULL, NULL },
};
