#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unpack files from Debian's linux-source-6.1 tarball into a cache outside
# the repo (no kernel source is copied into connprobe), once, and print the
# directory they are under.
#
# usage: scripts/linux-source.sh PATH...   e.g. scripts/checkpatch.pl
set -euo pipefail
cache=${CONNPROBE_CACHE:-/var/cache/connprobe}
tarball=/usr/src/linux-source-6.1.tar.xz
dir=$cache/linux-source-6.1
todo=()
for f in "$@"; do
	[ -e "$dir/$f" ] || todo+=("linux-source-6.1/$f")
done
if [ ${#todo[@]} -gt 0 ]; then
	mkdir -p "$cache"
	tar -xJf "$tarball" -C "$cache" "${todo[@]}"
fi
echo "$dir"
