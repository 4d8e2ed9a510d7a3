// SPDX-License-Identifier: GPL-2.0
/*
 * The floor of a kretprobe design, for make bench-vm: one kretprobe on
 * __sys_connect() whose handlers only count.  What it costs per call is
 * what any tracer built on a return probe pays before doing any work;
 * connprobe's cost over it is its own.  Not part of connprobe.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/percpu.h>

static DEFINE_PER_CPU(unsigned long, bare_calls);

static int bare_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	this_cpu_inc(bare_calls);
	return 0;
}

NOKPROBE_SYMBOL(bare_return);

static struct kretprobe bare_probe = {
	.kp.symbol_name	= "__sys_connect",
	.handler	= bare_return,
	.maxactive	= 4096,
};

static int __init bare_init(void)
{
	return register_kretprobe(&bare_probe);
}

static void __exit bare_exit(void)
{
	unsigned long calls = 0;
	int cpu;

	unregister_kretprobe(&bare_probe);
	for_each_possible_cpu(cpu)
		calls += per_cpu(bare_calls, cpu);
	pr_info("%lu calls, %d missed\n", calls, bare_probe.nmissed);
}

module_init(bare_init);
module_exit(bare_exit);
MODULE_DESCRIPTION("count-only kretprobe on __sys_connect, a benchmark floor");
MODULE_LICENSE("GPL");
