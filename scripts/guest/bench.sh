#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of make bench, in a one-vCPU VM under instruction counting
# (guest ns = instructions): the write path per record, relay against the
# tracing ring buffer, best of three; then the tool draining a buffer that
# connect_mix filled, to /dev/null as JSON, as records per (guest) second.
insmod /connprobe.ko buf_size=67108864 || exit 1
cd /sys/kernel/debug/connprobe || exit 1
for _ in 1 2 3; do
	echo 200000 > bench || exit 1
	cat bench
done
# Guest time in ns (busybox's date has no %N; /proc/uptime counts
# centiseconds, 10 M instructions here, 50 a record of the drain).
now() {
	if [ -r /proc/timer_list ]; then
		sed -n 's/^now at \([0-9]*\) nsecs$/\1/p' /proc/timer_list
	else
		read -r up _ </proc/uptime
		echo "${up%.*}${up#*.}0000000"
	fi
}

n=200000
connect_mix udp $n || exit 1
t0=$(now)
connprobe --json --duration 0.001 >/dev/null 2>/tmp/err || exit 1
t1=$(now)
read -r got _ </tmp/err
echo "tool records $got ns $((t1 - t0))"
