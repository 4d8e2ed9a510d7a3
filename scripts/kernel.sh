#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Which Debian kernel the VM tests use, and where its pieces are.
#
# usage: scripts/kernel.sh lines           the LTS lines connprobe supports
#        scripts/kernel.sh rt-lines        those with a PREEMPT_RT flavour
#        scripts/kernel.sh kdir [LINE]     build tree of the newest LINE headers
#        scripts/kernel.sh release [LINE]  its release, e.g. 6.1.0-56-cloud-amd64
#        scripts/kernel.sh vmlinuz [LINE]  path of its bzImage, fetched once
# LINE is an LTS line, 6.1 (default) or 6.12, of Debian's cloud kernel, or
# LINE-rt for Debian's PREEMPT_RT kernel of that line (6.1-rt: the headers
# linux-headers-6.1.*-rt-amd64, the image of linux-image-<release>).
set -euo pipefail

# Every kernel line is built, linted and tested in the VM by make check.
lines="6.1 6.12"
# Of those, the lines whose PREEMPT_RT kernel make check runs the VM
# selftests on too (Debian 12 has no 6.12-rt).
rt_lines="6.1"

cache=${CONNPROBE_CACHE:-/var/cache/connprobe}
cmd=${1:?usage: kernel.sh lines|rt-lines|kdir|release|vmlinuz [LINE]}
line=${2:-6.1}

release() {
	local dir ver=$line flavour=cloud-amd64
	case $line in
	*-rt) ver=${line%-rt} flavour=rt-amd64 ;;
	esac
	# Debian names the trees 6.1.0-56-cloud-amd64 but
	# 6.12.117+deb12-cloud-amd64; "$ver." keeps 6.1 from matching 6.12.
	dir=$(ls -d /usr/src/linux-headers-"$ver".*-"$flavour" 2>/dev/null |
	      sort -V | tail -n 1)
	if [ -z "$dir" ]; then
		echo "kernel.sh: no linux-headers-$ver.*-$flavour installed" \
		     "(run scripts/install-deps.sh)" >&2
		exit 1
	fi
	echo "${dir#/usr/src/linux-headers-}"
}

case $cmd in
lines)
	echo "$lines"
	;;
rt-lines)
	echo "$rt_lines"
	;;
kdir)
	echo "/usr/src/linux-headers-$(release)"
	;;
release)
	release
	;;
vmlinuz)
	rel=$(release)
	img=$cache/$rel/vmlinuz
	if [ ! -s "$img" ]; then
		# The image package is unpacked, not installed: the host keeps
		# its own kernel and boot setup untouched.
		tmp=$(mktemp -d)
		trap 'rm -rf "$tmp"' EXIT
		(cd "$tmp" && apt-get download -q "linux-image-$rel" >&2)
		dpkg-deb -x "$tmp"/linux-image-"$rel"_*.deb "$tmp/root"
		mkdir -p "$cache/$rel"
		cp "$tmp/root/boot/vmlinuz-$rel" "$img.tmp"
		mv "$img.tmp" "$img"
	fi
	echo "$img"
	;;
*)
	echo "kernel.sh: unknown command '$cmd'" >&2
	exit 2
	;;
esac
