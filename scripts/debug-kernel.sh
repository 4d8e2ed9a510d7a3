#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the debug kernel of `make check-debug`: Debian's source of a kernel
# line (linux-source-LINE) with the configuration of Debian's cloud kernel of
# that line plus scripts/debug.config (KASAN, lockdep, kmemleak, UBSAN, ...),
# in a cache outside the repo.  Only bzImage and what building an external
# module needs (modules_prepare, the symbols of vmlinux) are built; the tree
# is rebuilt only when the source package or the fragment changed.  Prints
# the tree's directory: a KDIR for scripts/build-module.sh, with the image at
# arch/x86/boot/bzImage (scripts/vm-run.sh -K takes it).
#
# usage: scripts/debug-kernel.sh [LINE]      LINE: 6.1 (the default)
# A first build takes about half an hour on two cores; its log is
# build.log in the tree's parent directory.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${CONNPROBE_CACHE:-/var/cache/connprobe}
line=${1:-6.1}
frag=$top/scripts/debug.config
tarball=/usr/src/linux-source-$line.tar.xz
base=$cache/debug-$line
tree=$base/linux-source-$line

rel=$("$top/scripts/kernel.sh" release "$line")
srcver=$(dpkg-query -W -f='${Version}' "linux-source-$line")
key=$(printf '%s\n' "linux-source-$line $srcver" "base config $rel" |
      cat - "$frag" | sha256sum | cut -d' ' -f1)

mkdir -p "$base"
exec 9>"$base/.lock"
flock 9
if [ "$(cat "$base/stamp" 2>/dev/null)" = "$key" ] &&
   [ -s "$tree/arch/x86/boot/bzImage" ]; then
	echo "$tree"
	exit 0
fi

log=$base/build.log
echo "debug-kernel: building $line ($srcver) in $tree, log in $log" >&2
rm -f "$base/stamp"
start=$(date +%s)
{
	# A changed source package or fragment: start from a clean tree.
	if [ "$(cat "$base/source" 2>/dev/null)" != "$srcver" ]; then
		rm -rf "$tree"
		tar -xJf "$tarball" -C "$base"
		echo "$srcver" > "$base/source"
	fi
	cp "/usr/src/linux-headers-$rel/.config" "$tree/.config"
	# Each line of the fragment through scripts/config.
	args=()
	while read -r l; do
		case $l in
		"# CONFIG_"*" is not set")
			o=${l#\# CONFIG_}; args+=(--disable "${o% is not set}") ;;
		CONFIG_*=y) o=${l#CONFIG_}; args+=(--enable "${o%=y}") ;;
		CONFIG_*=\"*) o=${l#CONFIG_}; v=${o#*=}; v=${v#\"}
			args+=(--set-str "${o%%=*}" "${v%\"}") ;;
		CONFIG_*=*) o=${l#CONFIG_}; args+=(--set-val "${o%%=*}" "${o#*=}") ;;
		esac
	done < "$frag"
	(cd "$tree" && scripts/config "${args[@]}" && make olddefconfig)
} >"$log" 2>&1 || { cat "$log" >&2; exit 1; }

# An option the kernel's dependencies refused would make a silently weaker
# debug kernel: check that each one is as asked.
bad=0
while read -r l; do
	case $l in
	"# CONFIG_"*" is not set")
		o=${l#\# }; o=${o% is not set}
		if grep -q "^$o=" "$tree/.config"; then
			echo "debug-kernel: $o is still set" >&2; bad=1
		fi ;;
	CONFIG_*=*)
		if ! grep -qxF "$l" "$tree/.config"; then
			echo "debug-kernel: wanted $l, got:" \
			     "$(grep "^${l%%=*}=" "$tree/.config" || echo unset)" >&2
			bad=1
		fi ;;
	esac
done < "$frag"
[ "$bad" = 0 ] || exit 1

jobs=$(nproc)
if ! (cd "$tree" && nice -n 10 make -j"$jobs" bzImage modules_prepare) \
		>>"$log" 2>&1; then
	tail -n 50 "$log" >&2
	echo "debug-kernel: the build failed, see $log" >&2
	exit 1
fi
# External modules resolve symbols against Module.symvers, which only
# `make modules` writes; vmlinux's part of it is enough for connprobe.
cp "$tree/vmlinux.symvers" "$tree/Module.symvers"
echo "$key" > "$base/stamp"
echo "debug-kernel: built in $(( $(date +%s) - start ))s" >&2
echo "$tree"
