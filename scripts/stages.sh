# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# What make check (scripts/check.sh) and make check-debug
# (scripts/check-debug.sh) share: stages that print TAP lines, their
# totals, and the build stage.  Sourced, after setting logdir (where each
# stage's log goes) from the top of the tree.
# shellcheck disable=SC2154 # logdir is the sourcing script's

pass=0 fail=0 skip=0

# stage NAME CMD...: run CMD, show its output and time, add its TAP counts
# to the totals.
stage() {
	local name=$1 log=$logdir/$1.log rc p f s t0
	shift
	echo "# === $name"
	t0=$(date +%s)
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	read -r p f s < <(awk -f scripts/tap-count.awk "$log")
	# A stage that fails but reports no failing test is a failure itself.
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "not ok - $name: exited non-zero"
		f=1
	fi
	echo "# $name: $p passed, $f failed, $s skipped in $(($(date +%s) - t0)) s"
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
}

# build_targets TARGET...: install what is missing, then make each target,
# a TAP line each.
build_targets() {
	scripts/install-deps.sh >&2 || { echo "not ok - install dependencies"; return 1; }
	local what rc=0
	for what in "$@"; do
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

# vm_result RC WHAT: the TAP line of a VM run from vm-run.sh's status.
vm_result() {
	if [ "$1" = 0 ]; then
		echo "ok - $2"
	else
		echo "not ok - $2"
	fi
}

# finish NAME START: the closing lines (the time taken since START, then
# "N passed, N failed[, N skipped]"); returns non-zero if any check failed.
finish() {
	echo "# make $1 took $(($(date +%s) - $2)) s"
	if [ "$skip" -gt 0 ]; then
		echo "$pass passed, $fail failed, $skip skipped"
	else
		echo "$pass passed, $fail failed"
	fi
	[ "$fail" = 0 ]
}
