#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# LTTng's kernel modules for the VM kernel of a line (make bench-vm's LTTng
# rows), built once from Debian's lttng-modules-dkms source and kept in the
# cache beside that kernel (scripts/kernel.sh's cache), keyed by the
# package's version and the kernel's release:
#   $cache/<release>/lttng-modules-<version>/lib/modules/<release>/extra/*.ko
# depmod'ed there, a tree that goes into the initramfs as it is.
#
# usage: scripts/lttng.sh [LINE]   prints that tree's root (LINE: 6.1 by
#                                  default; a line of kernel.sh host-lines)
# When lttng-modules does not build for the kernel (a kernel newer than the
# release knows), it prints why instead, on one line, and exits 3: the
# caller goes without LTTng then.  Any other failure exits 1.
#
# The package is downloaded and unpacked, not installed: installed, DKMS
# would build it at once for every kernel whose headers the host has, and
# again for each one installed later, for nothing but this benchmark (and
# 2.13.9 fails on 6.1's, below).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
line=${1:-6.1}
cache=${CONNPROBE_CACHE:-/var/cache/connprobe}

if [ -n "$("$top/scripts/kernel.sh" chroot "$line")" ]; then
	echo "lttng.sh: $line's headers are in a chroot; only the host's lines" \
	     "(kernel.sh host-lines) are built" >&2
	exit 1
fi
rel=$("$top/scripts/kernel.sh" release "$line")
kdir=$("$top/scripts/kernel.sh" kdir "$line")
ver=$(apt-cache show --no-all-versions lttng-modules-dkms 2>/dev/null |
      sed -n 's/^Version: //p' | head -n 1)
if [ -z "$ver" ]; then
	echo "lttng.sh: apt knows no lttng-modules-dkms (apt-get update?)" >&2
	exit 1
fi
out=$cache/$rel/lttng-modules-$ver
if [ ! -d "$out" ]; then
	mkdir -p "$cache/$rel"
	# One build at a time; the tree appears whole (mv) or not at all.
	exec 9>"$cache/$rel/lttng-modules.lock"
	flock 9
fi
if [ -d "$out" ]; then
	echo "$out"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# As root into a directory of root's: apt's _apt user could not write it.
(cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root \
	"lttng-modules-dkms=$ver" >&2)
dpkg-deb -x "$tmp"/lttng-modules-dkms_*.deb "$tmp/pkg"
src=$(echo "$tmp"/pkg/usr/src/lttng-modules-*)

# Debian's 6.1.0-57 (6.1.192) gave the hrtimer_start tracepoint a third
# argument, bool was_armed; lttng-modules 2.13.9's probe still has two and
# does not compile ("conflicting types for trace_hrtimer_start").  The
# probe takes the argument and records nothing more.  Only where the
# kernel has it and this lttng-modules does not.
common=$(sed -n '1s/^include \(.*\)\/Makefile$/\1/p' "$kdir/Makefile")
ktimer=${common:-$kdir}/include/trace/events/timer.h
ltimer=$src/include/instrumentation/events/timer.h
if grep -q 'enum hrtimer_mode mode, bool was_armed' "$ktimer" &&
   ! grep -q was_armed "$ltimer"; then
	sed -i -e 's/^\(\tTP_PROTO(struct hrtimer \*hrtimer, enum hrtimer_mode mode\)),$/\1, bool was_armed),/' \
	       -e 's/^\(\tTP_ARGS(hrtimer, mode\)),$/\1, was_armed),/' "$ltimer"
	echo "lttng.sh: hrtimer_start's was_armed added to lttng-modules $ver's probe" >&2
fi

echo "lttng.sh: building lttng-modules $ver for $rel" >&2
if ! make -C "$kdir" M="$src" CONFIG_LTTNG=m -j"$(nproc)" modules \
		>"$tmp/build.log" 2>&1; then
	tail -n 20 "$tmp/build.log" >&2
	echo "lttng-modules $ver does not build for $rel:" \
	     "$(grep -m 1 'error:' "$tmp/build.log" | sed 's/.*error: //')"
	exit 3
fi
rm -rf "$out.tmp"
mkdir -p "$out.tmp/lib/modules/$rel/extra"
# Flat in extra/, as names are unique; without debug info, which would
# make the initramfs several times larger for nothing.
find "$src" -name '*.ko' -exec cp -t "$out.tmp/lib/modules/$rel/extra/" {} +
strip --strip-debug "$out.tmp/lib/modules/$rel/extra/"*.ko
# The kernel's own lists, empty: the guest loads no module but lttng's.
# Without them depmod leaves modules.builtin.bin empty, and libkmod, with
# which the session daemon loads the modules, takes no empty index ("Failed
# to load kmod library resources": no kernel tracer).
touch "$out.tmp/lib/modules/$rel/"modules.{order,builtin,builtin.modinfo}
depmod -b "$out.tmp" "$rel"
mv "$out.tmp" "$out"
echo "$out"
