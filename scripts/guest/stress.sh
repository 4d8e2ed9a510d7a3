#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of `make stress` (scripts/stress.sh): the module under fire.
#   1. bad module parameters: insmod fails, with one dmesg line saying why;
#   2. 30 (STRESS_CYCLES) insmod/rmmod cycles while 16 threads connect in
#      a loop and the tool reads; with the tool attached rmmod must be
#      refused (a cpuN file open pins the module, the documented choice),
#      then succeed;
#   3. accounting once quiet: written == read + lost + buffered, exactly;
#      again after a small buffer overflowed and cpu1 went offline and
#      online under the same load;
#   4. hostile writes to every writable debugfs file, alone and from
#      concurrent writers, each refused with EINVAL/ERANGE, state unchanged.
# TAP-like lines and figures go to the console; exit status 1 on any failure.
# vm-run.sh judges the kernel log (oops, WARN, taint) afterwards.

D=/sys/kernel/debug/connprobe
KO=/connprobe.ko
LOAD=/selftests/stress_load
# STRESS_CYCLES (from the kernel command line, vm-run.sh's VM_APPEND)
# scales the load/unload part down, e.g. for the slow debug kernel.
CYCLES=${STRESS_CYCLES:-30}
THREADS=16
failed=0

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; failed=1; }
check() {
	name=$1
	shift
	if "$@"; then ok "$name"; else notok "$name"; fi
}

# gone: the module is unloaded and has left nothing behind.
gone() {
	! grep -q '^connprobe ' /proc/modules && [ ! -e /sys/module/connprobe ] &&
		[ ! -e $D ]
}

# tool_attached PID: wait (bounded) until the tool has every cpuN open;
# before that, rmmod could win the race and the EBUSY check prove nothing.
open_cpu_files() {
	n=0
	for fd in /proc/"$1"/fd/*; do
		case $(readlink "$fd") in $D/cpu*) n=$((n + 1)) ;; esac
	done
	echo $n
}
tool_attached() {
	ncpu=$(find $D -name 'cpu*' | wc -l)
	tries=0
	while [ "$(open_cpu_files "$1")" -lt "$ncpu" ]; do
		tries=$((tries + 1))
		[ $tries -lt 100 ] || return 1
		sleep 0.05
	done
}

# accounting [written|lost]: per CPU and in total, written == read + lost
# + buffered; with "written", some record must have been written too; with
# "lost", some written and some lost.  Prints the stats lines as figures.
accounting() {
	cat $D/stats >/tmp/stats || return 1
	sed -n 's/^/# /; /^# \(cpu\|total\) /p' /tmp/stats
	awk '$1 == "cpu" || $1 == "total" {
		n++
		w = $0; sub(/.*written /, "", w); sub(/ .*/, "", w)
		r = $0; sub(/.* read /, "", r); sub(/ .*/, "", r)
		l = $0; sub(/.* lost /, "", l); sub(/ .*/, "", l)
		b = $0; sub(/.* buffered /, "", b); sub(/ .*/, "", b)
		if (w + 0 != r + l + b) { bad++; print "# mismatch: " $0 }
		if ($1 == "total") { total = w + 0; tlost = l + 0 }
	} END {
		if (need && !total) print "# no record written"
		if (need == "lost" && !tlost) print "# no record lost"
		exit !(n >= 2 && !bad && (!need || total) && (need != "lost" || tlost))
	}' need="${1:-}" /tmp/stats
}

# ------------------------------------------------------------ bad parameters
# insmod with a bad parameter must fail, leave nothing loaded, and say why
# in one connprobe dmesg line naming the parameter.  Busybox's insmod runs
# the module's init twice (finit_module(), then init_module() when that
# fails) and the first load prints the taint notices: count distinct
# reasons, timestamps and taint lines left out.
bad_param() {
	dmesg -c >/dev/null
	! insmod $KO "$1" 2>/dev/null || { rmmod connprobe; return 1; }
	gone || return 1
	dmesg | sed 's/^\[[ 0-9.]*\] //' | grep 'connprobe' |
		grep -vE 'taints kernel|verification failed' | sort -u >/tmp/reason
	sed 's/^/# dmesg: /' /tmp/reason
	[ "$(wc -l </tmp/reason)" = 1 ] && grep -q "connprobe: .*${1%%=*}" /tmp/reason
}

for p in buf_size=1 maxactive=0 mode=x buf_size=abc; do
	check "insmod $p refused, one dmesg line naming it" bad_param $p
