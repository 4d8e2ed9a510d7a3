#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of make demo: the tool streams its table while a small mix of
# connects runs, then the counters, then a latency heat map of a larger mix
# (its SVG on the console), then the module goes away.
insmod /connprobe.ko || exit 1
connprobe --duration 8 &
tool=$!
sleep 1
connect_mix 2 || exit 1
wait $tool || exit 1
echo
connprobe stats || exit 1
# The heat map: a capture of twenty rounds, drawn; the SVG goes out on the
# console between markers, for the host to keep (scripts/demo.sh).
connprobe record -o /tmp/demo.data --duration 8 2>/dev/null &
tool=$!
sleep 1
connect_mix 20 >/dev/null || exit 1
wait $tool || exit 1
connprobe report -i /tmp/demo.data --heatmap /tmp/demo.svg || exit 1
echo @@SVG-START
cat /tmp/demo.svg
echo @@SVG-END
rmmod connprobe
