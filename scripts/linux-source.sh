#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unpack files from Debian's linux-source-LINE tarball into a cache outside
# the repo (no kernel source is copied into connprobe), once, and print the
# directory they are under.
#
# usage: scripts/linux-source.sh [-k LINE] PATH...   e.g. scripts/checkpatch.pl
#   LINE is a kernel line of scripts/kernel.sh lines, 6.1 by default.
set -euo pipefail
cache=${CONNPROBE_CACHE:-/var/cache/connprobe}
line=6.1
while getopts k: opt; do
	case $opt in
	k) line=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
tarball=/usr/src/linux-source-$line.tar.xz
dir=$cache/linux-source-$line
todo=()
for f in "$@"; do
	[ -e "$dir/$f" ] || todo+=("linux-source-$line/$f")
done
if [ ${#todo[@]} -gt 0 ]; then
	mkdir -p "$cache"
	tar -xJf "$tarball" -C "$cache" "${todo[@]}"
fi
echo "$dir"
