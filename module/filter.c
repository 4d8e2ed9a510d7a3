// SPDX-License-Identifier: GPL-2.0
/*
 * connprobe's kernel-side filter: which connects are traced at all.
 *
 * A filter is a line of terms, all of which must match (see the grammar in
 * uapi/connprobe.h).  It is checked in two places, so that what it turns
 * away costs as little as possible:
 *  - who is calling (pid, tid, uid, comm, cgroup), at the entry of the
 *    call: a call from anyone else gets no return hook and no attempt
 *    entry, and costs a probe hit and this test;
 *  - what the record says (family, port, outcome, latency), on each record
 *    before it is written: a record turned away never reaches the buffer.
 * The tests are the tool's own (tools/connprobe/filter.c), so that a
 * record the kernel keeps is one the tool keeps too.
 *
 * The filter in force is an RCU-protected pointer, NULL for none: the
 * probes read it without a lock, a write swaps in a new one whole, so a
 * malformed write leaves the old one in force, untouched.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kprobes.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/ipv6.h>

#include "connprobe.h"
#include "connprobe_internal.h"

/* Which terms a filter has. */
#define CP_F_PID	BIT(0)
#define CP_F_TID	BIT(1)
#define CP_F_UID	BIT(2)
#define CP_F_COMM	BIT(3)
#define CP_F_CGROUP	BIT(4)
#define CP_F_PORT	BIT(5)
#define CP_F_IPV4	BIT(6)
#define CP_F_IPV6	BIT(7)
#define CP_F_FAILED	BIT(8)
#define CP_F_ERRNO	BIT(9)
#define CP_F_LATENCY	BIT(10)

#define CP_F_TASK	(CP_F_PID | CP_F_TID | CP_F_UID | CP_F_COMM | CP_F_CGROUP)
#define CP_F_FAMILY	(CP_F_IPV4 | CP_F_IPV6)

struct cp_filter {
	u32 mask;
	pid_t pid;
	pid_t tid;
	u32 uid;
	u64 cgroup_id;
	u64 min_latency_ns;
	unsigned int nr_ports;
	unsigned int nr_errnos;
	u16 ports[CONNPROBE_FILTER_MAX_PORTS];
	u16 errnos[CONNPROBE_FILTER_MAX_ERRNOS];
	char comm[CONNPROBE_COMM_LEN];
	struct rcu_head rcu;
};

/* The filter in force, NULL for none (cp_filter_task() tests that inline). */
struct cp_filter __rcu *cp_filter;
/* Serialises writers; readers go by RCU. */
static DEFINE_MUTEX(cp_filter_lock);
/* Records turned away, and calls turned away at their entry. */
static DEFINE_PER_CPU(u64, cp_filtered_records);
static DEFINE_PER_CPU(u64, cp_filtered_calls);

/* Whether current is in the cgroup v2 subtree rooted at @id. */
static bool cp_current_under_cgroup(u64 id)
{
	bool under = false;
#ifdef CONFIG_CGROUPS
	struct cgroup *cgrp;

	rcu_read_lock();
	for (cgrp = task_dfl_cgroup(current); cgrp; cgrp = cgroup_parent(cgrp))
		if (cgroup_id(cgrp) == id) {
			under = true;
			break;
		}
	rcu_read_unlock();
#endif
	return under;
}

NOKPROBE_SYMBOL(cp_current_under_cgroup);

static bool cp_task_match(const struct cp_filter *f)
{
	if ((f->mask & CP_F_PID) && task_tgid_nr(current) != f->pid)
		return false;
	if ((f->mask & CP_F_TID) && task_pid_nr(current) != f->tid)
		return false;
	if ((f->mask & CP_F_UID) &&
	    from_kuid_munged(&init_user_ns, current_uid()) != f->uid)
		return false;
	if ((f->mask & CP_F_COMM) &&
	    strncmp(current->comm, f->comm, sizeof(f->comm)))
		return false;
	if ((f->mask & CP_F_CGROUP) && !cp_current_under_cgroup(f->cgroup_id))
		return false;
	return true;
}

NOKPROBE_SYMBOL(cp_task_match);

/**
 * cp_filter_task_slow() - cp_filter_task() when a filter may be in force
 *
 * Return: false if the filter in force turns current away.
 */
