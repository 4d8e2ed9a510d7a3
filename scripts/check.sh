#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is missing, build everything, lint the kernel
# side, run the tool's host tests, test installing (make install, DKMS),
# then boot each of Debian's kernel lines, and the PREEMPT_RT kernel of
# 6.1, in QEMU and run the selftests there.  Every stage prints TAP lines;
# the last line is "N passed, N failed[, N skipped]"; the exit status is
# non-zero if any check failed.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

logdir=$top/build/check
mkdir -p "$logdir"
pass=0 fail=0 skip=0

# Run a stage, show its output, add its TAP counts to the totals.
stage() {
	local name=$1 log=$logdir/$1.log rc p f s
	shift
	echo "# === $name"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	read -r p f s < <(awk -f scripts/tap-count.awk "$log")
	# A stage that fails but reports no failing test is a failure itself.
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "not ok - $name: exited non-zero"
		f=1
	fi
	echo "# $name: $p passed, $f failed, $s skipped"
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
}

build() {
	scripts/install-deps.sh >&2 || { echo "not ok - install dependencies"; return 1; }
	local what rc=0
	for what in module tool connect-mix selftests; do
		if make -s "$what" >"$logdir/make-$what.log" 2>&1; then
			echo "ok - build: make $what"
		else
			sed 's/^/# /' "$logdir/make-$what.log"
			echo "not ok - build: make $what"
			rc=1
		fi
	done
	return $rc
}

# vm_selftests LINE: the selftests in a VM booting that kernel line.
vm_selftests() {
	local line=$1
	scripts/vm-run.sh -k "$line" -c 2 -t 1200 \
		-l "$logdir/vm-$line.console" scripts/guest/selftests.sh
	local rc=$?
	if [ $rc = 0 ]; then
		echo "ok - vm $line: guest finished, kernel healthy"
	else
		echo "not ok - vm $line: guest finished, kernel healthy"
	fi
}

start=$(date +%s)
stage build build
stage lint scripts/lint.sh
stage host-tests make -s -C tools/connprobe test
stage prom-check scripts/prom-check.sh
stage install scripts/install-test.sh
for line in $(scripts/kernel.sh lines); do
	stage "vm-$line" vm_selftests "$line"
done
# Debian's PREEMPT_RT kernels: the selftests in the VM only (lint and the
# install test cover the source and headers of the line already).
for line in $(scripts/kernel.sh rt-lines); do
	stage "vm-$line-rt" vm_selftests "$line-rt"
done
echo "# make check took $(($(date +%s) - start)) s"
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" = 0 ]
