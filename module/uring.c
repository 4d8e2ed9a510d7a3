// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring's connects, traced at io_connect()'s call of
 * __sys_connect_file() rather than at that function's entry.
 *
 * Where __sys_connect() calls __sys_connect_file() instead of inlining it
 * (every Debian line, 5.10 to sid's 7.2), a probe at its entry is hit by
 * every connect(2) as well, only to let it go: about 340 instructions a
 * call on 6.1, 6.12 likewise.  Two plain
 * kprobes inside io_connect() see io_uring's calls alone: one on each
 * call instruction, where the arguments are in their registers, one on the
 * instruction after it, where the return value is.  What the first keeps
 * for the second (the call may sleep, and move to another CPU) sits in a
 * small table keyed by the task, checked by the stack pointer, which the
 * call leaves as it found it.
 *
 * Either kprobe runs from an int3 until, and unless, the kernel optimizes
 * it into a jump to a detour, and an int3 handler runs in NMI context:
 * lockdep says so, and a lock, or the timekeeper's seqcount, taken there
 * could be one its CPU holds already.  So the handlers take no lock (a
 * slot is claimed with a cmpxchg, then only its task writes it) and read
 * the NMI-safe clock; the return handler keeps what the record needs of
 * the task (pid, comm, cgroup, signal, the end of the call) and a
 * reference to the file, and leaves the record, whose path takes the
 * buffer's and the attempt table's locks, to an irq_work of its CPU.
 * That runs in hard interrupt context as soon as interrupts are on again
 * (at the int3's return), before io_connect() goes on.
 *
 * Where io_connect() has no such call to find (another architecture, a
 * compiler that inlined or moved it), probe.c keeps its kretprobe on
 * __sys_connect_file().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/irq_work.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/llist.h>
#include <linux/log2.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "connprobe.h"
#include "connprobe_internal.h"

/* Slots per bucket of the table of calls under way. */
#define CP_URING_WAYS	4

/*
 * The owner of a slot whose call returned: queued for its record, which
 * frees it.  No task's address: the owner's next call takes another slot.
 */
#define CP_URING_QUEUED	((struct task_struct *)1UL)

/*
 * An io_uring connect call under way, from the call to its record.
 * @task is the only field two tasks touch: a task claims a free slot
 * with a cmpxchg of it, and from then on only the owner writes the slot,
 * until its return hands it to its CPU's irq_work, which frees it.
 */
struct cp_uring_call {
	struct task_struct *task;	/* owner; NULL in a free slot */
	unsigned long sp;		/* the stack pointer at the call */
	unsigned int site;		/* which call of io_connect()'s */
	int ret;			/* what the call returned */
	u64 start_ns;			/* ktime_get_mono_fast_ns() */
	struct file *file;		/* held by io_uring for the call */
	struct llist_node node;		/* on its CPU's cp_uring_done */
	struct cp_task_info who;	/* the task, at the return */
	struct cp_call_addr addr;
};

struct cp_uring_bucket {
	struct cp_uring_call slot[CP_URING_WAYS];
};

static struct cp_uring_bucket *cp_uring_table;
static unsigned int cp_uring_bits;
/* Calls not traced: every slot of their bucket was in use. */
static DEFINE_PER_CPU(unsigned long, cp_uring_missed);
static unsigned int cp_uring_max;

/*
 * Calls that returned on a CPU, and the irq_work that writes their
 * records: the return handler may run in NMI context, the record path
 * (buffer, attempt table) takes locks.
 */
static DEFINE_PER_CPU(struct llist_head, cp_uring_done);
static DEFINE_PER_CPU(struct irq_work, cp_uring_work);

/*
 * The calls of __sys_connect_file() in io_connect(): a compiler may make
 * one per value of a constant argument (5.10's has two: O_NONBLOCK or
 * not).  Each gets a probe on it (probe 2 * site) and one on the
 * instruction after it (2 * site + 1).
 */
#define CP_URING_MAX_SITES	4
static struct kprobe cp_uring_probes[2 * CP_URING_MAX_SITES];
static unsigned int cp_uring_nr_probes;

/* The call site of probe @p, either of its two. */
static unsigned int cp_uring_site(const struct kprobe *p)
{
	return (p - cp_uring_probes) / 2;
}

NOKPROBE_SYMBOL(cp_uring_site);

static struct cp_uring_bucket *cp_uring_bucket_of(const struct task_struct *t)
{
	return &cp_uring_table[hash_ptr(t, cp_uring_bits)];
}

NOKPROBE_SYMBOL(cp_uring_bucket_of);

/* The slot @t owns in @b, if any: only @t makes a slot its own. */
static struct cp_uring_call *cp_uring_find(struct cp_uring_bucket *b,
					   const struct task_struct *t)
{
	struct cp_uring_call *c;

	for (c = b->slot; c < b->slot + CP_URING_WAYS; c++)
		if (READ_ONCE(c->task) == t)
			return c;
	return NULL;
}

NOKPROBE_SYMBOL(cp_uring_find);

/* Make a free slot of @b current's, lock-free: NULL if none is free. */
static struct cp_uring_call *cp_uring_claim(struct cp_uring_bucket *b)
{
	struct cp_uring_call *c;

	for (c = b->slot; c < b->slot + CP_URING_WAYS; c++)
		if (!READ_ONCE(c->task) && !cmpxchg(&c->task, NULL, current))
			return c;
	return NULL;
}

NOKPROBE_SYMBOL(cp_uring_claim);

/* Free @c, after everything read of it. */
static void cp_uring_free(struct cp_uring_call *c)
{
	/*
	 * A release: the reads of @c come before its next owner's writes,
	 * which follow that owner's cmpxchg() in cp_uring_claim().
	 */
	smp_store_release(&c->task, NULL);
}

NOKPROBE_SYMBOL(cp_uring_free);

/*
 * Runs on io_connect()'s call instruction: __sys_connect_file(struct file
 * *, struct sockaddr_storage *, int addrlen, int flags) is about to run.
 * From an int3 until the probe is optimized: NMI context, where no lock
 * may be taken and only the NMI-safe clock read.  A slot the task still
 * holds is from a call whose return was missed: the new call takes it
 * over.
 */
static int cp_uring_call(struct kprobe *p, struct pt_regs *regs)
{
	struct cp_uring_bucket *b = cp_uring_bucket_of(current);
	struct cp_uring_call *c = cp_uring_find(b, current);

	if (!cp_filter_task()) {
		cp_filter_count_call();
		if (c)
			cp_uring_free(c);
		return 0;
	}
	if (!c)
		c = cp_uring_claim(b);
	if (!c) {
		this_cpu_inc(cp_uring_missed);
		return 0;
	}
	c->sp = kernel_stack_pointer(regs);
	c->site = cp_uring_site(p);
	c->start_ns = ktime_get_mono_fast_ns();
	c->file = (struct file *)regs_get_kernel_argument(regs, 0);
	cp_call_addr_set(&c->addr, (const struct sockaddr_storage *)
			 regs_get_kernel_argument(regs, 1),
			 (int)regs_get_kernel_argument(regs, 2));
	return 0;
}

NOKPROBE_SYMBOL(cp_uring_call);

/*
 * Runs on the instruction after the call: __sys_connect_file() returned.
 * NMI context too, from an int3: what the record needs of the task and
 * of the moment is kept here, with a reference to the file (io_uring
 * holds one for the call, so it is still there), and the record is
 * written by this CPU's irq_work, in hard interrupt context.
 */
static int cp_uring_returned(struct kprobe *p, struct pt_regs *regs)
{
	struct cp_uring_call *c = cp_uring_find(cp_uring_bucket_of(current),
						current);

	if (!c)
		return 0;
	/*
	 * A stale slot of a call whose return was missed: not the same
	 * stack pointer and call site.
	 */
	if (c->sp != kernel_stack_pointer(regs) ||
	    c->site != cp_uring_site(p)) {
		cp_uring_free(c);
		return 0;
	}
	/* __sys_connect_file() returns int: narrow the 64-bit register. */
	c->ret = (int)regs_return_value(regs);
	cp_task_info_get(&c->who, c->ret);
	get_file(c->file);
	WRITE_ONCE(c->task, CP_URING_QUEUED);
	llist_add(&c->node, this_cpu_ptr(&cp_uring_done));
	irq_work_queue(this_cpu_ptr(&cp_uring_work));
	return 0;
}

NOKPROBE_SYMBOL(cp_uring_returned);

/*
 * This CPU's irq_work: the records of the calls that returned on it, in
 * the order they returned, through the common path.  Hard interrupt
 * context (on PREEMPT_RT too), not NMI: the record path's raw locks are
 * taken with interrupts off everywhere.
 */
static void cp_uring_flush(struct irq_work *work)
{
	struct llist_node *list = llist_del_all(this_cpu_ptr(&cp_uring_done));
	struct cp_uring_call *c, *next;

	llist_for_each_entry_safe(c, next, llist_reverse_order(list), node) {
		/* io_uring may use a registered file: no descriptor. */
		cp_record_connect_as(&c->who, c->start_ns, c->ret, -1,
				     CONNPROBE_F_IO_URING,
				     cp_sock_from_file(c->file), &c->addr);
		fput(c->file);
		cp_uring_free(c);
	}
}

NOKPROBE_SYMBOL(cp_uring_flush);

/**
 * cp_symbol_range() - where a function of the kernel lies
 * @name: its name
 * @start: its first byte
 * @end: the byte after its last
 *
 * kallsyms' lookup by name is not exported: a kprobe registered disabled
 * (nothing is patched) resolves the name, and kallsyms gives the start and
 * size of what holds the address ("io_connect+0x4/0x2a0").
 *
 * Return: 0, or a negative errno when there is no such probeable function.
 */
int cp_symbol_range(const char *name, unsigned long *start,
		    unsigned long *end)
{
	struct kprobe kp = { .symbol_name = name,
			     .flags = KPROBE_FLAG_DISABLED };
	unsigned long addr, offset, size;
	char sym[KSYM_SYMBOL_LEN];
	const char *plus;
	int ret;

	ret = register_kprobe(&kp);
	if (ret)
		return ret;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	sprint_symbol(sym, addr);
	plus = strrchr(sym, '+');
	if (!plus || sscanf(plus, "+%lx/%lx", &offset, &size) != 2 ||
	    offset > addr || !size)
		return -ENOENT;
	*start = addr - offset;
	*end = *start + size;
	return 0;
}

/*
 * The @i-th probe to register, of the probes of @sites call sites: the
 * return sites (odd indexes) first, then the call sites.
 */
static unsigned int cp_uring_order(unsigned int i, unsigned int sites)
{
	return i < sites ? 2 * i + 1 : 2 * (i - sites);
}

/*
 * Wait until every irq_work queued by a return handler has run: the
 * probes are gone, so none is queued any more, and the records are
 * written (the buffer and the attempt table go only after us) and the
 * files put.  A CPU taken offline ran its work on its way down.
 */
static void cp_uring_sync(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		irq_work_sync(per_cpu_ptr(&cp_uring_work, cpu));
}

/**
 * cp_uring_register() - trace io_uring's connects inside io_connect()
 * @target: the start of __sys_connect_file()
 * @calls: calls under way to keep track of at once
 *
 * Return: 0, or a negative errno when io_connect() has no call of
 * @target to probe (nothing is attached then).
 */
int cp_uring_register(unsigned long target, unsigned int calls)
{
	unsigned long start, end, site;
	unsigned int i, n, sites = 0;
	int cpu, ret;

	ret = cp_symbol_range("io_connect", &start, &end);
	if (ret)
		return ret;
	for (site = cp_find_call(start, end, target); site;
	     site = cp_find_call(cp_call_next(site), end, target)) {
		if (sites == CP_URING_MAX_SITES)
			return -E2BIG;
		cp_uring_probes[2 * sites].addr = (kprobe_opcode_t *)site;
		cp_uring_probes[2 * sites].pre_handler = cp_uring_call;
		cp_uring_probes[2 * sites + 1].addr =
			(kprobe_opcode_t *)cp_call_next(site);
		cp_uring_probes[2 * sites + 1].pre_handler = cp_uring_returned;
		sites++;
	}
	if (!sites)
		return -ENOENT;

	/* Twice the slots asked for, as the attempt table (pending.c). */
	n = roundup_pow_of_two(max(DIV_ROUND_UP(2 * calls, CP_URING_WAYS), 2U));
	cp_uring_table = kvcalloc(n, sizeof(*cp_uring_table), GFP_KERNEL);
	if (!cp_uring_table)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		init_llist_head(per_cpu_ptr(&cp_uring_done, cpu));
		cp_init_irq_work_hard(per_cpu_ptr(&cp_uring_work, cpu),
				      cp_uring_flush);
	}
	cp_uring_bits = ilog2(n);
	cp_uring_max = n * CP_URING_WAYS;

	/*
	 * Every return site before any call site, so that no call is taken
	 * down whose return goes unseen; unregistering goes the other way.
	 */
	for (i = 0; i < 2 * sites; i++) {
		ret = register_kprobe(&cp_uring_probes[cp_uring_order(i, sites)]);
		if (ret) {
			pr_warn("cannot probe io_connect+%#lx: error %d\n",
				(unsigned long)cp_uring_probes[cp_uring_order(i, sites)].addr -
				start, ret);
			goto out_unregister;
		}
	}
	cp_uring_nr_probes = i;
	pr_info("attached to io_connect, at its %u call(s) of __sys_connect_file, for %u calls at once\n",
		sites, cp_uring_max);
	return 0;

out_unregister:
	while (i--)
		unregister_kprobe(&cp_uring_probes[cp_uring_order(i, sites)]);
	cp_uring_sync();
	kvfree(cp_uring_table);
	cp_uring_table = NULL;
	return ret;
}

/**
 * cp_uring_unregister() - detach; returns once no handler or irq_work runs
 *
 * unregister_kprobe() waits for a grace period, and every handler runs
 * with preemption off (or in NMI context): after it, no handler queues
 * an irq_work; after cp_uring_sync(), none runs, and no slot holds a file.
 * Only then does the table go.  A call the call-site probe saw but whose
 * return site was gone first leaves its slot claimed: freed with the
 * table, it holds nothing.
 */
void cp_uring_unregister(void)
{
	unsigned int sites = cp_uring_nr_probes / 2;

	/* The call sites first (the reverse of cp_uring_register()). */
	while (cp_uring_nr_probes)
		unregister_kprobe(&cp_uring_probes[cp_uring_order(--cp_uring_nr_probes,
								  sites)]);
	cp_uring_sync();
	kvfree(cp_uring_table);
	cp_uring_table = NULL;
}

/**
 * cp_uring_show_stats() - print the probes' miss counters, as a probe line
 * @m: the seq_file of the debugfs stats file
 *
 * nmissed counts calls not traced because their slots were all in use;
 * kp_nmissed counts hits of either kprobe skipped because another probe
 * was running.
 */
void cp_uring_show_stats(struct seq_file *m)
{
	unsigned long missed = cp_percpu_sum(&cp_uring_missed), kp_missed = 0;
	unsigned int i;

	for (i = 0; i < cp_uring_nr_probes; i++)
		kp_missed += READ_ONCE(cp_uring_probes[i].nmissed);
	seq_printf(m, "probe io_connect nmissed %lu kp_nmissed %lu maxactive %u\n",
		   missed, kp_missed, cp_uring_max);
}
