#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the VM selftests.  First what happens around loading (bad
# parameters, the tool without the module), then every selftest in
# /selftests/TESTS between @@BIN markers (the host counts each binary's TAP
# against its plan, so a crashed binary's missing tests count as failures),
# then the unload.  Exits 1 if any check or selftest binary failed, as
# the host's count of the TAP lines says too.

failed=0

# check NAME COMMAND...: one TAP line for whether COMMAND succeeds.
check() {
	name=$1
	shift
	if "$@"; then
		echo "ok - $name"
	else
		echo "not ok - $name"
		failed=$((failed + 1))
	fi
}

# bad_param PARAM=VALUE MESSAGE: insmod with that bad parameter must fail,
# leave nothing loaded and say why in dmesg: "connprobe: MESSAGE", and
# nothing else.  busybox's insmod tries finit_module() and, when that
# fails, init_module() with the file's contents: two load attempts, so the
# message must come exactly twice.  The kernel's note that the module
# taints it (the first load of a boot) is not the module's.
bad_param() {
	dmesg -c >/dev/null
	if insmod /connprobe.ko "$1" 2>/dev/null; then
		echo "# insmod $1 succeeded"
		rmmod connprobe
		return 1
	fi
	[ ! -e /sys/module/connprobe ] || return 1
	dmesg | sed 's/^\[[^]]*\] //' | grep '^connprobe: ' |
		grep -vE 'taints kernel|verification failed' >/tmp/said
	[ "$(sort -u /tmp/said)" = "connprobe: $2" ] &&
		[ "$(wc -l </tmp/said)" = 2 ] && return 0
	echo "# want 'connprobe: $2' once per load attempt (2); dmesg said:"
	sed 's/^/#   /' /tmp/said
	return 1
}

tool_without_module() {
	! connprobe stats >/dev/null 2>/tmp/err &&
		grep -q 'not loaded' /tmp/err
}

check "load: buf_size=1 refused, one dmesg line naming the range" \
	bad_param buf_size=1 "buf_size=1 is out of range [16384, 268435456]"
check "load: buf_size=1G refused, one dmesg line naming the range" \
	bad_param buf_size=1073741824 \
	"buf_size=1073741824 is out of range [16384, 268435456]"
# Not a number: the kernel's parser refuses it before connprobe's code runs,
# and its line names the parameter but no range.
check "load: buf_size=abc refused, the kernel's one dmesg line" \
	bad_param buf_size=abc "\`abc' invalid for parameter \`buf_size'"
check "load: maxactive=0 refused, one dmesg line naming the range" \
	bad_param maxactive=0 "maxactive=0 is out of range [1, 65536]"
check "load: maxactive=65537 refused, one dmesg line naming the range" \
	bad_param maxactive=65537 "maxactive=65537 is out of range [1, 65536]"
check "load: mode=ring refused, one dmesg line naming the modes" \
	bad_param mode=ring "mode=ring is not stream or flight"
check "tool: says the module is not loaded" tool_without_module

# The tool, streaming JSON from the real module while connect_mix makes its
# six calls: one line each, with the outcome each call got, and one complete
# line for the non-blocking connect, with its id.
tool_streams_json() {
	connprobe --json --duration 4 >/tmp/json 2>/tmp/json.err &
	tool=$!
	sleep 1
	connect_mix 1 >/dev/null || return 1
	wait $tool || return 1
	grep '"event":"connect".*"comm":"connect_mix"' /tmp/json >/tmp/mix
	id=$(sed -n 's/.*"ret":-115,"error":"EINPROGRESS".*"id":\([0-9]*\),.*/\1/p' /tmp/mix)
	[ "$(wc -l </tmp/mix)" = 6 ] &&
		[ "$(grep -c '"ret":0,"error":null' /tmp/mix)" = 3 ] &&
		grep -q '"family":"inet6","proto":"tcp".*"ret":0,' /tmp/mix &&
		grep -q '"proto":"udp".*"ret":0,' /tmp/mix &&
		grep -q '"saddr":"127.0.0.1","sport":[1-9][0-9]*,"daddr":"127.0.0.1","dport":[0-9]*,"ret":-111,"error":"ECONNREFUSED"' /tmp/mix &&
		grep -q '"saddr":null,"sport":null,"daddr":"203.0.113.1","dport":80,"ret":-101,"error":"ENETUNREACH"' /tmp/mix &&
		[ -n "$id" ] &&
		[ "$(grep -c "\"event\":\"complete\".*\"ret\":0,.*\"id\":$id,.*\"abandoned\":false" /tmp/json)" = 1 ] &&
		grep -q '^[0-9]* records read, 0 lost$' /tmp/json.err && return 0
	sed 's/^/# /' /tmp/json /tmp/json.err
	return 1
}

# A user who is not root is told so by the tool, and the kernel refuses
# the files themselves too.
not_root() {
	mkdir -p /etc
	echo "nobody:x:65534:65534:nobody:/:/bin/sh" >/etc/passwd
	echo "nogroup:x:65534:" >/etc/group
	! su nobody -c "connprobe stats" 2>/tmp/err &&
		grep -q 'must be run as root' /tmp/err &&
		! su nobody -c "cat /sys/kernel/debug/connprobe/stats" 2>/tmp/err &&
		grep -q 'Permission denied' /tmp/err
}

# Kernels differ in what can be probed, so the module says at load which
# functions it attached to: one dmesg line for each probe in stats.
probes_named() {
	probes=$(awk '$1 == "probe" { print $2 }' \
		/sys/kernel/debug/connprobe/stats)
	[ -n "$probes" ] || return 1
	for p in $probes; do
		dmesg | grep -q "connprobe: attached to $p," || return 1
	done
}

