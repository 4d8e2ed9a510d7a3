#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a Debian kernel under QEMU (TCG, no NIC, serial console) from a
# busybox initramfs holding connprobe.ko, the tool and the selftests, run a
# guest script in it and judge the run: the script's exit status, and a guest
# kernel that stayed healthy (no oops, BUG, WARN, lockdep or KASAN report,
# no taint but the out-of-tree/unsigned module ones, no hang).
#
# usage: scripts/vm-run.sh [-k LINE | -K KDIR] [-c CPUS] [-m MIB] [-t SECONDS]
#                          [-l LOG] [-I | -P] SCRIPT
#   SCRIPT runs as /run.sh inside the guest; its output reaches stdout.
#   The module is built for LINE (6.1 by default) first.
#   -K KDIR: a kernel built here instead (scripts/debug-kernel.sh): the
#   module is built against the tree KDIR, which boots KDIR's bzImage.
#   -m: the guest's memory in MiB, 1024 by default (KASAN needs more).
#   -I: one vCPU under QEMU's instruction counting, for benchmarks: guest
#   time then advances 1 ns per instruction and repeats run after run.
#   The vCPUs (2 by default) take turns on one host thread (TCG
#   thread=single): the guest is SMP, with IPIs and preemption between
#   CPUs, but QEMU 7.2's multi-threaded TCG lets a vCPU run an int3 that
#   text_poke_bp() has already taken out, which kills the guest when
#   kprobes or tracepoints are switched under load, connprobe loaded or
#   not (scripts/guest/tcg-int3.sh).
#   -P: a host thread per vCPU (multi-threaded TCG), for what needs the
#   vCPUs to run at once (the loss-rate benchmark, that reproducer).
#   VM_EXTRA_FILES="SRC:DST ...": more files for the initramfs, DST a path
#   in the guest (e.g. /bin/connect_loop); unset, nothing more.
#   VM_APPEND: more for the guest kernel's command line; a NAME=VALUE the
#   kernel does not know reaches the guest script as an environment
#   variable (e.g. VM_APPEND=STRESS_CYCLES=5).
#   VM_HANG_GRACE: seconds QEMU may run on once the guest kernel reported
#   a hung task (the guest's init sets a 30 s hung-task timeout), 90 by
#   default: time for the guest to report the hang itself, after which
#   QEMU is ended rather than left to the timeout.  A guest whose script
#   has ended but that has not powered off 30 s later is ended too.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

line=6.1 kdir='' cpus=2 mem=1024 timeout=600 log='' accel=tcg,thread=single
while getopts k:K:c:m:t:l:IP opt; do
	case $opt in
	k) line=$OPTARG ;;
	K) kdir=$OPTARG ;;
	c) cpus=$OPTARG ;;
	m) mem=$OPTARG ;;
	t) timeout=$OPTARG ;;
	l) log=$OPTARG ;;
	I) accel="tcg,thread=single -icount shift=0" cpus=1 ;;
	P) accel=tcg,thread=multi ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
script=${1:?usage: vm-run.sh [-k LINE | -K KDIR] [-c CPUS] [-m MIB] [-t SECONDS] [-l LOG] [-I | -P] SCRIPT}

if [ -n "$kdir" ]; then
	kdir=$(cd "$kdir" && pwd)
	vmlinuz=$kdir/arch/x86/boot/bzImage
	line=$kdir
else
	vmlinuz=$("$top/scripts/kernel.sh" vmlinuz "$line")
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A tree of its own: runs at the same time do not share objects.
ko=$("$top/scripts/build-module.sh" "$line" "$work/kbuild")
root=$work/root
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,selftests}
cp /bin/busybox "$root/bin/busybox"
cp "$top/scripts/guest/init" "$root/init"
cp "$script" "$root/run.sh"
cp "$ko" "$root/connprobe.ko"
# Absent until built: a guest script that needs it fails on its own.
[ ! -x "$top/tools/connprobe/connprobe" ] ||
	cp "$top/tools/connprobe/connprobe" "$root/bin/connprobe"
[ ! -x "$top/tools/connect-mix/connect_mix" ] ||
	cp "$top/tools/connect-mix/connect_mix" "$root/bin/connect_mix"
cp "$top/scripts/guest/"*.sh "$root/" 2>/dev/null || true
if [ -f "$top/selftests/TESTS" ]; then
	cp "$top/selftests/TESTS" "$root/selftests/"
	while read -r t; do
		[ -z "$t" ] || [ ! -e "$top/selftests/$t" ] ||
			cp "$top/selftests/$t" "$root/selftests/"
	done < "$top/selftests/TESTS"