done

# ----------------------------------------------------- load/unload under fire
t0=$(cut -d' ' -f1 /proc/uptime)
dmesg -c >/dev/null
# The load outlives every cycle: insmod and rmmod both happen mid-connect.
# Bounded (1 h) should this script die without killing it; long enough
# for a host so busy that 30 cycles take 10 minutes.
$LOAD connect $THREADS 3600 >/tmp/load.out 2>&1 &
load=$!
sleep 1

survived=0 records=0 lost_tool=0 ebusy=0
i=1
while [ $i -le "$CYCLES" ]; do
	cyc_ok=1
	if ! insmod $KO; then
		notok "cycle $i: insmod"
		break
	fi
	connprobe --json >/dev/null 2>/tmp/tool.err &
	tool=$!
	if ! tool_attached $tool; then
		notok "cycle $i: the tool opened every cpuN"
		cyc_ok=0
	fi
	sleep 0.3
	# Attached: rmmod must be refused as in use and leave the module whole.
	if rmmod connprobe 2>/tmp/rmmod.err; then
		notok "cycle $i: rmmod refused while the tool reads"
		cat /tmp/rmmod.err
		kill $tool 2>/dev/null
		wait $tool
		i=$((i + 1))
		continue
	elif grep -qiE 'in use|resource busy|temporarily unavailable' /tmp/rmmod.err &&
		[ -d $D ] && grep -q '^connprobe ' /proc/modules; then
		ebusy=$((ebusy + 1))
		[ $ebusy != 1 ] || echo "# rmmod while attached: $(cat /tmp/rmmod.err)"
	else
		notok "cycle $i: rmmod refused as in use ($(cat /tmp/rmmod.err))"
		cyc_ok=0
	fi
	kill -TERM $tool
	# Bounded: the tool drains what is buffered, and the load keeps adding.
	tries=0
	while kill -0 $tool 2>/dev/null && [ $tries -lt 100 ]; do
		tries=$((tries + 1))
		sleep 0.1
	done
	if kill -0 $tool 2>/dev/null; then
		notok "cycle $i: the tool exits within 10 s of SIGTERM under load"
		kill -KILL $tool
		wait $tool
		cyc_ok=0
	elif ! wait $tool; then
		notok "cycle $i: the tool exited 0 on SIGTERM"
		cyc_ok=0
	fi
	n=$(sed -n 's/^\([0-9]*\) records read, \([0-9]*\) lost.*/\1/p' /tmp/tool.err)
	l=$(sed -n 's/^\([0-9]*\) records read, \([0-9]*\) lost.*/\2/p' /tmp/tool.err)
	if [ -z "$n" ] || [ "$n" -eq 0 ]; then
		notok "cycle $i: the tool read records under load ($(cat /tmp/tool.err))"
		cyc_ok=0
	else
		records=$((records + n))
		lost_tool=$((lost_tool + ${l:-0}))
	fi
	if [ $i -eq "$CYCLES" ]; then
		# Quiet: no load, no reader; then the books must balance.
		kill -TERM $load
		wait $load
		sleep 1
		check "accounting after $CYCLES cycles under load, quiet" accounting ||
			cyc_ok=0
	fi
	if ! rmmod connprobe; then
		notok "cycle $i: rmmod once the tool has exited"
		break
	fi
	if ! gone; then
		notok "cycle $i: nothing left after rmmod"
		cyc_ok=0
	fi
	[ $cyc_ok = 0 ] || survived=$((survived + 1))
	# Progress, so that a crash log says in which cycle it came.
	echo "# cycle $i: ${n:-0} records read by the tool"
	i=$((i + 1))
done
kill -TERM $load 2>/dev/null
wait $load 2>/dev/null
echo "# load: $(cat /tmp/load.out)"
# After the last rmmod, connects again: nothing may trace them anywhere.
$LOAD connect 4 1 >/dev/null
check "after the last rmmod, connects leave no trace (no debugfs dir, no module)" gone
t1=$(cut -d' ' -f1 /proc/uptime)
echo "# cycles survived: $survived of $CYCLES; rmmod refused while attached: $ebusy;" \
	"records read by the tools: $records (tool-reported lost $lost_tool);" \
	"$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f s", b - a }')"
[ "$survived" = "$CYCLES" ] && [ "$ebusy" = "$CYCLES" ] && [ "$records" -gt 0 ] ||
	notok "all $CYCLES cycles survived, each refusing rmmod while attached"
