# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# What make check (scripts/check.sh) and make check-debug
# (scripts/check-debug.sh) share: stages that print TAP lines, their
# totals, and the build stage.  Sourced, after setting logdir (where each
# stage's log goes) from the top of the tree.
# shellcheck disable=SC2154 # logdir is the sourcing script's

pass=0 fail=0 skip=0

# stage [--may-skip REASON]... NAME CMD...: run CMD, show its output and
# time, add its TAP counts to the totals.  A test that skips counts as
# failed unless its "# SKIP" reason is one of the REASONs: a stage names
# there what may keep one of its tests from running on this machine, and
# every other test must run (tap-count.awk).  NAME.log must be no one
# else's: the stage writes it.
stage() {
	local may_skip='' name log rc p f s t0 count
	while [ "$1" = --may-skip ]; do
		may_skip+=$2$'\n'
		shift 2
	done
	name=$1 log=$logdir/$1.log
	shift
	echo "# === $name"
	t0=$(date +%s)
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	count=$(awk -v may_skip="$may_skip" -f scripts/tap-count.awk "$log")
	# What it made of each skip, then the counts.
	sed '$d' <<<"$count" | tee -a "$log"
	read -r p f s <<<"$(tail -n 1 <<<"$count")"
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

# vm_result RC CONSOLE ERR WHAT: the TAP lines of a VM run, from
# vm-run.sh's status RC, the guest's console CONSOLE (vm-run.sh -l) and
# what vm-run.sh said on stderr, in the file ERR (shown here).  vm-run.sh
# fails a run whose guest script exits non-zero, as well as one whose
# guest did not finish or whose kernel was not healthy; the script's own
# checks already have their TAP lines, so its exit status is judged apart:
# it must agree with them (non-zero exactly when one of them failed).
# Returns non-zero if either line is "not ok".
vm_result() {
	local rc=$1 console=$2 err=$3 what=$4 guest_rc others failed agree ret=0
	cat "$err"
	guest_rc=$(sed -n 's/^@@GUEST-RC \([0-9]*\)$/\1/p' "$console" 2>/dev/null)
	# Anything wrong besides the script's exit status.
	others=$(grep -v '^vm-run: the guest script exited [0-9]*$' "$err" |
		grep '^vm-run: ')
	if [ "$rc" = 0 ] || { [ -n "$guest_rc" ] && [ -z "$others" ]; }; then
		echo "ok - $what"
	else
		echo "not ok - $what"
		ret=1
	fi
	[ -n "$guest_rc" ] || return 1
	failed=$(sed -n '/^@@GUEST-START/,/^@@GUEST-RC/p' "$console" |
		awk -v judge_skips=0 -f scripts/tap-count.awk | tail -n 1 |
		cut -d' ' -f2)
	agree="${what%%:*}: the guest script exits non-zero exactly when a check failed (exit $guest_rc, $failed failed)"
	if { [ "$guest_rc" = 0 ] && [ "$failed" = 0 ]; } ||
	   { [ "$guest_rc" != 0 ] && [ "$failed" != 0 ]; }; then
		echo "ok - $agree"
	else
		echo "not ok - $agree"
		ret=1
	fi
	return $ret
}

# selftests_listed LIST: what a VM run of scripts/guest/selftests.sh must
# report (scripts/expected-tests.sh) into the file LIST; a TAP line if it
# cannot be told.
selftests_listed() {
	scripts/expected-tests.sh >"$1" && return 0
	echo "not ok - the list of the tests a VM must report"
	return 1
}

# selftests_reported LIST CONSOLE: each test on LIST that CONSOLE holds no
# result for, named (scripts/tap-expect.awk); non-zero if one fails so.
selftests_reported() {
	awk -f scripts/tap-expect.awk "$1" "$2" | tee "$1.missing"
	! grep -q '^not ok' "$1.missing"
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
