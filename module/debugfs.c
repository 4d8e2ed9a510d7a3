// SPDX-License-Identifier: GPL-2.0
/*
 * connprobe debugfs interface: the connprobe/ directory, its stats file,
 * the settings files (mode, buf_size, filter) and the write-path self-benchmark
 * (bench).  The per-CPU record files in the same directory belong to the
 * buffer.  A malformed write gets -EINVAL (or -ERANGE, -EBUSY) and changes
 * nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "connprobe.h"
#include "connprobe_internal.h"

/* Longest mode name written, newline included: "stream\n". */
#define CP_MODE_MAXLEN	16
/* Longest number written: room to tell an overflow (ERANGE) from junk. */
#define CP_NUMBER_MAXLEN	32

/*
 * Every file opens only once the module is up: a file opened while
 * connprobe_init() runs could stay open after a failed load, with its
 * file_operations freed under it.
 */
static int cp_single_open(struct file *file,
			  int (*show)(struct seq_file *, void *))
{
	if (!cp_files_ready())
		return -EAGAIN;
	return single_open(file, show, NULL);
}

/*
 * The file_operations of a settings file, @name_fops: @show prints it,
 * @name_write() takes a write.  Like DEFINE_SHOW_STORE_ATTRIBUTE(), which
 * 6.1 lacks.
 */
#define CP_DEFINE_SETTING_ATTRIBUTE(name, show)				\
static int name##_open(struct inode *inode, struct file *file)		\
{									\
	return cp_single_open(file, show);				\
}									\
									\
static const struct file_operations name##_fops = {			\
	.owner		= THIS_MODULE,					\
	.open		= name##_open,					\
	.read		= seq_read,					\
	.write		= name##_write,					\
	.llseek		= seq_lseek,					\
	.release	= single_release,				\
}

/*
 * A decimal number written by a user, one optional newline after it and
 * nothing else: kstrtoul_from_user() alone would stop at a NUL byte and
 * take "65536\0junk".
 */
static int cp_number_from_user(const char __user *ubuf, size_t count,
			       unsigned long *val)
{
	char buf[CP_NUMBER_MAXLEN];

	if (!count || count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	if (memchr(buf, '\0', count))
		return -EINVAL;
	buf[count] = '\0';
	return kstrtoul(buf, 10, val);
}

static int cp_stats_show(struct seq_file *m, void *unused)
{
	cp_buffer_show_stats(m);
	cp_probe_show_stats(m);
	cp_pending_show_stats(m);
	cp_filter_show_stats(m);
	return 0;
}

static int cp_stats_open(struct inode *inode, struct file *file)
{
	return cp_single_open(file, cp_stats_show);
}

static const struct file_operations cp_stats_fops = {
	.owner		= THIS_MODULE,
	.open		= cp_stats_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
};

static int cp_mode_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "%s\n", cp_buffer_mode());
	return 0;
}

static ssize_t cp_mode_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	char name[CP_MODE_MAXLEN];
	int mode, ret;

	if (!count || count >= sizeof(name))
		return -EINVAL;
	if (copy_from_user(name, ubuf, count))
		return -EFAULT;
	name[count] = '\0';
	/* A NUL byte would hide what follows it from the parse. */
	if (strlen(name) != count)
		return -EINVAL;
	mode = cp_buffer_mode_parse(name);
	if (mode < 0)
		return -EINVAL;
	ret = cp_buffer_set_mode(mode);
	return ret ? ret : count;
}

CP_DEFINE_SETTING_ATTRIBUTE(cp_mode, cp_mode_show);

static int cp_buf_size_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "%zu\n", cp_buffer_size());
	return 0;
}

static ssize_t cp_buf_size_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	unsigned long size;
	int ret;

	ret = cp_number_from_user(ubuf, count, &size);
	if (ret)
		return ret;
	if (!cp_buf_size_valid(size))
		return -EINVAL;
	ret = cp_buffer_resize(size);
	return ret ? ret : count;
}

CP_DEFINE_SETTING_ATTRIBUTE(cp_buf_size, cp_buf_size_show);

/* The longest filter written: every term at its longest fits. */
#define CP_FILTER_MAXLEN	512

static int cp_filter_file_show(struct seq_file *m, void *unused)
{
	cp_filter_show(m);
	return 0;
}

