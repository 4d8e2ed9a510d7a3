#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A Debian chroot per release, for the kernel lines this Debian 12 host
# cannot build for with its own tools: trixie's and sid's kbuild programs
# need a newer glibc than the host's, bullseye's 5.10 wants its gcc-10.
# Each is made once with debootstrap (--variant=buildd: gcc and make), in
# the cache (CONNPROBE_CACHE, /var/cache/connprobe by default), and holds
# the headers (and source) of its release's kernel, installed by apt.
#
# usage: scripts/chroot.sh dir SUITE            its root, made or not
#        scripts/chroot.sh ensure SUITE PKG...  make it if it is missing,
#                                               then install PKG, newest
#        scripts/chroot.sh apt SUITE ARGS...    apt-get ARGS in it, its
#                                               output in SUITE.apt.log
#        scripts/chroot.sh run SUITE [-b DIR]... CMD...
#                                               run CMD in it, as root,
#                                               with each DIR bind-mounted
#                                               at the same path
# SUITE is bullseye, trixie or sid.  `ensure` reads the package lists
# again when they are older than CONNPROBE_CHROOT_MAX_AGE seconds (a day by
# default; 0: every time) and then installs PKG's newest version: sid's
# newest kernel a day after Debian uploads it at the latest.  `ensure` and
# `apt` have the chroot to themselves; `run`s share it with each other (a
# lock next to it), so that no build sees its headers half upgraded.  No
# mount outlives a `run` (a private mount namespace), and nothing is
# installed on the host.
set -euo pipefail
cache=${CONNPROBE_CACHE:-/var/cache/connprobe}
mirror=http://deb.debian.org/debian
security=http://deb.debian.org/debian-security
max_age=${CONNPROBE_CHROOT_MAX_AGE:-86400}

usage="usage: chroot.sh dir|ensure|apt|run SUITE ..."
cmd=${1:?$usage}
suite=${2:?$usage}
shift 2
root=$cache/chroot/$suite
case $suite in
bullseye|trixie|sid) ;;
*)
	echo "chroot.sh: unknown suite '$suite'" >&2
	exit 2 ;;
esac

# in_root CMD...: CMD in the chroot, with /dev, /proc and the binds of
# $binds, none of which outlives it.
binds=()
in_root() {
	local b rc made=()
	for b in ${binds[@]+"${binds[@]}"}; do
		# The mount points made here are taken away again afterwards.
		mapfile -t -O "${#made[@]}" made < <(LC_ALL=C mkdir -pv "$root$b" |
			sed -n "s/^mkdir: created directory '\(.*\)'$/\1/p")
	done
	# The resolver of the host, for apt, replaced whole: another run may
	# be reading it.
	if ! cmp -s /etc/resolv.conf "$root/etc/resolv.conf"; then
		cp /etc/resolv.conf "$root/etc/resolv.conf.$$"
		mv "$root/etc/resolv.conf.$$" "$root/etc/resolv.conf"
	fi
	# shellcheck disable=SC2016 # expanded by that shell
	unshare --mount --propagation private -- /bin/bash -c '
		root=$1 n=$2
		shift 2
		mount --rbind /dev "$root/dev"
		mount -t proc proc "$root/proc"
		while [ "$n" -gt 0 ]; do
			mount --bind "$1" "$root$1"
			shift
			n=$((n - 1))
		done
		exec chroot "$root" "$@"' in_root "$root" "${#binds[@]}" \
		${binds[@]+"${binds[@]}"} \
		/usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@" && rc=0 || rc=$?
	for ((b = ${#made[@]} - 1; b >= 0; b--)); do
		rmdir "${made[b]}" 2>/dev/null || true
	done
	return "$rc"
}

# The sources of each suite: its kernel's newest build is in -security
# (bullseye's, trixie's) or in sid itself.
sources() {
	case $suite in
	sid)
		echo "deb $mirror sid main" ;;
	*)
		echo "deb $mirror $suite main"
		echo "deb $mirror $suite-updates main"
		echo "deb $security $suite-security main" ;;
	esac
}

create() {
	local tmp=$root.tmp

	rm -rf "$tmp"
	mkdir -p "$(dirname "$root")"
	echo "chroot.sh: creating the $suite chroot in $root" >&2
	# debootstrap checks the Release file's signature, not its Valid-Until.
	debootstrap --variant=buildd "$suite" "$tmp" "$mirror" \
		>"$cache/chroot/$suite.debootstrap.log" 2>&1 || {
		tail -n 20 "$cache/chroot/$suite.debootstrap.log" >&2
		return 1
	}
	sources >"$tmp/etc/apt/sources.list"
	# The Release files of old suites (and, on a clock running ahead, of
	# any) are past their Valid-Until: signatures are still checked.
	cat >"$tmp/etc/apt/apt.conf.d/90connprobe" <<-EOF
	Acquire::Check-Valid-Until "false";
	Acquire::Languages "none";
	APT::Install-Recommends "false";
	APT::Install-Suggests "false";
	EOF
	# Only what a build reads: no documentation.
	cat >"$tmp/etc/dpkg/dpkg.cfg.d/90connprobe" <<-EOF
	path-exclude=/usr/share/doc/*
	path-exclude=/usr/share/man/*
	path-exclude=/usr/share/locale/*
	path-exclude=/usr/share/info/*
	EOF
	rm -f "$tmp/var/cache/apt/archives/"*.deb
	mv "$tmp" "$root"
}

# apt_logged ARGS...: apt-get ARGS in the chroot, its output in
# SUITE.apt.log next to the chroot, shown only if it fails.
apt_logged() {
	local log=$cache/chroot/$suite.apt.log

	echo "+ apt-get $*" >>"$log"
	if ! in_root apt-get -q "$@" >>"$log" 2>&1; then
		tail -n 20 "$log" >&2
		return 1
	fi
}

case $cmd in
dir)
	echo "$root"
	;;
ensure)
	mkdir -p "$cache/chroot"
	exec 9>"$cache/chroot/$suite.lock"
	flock 9
	[ -e "$root/etc/apt/apt.conf.d/90connprobe" ] || create
	stamp=$root/var/lib/apt/connprobe-updated
	# PKG that dpkg does not list as installed (one query for all).
	# shellcheck disable=SC2016 # dpkg-query's format
	mapfile -t missing < <(printf '%s\n' "$@" | grep -vxF -f <(
		in_root dpkg-query -W -f='${db:Status-Status} ${Package}\n' \
			"$@" 2>/dev/null | sed -n 's/^installed //p') || true)
	if [ ! -e "$stamp" ] ||
	   [ $(($(date +%s) - $(stat -c %Y "$stamp"))) -ge "$max_age" ]; then
		apt_logged update
		touch "$stamp"
		missing=("$@")		# the newest of each
	fi
	if [ ${#missing[@]} -gt 0 ]; then
		apt_logged install -y "${missing[@]}"
		in_root apt-get clean
	fi
	;;
apt)
	exec 9>"$cache/chroot/$suite.lock"
	flock 9
	apt_logged "$@"
	;;
run)
	[ -e "$root/etc/apt/apt.conf.d/90connprobe" ] || {
		echo "chroot.sh: no $suite chroot (run scripts/install-deps.sh)" >&2
		exit 1
	}
	while [ "${1:-}" = -b ]; do
		binds+=("$(cd "$2" && pwd)")
		shift 2
	done
	exec 9>"$cache/chroot/$suite.lock"
	flock -s 9
	in_root "$@"
	;;
*)
	echo "chroot.sh: unknown command '$cmd'" >&2
	exit 2
	;;
esac
