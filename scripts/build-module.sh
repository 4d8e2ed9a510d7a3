#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build connprobe.ko for one Debian kernel line in build/<release>/, so that
# modules for several kernels live side by side.
#
# usage: scripts/build-module.sh [LINE]    prints the path of the .ko
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
line=${1:-6.1}
rel=$("$top/scripts/kernel.sh" release "$line")
out=$top/build/$rel
mkdir -p "$out"
cp "$top/Kbuild" "$out/"
rm -rf "$out/module"
cp -r "$top/module" "$out/module"
# shellcheck disable=SC2086
make -C "/usr/src/linux-headers-$rel" M="$out" W=1 ${CONNPROBE_KBUILD_FLAGS:-} \
	modules >&2
echo "$out/module/connprobe.ko"