static ssize_t cp_filter_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	char *buf;
	int ret;

	if (!count || count >= CP_FILTER_MAXLEN)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	/* A NUL byte would hide what follows it from the parse. */
	ret = strlen(buf) == count ? cp_filter_set(buf) : -EINVAL;
	kfree(buf);
	return ret ? ret : count;
}

CP_DEFINE_SETTING_ATTRIBUTE(cp_filter, cp_filter_file_show);

/* The self-benchmark: write a count, read back what it measured. */
#define CP_BENCH_MAX	100000000UL

static DEFINE_MUTEX(cp_bench_lock);
static unsigned long cp_bench_records;
static u64 cp_bench_ns[2];	/* relay (ours), tracing ring buffer */

static void cp_bench_line(struct seq_file *m, const char *what, u64 ns)
{
	seq_printf(m, "%s records %lu ns %llu ns_per_record %llu.%02llu\n",
		   what, cp_bench_records, ns, div_u64(ns, cp_bench_records),
		   div_u64(ns * 100, cp_bench_records) % 100);
}

static int cp_bench_show(struct seq_file *m, void *unused)
{
	mutex_lock(&cp_bench_lock);
	if (cp_bench_records) {
		cp_bench_line(m, "relay", cp_bench_ns[0]);
		cp_bench_line(m, "ring_buffer", cp_bench_ns[1]);
	}
	mutex_unlock(&cp_bench_lock);
	return 0;
}

static ssize_t cp_bench_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	unsigned long records;
	u64 ns[2];
	int ret;

	ret = cp_number_from_user(ubuf, count, &records);
	if (ret)
		return ret;
	if (!records || records > CP_BENCH_MAX)
		return -EINVAL;
	mutex_lock(&cp_bench_lock);
	ret = cp_buffer_bench(records, &ns[0]);
	if (!ret)
		ret = cp_bench_ring_buffer(records, &ns[1]);
	if (!ret) {
		cp_bench_records = records;
		memcpy(cp_bench_ns, ns, sizeof(ns));
	}
	mutex_unlock(&cp_bench_lock);
	return ret ? ret : count;
}

CP_DEFINE_SETTING_ATTRIBUTE(cp_bench, cp_bench_show);

/* stats and the settings files; who connects where is root's alone. */
static const struct {
	const char *name;
	umode_t mode;
	const struct file_operations *fops;
} cp_file_specs[] = {
	{ CONNPROBE_STATS_FILE, 0400, &cp_stats_fops },
	{ "mode", 0600, &cp_mode_fops },
	{ "buf_size", 0600, &cp_buf_size_fops },
	{ "bench", 0600, &cp_bench_fops },
	{ CONNPROBE_FILTER_FILE, 0600, &cp_filter_fops },
};

/* Removed one by one at exit, before anything they act on. */
static struct dentry *cp_files[ARRAY_SIZE(cp_file_specs)];

/**
 * cp_debugfs_create_dir() - create the empty connprobe/ directory
 *
 * Return: the directory, or an ERR_PTR.  connprobe has no other interface,
 * so, unlike most debugfs users, the caller must check it.
 */
struct dentry *cp_debugfs_create_dir(void)
{
	return debugfs_create_dir(CONNPROBE_DEBUGFS_DIR, NULL);
}

/**
 * cp_debugfs_create_files() - create stats and the settings files
 * @dir: what cp_debugfs_create_dir() returned
 *
 * Once the state they act on is set up; they open only once
 * cp_files_ready() says so.
 */
void cp_debugfs_create_files(struct dentry *dir)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(cp_file_specs); i++)
		cp_files[i] = debugfs_create_file(cp_file_specs[i].name,
						  cp_file_specs[i].mode, dir,
						  NULL, cp_file_specs[i].fops);
}

/**
 * cp_debugfs_remove_files() - remove what cp_debugfs_create_files() made
 *
 * Returns once no operation on them runs, and none can start.
 */
void cp_debugfs_remove_files(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(cp_files); i++) {
		debugfs_remove(cp_files[i]);
		cp_files[i] = NULL;
	}
}

/**
 * cp_debugfs_remove_dir() - remove the directory, empty by now
 * @dir: what cp_debugfs_create_dir() returned
 */
void cp_debugfs_remove_dir(struct dentry *dir)
{
	debugfs_remove(dir);
}