# The tool pushes the filters the module can apply into connprobe/filter
# while it runs, and puts "none" back when it exits.
F=/sys/kernel/debug/connprobe/filter
tool_pushes_filter() {
	echo none >$F
	connprobe --json -P 9 --failed --duration 3 >/dev/null 2>/tmp/push.err &
	tool=$!
	tries=0
	while [ "$(cat $F)" != "port=9 failed" ] && [ $tries -lt 50 ]; do
		tries=$((tries + 1))
		sleep 0.1
	done
	pushed=$(cat $F)
	wait $tool && [ "$pushed" = "port=9 failed" ] && [ "$(cat $F)" = none ]
}

# A different filter in force (another run's): refused, left as it was.
tool_refuses_other_filter() {
	echo pid=1 >$F
	! connprobe -P 9 --duration 1 >/dev/null 2>/tmp/push.err &&
		grep -q "filter is already 'pid=1'" /tmp/push.err &&
		[ "$(cat $F)" = pid=1 ]
	rc=$?
	echo none >$F
	return $rc
}

# The files of the loaded module, exactly: a cpuN file per CPU and stats,
# 0400; the settings, 0600; nothing else.
debugfs_modes() {
	d=/sys/kernel/debug/connprobe
	[ -d $d ] || { echo "# $d is missing"; return 1; }
	ncpu=$(grep -c '^processor' /proc/cpuinfo)
	{
		i=0
		while [ "$i" -lt "$ncpu" ]; do
			echo "400 cpu$i"
			i=$((i + 1))
		done
		echo "400 stats"
		for f in mode buf_size bench filter; do
			echo "600 $f"
		done
	} | sort >/tmp/modes.want
	(cd $d && stat -c '%a %n' -- *) | sort >/tmp/modes.got
	cmp -s /tmp/modes.want /tmp/modes.got && return 0
	echo "# want:"
	sed 's/^/#   /' /tmp/modes.want
	echo "# got:"
	sed 's/^/#   /' /tmp/modes.got
	return 1
}

if ! insmod /connprobe.ko; then
	echo "not ok - load: insmod with the default parameters"
	exit 1
fi
check "load: dmesg names every function probed" probes_named
check "debugfs: exactly the cpuN files and stats (0400), the settings (0600)" \
	debugfs_modes
check "tool: not root is refused with a clear message" not_root
check "tool: --json streams each outcome of a mixed workload" tool_streams_json
check "tool: pushes -P/--failed into the module's filter, 'none' after" \
	tool_pushes_filter
check "tool: refuses to replace another run's filter" tool_refuses_other_filter

while read -r t; do
	[ -n "$t" ] || continue
	echo "@@BIN-START $t"
	/selftests/"$t"
	rc=$?
	echo "@@BIN-END $t $rc"
	# The harness exits 0 when every test passed or skipped.
	[ $rc = 0 ] || failed=$((failed + 1))
done < /selftests/TESTS

# rmmod while connects wait in SYN_SENT: the unload succeeds, leaves no
# debugfs directory, and every call still ends (ETIMEDOUT, 7 s after it
# started: hold_connects' two SYN retries) in a kernel that stays healthy
# (vm-run.sh judges that).  All 64 calls must be in SYN_SENT when rmmod
# runs.  The wait for them is bounded at 6 s, short of the 7 s after which
# the first would end; it says how long it took.
in_syn_sent() {
	awk '$4 == "02"' /proc/net/tcp | wc -l
}
uptime_s() {
	cut -d' ' -f1 /proc/uptime
}
unload_in_flight() {
	t0=$(uptime_s)
	/selftests/hold_connects 64 &
	hold=$!
	tries=0
	while [ "$(in_syn_sent)" -lt 64 ] && [ $tries -lt 120 ]; do
		tries=$((tries + 1))
		sleep 0.05
	done
	n=$(in_syn_sent)
	echo "# rmmod with $n of 64 connects in SYN_SENT, $(awk -v a="$t0" \
		-v b="$(uptime_s)" 'BEGIN { printf "%.2f", b - a }') s after they started"
	rmmod connprobe && [ ! -e /sys/kernel/debug/connprobe ] &&
		! grep -q '^connprobe ' /proc/modules
	unloaded=$?
	wait $hold
	ended=$?
	[ "$n" = 64 ] && [ $unloaded = 0 ] && [ $ended = 0 ]
}

check "unload: clean while all 64 connects are blocked in flight" \
	unload_in_flight

# rmmod right after the last reader closed its file, while the flush
# timer that the reader started may still be due: unload shuts the timer
# down before it frees the channel (a timer left to fire on the freed
# channel is what KASAN would report in make check-debug; a stock kernel
# may crash).  Ten cycles, each with a record buffered so the timer has
# work to do.
unload_after_reader() {
	i=0
	while [ $i -lt 10 ]; do
		insmod /connprobe.ko || return 1
		connect_mix 1 >/dev/null 2>&1
		cat /sys/kernel/debug/connprobe/cpu0 /sys/kernel/debug/connprobe/cpu1 \
			>/dev/null 2>&1
		rmmod connprobe || return 1
		i=$((i + 1))
	done
	sleep 1
	! grep -q '^connprobe ' /proc/modules
}

check "unload: right after a reader closed, ten times" unload_after_reader

echo "# selftests.sh: $failed failed"
[ $failed = 0 ]
