// SPDX-License-Identifier: GPL-2.0
/*
 * connprobe debugfs interface: the connprobe/ directory and its stats file.
 * The per-CPU record files in the same directory belong to the buffer.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/seq_file.h>

#include "connprobe.h"
#include "connprobe_internal.h"

static int cp_stats_show(struct seq_file *m, void *unused)
{
	cp_buffer_show_stats(m);
	cp_probe_show_stats(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(cp_stats);

/**
 * cp_debugfs_create() - create the connprobe/ directory and its stats file
 *
 * Return: the directory, or an ERR_PTR.  connprobe has no other interface,
 * so, unlike most debugfs users, the caller must check it.
 */
struct dentry *cp_debugfs_create(void)
{
	struct dentry *dir;

	dir = debugfs_create_dir(CONNPROBE_DEBUGFS_DIR, NULL);
	if (IS_ERR(dir))
		return dir;
	/* Who connects where is not for every user to read. */
	debugfs_create_file(CONNPROBE_STATS_FILE, 0400, dir, NULL,
			    &cp_stats_fops);
	return dir;
}

/**
 * cp_debugfs_remove() - remove the directory and everything left in it
 * @dir: what cp_debugfs_create() returned
 */
void cp_debugfs_remove(struct dentry *dir)
{
	debugfs_remove(dir);
}
