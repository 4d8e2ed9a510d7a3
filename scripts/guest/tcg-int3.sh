#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A reproducer, without connprobe, of why vm-run.sh runs its vCPUs on one
# host thread: the kernel's own tracing switched on and off (the sites
# patched with int3, text_poke_bp()) while 16 threads connect.  Under QEMU
# 7.2's multi-threaded TCG a vCPU can still run such an int3 after the
# patching is over and poke_int3_handler() no longer claims it.
#   INT3_SITE=kprobe (default): ftrace kretprobe events on __sys_connect and
#     __sys_connect_file.  kprobe_int3_handler() then finds the ftrace-based
#     kprobe there, whose copied instruction is NULL, and jumps to it:
#     "BUG: kernel NULL pointer dereference", RIP 0, IF clear, called from
#     __sys_connect().  Debian's 6.1 dies of it within seconds with 2 vCPUs.
#   INT3_SITE=tracepoint: the sock:inet_sock_set_state event (a static key
#     and a static call).  6.12 dies of "Oops: int3" within a minute.
#   scripts/vm-run.sh -P -k 6.1 -c 2 scripts/guest/tcg-int3.sh     (dies)
#   scripts/vm-run.sh -k 6.1 -c 2 scripts/guest/tcg-int3.sh     (survives)
# Exit 0 after CYCLES (default 200) toggles without a crash.
mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
T=/sys/kernel/tracing
case ${INT3_SITE:-kprobe} in
kprobe)
	echo 'r:cp_int3_a __sys_connect' >>$T/kprobe_events
	echo 'r:cp_int3_b __sys_connect_file' >>$T/kprobe_events
	E=$T/events/kprobes/enable
	;;
tracepoint)
	E=$T/events/sock/inet_sock_set_state/enable
	;;
*)
	echo "tcg-int3: INT3_SITE is kprobe or tracepoint" >&2
	exit 2
	;;
esac
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
echo "# ${INT3_SITE:-kprobe}: $i toggles survived; $(cat /tmp/load.out)"
