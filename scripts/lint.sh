#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lint the kernel side, for every kernel line (scripts/kernel.sh lines):
# checkpatch.pl --strict from that line's linux-source on every kernel source
# file, and a sparse (C=2) W=1 build against that line's headers that must
# print no warning.  Then kernel-doc -none on every kernel-doc comment.
# Prints one TAP line per check.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# Tracked files and new ones not yet added; kbuild's output is ignored.
files=$(git ls-files --cached --others --exclude-standard \
	'module/*.c' 'module/*.h' 2>/dev/null)
[ -n "$files" ] || files=$(find module -name '*.[ch]' ! -name '*.mod.c')
compat=module/compat.h

# What checkpatch.pl needs of each line's source, unpacked in one pass of
# its tarball.
tools="scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch"

checkpatch() {
	local line=$1 src out rc=0
	local cp=(--strict --no-tree --terse --show-types)

	# shellcheck disable=SC2086
	if ! src=$(scripts/linux-source.sh -k "$line" $tools); then
		echo "not ok - lint: checkpatch.pl --strict of $line"
		return
	fi
	# Version tests belong in module/compat.h alone: checkpatch lets them
	# (and their "constant on the left" LINUX_VERSION_CODE < ...) pass
	# there, and keeps them out of every other file.
	# shellcheck disable=SC2046
	out=$(perl "$src/scripts/checkpatch.pl" "${cp[@]}" \
		-f $(echo "$files" | grep -vxF "$compat") 2>&1) || rc=1
	out+=$(perl "$src/scripts/checkpatch.pl" "${cp[@]}" \
		--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f "$compat" 2>&1) ||
		rc=1
	if [ $rc = 0 ]; then
		echo "ok - lint: checkpatch.pl --strict of $line"
	else
		echo "$out" | sed 's/^/# /'
		echo "not ok - lint: checkpatch.pl --strict of $line"
	fi
}

# Sparse must have checked every .c file: a kbuild that finds sparse
# missing or too old says so in a line without "warning" and builds on
# without it.
sparse_w1() {
	local line=$1 ko rc out warn checked sources

	ko=$(CONNPROBE_KBUILD_FLAGS="C=2" scripts/build-module.sh "$line")
	rc=$?
	out=$(cat "build/$(scripts/kernel.sh release "$line")/kbuild.log" \
		2>/dev/null)
	warn=$(echo "$out" | grep -E 'warning|error|not available|No such file' |
	       grep -v 'Skipping BTF')
	checked=$(echo "$out" | grep -c '^  CHECK ')
	sources=$(echo "$files" | grep -c '\.c$')
	if [ $rc = 0 ] && [ -n "$ko" ] && [ -z "$warn" ] &&
	   [ "$checked" = "$sources" ]; then
		echo "ok - lint: sparse ($checked files) and W=1 build for $line without warnings"
	else
		echo "$out" | sed 's/^/# /'
		echo "# sparse checked $checked of $sources .c files"
		echo "not ok - lint: sparse and W=1 build for $line without warnings"
	fi
}

# The newest line's kernel-doc: 6.1's knows no -Wall (missing Return:
# sections, short descriptions).  -Werror makes any warning fail the run.
# From 6.15 on, scripts/kernel-doc is a link to a Python rewrite in
# tools/, which brings its library along.
kernel_doc() {
	local line=$1 src out comments

	if ! src=$(scripts/linux-source.sh -k "$line" scripts/kernel-doc) ||
	   { [ -L "$src/scripts/kernel-doc" ] &&
	     ! src=$(scripts/linux-source.sh -k "$line" scripts/kernel-doc \
		     tools/docs/kernel-doc tools/lib/python); }; then
		echo "not ok - lint: kernel-doc -none -Wall of $line"
		return
	fi
	# shellcheck disable=SC2086
	comments=$(cat $files | grep -c '^[[:space:]]*/\*\*')
	# shellcheck disable=SC2086
	if out=$("$src/scripts/kernel-doc" -none -Wall -Werror $files 2>&1) &&
			[ -z "$out" ] && [ "$comments" -gt 0 ]; then
		echo "ok - lint: kernel-doc -none -Wall of $line, $comments comments"
	else
		echo "$out" | sed 's/^/# /'
		echo "not ok - lint: kernel-doc -none -Wall of $line, $comments comments"
	fi
}

lines=$(scripts/kernel.sh lines)
for line in $lines; do
	checkpatch "$line"
	sparse_w1 "$line"
done
kernel_doc "${lines##* }"
