#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make stress: the module under fire, in the test VM (2 vCPUs, no NIC) on
# each kernel line (scripts/kernel.sh lines): insmod/rmmod cycles under
# connect load with the tool reading, hostile writes to the debugfs
# settings, bad module parameters, and the accounting once quiet (see
# scripts/guest/stress.sh).  Every connect runs in the guest, never here.
# Prints the guest's TAP lines and figures and the time per kernel; exits
# non-zero if any check failed or a guest kernel was unhealthy.
#
# Environment: STRESS_LINES (default: every line), STRESS_TIMEOUT (s per VM),
# STRESS_CYCLES (load/unload cycles, 30 by default).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/install-deps.sh
make -s tool selftests

fail=0
summary=()
for line in ${STRESS_LINES:-$(scripts/kernel.sh lines)}; do
	echo "== stress: kernel $line =="
	t0=$(date +%s)
	rc=0
	out=$(mktemp)
	VM_APPEND="${VM_APPEND:-} ${STRESS_CYCLES:+STRESS_CYCLES=$STRESS_CYCLES}" \
		scripts/vm-run.sh -k "$line" -c 2 \
		-t "${STRESS_TIMEOUT:-1200}" \
		scripts/guest/stress.sh | tee "$out" || rc=$?
	t1=$(date +%s)
	# vm-run.sh already fails on the guest's exit status; counting the
	# lines as well catches a guest that printed "not ok" and exited 0.
	nok=$(grep -c '^not ok' "$out" || true)
	oks=$(grep -c '^ok' "$out" || true)
	rm -f "$out"
	if [ "$rc" != 0 ] || [ "$nok" != 0 ]; then
		fail=1
		summary+=("$line: FAILED ($oks ok, $nok not ok, vm-run $rc) in $((t1 - t0)) s")
	else
		summary+=("$line: ok ($oks ok) in $((t1 - t0)) s")
	fi
done
echo "== stress: summary =="
printf '%s\n' "${summary[@]}"
exit "$fail"
