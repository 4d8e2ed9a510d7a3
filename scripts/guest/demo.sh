#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of make demo: the tool streams its table while a small mix of
# connects runs, then the counters, then the module goes away.
insmod /connprobe.ko || exit 1
connprobe --duration 8 &
tool=$!
sleep 1
connect_mix 2 || exit 1
wait $tool || exit 1
echo
connprobe stats || exit 1
rmmod connprobe