[ $failed = 1 ] || ok "$CYCLES load/unload cycles under fire"

# ------------------------------------------- overflow and hotplug under load
# A 16 KiB buffer a CPU under the same load, the tool attached but stalled
# (SIGSTOP: a reader that falls behind), while cpu1 goes offline and online
# again: records overflow and are counted lost, records of the CPU taken
# offline stay in its buffer, and once quiet the books still balance.
PLUGS=5
plugged_back() {
	[ "$plugs" = $PLUGS ] && [ "$(cat $c1)" = 1 ]
}
overflow_hotplug() {
	c1=/sys/devices/system/cpu/cpu1/online
	if [ ! -w $c1 ]; then
		notok "overflow and hotplug: cpu1 can go offline (boot 2 vCPUs)"
		return
	fi
	insmod $KO buf_size=16384 || { notok "insmod buf_size=16384"; return; }
	$LOAD connect $THREADS 3600 >/dev/null 2>&1 &
	load=$!
	connprobe --json >/dev/null 2>/tmp/tool.err &
	tool=$!
	tool_attached $tool || notok "overflow and hotplug: the tool opened every cpuN"
	kill -STOP $tool
	plugs=0
	k=0
	while [ $k -lt $PLUGS ]; do
		k=$((k + 1))
		sleep 0.5
		echo 0 >$c1 || continue
		sleep 0.5
		echo 1 >$c1 && plugs=$((plugs + 1))
	done
	kill -CONT $tool
	sleep 0.5
	kill -TERM $tool
	check "overflow and hotplug: the tool exited 0 on SIGTERM" wait $tool
	kill -TERM $load
	wait $load
	sleep 1
	check "cpu1 offline and online again $plugs of $PLUGS times under load" \
		plugged_back
	check "accounting after overflow and hotplug under load, quiet, records lost" \
		accounting lost
	check "rmmod after overflow and hotplug" rmmod connprobe
}
overflow_hotplug

# ------------------------------------------------------------- hostile input
insmod $KO || { notok "insmod for the hostile-input checks"; exit 1; }
mode0=$(cat $D/mode) size0=$(cat $D/buf_size)
echo 100 >$D/bench
# A filter in force, so that a bad write that cleared it would show; one
# that keeps every record of the load, whose records must reach the buffer
# while the concurrent writers resize it.
echo family=ipv4,ipv6 >$D/filter
filter0=$(cat $D/filter)
bench0=$(cat $D/bench)
tried=0 refused=0

# state_same: what the bad writes must not have changed.
state_same() {
	[ "$(cat $D/mode)" = "$mode0" ] && [ "$(cat $D/buf_size)" = "$size0" ] &&
		[ "$(cat $D/bench)" = "$bench0" ] &&
		[ "$(cat $D/filter)" = "$filter0" ]
}

# bad FILE BYTES: one bad write, refused with EINVAL or ERANGE, state kept.
bad() {
	tried=$((tried + 1))
	got=$($LOAD write $D/"$1" "$2")
	case $got in
	EINVAL|ERANGE)
		if state_same; then
			refused=$((refused + 1))
			return
		fi
		notok "$1 <- '$2': refused ($got) but the state changed" ;;
	*)	notok "$1 <- '$2': $got, want EINVAL or ERANGE" ;;
	esac
	# Put an accepted value back, or every later check fails for it.
	state_same || {
		echo "$mode0" >$D/mode
		echo "$size0" >$D/buf_size
		echo 100 >$D/bench
		bench0=$(cat $D/bench)
		echo "$filter0" >$D/filter
	}
}

long=$(head -c 5000 /dev/zero | tr '\0' 1)
for f in buf_size bench; do
	bad $f ''			# empty
	bad $f ' \n'			# whitespace
	bad $f '\t\n'			# whitespace
	bad $f 'abc\n'			# not a number
	bad $f '-65536\n'		# negative
	bad $f '-1\n'			# negative
	bad $f '99999999999999999999999\n'	# overflows 64 bits
	bad $f '18446744073709551616\n'	# 2^64
	bad $f "$long"			# too long
	bad $f '65536junk\n'		# trailing garbage
	bad $f '65536 65536\n'		# trailing garbage
	bad $f '\x01\xff\x00\x7f'	# binary
	bad $f '65536\x00\n'		# embedded NUL
