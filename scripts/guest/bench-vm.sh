#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of make bench-vm (scripts/bench-vm.sh), in a one-vCPU VM under
# instruction counting: guest ns = instructions, so each figure is
# instructions per connect and repeats from boot to boot.  Each round runs
# the three connect loops untraced, then under each set-up in turn with an
# untraced run after each: an untraced run before and after every traced
# one, so a drift over the run shows instead of passing for a cost.
# Prints lines the host side reads:
#   R SETUP LOOP ROUND INSTRUCTIONS_PER_CALL
#   S SETUP ROUND lost N nmissed N kp_nmissed N
#   L connprobe LOOP ROUND LOST_SO_FAR
ROUNDS=${ROUNDS:-3}
# About 0.2 guest s each: TCG runs a few hundred million instructions a
# second, and the median of ROUNDS runs is steady well below that.
LOOPS="real:2000 refused:2000 unreach:50000"
D=/sys/kernel/debug/connprobe
T=/sys/kernel/tracing
# LTTng's programs come in at their own paths (bench-vm.sh).
PATH=$PATH:/usr/bin

loops() { # SETUP ROUND
	for ln in $LOOPS; do
		out=$(connect_loop "${ln%:*}" "${ln#*:}") || exit 1
		# out: loop KIND n N ns NS per_call P
		echo "$out" | awk -v s="$1" -v r="$2" '{ print "R", s, $2, r, $8 }'
		# connprobe's records lost so far, to tell which loop lost them
		[ "$1" != connprobe ] ||
			awk -v r="$2" -v l="${ln%:*}" '$1 == "total" { print "L connprobe", l, r, $7 }' $D/stats
	done
}

connprobe_on() {
	insmod /connprobe.ko || exit 1
	connprobe --json >/dev/null 2>/tmp/cp.err &
	tool=$!
	# Let the tool open the buffers before the loops start.
	sleep 1
}

# The S line of a set-up with the module loaded, from its stats file.
# SETUP ROUND [flight]: in flight-recorder mode an overwritten record is
# no loss, and "lost" shows "-".
module_stats() {
	awk -v s="$1" -v r="$2" -v flight="${3:-}" '
		$1 == "total" { lost = $7 + 0 }
		$1 == "probe" { nm += $4; kp += $6 }
		END {
			printf "S %s %s lost %s nmissed %d kp_nmissed %d\n", s, r,
			       flight ? "-" : lost, nm, kp
		}
	' $D/stats
}

# Stop the tool, then unload the module.
module_off() {
	kill -INT "$tool"
	wait "$tool" || { cat /tmp/cp.err; exit 1; }
	rmmod connprobe || exit 1
}

connprobe_off() { # ROUND
	module_stats connprobe "$1"
	module_off
}

# connprobe record: the records as the kernel wrote them, to a capture
# file on the guest's RAM-backed root, as LTTng's consumer writes its
# trace to a tmpfs: the like-for-like reader for the LTTng rows, where the
# connprobe row formats JSON.
record_on() {
	insmod /connprobe.ko || exit 1
	connprobe record -o /tmp/cp.data 2>/tmp/cp.err &
	tool=$!
	sleep 1
}

record_off() { # ROUND
	module_stats record "$1"
	module_off
	rm -f /tmp/cp.data /tmp/cp.data.old
}

ftrace_on() {
	[ -d $T/events ] || mount -t tracefs nodev $T || exit 1
	# shellcheck disable=SC2016 # $retval is ftrace's, not the shell's
	echo 'r:cpk inet_stream_connect ret=$retval' >$T/kprobe_events || exit 1
	echo 1 >$T/events/kprobes/cpk/enable || exit 1
	cat $T/trace_pipe >/dev/null &
	tool=$!
	sleep 1
}

ftrace_off() { # ROUND
	# lost: events overwritten in the ring buffer; nmissed: kprobe_profile's
	# third column (probe misses, kretprobe instances included).
	lost=$(awk '$1 == "overrun:" { s += $2 } END { print s + 0 }' $T/per_cpu/cpu*/stats)
	nm=$(awk '$1 == "kprobes/cpk" || $1 == "cpk" { print $3 }' $T/kprobe_profile)
	echo "S ftrace $1 lost $lost nmissed ${nm:-0} kp_nmissed -"
	echo 0 >$T/events/kprobes/cpk/enable
	kill "$tool"
	wait "$tool" 2>/dev/null
	echo '-:cpk' >>$T/kprobe_events || exit 1
	echo >$T/trace
}

