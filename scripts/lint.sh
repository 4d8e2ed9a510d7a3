#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lint the kernel side: checkpatch.pl --strict (from linux-source-6.1) on
# every kernel source file, and a sparse (C=2) W=1 build that must print no
# warning.  Prints one TAP line per check.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

src=$(scripts/linux-source.sh scripts/checkpatch.pl scripts/spelling.txt \
	scripts/const_structs.checkpatch) || exit 1

files=$(git ls-files 'module/*.c' 'module/*.h' 2>/dev/null)
[ -n "$files" ] || files=$(find module -name '*.[ch]' ! -name '*.mod.c')
# shellcheck disable=SC2086
if out=$(perl "$src/scripts/checkpatch.pl" --strict --no-tree --terse \
		--show-types -f $files 2>&1); then
	echo "ok - lint: checkpatch.pl --strict"
else
	echo "$out" | sed 's/^/# /'
	echo "not ok - lint: checkpatch.pl --strict"
fi

ko=$(CONNPROBE_KBUILD_FLAGS="C=2" scripts/build-module.sh)
rc=$?
out=$(cat "$(dirname "$(dirname "$ko")")/kbuild.log" 2>/dev/null)
warn=$(echo "$out" | grep -E 'warning|error' | grep -v 'Skipping BTF')
checked=$(echo "$out" | grep -c '^  CHECK ')
if [ $rc = 0 ] && [ -z "$warn" ] && [ "$checked" -gt 0 ]; then
	echo "ok - lint: sparse and W=1 build without warnings"
else
	echo "$out" | sed 's/^/# /'
	echo "not ok - lint: sparse and W=1 build without warnings"
fi
