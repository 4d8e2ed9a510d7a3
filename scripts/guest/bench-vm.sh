#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of make bench-vm (scripts/bench-vm.sh), in a one-vCPU VM under
# instruction counting: guest ns = instructions, so each figure is
# instructions per connect and repeats from boot to boot.  Each round runs
# the three connect loops untraced, under connprobe, untraced, under an
# ftrace kretprobe event, untraced: an untraced run before and after every
# traced one, so a drift over the run shows instead of passing for a cost.
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

connprobe_off() { # ROUND
	awk -v r="$1" '
		$1 == "total" { lost = $7 }
		$1 == "probe" { nm += $4; kp += $6 }
		END { printf "S connprobe %s lost %d nmissed %d kp_nmissed %d\n", r, lost, nm, kp }
	' $D/stats
	kill -INT "$tool"
	wait "$tool" || { cat /tmp/cp.err; exit 1; }
	rmmod connprobe || exit 1
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

# libbpf-tools' tcpconnect, when the host had it to copy in (dynamically
# linked: bench-vm.sh copies its libraries too).
tcpconnect_on() {
	tcpconnect >/dev/null 2>/tmp/tc.err &
	tool=$!
	# Loading takes a while under TCG: wait (bounded) for its kprobe.
	i=0
	until grep -q 'tcp_v4_connect' /sys/kernel/debug/kprobes/list; do
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 "$tool" 2>/dev/null; then
			echo "tcpconnect did not attach:"
			cat /tmp/tc.err
			exit 1
		fi
		sleep 0.1
	done
}

tcpconnect_off() { # ROUND
	kill -INT "$tool"
	wait "$tool"
	# its perf buffer reports drops as "lost N events" on stderr
	lost=$(awk '/[Ll]ost/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i } END { print s + 0 }' /tmp/tc.err)
	# its kprobes come from perf_event_open: no nmissed to read (-1: n/a)
	echo "S tcpconnect $1 lost $lost nmissed -1 kp_nmissed -"
}

r=1
while [ $r -le "$ROUNDS" ]; do
	loops none "$r"
	connprobe_on
	loops connprobe "$r"
	connprobe_off "$r"
	loops none "$r"
	ftrace_on
	loops ftrace "$r"
	ftrace_off "$r"
	loops none "$r"
	if command -v tcpconnect >/dev/null; then
		tcpconnect_on
		loops tcpconnect "$r"
		tcpconnect_off "$r"
		loops none "$r"
	fi
	r=$((r + 1))
done
