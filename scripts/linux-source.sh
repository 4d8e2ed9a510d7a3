#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unpack files from Debian's linux-source-LINE tarball into a cache outside
# the repo (no kernel source is copied into connprobe), once, and print the
# directory they are under.
#
# usage: scripts/linux-source.sh [-k LINE] PATH...   e.g. scripts/checkpatch.pl
#   LINE is a kernel line of scripts/kernel.sh lines, 6.1 by default; its
#   tarball is where scripts/kernel.sh source says (a chroot's, for a line
#   the host has no packages of).  A PATH that is a directory is unpacked
#   whole.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${CONNPROBE_CACHE:-/var/cache/connprobe}
line=6.1
while getopts k: opt; do
	case $opt in
	k) line=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
tarball=$("$top/scripts/kernel.sh" source "$line")
name=$(basename "$tarball" .tar.xz)	# linux-source-6.12
# The host's lines unpack to linux-source-6.1, as they always did; a
# chroot's line gets its release's name first (trixie's 6.12 is not
# bookworm's).
suite=$("$top/scripts/kernel.sh" suite "$line")
dir=$cache/$name
[ "$suite" = bookworm ] || dir=$cache/$suite-$name
todo=()
for f in "$@"; do
	[ -e "$dir/$f" ] || todo+=("$name/$f")
done
if [ ${#todo[@]} -gt 0 ]; then
	mkdir -p "$dir"
	tar -xJf "$tarball" -C "$dir" --strip-components=1 "${todo[@]}"
fi
echo "$dir"
