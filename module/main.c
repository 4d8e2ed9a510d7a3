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
/* Each instance is a few hundred bytes, per probe, plus the attempt table. */
#define CP_MAXACTIVE_MAX	65536U

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
		 "connect() calls traced at once (1 to 65536; default 4096)");

static char *mode = "stream";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode,
		 "What a full per-CPU buffer does: stream (drop new records) or flight (overwrite the oldest)");

static struct dentry *cp_dir;
/* Set once everything is up: until then no file opens. */
static bool cp_ready;

/**
 * cp_files_ready() - whether connprobe's files may be opened
 *
 * A file opened while connprobe_init() runs could stay open after a load
 * that fails later on, with its file_operations freed under it: every
 * open is refused (-EAGAIN) until the load has succeeded.
 *
 * Return: true once the module is loaded.
 */
bool cp_files_ready(void)
{
	return READ_ONCE(cp_ready);
}

/**
 * cp_buf_size_valid() - whether a per-CPU buffer size is in range
 * @size: bytes
 *
 * Silent: a bad write to the buf_size file gets EINVAL, and a user who
 * writes many must not flood the kernel log.
 *
 * Return: true if it is.
 */
bool cp_buf_size_valid(unsigned long size)
{
	return size >= CP_BUF_SIZE_MIN && size <= CP_BUF_SIZE_MAX;
}

static int cp_check_params(void)
{
	if (!cp_buf_size_valid(buf_size)) {
		pr_err("buf_size=%lu is out of range [%lu, %lu]\n",
		       buf_size, CP_BUF_SIZE_MIN, CP_BUF_SIZE_MAX);
		return -EINVAL;
	}
	if (cp_buffer_mode_parse(mode) < 0) {
		pr_err("mode=%s is not stream or flight\n", mode);
		return -EINVAL;
	}
	if (maxactive < 1 || maxactive > CP_MAXACTIVE_MAX) {
		pr_err("maxactive=%u is out of range [1, %u]\n",
		       maxactive, CP_MAXACTIVE_MAX);
		return -EINVAL;
	}
	return 0;
}

/*
 * Set-up as blktrace does it: the state first (buffers, attempt table),
 * then the files that act on it, then the tracepoints and, last, the
 * probes, from which on records flow.  Unload undoes it in the exact
 * reverse.
 */
static int __init connprobe_init(void)
{
	int ret;

	/* The record is ABI: its size changes only with its version. */
	BUILD_BUG_ON(sizeof(struct connprobe_record) != CONNPROBE_RECORD_SIZE);

	ret = cp_check_params();
	if (ret)
		return ret;

	cp_dir = cp_debugfs_create_dir();
	if (IS_ERR(cp_dir)) {
		pr_err("cannot create debugfs directory: error %ld\n",
		       PTR_ERR(cp_dir));
		return PTR_ERR(cp_dir);
	}

	cp_buffer_read_init();
	cp_buffer_files_init();
	ret = cp_buffer_open(cp_dir, buf_size, cp_buffer_mode_parse(mode));
	if (ret) {
		pr_err("cannot allocate buffers: error %d\n", ret);
		goto out_remove_dir;
	}

	/* As many TCP attempts as calls in flight, plus those in progress. */
	ret = cp_pending_init(2 * maxactive);
	if (ret) {
		pr_err("cannot allocate the attempt table: error %d\n", ret);
		goto out_close_buffer;
	}

	cp_debugfs_create_files(cp_dir);

	ret = cp_tcp_state_register();
	if (ret)
		goto out_remove_files;

	ret = cp_probe_register(maxactive);
	if (ret)
		goto out_unregister_tcp_state;

	WRITE_ONCE(cp_ready, true);
	return 0;

out_unregister_tcp_state:
	cp_tcp_state_unregister();
out_remove_files:
	cp_debugfs_remove_files();
	cp_pending_exit();
out_close_buffer:
	cp_buffer_files_exit();
	cp_buffer_close();
out_remove_dir:
	cp_debugfs_remove_dir(cp_dir);
	return ret;
}

static void __exit connprobe_exit(void)
{
	/* No file is open (each holds the module); none can be opened now. */
	cp_debugfs_remove_files();
	/* Once these return, no handler runs and none will. */
	cp_probe_unregister();
	cp_tcp_state_unregister();
	cp_pending_exit();
	cp_buffer_files_exit();
	cp_buffer_close();
	cp_debugfs_remove_dir(cp_dir);
	cp_filter_exit();
}

module_init(connprobe_init);
module_exit(connprobe_exit);
MODULE_DESCRIPTION("Trace every connect() with its outcome and latency");
MODULE_LICENSE("GPL");
