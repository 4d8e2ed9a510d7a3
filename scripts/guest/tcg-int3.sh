#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A reproducer, without connprobe: the kernel's own sock:inet_sock_set_state
# trace event switched on and off (its static key and static call patched
# with int3, text_poke_bp()) while 16 threads connect.  Under QEMU TCG with
# 2 vCPUs, Debian's 6.12 dies of "Oops: int3" at a patched site within a
# minute here (QEMU 7.2); 6.1 ran 15 minutes of it without one.  This is
# why `make stress` boots 6.12 with one vCPU: connprobe registers that
# tracepoint at every insmod.
#   scripts/vm-run.sh -k 6.12 -c 2 scripts/guest/tcg-int3.sh
# Exit 0 after CYCLES (default 200) toggles without a crash.
mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
E=/sys/kernel/tracing/events/sock/inet_sock_set_state/enable
/selftests/stress_load connect 16 3600 >/tmp/load.out 2>&1 &
load=$!
sleep 1
i=0
while [ $i -lt "${CYCLES:-200}" ]; do
	echo 1 >$E
	sleep 0.05
	echo 0 >$E
	i=$((i + 1))
	[ $((i % 20)) != 0 ] || echo "# toggle $i"
done
kill $load
wait $load
echo "# $i toggles survived; $(cat /tmp/load.out)"
