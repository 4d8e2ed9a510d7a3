#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make torture: in the test VM (2 vCPUs, no NIC) of each kernel line
# (scripts/kernel.sh lines), every control operation of the module in
# random interleavings from several threads at once, under a connect load
# of every kind, for a bounded time (scripts/guest/torture.sh,
# selftests/torture.c).  Every connect runs in the guest, never here.
# Prints each stage's TAP lines and time, and ends with "N passed, N
# failed"; exits non-zero if any check failed or a guest kernel was
# unhealthy (vm-run.sh: oops, WARN, lockdep, KASAN, a hung task).
#
# Environment: TORTURE_SECONDS (600 per kernel), TORTURE_SEED (replays a
# run: the seed each guest prints first), TORTURE_OPERATORS,
# TORTURE_LOADERS, TORTURE_HANG_SECONDS, TORTURE_SKIP (operations left
# out, separated by commas) (see selftests/torture.c); they reach the
# guest on its kernel command line.  TORTURE_LINES (default:
# every line), TORTURE_TIMEOUT (s per VM, TORTURE_SECONDS + 600).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

logdir=$top/build/torture
mkdir -p "$logdir"
seconds=${TORTURE_SECONDS:-600}
vm_timeout=${TORTURE_TIMEOUT:-$((seconds + 600))}

# shellcheck source=scripts/stages.sh
. scripts/stages.sh

build() {
	build_targets selftests
}

# vm_torture LINE: the torture in a VM booting that kernel line.
vm_torture() {
	local line=$1 var append='' rc
	for var in TORTURE_SECONDS TORTURE_SEED TORTURE_OPERATORS \
		TORTURE_LOADERS TORTURE_HANG_SECONDS TORTURE_SKIP; do
		[ -z "${!var:-}" ] || append+=" $var=${!var}"
	done
	VM_APPEND="${VM_APPEND:-}$append" \
		scripts/vm-run.sh -k "$line" -c 2 -t "$vm_timeout" \
		-l "$logdir/vm-$line.console" scripts/guest/torture.sh \
		2>"$logdir/vm-$line.err"
	rc=$?
	vm_result $rc "$logdir/vm-$line.console" "$logdir/vm-$line.err" \
		"vm $line: torture finished, kernel healthy, no checker report"
}

start=$(date +%s)
stage build build
for line in ${TORTURE_LINES:-$(scripts/kernel.sh lines)}; do
	stage "torture-$line" vm_torture "$line"
done
finish torture "$start"
