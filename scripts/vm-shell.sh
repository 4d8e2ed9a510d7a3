#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run shell commands in the test VM with connprobe loaded: for trying
# things by hand.  The initramfs holds the tool as /bin/connprobe and the
# selftests named in selftests/TESTS under /selftests/.
#
# usage: scripts/vm-shell.sh [-k LINE] [-c CPUS] 'COMMANDS'
#   e.g. scripts/vm-shell.sh '/selftests/connect_outcomes; connprobe stats'
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
args=()
while getopts k:c: opt; do
	case $opt in
	k|c) args+=("-$opt" "$OPTARG") ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
script=$(mktemp)
trap 'rm -f "$script"' EXIT
printf 'insmod /connprobe.ko || exit 1\n%s\n' "$*" > "$script"
"$top/scripts/vm-run.sh" "${args[@]}" -t 600 "$script"