done
bad buf_size '1\n'			# below 16 KiB
bad buf_size '16383\n'
bad buf_size '268435457\n'		# above 256 MiB
bad bench '0\n'				# below 1
bad bench '100000001\n'			# above 10^8
bad mode ''
bad mode '\n'
bad mode ' \n'
bad mode 'streams\n'
bad mode 'FLIGHT\n'
bad mode '-1\n'
bad mode '99999999999999999999999\n'
bad mode "$long"
bad mode 'flightflightflightflight\n'
bad mode 'flight junk\n'
bad mode 'stream\x00\n'
bad mode '\x01\xff\x00\x7f'
bad filter ''
bad filter ' \n'
bad filter 'pid=abc\n'			# not a number
bad filter 'pid=-1\n'			# negative
bad filter 'pid=99999999999\n'		# overflows a pid
bad filter 'port=65536\n'		# out of range
bad filter "$long"			# too long
bad filter 'port=80 junk\n'		# trailing garbage
bad filter 'port=80 port=81\n'		# a term twice
bad filter 'port=80\x00\n'		# embedded NUL
bad filter '\x01\xff\x00\x7f'		# binary

# Concurrent writers: four shells, for 3 s, each alternating valid writes
# (the current values, so the end state is known) with bad ones, while
# connects run: a resize racing another and the write path.  Each bad
# write is tallied by its writer.  A change of mode or size is refused
# with EBUSY while another writer's runs (nothing it holds may be what a
# reader's open waits for), and only then: each such refusal is tallied.
writer() {
	end=$(($(date +%s) + 3))
	while [ "$(date +%s)" -lt "$end" ]; do
		echo "change mode $($LOAD write $D/mode "$mode0")"
		echo "bad $($LOAD write $D/mode 'flight junk\n')"
		echo "change buf_size $($LOAD write $D/buf_size "$size0")"
		echo "bad $($LOAD write $D/buf_size '65536junk\n')"
		$LOAD write $D/bench 100 >/dev/null || echo "valid bench refused"
		echo "bad $($LOAD write $D/bench '-5\n')"
		echo "bad $($LOAD write $D/buf_size '')"
		$LOAD write $D/filter "$filter0" >/dev/null || echo "valid filter refused"
		echo "bad $($LOAD write $D/filter 'port=80 junk\n')"
	done
}
$LOAD connect 4 30 >/dev/null &
load=$!
writers=
for w in 1 2 3 4; do
	writer >/tmp/writer.$w &
	writers="$writers $!"
done
# shellcheck disable=SC2086
wait $writers
# Every buf_size write starts the buffers afresh: give the load a second
# of records after the last, so the identity below has records to count.
sleep 1
kill -TERM $load
wait $load
cat /tmp/writer.* >/tmp/writers
ctried=$(grep -c '^bad ' /tmp/writers)
crefused=$(grep -cE '^bad (EINVAL|ERANGE)$' /tmp/writers)
tried=$((tried + ctried))
refused=$((refused + crefused))
if grep -q 'valid .* refused' /tmp/writers; then
	notok "concurrent writers: every valid write accepted"
	grep 'valid .* refused' /tmp/writers | sort | uniq -c | sed 's/^/# /'
fi
# Changes of mode and size: accepted, or EBUSY while another ran; and
# each kind got through.
grep '^change ' /tmp/writers | sort | uniq -c | sed 's/^/# /'
if grep '^change ' /tmp/writers | grep -vqE ' (OK|EBUSY)$' ||
   ! grep -q '^change mode OK$' /tmp/writers ||
   ! grep -q '^change buf_size OK$' /tmp/writers; then
	notok "concurrent writers: changes accepted, or EBUSY while another ran"
fi
[ "$ctried" = "$crefused" ] || {
	notok "concurrent writers: every bad write refused"
	grep '^bad ' /tmp/writers | grep -vE 'EINVAL|ERANGE' | sort | uniq -c | sed 's/^/# /'
}
echo 100 >$D/bench	# the valid bench writes ran other sizes' records
bench0=$(cat $D/bench)
check "state unchanged after concurrent writers (mode $mode0, buf_size $size0)" \
	state_same
sleep 1
check "accounting after concurrent writers under load, quiet, records written" \
	accounting written
echo "# bad writes: $tried tried, $refused refused ($ctried from concurrent writers)"
[ "$tried" = "$refused" ] && [ "$tried" -gt 0 ] &&
	ok "hostile input: all $tried bad writes refused, state unchanged"
check "rmmod after the hostile input" rmmod connprobe
check "nothing left after the last rmmod" gone

[ $failed = 0 ] && echo "# stress: all ok" || echo "# stress: FAILED"
exit $failed
