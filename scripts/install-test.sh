#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Test the ways connprobe gets installed, on the host, as root:
#  - make install DESTDIR=<temp>: every file in its place, nothing else;
#    make uninstall DESTDIR=<temp> takes every one away again;
#  - make install and make uninstall for real: depmod finds the module,
#    then no longer does;
#  - make dkms-install: DKMS builds and installs the module for every kernel
#    whose headers are installed (the lines of scripts/kernel.sh
#    host-lines: the other lines' headers are in chroots);
#    make dkms-uninstall removes it from all of them.
# The host is left as found: what depmod and DKMS create on the way (index
# files of a headers-only kernel, DKMS's signing key) is removed again, and
# that is checked too.  A step that would overwrite a connprobe installed
# here before is skipped, never counted as passed.  Prints TAP lines.
# No grep -q at the end of a pipe: it may exit before the writer is done,
# and pipefail would then count the writer's SIGPIPE as a failure.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
# One at a time on a host (two trees' make check at once): the installs
# share /lib/modules, DKMS's tree and /usr/local.
exec 9>/run/lock/connprobe-install-test.lock
flock 9

# The output of the commands it runs.  Not install.log: that is the TAP log
# make check's stage "install" writes (scripts/stages.sh) while this runs,
# and two writers of one file clobber each other.
log=$top/build/check/install-commands.log
mkdir -p "$(dirname "$log")"
: >"$log"
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
sbin=/usr/local/sbin
man8=/usr/local/share/man/man8
have_man='' files="the module and the tool (no man page yet)"
if [ -e tools/connprobe/connprobe.8 ]; then
	have_man=1 files="the module, the tool and the man page"
fi

# shellcheck source=scripts/host-state.sh
. scripts/host-state.sh

skip() {
	echo "ok - $1 # SKIP $2"
}

# described KO: the module has parameters, and modinfo shows a description
# for each (it shows "name: (type)" for one without).
described() {
	local n
	n=$(modinfo -F parmtype "$1" | wc -l)
	[ "$n" -gt 0 ] && [ "$(modinfo -F parm "$1" | wc -l)" = "$n" ] &&
		! grep -qE '^[^:]+: \([^)]*\)$' <<<"$(modinfo -F parm "$1")"
}

# built_for KO RELEASE: the module's vermagic names RELEASE.
built_for() {
	[ "$(modinfo -F vermagic "$1" | cut -d' ' -f1)" = "$2" ]
}

# What installing may touch, to compare before and after.
state() {
	dirs_state /var/lib/dkms /usr/src "$sbin" "$man8"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
state >"$work/before"
byproducts >"$work/byproducts"

# --- make install / uninstall into DESTDIR --------------------------------
dest=$work/dest
rel=

# dest_files: exactly these files, with these modes.
dest_files() {
	local want="lib/modules/$rel/updates/connprobe.ko 644
usr/local/sbin/connprobe 755${have_man:+
usr/local/share/man/man8/connprobe.8 644}"
	[ "$(cd "$dest" && find . -type f -printf '%P %m\n' | sort)" = \
	  "$(echo "$want" | sort)" ]
}

# dest_module: the module built, installed for the release it was built for.
dest_module() {
	local ko=$dest/lib/modules/$rel/updates/connprobe.ko
	cmp -s module/connprobe.ko "$ko" && built_for "$ko" "$rel"
}

if run make -s install DESTDIR="$dest"; then
	ko=$(find "$dest/lib/modules" -path '*/updates/connprobe.ko')
	rel=$(basename "$(dirname "$(dirname "$ko")")")
	result "install: DESTDIR gets exactly $files" dest_files
	result "install: the module is the one built, for $rel" dest_module
	result "install: modinfo shows a description for every parameter" \
		described "$ko"
	result "install: the tool is the one built" \
		cmp -s tools/connprobe/connprobe "$dest$sbin/connprobe"
	if [ -n "$have_man" ]; then
		result "install: the man page is connprobe.8" cmp -s \
			tools/connprobe/connprobe.8 "$dest$man8/connprobe.8"
	fi
	run make -s uninstall DESTDIR="$dest"
	result "install: make uninstall DESTDIR removes every file" \
		[ -z "$(find "$dest" -type f)" ]
else
	echo "not ok - install: make install DESTDIR"
fi

# --- make install / uninstall for real: depmod ----------------------------
# Same kernel as above: both use the Makefile's KDIR.
host_installed() {
	run make -s install &&
		[ "$(modinfo -k "$rel" -F filename connprobe 2>/dev/null)" = \
		  "/lib/modules/$rel/updates/connprobe.ko" ] &&
		[ -x "$sbin/connprobe" ]
}

host_uninstalled() {
	run make -s uninstall &&
		! modinfo -k "$rel" connprobe >/dev/null 2>&1 &&
		[ ! -e "$sbin/connprobe" ] && [ ! -e "$man8/connprobe.8" ]
}

if [ -z "$rel" ]; then
	echo "not ok - install: make install, then depmod finds it"
elif [ -e "/lib/modules/$rel/updates/connprobe.ko" ] ||
		[ -e "$sbin/connprobe" ]; then
	skip "install: make install, then depmod finds it" \
		"connprobe is already installed here"
else
	result "install: make install, then depmod finds it for $rel" \
		host_installed
	result "install: make uninstall, then depmod no longer finds it" \
		host_uninstalled
fi

# --- DKMS -----------------------------------------------------------------
# every_line: a kernel of each line has its headers, so DKMS builds for all.
every_line() {
	local line
	for line in $(scripts/kernel.sh host-lines); do
		grep -qxF "$(scripts/kernel.sh release "$line")" <<<"$(kernels)" ||
			return 1
	done
}

# dkms_installed K: DKMS says so, and depmod finds the module it put in
# updates/dkms/ of K (compressed where K compresses its modules), built
# for K.
dkms_installed() {
	local ko
	grep -q ': installed$' \
		<<<"$(dkms status "connprobe/$version" -k "$1" 2>/dev/null)" ||
		return 1
	ko=$(modinfo -k "$1" -F filename connprobe 2>/dev/null)
	case $ko in
	/lib/modules/"$1"/updates/dkms/connprobe.ko*) ;;
	*) return 1 ;;
	esac
	[ -f "$ko" ] && built_for "$ko" "$1"
}

dkms_removed() {
	local k
	for k in $(kernels); do
		! modinfo -k "$k" connprobe >/dev/null 2>&1 || return 1
	done
	[ -z "$(dkms status connprobe 2>/dev/null)" ] &&
		[ ! -e "/usr/src/connprobe-$version" ]
}

if [ -n "$(dkms status connprobe 2>/dev/null)" ] ||
		[ -e "/usr/src/connprobe-$version" ]; then
	skip "dkms: make dkms-install" "connprobe is already in DKMS here"
else
	result "dkms: headers of every kernel line are installed" every_line
	run make -s dkms-install
	for k in $(kernels); do
		result "dkms: installed for $k, built for it" dkms_installed "$k"
		result "dkms: modinfo shows a description for every parameter ($k)" \
			described "$(modinfo -k "$k" -F filename connprobe 2>/dev/null)"
	done
	run make -s dkms-uninstall
	result "dkms: make dkms-uninstall removes it from every kernel" \
		dkms_removed
fi

# Then remove the byproducts that were not there before.
byproducts | grep -vxFf "$work/byproducts" | xargs -r rm -rf
state >"$work/after"
if diff "$work/before" "$work/after" >"$work/diff"; then
	echo "ok - install: the host is left as found"
else
	sed 's/^/# /' "$work/diff"
	echo "not ok - install: the host is left as found"
fi
