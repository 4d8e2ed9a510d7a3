#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the loss-rate part of make bench-vm: on the normal
# multi-vCPU guest (plain TCG, wall-clock time), the connect rate at which
# connprobe starts to lose records with the default buffer size.  The tool
# streams JSON to /dev/null while P copies of the cheapest connect loop
# (connect_loop unreach: one record a call) run at once, P = 1, 2, 4, 8.
# Then the rate sustained with C = 1 and 2 CPUs connecting: one loop of
# S calls pinned to each, long enough (S is 40 times the 4,500 records a
# CPU's buffer holds) that a buffer the tool does not keep up with fills
# many times over.
# Where the unpaced loops lose records, the rate sustained without loss
# is then bisected (R steps, 7 of them, each loop paced to its share of
# the rate tried: connect_loop's RATE), between 0 and the unpaced rate.
# Last, how the cost scales with the CPUs connecting: the unpaced rate of
# one loop of S calls pinned to each of C = 1 and 2 CPUs, untraced (U,
# before the module is loaded and after it is removed), traced with the
# tool streaming (T), and traced by the module alone (M: flight mode, no
# reader, so that no reader competes with the loops for the two CPUs).
# A lock or atomic that every CPU shares would show as an M/U ratio that
# falls from C = 1 to C = 2.
# Prints one line a step, P for the first part, Q and R for the second,
# U, T and M for the last:
#   P|Q|R|U|T|M procs N connects T s RATE/s written W lost L [target X]
D=/sys/kernel/debug/connprobe
N=${N:-20000}
S=${S:-200000}

total() { # FIELD: the "total" line's value after FIELD; 0 if not loaded
	[ -r $D/stats ] || { echo 0; return; }
	awk -v f="$1" '$1 == "total" { for (i = 2; i < NF; i++) if ($i == f) print $(i + 1) }' $D/stats
}

now() { cut -d' ' -f1 /proc/uptime; }

# step TAG P CALLS [pin [RATE]]: P loops of CALLS calls at once (pin: loop
# i on CPU i; RATE: the P loops paced to RATE calls a second in all),
# timed; prints the step's line and sets lost.
step() {
	w0=$(total written) l0=$(total lost)
	t0=$(now)
	i=0 pids=
	while [ $i -lt "$2" ]; do
		if [ "${4:-}" = pin ]; then
			# shellcheck disable=SC2046 # no RATE: no argument
			taskset -c $i connect_loop unreach "$3" \
				$([ -z "${5:-}" ] || echo $(($5 / $2))) >/dev/null &
		else
			connect_loop unreach "$3" >/dev/null &
		fi
		pids="$pids $!"
		i=$((i + 1))
	done
	# shellcheck disable=SC2086
	wait $pids
	t1=$(now)
	# the tool catches up before the counts are read
	sleep 1
	w1=$(total written) l1=$(total lost)
	lost=$((l1 - l0))
	awk -v tag="$1" -v p="$2" -v n=$(($2 * $3)) -v a="$t0" -v b="$t1" \
		-v w=$((w1 - w0)) -v l=$lost -v x="${5:-}" 'BEGIN {
		printf "%s %d procs %d connects %.2f s %d/s written %d lost %d%s\n",
			tag, p, n, b - a, n / (b - a), w, l, x == "" ? "" : " target " x }'
	rate=$(awk -v n=$(($2 * $3)) -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", n / (b - a) }')
}

# sustained C: with C CPUs connecting, the unpaced rate, then, if that
# lost records, a bisection of the paced rate between 0 and it.
sustained() {
	step Q "$1" "$S" pin
	[ "$lost" -gt 0 ] || return 0
	lo=0 hi=$rate k=0
	while [ $k -lt 7 ]; do
		mid=$(((lo + hi) / 2))
		step R "$1" "$S" pin "$mid"
		if [ "$lost" = 0 ]; then lo=$mid; else hi=$mid; fi
		k=$((k + 1))
	done
}

# scaling TAG: one loop of S calls pinned to each of 1, then 2 CPUs.
scaling() {
	step "$1" 1 "$S" pin
	step "$1" 2 "$S" pin
}

scaling U
insmod /connprobe.ko || exit 1
connprobe --json >/dev/null 2>/tmp/cp.err &
tool=$!
sleep 1
for p in 1 2 4 8; do
	step P $p "$N"
done
for c in 1 2; do
	sustained $c
done
scaling T
kill -INT $tool
wait $tool || { cat /tmp/cp.err; exit 1; }
rmmod connprobe
# module alone, between untraced runs, 3 rounds: the host's other load
# moves wall-clock rates by tens of percent within a minute
for k in 1 2 3; do
	insmod /connprobe.ko || exit 1
	echo flight >$D/mode || exit 1
	scaling M
	rmmod connprobe
	scaling U
done