bool cp_filter_task_slow(void)
{
	const struct cp_filter *f;
	bool match = true;

	rcu_read_lock();
	f = rcu_dereference(cp_filter);
	if (f && (f->mask & CP_F_TASK))
		match = cp_task_match(f);
	rcu_read_unlock();
	return match;
}

NOKPROBE_SYMBOL(cp_filter_task_slow);

/**
 * cp_filter_count_call() - count a call turned away at its entry
 */
void cp_filter_count_call(void)
{
	this_cpu_inc(cp_filtered_calls);
}

NOKPROBE_SYMBOL(cp_filter_count_call);

/* The family the connection goes out as, as the tool's wire_family(). */
static unsigned int cp_wire_family(const struct connprobe_record *rec)
{
	if (rec->flags & CONNPROBE_F_DADDR) {
		if (rec->daddr_family == AF_INET6 &&
		    ipv6_addr_v4mapped((const struct in6_addr *)rec->daddr))
			return AF_INET;
		return rec->daddr_family;
	}
	if (rec->flags & CONNPROBE_F_SOCK)
		return rec->family;
	return AF_UNSPEC;
}

NOKPROBE_SYMBOL(cp_wire_family);

/* As the tool's record_failed(). */
static bool cp_record_failed(const struct connprobe_record *rec)
{
	if (rec->event == CONNPROBE_EVENT_COMPLETE)
		return (rec->flags & CONNPROBE_F_ABANDONED) || rec->ret;
	return rec->ret < 0 && rec->ret != -EINPROGRESS;
}

NOKPROBE_SYMBOL(cp_record_failed);

/* A restart code, which the caller sees as EINTR. */
static bool cp_ret_restart(int ret)
{
	return ret == -ERESTARTSYS || ret == -ERESTARTNOINTR ||
	       ret == -ERESTARTNOHAND || ret == -ERESTART_RESTARTBLOCK;
}

NOKPROBE_SYMBOL(cp_ret_restart);

static bool cp_port_match(const struct cp_filter *f,
			  const struct connprobe_record *rec)
{
	unsigned int i;

	if (!(rec->flags & CONNPROBE_F_DADDR) ||
	    (rec->daddr_family != AF_INET && rec->daddr_family != AF_INET6))
		return false;
	for (i = 0; i < f->nr_ports; i++)
		if (f->ports[i] == rec->dport)
			return true;
	return false;
}

NOKPROBE_SYMBOL(cp_port_match);

static bool cp_errno_match(const struct cp_filter *f,
			   const struct connprobe_record *rec)
{
	unsigned int i;
	int err;

	/* INT_MIN is no errno, and cannot be negated. */
	if (rec->ret >= 0 || rec->ret == S32_MIN)
		return false;
	err = -rec->ret;
	for (i = 0; i < f->nr_errnos; i++)
		if (f->errnos[i] == err ||
		    (f->errnos[i] == EINTR && cp_ret_restart(rec->ret)))
			return true;
	return false;
}

NOKPROBE_SYMBOL(cp_errno_match);

static bool cp_record_match(const struct cp_filter *f,
			    const struct connprobe_record *rec)
{
	unsigned int fam;

	if ((f->mask & CP_F_LATENCY) && rec->latency_ns < f->min_latency_ns)
		return false;
	if (f->mask & CP_F_FAMILY) {
		fam = cp_wire_family(rec);
		if (!((f->mask & CP_F_IPV4) && fam == AF_INET) &&
		    !((f->mask & CP_F_IPV6) && fam == AF_INET6))
			return false;
	}
	if ((f->mask & CP_F_PORT) && !cp_port_match(f, rec))
		return false;
	if ((f->mask & CP_F_FAILED) && !cp_record_failed(rec))
		return false;
	if ((f->mask & CP_F_ERRNO) && !cp_errno_match(f, rec))
		return false;
	return true;
}

NOKPROBE_SYMBOL(cp_record_match);

/**
 * cp_filter_record_slow() - cp_filter_record() when a filter may be in force
 * @rec: the record, complete but for its @seq and @cpu
 *
 * Return: false if the filter in force turns @rec away.
 */
bool cp_filter_record_slow(const struct connprobe_record *rec)
{
	const struct cp_filter *f;
	bool match = true;

	rcu_read_lock();
	f = rcu_dereference(cp_filter);
	if (f && (f->mask & ~CP_F_TASK))
		match = cp_record_match(f, rec);
	rcu_read_unlock();
	if (!match)
		this_cpu_inc(cp_filtered_records);
	return match;
}

