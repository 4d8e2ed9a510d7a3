#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian kernel lines connprobe supports, and where each one's pieces
# are: the one list of them (make check, lint, the VM tests and stress all
# take theirs from here).
#
# usage: scripts/kernel.sh lines           every line, oldest first
#        scripts/kernel.sh host-lines      those whose headers the host has
#        scripts/kernel.sh rt-lines        those with a PREEMPT_RT flavour
#        scripts/kernel.sh suite [LINE]    the Debian release it is from
#        scripts/kernel.sh chroot [LINE]   its chroot (scripts/chroot.sh),
#                                          empty for a line of the host
#        scripts/kernel.sh install [LINE]  its newest headers and source,
#                                          in its chroot (install-deps.sh)
#        scripts/kernel.sh kdir [LINE]     build tree of the newest LINE
#                                          headers, as the host sees it
#        scripts/kernel.sh release [LINE]  its release, e.g. 6.1.0-56-cloud-amd64
#        scripts/kernel.sh source [LINE]   its linux-source tarball
#        scripts/kernel.sh vmlinuz [LINE]  path of its bzImage, fetched once
# LINE is one of the lines below (6.1 by default), or LINE-rt for Debian's
# PREEMPT_RT kernel of a line of rt-lines (6.1-rt: the headers
# linux-headers-6.1.*-rt-amd64, the image of linux-image-<release>).
set -euo pipefail

# Each line: its name, the Debian release its kernel comes from, and the
# releases of its headers (the newest installed is the one used).  The
# bookworm ones are this Debian 12 host's own packages (install-deps.sh);
# the others live in a chroot of their release, made and kept in the cache
# by scripts/chroot.sh, because the host cannot build for them (trixie's
# and sid's kbuild programs need a newer glibc; bullseye's 5.10 wants its
# gcc-10).  "sid" is whatever sid's newest kernel is (7.2 in 2026-12).
table="
5.10	bullseye	5.10.*-cloud-amd64
6.1	bookworm	6.1.*-cloud-amd64
6.12	bookworm	6.12.*-cloud-amd64
trixie	trixie		6.12.*-cloud-amd64
sid	sid		*-cloud-amd64
"
# Every line is built, linted and tested in the VM by make check.
lines=$(awk 'NF { printf "%s%s", sep, $1; sep = " " }' <<<"$table")
# Of those, the lines whose PREEMPT_RT kernel make check runs the VM
# selftests on too (Debian 12 has no 6.12-rt).
rt_lines="6.1"

cache=${CONNPROBE_CACHE:-/var/cache/connprobe}
top=$(cd "$(dirname "$0")/.." && pwd)
cmd=${1:?usage: kernel.sh lines|host-lines|rt-lines|suite|chroot|install|kdir|release|source|vmlinuz [LINE]}
line=${2:-6.1}

# The line's row; LINE-rt is LINE's with the rt-amd64 flavour.
base=${line%-rt} flavour=cloud-amd64
[ "$base" = "$line" ] || flavour=rt-amd64
read -r _ suite glob < <(awk -v l="$base" '$1 == l' <<<"$table") || true
case $cmd in
lines|host-lines|rt-lines) ;;
*)
	if [ -z "${suite:-}" ] ||
	   { [ "$flavour" = rt-amd64 ] && ! grep -qw "$base" <<<"$rt_lines"; }; then
		echo "kernel.sh: unknown kernel line '$line' (kernel.sh lines)" >&2
		exit 2
	fi
	glob=${glob%-cloud-amd64}-$flavour ;;
esac
# Where the line's packages are installed: / or its chroot.
root=''
[ "${suite:-bookworm}" = bookworm ] || root=$("$top/scripts/chroot.sh" dir "$suite")

release() {
	local dir

	# Debian names the trees 6.1.0-56-cloud-amd64 but
	# 6.12.117+deb12-cloud-amd64; "6.1." keeps 6.1 from matching 6.12.
	# shellcheck disable=SC2086 # the glob
	dir=$(ls -d "$root"/usr/src/linux-headers-$glob 2>/dev/null |
	      sort -V | tail -n 1)
	if [ -z "$dir" ]; then
		echo "kernel.sh: no linux-headers-$glob installed${root:+ in $root}" \
		     "(run scripts/install-deps.sh)" >&2
		exit 1
	fi
	echo "${dir##*/linux-headers-}"
}

# in_chroot CMD...: CMD in the line's chroot.
in_chroot() {
	"$top/scripts/chroot.sh" run "$suite" "$@"
}

