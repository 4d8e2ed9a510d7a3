/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interfaces between the parts of the connprobe module: the probes produce
 * records, the buffer stores them per CPU, debugfs exposes both.
 */
#ifndef _CONNPROBE_INTERNAL_H
#define _CONNPROBE_INTERNAL_H

#include <linux/types.h>
#include <linux/seq_file.h>

struct dentry;
struct connprobe_record;

int cp_buffer_open(struct dentry *dir, size_t buf_size);
void cp_buffer_close(void);
void cp_buffer_write(struct connprobe_record *rec);
void cp_buffer_show_stats(struct seq_file *m);

int cp_probe_register(unsigned int maxactive);
void cp_probe_unregister(void);
void cp_probe_show_stats(struct seq_file *m);

struct dentry *cp_debugfs_create(void);
void cp_debugfs_remove(struct dentry *dir);

#endif /* _CONNPROBE_INTERNAL_H */
