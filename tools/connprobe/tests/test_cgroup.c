// SPDX-License-Identifier: GPL-2.0
/* cgroup2 mount discovery, the id -> path cache, subtree tests. */
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

/* Open @t's mount, resolving by file handle or (@walk) by a walk. */
static int open_as(struct cp_cgroups *c, const struct cgtree *t, bool walk)
{
	char err[256];

	if (cgroups_open(c, t->mount, err, sizeof(err))) {
		diag("%s", err);
		return -1;
	}
	if (!c->by_handle)
		diag("cgroups_open() chose a walk: does root lack CAP_DAC_READ_SEARCH?");
	c->by_handle &= !walk;
	return c->by_handle == walk ? -1 : 0;
}

static int test_cache_resolves_ids(const void *arg)
{
	static const char *const dirs[] = {
		"/system.slice", "/system.slice/docker-" ID ".scope",
		"/system.slice/docker-" ID ".scope/inner",
	};
	const struct cp_cgroup *cg;
	struct cp_cgroups c = { 0 };
	struct cgtree t;
	char want[256];
	__u64 ids[3];
	size_t i;
	int walk, ret = 1;

	(void)arg;
	cgroups_init(&c);
	CHECK_INT(cgtree_create(&t), 0);
	for (i = 0; i < ARRAY_LEN(dirs); i++)
		CHECK((ids[i] = cgtree_mkdir(&t, dirs[i])));
	for (walk = 0; walk < 2; walk++) {
		diag("by %s", walk ? "a walk" : "file handle");
		CHECK_INT(open_as(&c, &t, walk), 0);
		cg = cgroups_lookup(&c, 1);		/* the root's id */
		CHECK(cg);
		CHECK_STR(cg->path, "/");
		CHECK_STR(cg->container, "");
		CHECK(cg->used);
		cg = cgroups_lookup(&c, ids[2]);
		CHECK(cg);
		snprintf(want, sizeof(want), "%s%s", t.name, dirs[2]);
		CHECK_STR(cg->path, want);
		CHECK_STR(cg->container, ID);
		cg = cgroups_lookup(&c, ids[0]);
		CHECK(cg);
		CHECK_STR(cg->container, "");
		cgroups_free(&c);
	}
	ret = 0;
fail:
	cgroups_free(&c);
	cgtree_destroy(&t);
	return ret;
}

static int test_cache_remembers(const void *arg)
{
	struct cp_cgroups c = { 0 };
	__u64 gone = 0x7fffffffffffULL, id, vanished;
	const struct cp_cgroup *cg;
	struct cp_cgroup *e;
	struct cgtree t = { 0 };
	char path[PATH_MAX];
	int walk, ret = 1;

	(void)arg;
	cgroups_init(&c);
	for (walk = 0; walk < 2; walk++) {
		diag("by %s", walk ? "a walk" : "file handle");
		CHECK_INT(cgtree_create(&t), 0);
		CHECK_INT(open_as(&c, &t, walk), 0);
		/* a cgroup made after the open is found */
		CHECK((id = cgtree_mkdir(&t, "/later")));
		cg = cgroups_lookup(&c, id);
		CHECK(cg && strstr(cg->path, "/later"));
		/* one removed before its first record is gone */
		CHECK((vanished = cgtree_mkdir(&t, "/vanished")));
		snprintf(path, sizeof(path), "%s%s/vanished", t.mount, t.name);
		CHECK_INT(rmdir(path), 0);
		c.walked_ns = 0;	/* no waiting for the next walk */
		CHECK(cgroups_lookup(&c, vanished) == NULL);
		e = htab_find(&c.tab, &vanished);
		CHECK(e && e->path == NULL);
		/* a seen one stays known once gone: its records may come later */
		cgtree_destroy(&t);
		CHECK(cgroups_lookup(&c, 1));		/* another id in between */
		cg = cgroups_lookup(&c, id);
		CHECK(cg && strstr(cg->path, "/later"));
		/* an id no cgroup has is remembered as gone */
		c.walked_ns = 0;
		CHECK(cgroups_lookup(&c, gone) == NULL);
		e = htab_find(&c.tab, &gone);
		CHECK(e && e->path == NULL);
		cgroups_free(&c);
	}
	ret = 0;
fail:
	cgroups_free(&c);
	cgtree_destroy(&t);
	return ret;
}

/* Take CAP_DAC_READ_SEARCH out of this process's effective set. */
static int drop_read_search(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3
	};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[CAP_TO_INDEX(CAP_DAC_READ_SEARCH)].effective &=
		~CAP_TO_MASK(CAP_DAC_READ_SEARCH);
	return syscall(SYS_capset, &h, d);
}

