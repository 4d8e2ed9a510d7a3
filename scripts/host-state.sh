# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# What the host-installing tests (install-test.sh, deb-test.sh) share:
# their TAP lines, their command log, and the host's state to compare
# before and after, so that each can show it left the host as found.
# Sourced after setting log (where run() writes) and, optionally,
# tap_prefix (put before each TAP line's name, e.g. "deb: ").
# shellcheck disable=SC2154 # log is the sourcing script's

# result NAME COMMAND...: one TAP line for whether COMMAND succeeds.
result() {
	local name=$1
	shift
	if "$@"; then
		echo "ok - ${tap_prefix:-}$name"
	else
		echo "not ok - ${tap_prefix:-}$name"
	fi
}

# run COMMAND...: run it into the log; on failure show the log's end.
run() {
	echo "+ $*" >>"$log"
	if ! "$@" >>"$log" 2>&1; then
		tail -n 30 "$log" | sed 's/^/# /'
		return 1
	fi
}

# Releases of the kernels whose headers are installed.
kernels() {
	local b
	for b in /lib/modules/*/build; do
		[ -d "$b" ] && basename "$(dirname "$b")"
	done
}

# dirs_state DIR...: the names in each kernel's module directory (depmod
# adds index files), with the content of modules.dep, then the names in
# each DIR: what installing may touch.
dirs_state() {
	local k d
	for k in $(kernels); do
		ls -A "/lib/modules/$k"
		cat "/lib/modules/$k/modules.dep" 2>/dev/null
	done
	for d in "$@"; do
		echo "== $d"
		ls -A "$d" 2>/dev/null
	done
}

# What installing may create besides its own files: depmod's index files in
# a kernel directory that had none (a kernel with headers only), the
# updates/ directory, and the key DKMS signs modules with.
byproducts() {
	local k
	for k in $(kernels); do
		ls -d /lib/modules/"$k"/modules.* /lib/modules/"$k"/updates \
			2>/dev/null
	done
	ls -d /var/lib/dkms/mok.* 2>/dev/null
}
