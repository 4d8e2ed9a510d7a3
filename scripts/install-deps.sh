#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what building and testing connprobe needs on a Debian 12 host, as
# root: only what is missing, so that a prepared machine pays nothing.
# The kernel lines of other Debian releases (scripts/kernel.sh lines) get
# their headers and source in a chroot of their release, in the cache
# (scripts/chroot.sh): made once, their package lists read again once a
# day, their newest kernel installed then.
set -euo pipefail

pkgs=(
	gcc make libc6-dev perl cpio gzip xz-utils sparse
	qemu-system-x86		# the test VM
	busybox-static		# the VM's whole userland
	linux-headers-cloud-amd64	# build tree for Debian's 6.1 kernel
	# ... and of its PREEMPT_RT flavour (scripts/kernel.sh LINE 6.1-rt);
	# the image is only unpacked, as for the others.
	linux-headers-rt-amd64
	linux-source-6.1	# kselftest harness, checkpatch.pl, debug kernel
	# Building the debug kernel (scripts/debug-kernel.sh).
	bc flex bison libelf-dev libssl-dev openssl
	# 6.12's build tree.  Debian makes it depend on the 6.12 image, so
	# that gets installed too; the VM still boots its own unpacked copy.
	linux-headers-6.12-cloud-amd64
	linux-source-6.12	# checkpatch.pl and kernel-doc of 6.12
	dkms			# the packaging test (scripts/install-test.sh)
	prometheus		# promtool, for scripts/prom-check.sh
	clang libclang-rt-14-dev	# libFuzzer, for the tool's fuzz test
	libxml2-utils librsvg2-bin	# xmllint, rsvg-convert: the heat map's test
	# The Debian packages and the fleet path (scripts/deb-test.sh,
	# scripts/fleet-check.sh): building the .debs and lintian, what the
	# test of the installed packages runs (man, systemd-analyze, bash
	# completion), and the node exporter and Prometheus (above) on the
	# loopback, queried with curl and jq.
	debhelper dh-dkms lintian man-db systemd bash-completion
	prometheus-node-exporter curl jq iproute2 strace
	debootstrap		# the chroots of the other releases' lines
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null |
		grep -qx installed || missing+=("$p")
done
# apt-get download (of the VM kernel image) needs package lists too.
if [ ${#missing[@]} -gt 0 ] || ! compgen -G "/var/lib/apt/lists/*_Packages*" >/dev/null; then
	if [ "$(id -u)" != 0 ]; then
		echo "install-deps: missing ${missing[*]}; run as root" >&2
		exit 1
	fi
	apt-get update -q
fi
if [ ${#missing[@]} -gt 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}"
fi

# The chroots' lines side by side: each is mostly downloading and
# unpacking, and has a chroot (and a lock) of its own.
top=$(cd "$(dirname "$0")/.." && pwd)
pids=()
for line in $("$top/scripts/kernel.sh" lines); do
	[ -z "$("$top/scripts/kernel.sh" chroot "$line")" ] ||
		{ "$top/scripts/kernel.sh" install "$line" >&2 & pids+=($!); }
done
rc=0
for pid in ${pids[@]+"${pids[@]}"}; do
	wait "$pid" || rc=1
done
exit $rc
