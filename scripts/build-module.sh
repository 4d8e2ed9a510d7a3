#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build connprobe.ko for one Debian kernel line in its own tree, by default
# build/<release>/, so that modules for several kernels live side by side.
# Builds of the same tree wait for each other (flock): two at once would
# clobber each other's objects.
#
# usage: scripts/build-module.sh [LINE|KDIR [OUTDIR]]  prints the path of the .ko
#   LINE is a kernel line of scripts/kernel.sh (6.1 by default); a path
#   with a slash is a kernel build tree instead (e.g. the debug kernel of
#   scripts/debug-kernel.sh).
# CONNPROBE_KBUILD_FLAGS adds kbuild flags (lint.sh: C=2).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
line=${1:-6.1}
case $line in
*/*)
	kdir=$(cd "$line" && pwd)
	rel=$(cat "$kdir/include/config/kernel.release") ;;
*)
	rel=$("$top/scripts/kernel.sh" release "$line")
	kdir=/usr/src/linux-headers-$rel ;;
esac
out=${2:-$top/build/$rel}
mkdir -p "$out"
exec 9>"$out/.lock"
flock 9
cp "$top/Kbuild" "$out/"
rm -rf "$out/module"
cp -r "$top/module" "$out/module"
# The build's output goes to kbuild.log (lint.sh reads it), and to stderr
# only when the build fails.
# shellcheck disable=SC2086
if ! make -C "$kdir" M="$out" W=1 \
		${CONNPROBE_KBUILD_FLAGS:-} modules >"$out/kbuild.log" 2>&1; then
	cat "$out/kbuild.log" >&2
	exit 1
fi
echo "$out/module/connprobe.ko"
