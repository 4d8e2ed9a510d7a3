#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of `make check-debug` (scripts/check-debug.sh), in the debug
# kernel: one part of the tests, DEBUG_PART from the kernel command line
# (selftests: /selftests.sh; stress: /stress.sh; torture: /torture.sh),
# then, the module unloaded, memory leak scans until they agree (see
# below).  Leaks the boot left are set aside first (scan, then clear);
# what the scans list afterwards is printed.  A leak attributable to
# connprobe (its name in a frame or as the allocating task's, or a frame
# in code gone with the module, which no symbol names any more) is
# printed as kmemleak lists it, which fails the run (vm-run.sh greps for
# it), and counts as a failure; the others are shown with their first
# line reworded, as figures.

L=/sys/kernel/debug/kmemleak
rc=0

# Without kmemleak (a kernel not built by debug-kernel.sh) the part still
# runs; only the scan fails.
if [ -e $L ]; then
	echo scan >$L
	echo clear >$L
fi

t0=$(cut -d' ' -f1 /proc/uptime)
case ${DEBUG_PART:-} in
selftests) sh /selftests.sh || rc=1 ;;
stress) sh /stress.sh || rc=1 ;;
torture) sh /torture.sh || rc=1 ;;
*)
	echo "not ok - check-debug: unknown DEBUG_PART '${DEBUG_PART:-}'"
	exit 1 ;;
esac
t1=$(cut -d' ' -f1 /proc/uptime)
echo "# $DEBUG_PART took $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s in the guest"

if grep -q '^connprobe ' /proc/modules; then
	echo "# the module was still loaded: rmmod"
	rmmod connprobe || rc=1
fi
if [ ! -e $L ]; then
	echo "not ok - leak scan after $DEBUG_PART: this kernel has no leak detector"
	exit 1
fi
# A leak is what the scans still list once the kernel has stopped freeing.
# Under the stress load this VM runs RCU callbacks far behind: when the load
# stops, the slab still holds the files and inodes of most sockets closed
# under it and the kretprobe instance pools of earlier unloads, freed by
# call_rcu() over the next seconds.  Meanwhile kmemleak lists those objects
# (7,335 seven seconds after a stress run, 226 a few seconds later, none
# from 15 s on).  So scan every 10 s until two scans in a row list the
# same number of objects (an object is listed once older than 5 s).
listed() { grep -c '^unreferenced object' $L; }
prev=-1 n=0 series='' waited=0
while [ $waited -lt 600 ]; do
	sleep 10
	waited=$((waited + 10))
	echo scan >$L
	n=$(listed)
	series="$series $n"
	[ "$n" != "$prev" ] || break
	prev=$n
done
echo "# leak scans 10 s apart listed:$series"
cat $L >/tmp/leaks

# no_module_leak: print what the scan listed; true if none is the module's.
no_module_leak() {
	awk '
	function flush() {
		if (obj == "")
			return
		n++
		if (mine) {
			printf "%s", obj
			bad++
		} else {
			# Nothing vm-run.sh takes for a report (a frame may be
			# kmemleak_alloc()): these are figures, judged by a human.
			sub(/^unreferenced object/, "# not the module'"'"'s: object", obj)
			gsub(/kmemleak/, "kmleak", obj)
			gsub(/\n/, "\n# ", obj)
			sub(/# $/, "", obj)
			printf "%s", obj
		}
		obj = ""
		mine = 0
	}
	/^unreferenced object/ { flush() }
	{
		obj = obj $0 "\n"
		if ($0 ~ /connprobe/ || $0 ~ /\] 0x[0-9a-f]+$/)
			mine = 1
	}
	END {
		flush()
		printf "# leak scan: %d objects listed, %d attributable to the module\n", n, bad
		exit (bad > 0)
	}' /tmp/leaks
}

if no_module_leak; then
	echo "ok - leak scan after $DEBUG_PART and rmmod: nothing of the module's"
else
	echo "not ok - leak scan after $DEBUG_PART and rmmod: nothing of the module's"
	rc=1
fi
exit $rc
