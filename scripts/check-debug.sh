#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-debug: the module in a debug kernel.  Builds Debian's 6.1
# kernel with KASAN, lockdep, PROVE_RCU, DEBUG_ATOMIC_SLEEP, kmemleak,
# DEBUG_OBJECTS and UBSAN (scripts/debug-kernel.sh, cached outside the
# repo), connprobe.ko against it, then boots it three times in QEMU: once
# for the selftests, once for the stress run of make stress
# (scripts/guest/stress.sh), once for the torture of make torture
# (scripts/guest/torture.sh), each followed, the module unloaded, by a
# kmemleak scan (scripts/guest/check-debug.sh).  Any checker report on the guest console
# fails the run (vm-run.sh).  Every stage prints TAP lines and its time; the
# last line is "N passed, N failed"; the exit status is non-zero if any
# check failed.  Not part of make check: the first build takes about half
# an hour on two cores and the runs minutes each.
#
# Environment: DEBUG_LINE (6.1), DEBUG_MEM (guest MiB, 2048),
# DEBUG_TIMEOUT (s per VM, 3600), STRESS_CYCLES (load/unload cycles of the
# stress run, 30 as in make stress), TORTURE_SECONDS (600),
# TORTURE_SEED, TORTURE_OPERATORS, TORTURE_LOADERS, TORTURE_HANG_SECONDS,
# TORTURE_SKIP (as in make torture, scripts/torture.sh).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

line=${DEBUG_LINE:-6.1}
mem=${DEBUG_MEM:-2048}
vm_timeout=${DEBUG_TIMEOUT:-3600}
cycles=${STRESS_CYCLES:-30}
logdir=$top/build/check-debug
mkdir -p "$logdir"
tree=''

# shellcheck source=scripts/stages.sh
. scripts/stages.sh

build() {
	build_targets tool connect-mix selftests
}

# The tree's path goes to a file: stage runs its command in a pipeline.
debug_kernel() {
	if scripts/debug-kernel.sh "$line" >"$logdir/tree"; then
		echo "ok - debug kernel $line: $(cat "$logdir/tree")"
	else
		echo "not ok - debug kernel $line built"
		return 1
	fi
}

debug_module() {
	local ko
	if ko=$(scripts/build-module.sh "$tree"); then
		echo "ok - module built against the debug kernel: $ko"
	else
		echo "not ok - module built against the debug kernel"
		return 1
	fi
}

# vm_debug PART: boot the debug kernel, run PART (selftests, stress or
# torture) and the leak scan after it.
vm_debug() {
	local part=$1 rc var torture='' list
	list=$logdir/vm-debug-$part.expected
	if [ "$part" = selftests ]; then
		selftests_listed "$list" || return 1
		# and the debug guest's own check after them: the leak scan
		sed -n 's/^\techo "ok - \(leak scan .*\)"$/selftests.sh\t\1/p' \
			scripts/guest/check-debug.sh |
			sed 's/\$DEBUG_PART/selftests/' >>"$list"
	fi
	for var in TORTURE_SECONDS TORTURE_SEED TORTURE_OPERATORS \
		TORTURE_LOADERS TORTURE_HANG_SECONDS TORTURE_SKIP; do
		[ -z "${!var:-}" ] || torture+=" $var=${!var}"
	done
	# Expedited RCU grace periods: under the stress run's connect load
	# a normal one does not end in this slow guest (seen on 6.1 with
	# or without connprobe: a kretprobe's removal waited in
	# synchronize_rcu() until the load stopped), and rmmod with it.
	VM_APPEND="DEBUG_PART=$part STRESS_CYCLES=$cycles rcupdate.rcu_expedited=1$torture" \
		scripts/vm-run.sh -K "$tree" -c 2 -m "$mem" -t "$vm_timeout" \
		-l "$logdir/vm-debug-$part.console" scripts/guest/check-debug.sh \
		2>"$logdir/vm-debug-$part.err"
	rc=$?
	sed -n 's/^@@GUEST-START \([^ ]*\) \(.*\)$/# booted \1, guest up at \2/p' \
		"$logdir/vm-debug-$part.console"
	vm_result $rc "$logdir/vm-debug-$part.console" \
		"$logdir/vm-debug-$part.err" \
		"vm debug $part: guest finished, kernel healthy, no checker report"
	rc=$?
	if [ "$part" = selftests ]; then
		selftests_reported "$list" "$logdir/vm-debug-$part.console" &&
			[ $rc = 0 ]
	else
		return $rc
	fi
}

start=$(date +%s)
stage build build
stage debug-kernel debug_kernel
tree=$(cat "$logdir/tree" 2>/dev/null)
if [ -n "$tree" ]; then
	stage debug-module debug_module
	stage vm-debug-selftests vm_debug selftests
	stage vm-debug-stress vm_debug stress
	stage vm-debug-torture vm_debug torture
else
	echo "not ok - vm debug: no debug kernel to boot"
	fail=$((fail + 1))
fi
finish check-debug "$start"
