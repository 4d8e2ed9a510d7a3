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
#   A line whose headers live in a chroot (scripts/kernel.sh chroot LINE)
#   is built in there, its compiler and kbuild programs, OUTDIR mounted at
#   the same path.
# CONNPROBE_KBUILD_FLAGS adds kbuild flags (lint.sh: C=2).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
line=${1:-6.1}
in_chroot=()
case $line in
*/*)
	kdir=$(cd "$line" && pwd)
	rel=$(cat "$kdir/include/config/kernel.release") ;;
*)
	rel=$("$top/scripts/kernel.sh" release "$line")
	kdir=/usr/src/linux-headers-$rel
	suite=$("$top/scripts/kernel.sh" suite "$line")
	[ -z "$("$top/scripts/kernel.sh" chroot "$line")" ] ||
		in_chroot=("$top/scripts/chroot.sh" run "$suite" -b) ;;
esac
out=${2:-$top/build/$rel}
mkdir -p "$out"
out=$(cd "$out" && pwd)
[ ${#in_chroot[@]} = 0 ] || in_chroot+=("$out")
exec 9>"$out/.lock"
flock 9
cp "$top/Kbuild" "$out/"
rm -rf "$out/module"
cp -r "$top/module" "$out/module"
# The build's output goes to kbuild.log (lint.sh reads it), and to stderr
# only when the build fails.
# shellcheck disable=SC2086
if ! ${in_chroot[@]+"${in_chroot[@]}"} make -C "$kdir" M="$out" W=1 \
		${CONNPROBE_KBUILD_FLAGS:-} modules >"$out/kbuild.log" 2>&1; then
	cat "$out/kbuild.log" >&2
	exit 1
fi
echo "$out/module/connprobe.ko"
