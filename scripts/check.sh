#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is missing (the host's packages, and each
# kernel line's headers, in a chroot of its Debian release where the host
# cannot build for it), build everything, lint the kernel side, run the
# tool's host tests, test installing (make install, DKMS), then boot each
# of Debian's kernel lines (scripts/kernel.sh lines), and the PREEMPT_RT
# kernel of 6.1, in QEMU and run the selftests there.  Every stage prints
# TAP lines; the last line is "N passed, N failed[, N skipped]"; the exit
# status is non-zero if any check failed.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

logdir=$top/build/check
mkdir -p "$logdir"

# shellcheck source=scripts/stages.sh
. scripts/stages.sh

# deps: scripts/install-deps.sh, then a TAP line for each kernel line
# whose headers are there, naming the release (and the chroot).
deps() {
	local line rel where rc=0

	if ! scripts/install-deps.sh >"$logdir/install-deps.log" 2>&1; then
		tail -n 30 "$logdir/install-deps.log" | sed 's/^/# /'
		echo "not ok - deps: scripts/install-deps.sh"
		return 1
	fi
	for line in $(scripts/kernel.sh lines) $(scripts/kernel.sh rt-lines |
						sed 's/\([^ ]*\)/\1-rt/g'); do
		where=$(scripts/kernel.sh chroot "$line")
		if rel=$(scripts/kernel.sh release "$line"); then
			echo "ok - deps: headers of $line: $rel${where:+, in $where}"
		else
			echo "not ok - deps: headers of $line"
			rc=1
		fi
	done
	return $rc
}

build() {
	build_targets module tool connect-mix selftests
}

# vm_selftests LINE: the selftests in a VM booting that kernel line, held
# to the list of what it must report: a test that never ran fails by name.
vm_selftests() {
	local line=$1 rc
	selftests_listed "$logdir/vm-$line.expected" || return 1
	scripts/vm-run.sh -k "$line" -c 2 -t 1200 \
		-l "$logdir/vm-$line.console" scripts/guest/selftests.sh \
		2>"$logdir/vm-$line.err"
	vm_result $? "$logdir/vm-$line.console" "$logdir/vm-$line.err" \
		"vm $line: guest finished, kernel healthy"
	rc=$?
	selftests_reported "$logdir/vm-$line.expected" \
		"$logdir/vm-$line.console" && [ $rc = 0 ]
}

start=$(date +%s)
stage deps deps
stage build build
stage lint scripts/lint.sh
stage host-tests make -s -C tools/connprobe test
stage prom-check scripts/prom-check.sh
stage fleet scripts/fleet-check.sh
# Installing skips what would overwrite a connprobe that was installed
# here before the run, and leaves it alone.  No other stage may skip: make
# check installs what every test needs and runs as root, and the VMs have
# the CPUs, io_uring and everything else their tests need.
stage --may-skip "connprobe is already installed here" \
	--may-skip "connprobe is already in DKMS here" \
	install scripts/install-test.sh
stage deb scripts/deb-test.sh
for line in $(scripts/kernel.sh lines); do
	stage "vm-$line" vm_selftests "$line"
done
# Debian's PREEMPT_RT kernels: the selftests in the VM only (lint and the
# install test cover the source and headers of the line already).
for line in $(scripts/kernel.sh rt-lines); do
	stage "vm-$line-rt" vm_selftests "$line-rt"
done
finish check "$start"
