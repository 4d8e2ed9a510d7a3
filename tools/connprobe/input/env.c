// SPDX-License-Identifier: GPL-2.0
/* Root, debugfs and module checks. */
#include <errno.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "env.h"

#define MODULE_SYSFS	"/sys/module/connprobe"

int env_check(const char *debugfs, const char *dir, bool fake_debugfs)
{
	struct statfs sfs;
	struct stat st;
	bool loaded;

	/* The debugfs files are root-only; say so instead of EACCES. */
	if (geteuid() != 0) {
		fprintf(stderr, "connprobe: must be run as root\n");
		return -1;
	}
	if (!fake_debugfs &&
	    (statfs(debugfs, &sfs) || sfs.f_type != DEBUGFS_MAGIC)) {
		fprintf(stderr,
			"connprobe: debugfs is not mounted on %s; mount it with: mount -t debugfs none %s\n",
			debugfs, debugfs);
		return -1;
	}
	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		fprintf(stderr, "connprobe: %s: not a directory\n", dir);
		return -1;
	}
	if (errno != ENOENT) {
		fprintf(stderr, "connprobe: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	loaded = !fake_debugfs && access(MODULE_SYSFS, F_OK) == 0;
	if (loaded)
		fprintf(stderr,
			"connprobe: module is loaded but %s is missing; see dmesg\n",
			dir);
	else
		fprintf(stderr,
			"connprobe: module not loaded: %s not found; load it with: modprobe connprobe (from a build tree: insmod connprobe.ko)\n",
			dir);
	return -1;
}
