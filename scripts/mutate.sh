#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make mutate: show that the tests catch faults.  Each mutant is one
# deliberate fault, a sed edit of one file in a temporary copy of the tree
# (the tracked files as they are in the work tree, which is never edited).
# The tests that cover the file then run on the copy, and at least one of
# them must fail: the tool's host tests (make -C tools/connprobe test) for
# a fault in the tool, the VM selftests on 6.1 (scripts/guest/selftests.sh)
# for one in the module.  The unmutated copy must pass the same tests
# first, else no mutant proves anything.
#
# Prints a TAP line per baseline and per mutant ("ok - mutant caught: ..."
# or "not ok - mutant survived: ..."), then "N passed, N failed"; exits
# non-zero if any line is "not ok".  Logs in build/mutate/.  MUTANTS=REGEX
# runs only the mutants whose name matches.  A module fault costs a VM boot
# (1.5 to 2 minutes under TCG), a tool fault a run of the host tests.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
logdir=$top/build/mutate
line=6.1

kinds=() files=() names=() edits=()

# mutant KIND FILE NAME SED: the fault NAME in FILE (of the tool or the
# module), made by the sed script SED, which must change the file.
mutant() {
	kinds+=("$1") files+=("$2") names+=("$3") edits+=("$4")
}

mutant module module/pending.c \
	"module: calls after an attempt's first get a fresh id, not the attempt's" \
	's/^\trec->id = a->id;$/\trec->id = cp_new_id();/'
mutant module module/record.c \
	"module: a CONNECT record's latency is 0" \
	's/^\trec->latency_ns = ktime_get_ns() - start_ns;$/\trec->latency_ns = 0;/'
mutant module module/filter.c \
	"module: the filter's port term turns every record away" \
	's/^\t       in_list(f->ports, /\t       0 \&\& in_list(f->ports, /'
mutant module module/buffer.c \
	"module: a record dropped by a full buffer (stream mode) is not counted lost" \
	's/^\t\t\tstats->lost += !cp_sink_switch(buf, slot->rec);$/\t\t\tcp_sink_switch(buf, slot->rec);/'
mutant module module/record.c \
	"module: a record's netns is left unset" \
	's/^\trec->netns = sock_net(sk)->ns.inum;$/\t\/* mutant: netns unset *\//'
mutant module module/record.c \
	"module: a COMPLETE record gets a new id, not its CONNECT record's" \
	's/^\trec->id = call->id;$/\trec->id = cp_new_id();/'
mutant tool tools/connprobe/views/row.c \
	"tool: JSON null is printed as 0" \
	's/PUT("null/PUT("0/'
mutant tool tools/connprobe/filter.c \
	"tool: the -P port filter turns every record away" \
	's/^\t       in_list(f->ports, /\t       0 \&\& in_list(f->ports, /'
mutant tool tools/connprobe/input/stats.c \
	"tool: records the module lost are not counted in the run's summary" \
	's/^\tdelta->total_lost = stats_delta(start->total_lost, end->total_lost);$/\tdelta->total_lost = 0;/'

pass=0 fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
not_ok() { echo "not ok - $1"; fail=$((fail + 1)); }

# failures LOG: the failing TAP lines of a run, as comments (a few).
failures() {
	grep -E '^not ok|^# .*never reported|^# .* exited ' "$1" | head -n 5 |
		sed 's/^/#   /'
}

# tool_tests LOG: build the tool and its tests in the copy, then run them.
# 0 passed, 1 failed, 2 did not build.
tool_tests() {
	make -s -C "$tree/tools/connprobe" connprobe tests/build/connprobe \
		tests/build/unit >"$1" 2>&1 || return 2
	make -s -C "$tree/tools/connprobe" test >>"$1" 2>&1 || return 1
}

# vm_tests LOG: the VM selftests on the copy.  0 passed, 1 failed, 2 the
# guest never started (the module did not build, or the VM did not boot).
vm_tests() {
	local rc counts
	(cd "$tree" && scripts/vm-run.sh -k "$line" -c 2 -t 900 \
		-l "$1.console" scripts/guest/selftests.sh) >"$1" 2>&1
	rc=$?
	grep -q '^@@GUEST-START' "$1.console" 2>/dev/null || return 2
	counts=$(awk -f "$top/scripts/tap-count.awk" "$1" | tail -n 1)
	[ "$rc" = 0 ] && [ "$(cut -d' ' -f2 <<<"$counts")" = 0 ]
}

# run_tests KIND LOG: the tests of a KIND of fault.
run_tests() {
	if [ "$1" = tool ]; then
		tool_tests "$2"
	else
		vm_tests "$2"
	fi
}

# slug N NAME: a file name for the log of mutant N.
slug() {
	printf '%02d-%s' "$1" \
		"$(tr -cs 'a-zA-Z0-9' '-' <<<"$2" | cut -c1-50 | sed 's/-*$//')"
}

mkdir -p "$logdir"
rm -f "$logdir"/*.log "$logdir"/*.console
work=$(mktemp -d /tmp/connprobe-mutate.XXXXXX)
trap 'rm -rf "$work"' EXIT
tree=$work/tree
mkdir "$tree"
(cd "$top" && git ls-files -z | tar --null -T - -cf -) | tar -xf - -C "$tree"

# Which kinds of fault are to be tried: their baselines must pass.
selected=()
for i in "${!names[@]}"; do
	[[ ${names[$i]} =~ ${MUTANTS:-.} ]] && selected+=("$i")
done
declare -A baseline=()
start=$(date +%s)
for kind in tool module; do
	need=''
	for i in "${selected[@]}"; do
		[ "${kinds[$i]}" = "$kind" ] && need=1
	done
	[ -n "$need" ] || continue
	# The VM takes the tool, connect_mix and the selftests from the copy.
	if [ "$kind" = module ] &&
	   ! make -s -C "$tree" tool connect-mix selftests \
		>"$logdir/build.log" 2>&1; then
		not_ok "baseline: build the tool, connect_mix and the selftests (build/mutate/build.log)"
		continue
	fi
	run_tests "$kind" "$logdir/baseline-$kind.log"
	case $? in
	0) baseline[$kind]=1
	   ok "baseline: the $kind's tests pass without a fault" ;;
	*) failures "$logdir/baseline-$kind.log"
	   not_ok "baseline: the $kind's tests pass without a fault (build/mutate/baseline-$kind.log)" ;;
	esac
done

for i in "${selected[@]}"; do
	kind=${kinds[$i]} file=$tree/${files[$i]} name=${names[$i]}
	log=$logdir/$(slug "$i" "${name#*: }").log
	if [ -z "${baseline[$kind]:-}" ]; then
		not_ok "mutant not judged: $name (the $kind's baseline failed)"
		continue
	fi
	cp "$file" "$work/orig"
	sed -i "${edits[$i]}" "$file"
	if cmp -s "$file" "$work/orig"; then
		not_ok "mutant not applied: $name (${files[$i]} no longer has the line it edits)"
		continue
	fi
	# The fault, as its lines in the diff.
	diff -u "$work/orig" "$file" | tail -n +3 | grep '^[-+]' |
		sed "s|^|# ${files[$i]}: |"
	run_tests "$kind" "$log"
	case $? in
	0) not_ok "mutant survived: $name (build/mutate/${log##*/})" ;;
	1) failures "$log"
	   ok "mutant caught: $name" ;;
	*) not_ok "mutant not judged: $name (did not build or boot: build/mutate/${log##*/})" ;;
	esac
	# A new mtime: make rebuilds what the fault went into.
	cp "$work/orig" "$file"
done

echo "# make mutate took $(($(date +%s) - start)) s"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