NOKPROBE_SYMBOL(cp_filter_record_slow);

/* --------------------------------------------------------------- parsing */

/* A comma-separated list of decimal numbers in [@min, @max]. */
static int cp_parse_list(char *val, u16 *out, unsigned int max_n,
			 unsigned int *n, unsigned int min, unsigned int max)
{
	char *item;
	u16 v;
	int ret;

	*n = 0;
	while ((item = strsep(&val, ","))) {
		if (*n == max_n)
			return -EINVAL;
		ret = kstrtou16(item, 10, &v);
		if (ret || v < min || v > max)
			return -EINVAL;
		out[(*n)++] = v;
	}
	return 0;
}

static int cp_parse_family(char *val, u32 *mask)
{
	char *item;

	while ((item = strsep(&val, ","))) {
		if (!strcmp(item, "ipv4"))
			*mask |= CP_F_IPV4;
		else if (!strcmp(item, "ipv6"))
			*mask |= CP_F_IPV6;
		else
			return -EINVAL;
	}
	return 0;
}

/* A positive pid; kstrtoint() alone would take 0 and negatives. */
static int cp_parse_pid(const char *val, pid_t *pid)
{
	int ret = kstrtoint(val, 10, pid);

	return ret ? ret : *pid > 0 ? 0 : -EINVAL;
}

/* One "key=value" (or "failed") term into @f. */
static int cp_parse_term(char *term, struct cp_filter *f)
{
	char *val = term;
	char *key = strsep(&val, "=");
	u32 bit;
	int ret;

	if (!strcmp(key, "failed")) {
		bit = CP_F_FAILED;
		ret = val ? -EINVAL : 0;
	} else if (!val || !*val) {
		return -EINVAL;
	} else if (!strcmp(key, "pid")) {
		bit = CP_F_PID;
		ret = cp_parse_pid(val, &f->pid);
	} else if (!strcmp(key, "tid")) {
		bit = CP_F_TID;
		ret = cp_parse_pid(val, &f->tid);
	} else if (!strcmp(key, "uid")) {
		bit = CP_F_UID;
		ret = kstrtou32(val, 10, &f->uid);
	} else if (!strcmp(key, "comm")) {
		bit = CP_F_COMM;
		ret = strscpy(f->comm, val, sizeof(f->comm)) < 0 ? -EINVAL : 0;
	} else if (!strcmp(key, "cgroup")) {
		bit = CP_F_CGROUP;
		ret = kstrtou64(val, 10, &f->cgroup_id);
		if (!ret && !f->cgroup_id)
			ret = -EINVAL;
	} else if (!strcmp(key, "port")) {
		bit = CP_F_PORT;
		ret = cp_parse_list(val, f->ports, ARRAY_SIZE(f->ports),
				    &f->nr_ports, 1, U16_MAX);
	} else if (!strcmp(key, "family")) {
		bit = 0;
		if (f->mask & CP_F_FAMILY)
			return -EINVAL;
		ret = cp_parse_family(val, &f->mask);
	} else if (!strcmp(key, "errno")) {
		bit = CP_F_ERRNO;
		ret = cp_parse_list(val, f->errnos, ARRAY_SIZE(f->errnos),
				    &f->nr_errnos, 1, MAX_ERRNO);
	} else if (!strcmp(key, "min_latency_ns")) {
		bit = CP_F_LATENCY;
		ret = kstrtou64(val, 10, &f->min_latency_ns);
	} else {
		return -EINVAL;
	}
	if (ret)
		return -EINVAL;
	/* Each term once: a second would silently override the first. */
	if (f->mask & bit)
		return -EINVAL;
	f->mask |= bit;
	return 0;
}

/*
 * Parse @buf (NUL-terminated, trailing newline allowed) into @f: "none"
 * for no filter (@f->mask stays 0), else terms separated by spaces.
 */
static int cp_filter_parse(char *buf, struct cp_filter *f)
{
	char *term;
	int ret;

	buf = strim(buf);
	if (!strcmp(buf, "none"))
		return 0;
	if (!*buf)
		return -EINVAL;
	while ((term = strsep(&buf, " \t"))) {
		if (!*term)
			continue;	/* a run of blanks */
		ret = cp_parse_term(term, f);
		if (ret)
			return ret;
	}
	return 0;
}