# install: the newest headers of the line, by their own name (the
# metapackage that points at them comes from linux-signed-amd64, whose
# files the archive does not always serve), sparse, and the line's
# linux-source for checkpatch.pl and kernel-doc.  The line's older
# kernels go once a newer one is in (sid's move on).
install() {
	local hdr ver common p old

	if [ -z "$root" ]; then
		echo "kernel.sh: $line is the host's (scripts/install-deps.sh)" >&2
		exit 2
	fi
	# Reads the package lists again first, when they are old.
	"$top/scripts/chroot.sh" ensure "$suite" sparse
	hdr=$(in_chroot apt-cache depends "linux-headers-$flavour" |
	      sed -n 's/^ *Depends: \(linux-headers-[0-9].*-'"$flavour"'\)$/\1/p' |
	      head -n 1)
	if [ -z "$hdr" ]; then
		echo "kernel.sh: $suite has no linux-headers-$flavour" >&2
		exit 1
	fi
	# linux-headers-6.12.57+deb13-cloud-amd64: linux-source-6.12 and
	# linux-headers-6.12.57+deb13-common.
	ver=$(echo "${hdr#linux-headers-}" | cut -d. -f1,2)
	common=${hdr%-"$flavour"}-common
	"$top/scripts/chroot.sh" ensure "$suite" sparse "$hdr" \
		"linux-source-$ver"
	# shellcheck disable=SC2016 # dpkg-query's format
	mapfile -t old < <(in_chroot dpkg-query -W -f='${Package}\n' \
		"linux-headers-[0-9]*-$flavour" "linux-source-[0-9]*" |
		grep -vxF -e "$hdr" -e "linux-source-$ver")
	if [ ${#old[@]} -gt 0 ]; then
		"$top/scripts/chroot.sh" apt "$suite" purge -y "${old[@]}"
		"$top/scripts/chroot.sh" apt "$suite" autoremove --purge -y
		# What checker_valid put in a kbuild that is gone now, dpkg
		# leaves behind.
		for p in "${old[@]}"; do
			p=${p#linux-headers-}
			p=linux-kbuild-${p%-"$flavour"}
			in_chroot dpkg-query -W "$p" >/dev/null 2>&1 ||
				rm -rf "${root:?}/usr/lib/$p"
		done
	fi
	checker_valid "$root/usr/src/$common" "$root/usr/src/linux-source-$ver.tar.xz"
}

# checker_valid COMMON SOURCE: the kbuild of some releases (sid's 7.2)
# lacks the scripts/checker-valid.sh its Makefile runs before sparse:
# without it, C=2 says "sparse is not available" and builds without.  The
# script of the same release's source tarball goes into the headers'
# COMMON tree, where that kbuild looks for it.
checker_valid() {
	local cv=$1/scripts/checker-valid.sh

	if grep -q 'scripts/checker-valid\.sh' "$1/Makefile" && [ ! -e "$cv" ]; then
		tar -xJOf "$2" "$(basename "$2" .tar.xz)/scripts/checker-valid.sh" \
			>"$cv.tmp"
		chmod 755 "$cv.tmp"
		mv "$cv.tmp" "$cv"
	fi
}

# vmlinuz: the image of the release, unpacked from its package (7.x keeps
# it in linux-binary-<release>, on which linux-image-<release> depends).
vmlinuz() {
	local rel tmp img f
	rel=$(release)
	img=$cache/$rel/vmlinuz
	if [ ! -s "$img" ]; then
		# The image package is unpacked, not installed: the host keeps
		# its own kernel and boot setup untouched.
		tmp=$(mktemp -d)
		# shellcheck disable=SC2064 # tmp is set now
		trap "rm -rf '$tmp'" EXIT
		if [ -z "$root" ]; then
			(cd "$tmp" && apt-get download -q "linux-image-$rel" >&2)
		else
			# shellcheck disable=SC2016 # expanded in the chroot
			# Into a directory of root's: apt would warn that
			# its _apt user cannot write there, and go on as root.
			in_chroot -b "$tmp" /bin/sh -c 'cd "$1" &&
				get="apt-get download -q -o APT::Sandbox::User=root" &&
				$get "linux-image-$2" &&
				if apt-cache show "linux-binary-$2" >/dev/null 2>&1; then
					$get "linux-binary-$2"
				fi' sh "$tmp" "$rel" >&2
		fi
		for f in "$tmp"/*.deb; do
			dpkg-deb -x "$f" "$tmp/root"
		done
		for f in "$tmp/root/boot/vmlinuz-$rel" \
			 "$tmp/root/usr/lib/modules/$rel/vmlinuz" \
			 "$tmp/root/lib/modules/$rel/vmlinuz"; do
			[ -s "$f" ] && break
		done
		if [ ! -s "$f" ]; then
			echo "kernel.sh: no vmlinuz in the packages of $rel" >&2
			exit 1
		fi
		mkdir -p "$cache/$rel"
		cp "$f" "$img.tmp"
		mv "$img.tmp" "$img"
	fi
	echo "$img"
}

case $cmd in
lines)
	echo "$lines"
	;;
host-lines)
	awk '$2 == "bookworm" { printf "%s%s", sep, $1; sep = " " }
	     END { print "" }' <<<"$table"
	;;
rt-lines)
	echo "$rt_lines"
	;;
suite)
	echo "$suite"
	;;
chroot)
	echo "$root"
	;;
install)
	install
	;;
kdir)
	echo "$root/usr/src/linux-headers-$(release)"
	;;
release)
	release
	;;
source)
	# linux-source-6.12.tar.xz for 6.12.57+deb13-cloud-amd64
	ver=$(release | cut -d. -f1,2)
	echo "$root/usr/src/linux-source-$ver.tar.xz"
	;;
vmlinuz)
	vmlinuz
	;;
*)
	echo "kernel.sh: unknown command '$cmd'" >&2
	exit 2
	;;
esac