fi
for p in hold_connects stress_load torture; do
	[ ! -x "$top/selftests/$p" ] || cp "$top/selftests/$p" "$root/selftests/"
done
for f in ${VM_EXTRA_FILES:-}; do
	mkdir -p "$root/$(dirname "${f#*:}")"
	cp -L "${f%%:*}" "$root/${f#*:}"
done
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initrd.gz"

[ -n "$log" ] || log=$work/console.log
: >"$log"
hang_grace=${VM_HANG_GRACE:-90}

# watch_guest: end QEMU where the guest cannot end it itself:
# hang_grace seconds after the guest kernel reported a hung task (time for
# a guest that watches for hangs to report and power off by itself), or
# 30 s after the guest script's end if poweroff has not come by then (a
# hung task can block it: CPU hotplug's lock).  A deadlock then costs
# minutes, not the VM's timeout.  Returns when QEMU has gone.
watch_guest() {
	local pid='' hung='' ended='' now
	while sleep 2; do
		[ -n "$pid" ] || pid=$(cat "$work/qemu.pid" 2>/dev/null) || true
		[ -n "$pid" ] || continue
		kill -0 "$pid" 2>/dev/null || return 0
		now=$(date +%s)
		if [ -z "$hung" ] && grep -q 'INFO: task .* blocked' "$log"; then
			hung=$now
		fi
		if [ -z "$ended" ] && grep -q '^@@GUEST-TAINT' "$log"; then
			ended=$now
		fi
		if [ -n "$ended" ] && [ $((now - ended)) -ge 30 ]; then
			echo "vm-run: the guest did not power off within 30s of its end; QEMU ended" >&2
			kill "$pid" 2>/dev/null || true
			return 0
		fi
		if [ -n "$hung" ] && [ $((now - hung)) -ge "$hang_grace" ]; then
			echo "vm-run: the guest reported a hung task; QEMU ended ${hang_grace}s later" >&2
			kill "$pid" 2>/dev/null || true
			return 0
		fi
	done
}
watch_guest &
watcher=$!

# -no-reboot with panic=-1: a guest panic ends QEMU at once.  The pipeline
# fails when QEMU does (a timeout, a kill): its status is read on that
# branch, which set -e does not end the script on, so that a VM that did
# not finish is still reported and its console still scanned.  sed -u,
# not tr: the console reaches the log (and watch_guest) line by line, not
# 4 KiB at a time, which a quiet guest takes minutes to fill.
qemu_rc=0
# shellcheck disable=SC2086
timeout -k 10 "$timeout" qemu-system-x86_64 -accel $accel -m "$mem" -smp "$cpus" \
	-nic none -nographic -no-reboot -kernel "$vmlinuz" \
	-initrd "$work/initrd.gz" -pidfile "$work/qemu.pid" \
	-append "console=ttyS0 loglevel=5 panic=-1 ${VM_APPEND:-}" </dev/null |
	sed -u 's/\r//g' | tee "$log" |
	sed -u -n '/^@@GUEST-START/,/^@@GUEST-RC/p' || qemu_rc=${PIPESTATUS[0]}
kill "$watcher" 2>/dev/null || true
wait "$watcher" 2>/dev/null || true

fail=0
if [ "$qemu_rc" = 124 ] || [ "$qemu_rc" = 137 ]; then
	echo "vm-run: the VM did not finish within ${timeout}s" >&2
	fail=1
fi
rc=$(sed -n 's/^@@GUEST-RC \([0-9]*\)$/\1/p' "$log")
if [ -z "$rc" ]; then
	echo "vm-run: the guest script never finished (crash or hang)" >&2
	fail=1
elif [ "$rc" != 0 ]; then
	echo "vm-run: the guest script exited $rc" >&2
	fail=1
fi
taint=$(sed -n 's/^@@GUEST-TAINT \([0-9]*\)$/\1/p' "$log")
# Loading any out-of-tree (4096), unsigned (8192) module taints; else none.
if [ -n "$taint" ] && [ $((taint & ~(4096 | 8192))) != 0 ]; then
	echo "vm-run: the guest kernel is tainted ($taint)" >&2
	fail=1
fi
# "unreferenced object" heads each leak kmemleak lists (a guest script
# that prints /sys/kernel/debug/kmemleak); its other lines name no checker.
if grep -nE 'Oops|BUG:|WARNING:|Call Trace|Kernel panic|general protection|KASAN|UBSAN|kmemleak|unreferenced object|possible recursive locking|circular locking|INFO: task .* blocked' "$log" >&2; then
	echo "vm-run: the guest kernel reported a problem (above)" >&2
	fail=1
fi
exit "$fail"