/* What goes before a term: nothing before the first, a blank after. */
static const char *cp_sep(bool *first)
{
	if (!*first)
		return " ";
	*first = false;
	return "";
}

static void cp_show_list(struct seq_file *m, bool *first, const char *term,
			 const u16 *v, unsigned int n)
{
	unsigned int i;

	seq_printf(m, "%s%s=", cp_sep(first), term);
	for (i = 0; i < n; i++)
		seq_printf(m, "%s%u", i ? "," : "", v[i]);
}

/* The canonical form of @f: what cp_filter_parse() takes back. */
static void cp_filter_print(struct seq_file *m, const struct cp_filter *f)
{
	bool first = true;

	if (f->mask & CP_F_PID)
		seq_printf(m, "%spid=%d", cp_sep(&first), f->pid);
	if (f->mask & CP_F_TID)
		seq_printf(m, "%stid=%d", cp_sep(&first), f->tid);
	if (f->mask & CP_F_UID)
		seq_printf(m, "%suid=%u", cp_sep(&first), f->uid);
	if (f->mask & CP_F_COMM)
		seq_printf(m, "%scomm=%s", cp_sep(&first), f->comm);
	if (f->mask & CP_F_CGROUP)
		seq_printf(m, "%scgroup=%llu", cp_sep(&first), f->cgroup_id);
	if (f->mask & CP_F_FAMILY)
		seq_printf(m, "%sfamily=%s", cp_sep(&first),
			   (f->mask & CP_F_FAMILY) == CP_F_FAMILY ? "ipv4,ipv6" :
			   f->mask & CP_F_IPV4 ? "ipv4" : "ipv6");
	if (f->mask & CP_F_PORT)
		cp_show_list(m, &first, "port", f->ports, f->nr_ports);
	if (f->mask & CP_F_FAILED)
		seq_printf(m, "%sfailed", cp_sep(&first));
	if (f->mask & CP_F_ERRNO)
		cp_show_list(m, &first, "errno", f->errnos, f->nr_errnos);
	if (f->mask & CP_F_LATENCY)
		seq_printf(m, "%smin_latency_ns=%llu", cp_sep(&first),
			   f->min_latency_ns);
}

/**
 * cp_filter_show() - print the filter in force, "none" if there is none
 * @m: the seq_file of the debugfs filter file
 */
void cp_filter_show(struct seq_file *m)
{
	const struct cp_filter *f;

	mutex_lock(&cp_filter_lock);
	f = rcu_dereference_protected(cp_filter,
				      lockdep_is_held(&cp_filter_lock));
	if (f)
		cp_filter_print(m, f);
	else
		seq_puts(m, "none");
	seq_putc(m, '\n');
	mutex_unlock(&cp_filter_lock);
}

/**
 * cp_filter_set() - put a filter in force, or none
 * @buf: the filter's text, NUL-terminated; modified while parsed
 *
 * Calls already past their entry finish under the old filter's caller
 * terms.
 *
 * Return: 0, -EINVAL if @buf is malformed (the filter in force is then
 * left as it was) or -ENOMEM.
 */
int cp_filter_set(char *buf)
{
	struct cp_filter *f, *old;
	int ret;

	f = cp_kzalloc_obj(*f, GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	ret = cp_filter_parse(buf, f);
	if (ret) {
		kfree(f);
		return ret;
	}
	if (!f->mask) {
		kfree(f);
		f = NULL;
	}
	mutex_lock(&cp_filter_lock);
	old = rcu_replace_pointer(cp_filter, f,
				  lockdep_is_held(&cp_filter_lock));
	mutex_unlock(&cp_filter_lock);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

/**
 * cp_filter_show_stats() - print what the filter turned away
 * @m: the seq_file of the debugfs stats file
 */
void cp_filter_show_stats(struct seq_file *m)
{
	u64 calls = 0, records = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		calls += per_cpu(cp_filtered_calls, cpu);
		records += per_cpu(cp_filtered_records, cpu);
	}
	seq_printf(m, "filtered calls %llu records %llu\n", calls, records);
}

/**
 * cp_filter_exit() - drop the filter; no probe may run any more
 */
void cp_filter_exit(void)
{
	kfree(rcu_replace_pointer(cp_filter, NULL, true));
}