# connprobe with a filter that turns every call away at its entry (no
# process has pid 1 here but init, which connects nowhere): the price of
# being loaded.  The tool pushes the filter itself, as a user's -p would.
filtered_on() {
	insmod /connprobe.ko || exit 1
	connprobe --json -p 1 >/dev/null 2>/tmp/cp.err &
	tool=$!
	i=0
	until [ "$(cat $D/filter)" = pid=1 ]; do
		i=$((i + 1))
		[ $i -lt 300 ] || { echo "the filter was not pushed"; exit 1; }
		sleep 0.1
	done
}

filtered_off() { # ROUND
	module_stats filtered "$1"
	module_off
}

# The module's own share: loaded in flight-recorder mode with no reader,
# every record written (overwriting the oldest), none read.
noreader_on() {
	insmod /connprobe.ko mode=flight || exit 1
}

noreader_off() { # ROUND
	module_stats no-reader "$1" flight
	rmmod connprobe || exit 1
}

# The floor of a kretprobe design: a count-only return probe on
# __sys_connect (tools/bare-kretprobe), no record, no reader.
kretprobe_on() {
	insmod /bare_kretprobe.ko || exit 1
}

kretprobe_off() { # ROUND
	rmmod bare_kretprobe || exit 1
	nm=$(dmesg | sed -n 's/.*bare_kretprobe: [0-9]* calls, \([0-9]*\) missed/\1/p' | tail -n 1)
	echo "S kretprobe $1 lost 0 nmissed ${nm:-0} kp_nmissed -"
}