/* The child of test_without_read_search(): 0 if @t's /a resolves. */
static int resolve_without_read_search(const struct cgtree *t, __u64 id)
{
	struct cp_cgroups c = { 0 };
	const struct cp_cgroup *cg;
	char err[256], want[128];
	int ret = 1;

	cgroups_init(&c);
	CHECK_INT(drop_read_search(), 0);
	CHECK_INT(cgroups_open(&c, t->mount, err, sizeof(err)), 0);
	/* not even tried: a seccomp filter may kill the process for it */
	CHECK(!c.by_handle);
	/* tried anyway, and refused: a walk takes over */
	c.by_handle = true;
	cg = cgroups_lookup(&c, id);
	CHECK(!c.by_handle);
	snprintf(want, sizeof(want), "%s/a", t->name);
	CHECK(cg);
	CHECK_STR(cg->path, want);
	ret = 0;
fail:
	cgroups_free(&c);
	return ret;
}

static int test_without_read_search(const void *arg)
{
	struct cgtree t;
	int status, ret = 1;
	__u64 id;
	pid_t pid;

	(void)arg;
	CHECK_INT(cgtree_create(&t), 0);
	CHECK((id = cgtree_mkdir(&t, "/a")));
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		status = resolve_without_read_search(&t, id);
		fflush(NULL);
		_exit(status);
	}
	CHECK(pid > 0);
	CHECK_INT(waitpid(pid, &status, 0), pid);
	CHECK_INT(status, 0);
	ret = 0;
fail:
	cgtree_destroy(&t);
	return ret;
}

static int test_open_errors(const void *arg)
{
	struct cp_cgroups c = { 0 };
	struct cgtree t = { 0 };
	char err[256] = "", want[400], dir[300];
	int ret = 1;

	(void)arg;
	CHECK_INT(cgroups_open(&c, "/nonexistent-cgroupfs", err, sizeof(err)), -1);
	CHECK_STR(err, "/nonexistent-cgroupfs: No such file or directory");
	CHECK_INT(cgroups_open(&c, "/proc", err, sizeof(err)), -1);
	CHECK_STR(err, "/proc: not a cgroup2 mount");
	/* a cgroup below the root would have its paths taken for the root's */
	CHECK_INT(cgtree_create(&t), 0);
	snprintf(dir, sizeof(dir), "%s%s", t.mount, t.name);
	CHECK_INT(cgroups_open(&c, dir, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: not the root of a cgroup2 mount",
		 dir);
	CHECK_STR(err, want);
	ret = 0;
fail:
	cgroups_free(&c);
	cgtree_destroy(&t);
	return ret;
}

static int test_scope_under(const void *arg)
{
	struct cp_cgroup_scope s;
	struct cp_cgroups c;
	int ret = 1;

	(void)arg;
	cgroups_init(&c);
	CHECK_INT(cgroups_add(&c, 1, "/a/b", 4), 0);
	CHECK_INT(cgroups_add(&c, 2, "/a", 2), 0);
	CHECK_INT(cgroups_add(&c, 3, "/ab", 3), 0);
	cgroup_scope_init(&s, &c, "/");
	CHECK(cgroup_scope_under(&s, 1));
	cgroup_scope_init(&s, &c, "/a");
	CHECK(cgroup_scope_under(&s, 1));
	CHECK(cgroup_scope_under(&s, 2));
	CHECK(!cgroup_scope_under(&s, 3));	/* a sibling, not a child */
	cgroup_scope_init(&s, &c, "/a/b");
	CHECK(!cgroup_scope_under(&s, 2));
	ret = 0;
fail:
	cgroups_free(&c);
	return ret;
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
	{ "cgroup: ids resolved by file handle or walk to paths and containers", test_cache_resolves_ids },
	{ "cgroup: new cgroups found, seen ones kept, gone ids remembered", test_cache_remembers },
	{ "cgroup: no CAP_DAC_READ_SEARCH: ids resolved by a walk", test_without_read_search },
	{ "cgroup: unreadable, non-cgroup2 or non-root --cgroupfs is an error", test_open_errors },
	{ "cgroup: path under a root, not a sibling", test_scope_under },
	{ "cgroup: --cgroup PATH with or without the mount", test_scope_paths },
	{ "cgroup: subtree test goes by cached path", test_scope_under_uses_cache },
	{ NULL, NULL },
};
