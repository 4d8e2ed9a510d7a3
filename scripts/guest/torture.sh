#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of `make torture` (scripts/torture.sh): the engine
# (selftests/torture.c) runs every control operation of the module at
# random, from several threads at once, under a connect load, for
# TORTURE_SECONDS, then checks the records it read and the accounting.
# TORTURE_SECONDS, TORTURE_SEED, TORTURE_OPERATORS, TORTURE_LOADERS and
# TORTURE_HANG_SECONDS come from the kernel command line (vm-run.sh's
# VM_APPEND) as environment variables, and go on to the engine as such.
# Its TAP lines go to the console; exit status 1 on any failure.  vm-run.sh
# judges the kernel log (oops, WARN, lockdep, hung tasks) afterwards.

T=/selftests/torture

if [ ! -x $T ]; then
	echo "not ok - torture: $T is missing (make -C selftests)"
	exit 1
fi
# The engine loads the module itself, and unloads it at the end.
if grep -q '^connprobe ' /proc/modules; then
	echo "not ok - torture: the module is loaded already"
	exit 1
fi
echo "# hung-task timeout: $(cat /proc/sys/kernel/hung_task_timeout_secs 2>/dev/null || echo none) s"
$T /connprobe.ko
rc=$?
# The module's last words (its info lines stay off the console at
# loglevel 5); only its own, which name no checker vm-run.sh looks for.
dmesg | grep 'connprobe: ' | tail -n 10 | sed 's/^/# dmesg: /'
exit $rc
