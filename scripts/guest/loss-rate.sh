#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the loss-rate part of make bench-vm: on the normal
# multi-vCPU guest (plain TCG, wall-clock time), the connect rate at which
# connprobe starts to lose records with the default buffer size.  The tool
# streams JSON to /dev/null while P copies of the cheapest connect loop
# (connect_loop unreach: one record a call) run at once, P = 1, 2, 4, 8.
# Prints one line a step:
#   P procs N connects T s RATE/s written W lost L
D=/sys/kernel/debug/connprobe
N=${N:-20000}

total() { # FIELD: the "total" line's value after FIELD
	awk -v f="$1" '$1 == "total" { for (i = 2; i < NF; i++) if ($i == f) print $(i + 1) }' $D/stats
}

insmod /connprobe.ko || exit 1
connprobe --json >/dev/null 2>/tmp/cp.err &
tool=$!
sleep 1
for p in 1 2 4 8; do
	w0=$(total written) l0=$(total lost)
	t0=$(cut -d' ' -f1 /proc/uptime)
	i=0 pids=
	while [ $i -lt $p ]; do
		connect_loop unreach "$N" >/dev/null &
		pids="$pids $!"
		i=$((i + 1))
	done
	# shellcheck disable=SC2086
	wait $pids
	t1=$(cut -d' ' -f1 /proc/uptime)
	# the tool catches up before the counts are read
	sleep 1
	w1=$(total written) l1=$(total lost)
	awk -v p="$p" -v n=$((p * N)) -v a="$t0" -v b="$t1" \
		-v w=$((w1 - w0)) -v l=$((l1 - l0)) 'BEGIN {
		printf "P %d procs %d connects %.2f s %d/s written %d lost %d\n",
			p, n, b - a, n / (b - a), w, l }'
done
kill -INT $tool
wait $tool || { cat /tmp/cp.err; exit 1; }
rmmod connprobe