# libbpf-tools' tcpconnect or tcpconnlat (TOOL), when the host had them to
# copy in (dynamically linked: bench-vm.sh copies their libraries too).
bpf_links() {
	n=0
	for fd in /proc/"$1"/fd/*; do
		case $(readlink "$fd") in *bpf_link*) n=$((n + 1)) ;; esac
	done
	echo $n
}

libbpf_on() { # TOOL
	"$1" >/dev/null 2>/tmp/tc.err &
	tool=$!
	# Loading takes a while under TCG: wait (bounded) for its first
	# attached program, then for the others, attached in the same call.
	i=0
	until [ "$(bpf_links $tool)" -gt 0 ]; do
		i=$((i + 1))
		if [ $i -gt 600 ] || ! kill -0 "$tool" 2>/dev/null; then
			echo "$1 did not attach:"
			cat /tmp/tc.err
			exit 1
		fi
		sleep 0.1
	done
	sleep 1
}

libbpf_off() { # TOOL ROUND
	kill -INT "$tool"
	wait "$tool"
	# its perf buffer reports drops as "lost N events" on stderr
	lost=$(awk '/[Ll]ost/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i } END { print s + 0 }' /tmp/tc.err)
	# its probes come from BPF links: no nmissed to read (-1: n/a)
	echo "S $1 $2 lost $lost nmissed -1 kp_nmissed -"
}

# LTTng 2.13 (when the host had it to copy in: bench-vm.sh, with its
# modules built for this kernel by scripts/lttng.sh), a session daemon
# started for each traced run and stopped after it, which unloads the
# modules again: nothing of LTTng runs in the untraced runs.  The session
# writes to a directory in /tmp (tmpfs), its consumer daemon on the same
# vCPU as the loops.  KIND:
#   kret  `enable-event -k --function=__sys_connect`: a kretprobe, an
#         entry and an exit record a call (no payload but the addresses)
#   sys   `enable-event -k --syscall connect` with the pid, tid and
#         procname contexts: an entry and an exit record a call
LT=/tmp/lttng-trace
lttng_on() { # KIND
	# Its client and daemon keep their files under HOME (there is no
	# passwd here), its daemon in /var/run/lttng; UST, which it sets up
	# too, wants /dev/shm.
	export HOME=/tmp
	mkdir -p /var/run /dev/shm
	grep -q ' /dev/shm ' /proc/mounts || mount -t tmpfs tmpfs /dev/shm || exit 1
	lttng-sessiond --daemonize 2>/tmp/lt.err || { cat /tmp/lt.err; exit 1; }
	lttng create cpb --output=$LT >/dev/null || exit 1
	# A channel that holds a whole run: the default one (4 sub-buffers of
	# 1 MiB) discards about a fifth of the unreach loop's syscall records,
	# its consumer daemon behind on the one vCPU, and a discarded record
	# costs less than a written one.
	lttng enable-channel -k --subbuf-size=4M --num-subbuf=8 ch >/dev/null || exit 1
	case $1 in
	kret)
		lttng enable-event -k -c ch --function=__sys_connect lttng_kret >/dev/null || exit 1 ;;
	sys)
		lttng enable-event -k -c ch --syscall connect >/dev/null || exit 1
		lttng add-context -k -c ch -t pid -t tid -t procname >/dev/null || exit 1 ;;
	esac
	lttng start >/dev/null || exit 1
	sleep 1
}

lttng_off() { # SETUP ROUND
	# stop waits until the consumer has written out what was recorded.
	lttng stop >/dev/null || exit 1
	# lost: the channels' discarded events and lost packets; kretprobe
	# misses are not reported (-1: n/a).
	lost=$(lttng list cpb | awk '/Discarded events:|Lost packets:/ { s += $NF } END { print s + 0 }')
	lttng destroy cpb >/dev/null || exit 1
	# A session that recorded nothing would pass for a cheap tracer: at
	# least a byte a call (each call gives two records of several).
	calls=0
	for ln in $LOOPS; do calls=$((calls + ${ln#*:})); done
	kib=$(du -sk $LT | cut -f1)
	[ $((kib * 1024)) -ge $calls ] || { echo "$1: only ${kib} KiB of trace"; exit 1; }
	rm -rf $LT
	echo "S $1 $2 lost $lost nmissed -1 kp_nmissed -"
	# The daemon unloads LTTng's modules as it exits: wait for that
	# (bounded), so the next untraced run has none loaded.
	pid=$(cat /var/run/lttng/lttng-sessiond.pid)
	kill "$pid" || exit 1
	i=0
	while kill -0 "$pid" 2>/dev/null || grep -q '^lttng' /proc/modules; do
		i=$((i + 1))
		[ $i -lt 600 ] || { echo "lttng-sessiond did not exit"; exit 1; }
		sleep 0.1
	done
}

# Seed the kernel's random number generator before anything is measured.
# This VM's 6.1 boots with it unseeded (no RDRAND, next to no entropy),
# and until it is seeded every connect that sends a packet costs tens of
# thousands of instructions more: the real loop 108,000 instead of 56,000,
# the refused one 59,000 instead of 28,000.  The first program that blocks
# in getrandom() or reads /dev/random has the kernel seed it from timer
# jitter at once (LTTng's session daemon does), which would make the
# untraced runs after it another machine.  A real machine is seeded
# seconds after boot: measure that one, from the start.  The read ends
# within a second or two of guest time (vm-run.sh's timeout bounds it).
head -c 1 /dev/random >/dev/null || exit 1

r=1
while [ $r -le "$ROUNDS" ]; do
	loops none "$r"
	connprobe_on
	loops connprobe "$r"
	connprobe_off "$r"
	loops none "$r"
	record_on
	loops record "$r"
	record_off "$r"
	loops none "$r"
	noreader_on
	loops no-reader "$r"
	noreader_off "$r"
	loops none "$r"
	filtered_on
	loops filtered "$r"
	filtered_off "$r"
	loops none "$r"
	kretprobe_on
	loops kretprobe "$r"
	kretprobe_off "$r"
	loops none "$r"
	ftrace_on
	loops ftrace "$r"
	ftrace_off "$r"
	loops none "$r"
	for t in tcpconnect tcpconnlat; do
		command -v $t >/dev/null || continue
		libbpf_on $t
		loops $t "$r"
		libbpf_off $t "$r"
		loops none "$r"
	done
	if command -v lttng-sessiond >/dev/null; then
		for k in kret sys; do
			lttng_on $k
			loops lttng-$k "$r"
			lttng_off lttng-$k "$r"
			loops none "$r"
		done
	fi
	r=$((r + 1))
done
