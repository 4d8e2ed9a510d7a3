// SPDX-License-Identifier: GPL-2.0
/*
 * connprobe: trace every connect(2) with its outcome and latency.
 *
 * usage: insmod connprobe.ko [buf_size=<bytes per CPU>] [maxactive=<n>]
 * then read /sys/kernel/debug/connprobe/ with tools/connprobe/connprobe.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "connprobe.h"
#include "connprobe_internal.h"

#define CP_BUF_SIZE_MIN		(16UL << 10)
#define CP_BUF_SIZE_MAX		(256UL << 20)
#define CP_MAXACTIVE_MAX	1048576U

static unsigned long buf_size = 1UL << 20;
module_param(buf_size, ulong, 0444);
MODULE_PARM_DESC(buf_size,
		 "Record buffer per CPU, in bytes (16 KiB to 256 MiB; default 1 MiB)");

/*
 * A blocking connect() holds a kretprobe instance for its whole wait (SYN
 * retries: minutes), so the kernel's default of max(10, 2 * NR_CPUS) would
 * silently miss calls on any busy server.
 */
static unsigned int maxactive = 4096;
module_param(maxactive, uint, 0444);
MODULE_PARM_DESC(maxactive,
		 "connect() calls traced at once (1 to 1048576; default 4096)");

static struct dentry *cp_dir;

static int cp_check_params(void)
{
	if (buf_size < CP_BUF_SIZE_MIN || buf_size > CP_BUF_SIZE_MAX) {
		pr_err("buf_size=%lu is out of range [%lu, %lu]\n",
		       buf_size, CP_BUF_SIZE_MIN, CP_BUF_SIZE_MAX);
		return -EINVAL;
	}
	if (maxactive < 1 || maxactive > CP_MAXACTIVE_MAX) {
		pr_err("maxactive=%u is out of range [1, %u]\n",
		       maxactive, CP_MAXACTIVE_MAX);
		return -EINVAL;
	}
	return 0;
}

static int __init connprobe_init(void)
{
	int ret;

	/* The record is ABI: its size changes only with its version. */
	BUILD_BUG_ON(sizeof(struct connprobe_record) != CONNPROBE_RECORD_SIZE);

	ret = cp_check_params();
	if (ret)
		return ret;

	cp_dir = cp_debugfs_create();
	if (IS_ERR(cp_dir)) {
		pr_err("cannot create debugfs directory: error %ld\n",
		       PTR_ERR(cp_dir));
		return PTR_ERR(cp_dir);
	}

	ret = cp_buffer_open(cp_dir, buf_size);
	if (ret) {
		pr_err("cannot allocate buffers: error %d\n", ret);
		goto out_remove_dir;
	}

	/* Last: from here on records flow. */
	ret = cp_probe_register(maxactive);
	if (ret)
		goto out_close_buffer;
	return 0;

out_close_buffer:
	cp_buffer_close();
out_remove_dir:
	cp_debugfs_remove(cp_dir);
	return ret;
}

static void __exit connprobe_exit(void)
{
	/* First: once this returns, no handler runs and none will. */
	cp_probe_unregister();
	cp_buffer_close();
	cp_debugfs_remove(cp_dir);
}

module_init(connprobe_init);
module_exit(connprobe_exit);
MODULE_DESCRIPTION("Trace every connect() with its outcome and latency");
MODULE_LICENSE("GPL");
