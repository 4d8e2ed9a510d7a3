#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Test the Debian packages (debian/) on the host, as root:
#  - dpkg-buildpackage -us -uc -b in a clean clone of this tree's HEAD
#    builds connprobe and connprobe-dkms;
#  - lintian finds no error and no warning in them;
#  - installing both makes DKMS build and install the module for every
#    kernel whose headers are installed, and so does the postinst's own
#    loop (for the kernels DKMS's part leaves out);
#  - the tool, its man page and its bash completion work, the systemd
#    units pass systemd-analyze verify and are not enabled, and the
#    exporter's command works on a fake debugfs in an emulation of the
#    unit's sandbox (no capability, / read-only but for its
#    ReadWritePaths=, a /proc of processes only, its system calls);
#  - dpkg --purge removes every file of both, the DKMS tree and the
#    module from every kernel, and the host is left as found.
# What DKMS and depmod create on the way and leave (index files of a
# headers-only kernel, DKMS's signing key) is removed again, as
# scripts/install-test.sh does.  Packages of connprobe already installed
# here make every step a SKIP.  Prints TAP lines.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
# Both this and install-test.sh put connprobe/<dkms.conf's version> into
# DKMS, /usr/src and /lib/modules: one at a time (install-test.sh takes the
# same lock).
exec 9>/run/lock/connprobe-install-test.lock
flock 9

log=$top/build/check/deb.log
mkdir -p "$(dirname "$log")"
: >"$log"
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
pkgs=(connprobe connprobe-dkms)

tap_prefix="deb: "
ok() { echo "ok - $tap_prefix$1"; }
not_ok() { echo "not ok - $tap_prefix$1"; }
# shellcheck source=scripts/host-state.sh
. scripts/host-state.sh

# installed PKG: dpkg has PKG installed (or half-installed: anything
# but not-installed and config-files).
installed() {
	case $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) in
	'' | not-installed | config-files) return 1 ;;
	esac
}

# What installing may touch, to compare before and after: each kernel's
# module directory, the directories the packages, DKMS, dpkg and
# deb-systemd-helper write to, and what dpkg says of the packages.
state() {
	dirs_state /var/lib/dkms /usr/src /usr/sbin /usr/share/man/man8 \
		/usr/share/doc /usr/share/bash-completion/completions \
		/lib/systemd/system /etc/default /etc/systemd/system \
		/etc/systemd/system/multi-user.target.wants \
		/var/lib/systemd/deb-systemd-helper-enabled \
		/var/lib/prometheus/node-exporter
	echo "== dpkg"
	find /var/lib/dpkg/info -name 'connprobe*'
	dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${pkgs[@]}" \
		2>/dev/null
}

work=$(mktemp -d /tmp/connprobe-deb.XXXXXX)
we_installed=

cleanup() {
	local p
	if [ -n "$we_installed" ]; then
		for p in "${pkgs[@]}"; do
			if installed "$p" || [ -n "$(dpkg-query -W "$p" 2>/dev/null)" ]; then
				dpkg --purge "$p" >>"$log" 2>&1
			fi
		done
		byproducts | grep -vxFf "$work/byproducts" | xargs -r rm -rf
	fi
	rm -rf "$work"
}
trap cleanup EXIT

if installed connprobe || installed connprobe-dkms ||
		[ -n "$(dkms status connprobe 2>/dev/null)" ] ||
		[ -e "/usr/src/connprobe-$version" ]; then
	ok "build, install and purge the packages # SKIP connprobe is installed here"
	exit 0
fi
state >"$work/before"
byproducts >"$work/byproducts"

# --- build ----------------------------------------------------------------
if [ -n "$(git status --porcelain -- debian dist dkms.conf Makefile)" ]; then
	echo "# uncommitted changes in debian/, dist/, dkms.conf or Makefile are not in the clone"
fi
echo "# building $(git rev-parse --short HEAD) from a clone"
built() {
	run git clone -q "$top" "$work/src" &&
		(cd "$work/src" && run timeout 900 dpkg-buildpackage -us -uc -b) &&
		[ -f "$work/connprobe_${version}_$(dpkg --print-architecture).deb" ] &&
		[ -f "$work/connprobe-dkms_${version}_all.deb" ]
}
if ! built; then
	not_ok "dpkg-buildpackage -us -uc -b builds connprobe and connprobe-dkms"
	exit 1
fi
ok "dpkg-buildpackage -us -uc -b builds connprobe and connprobe-dkms $version"
debs=("$work/connprobe_${version}_"*.deb "$work/connprobe-dkms_${version}_all.deb")

# dkms.conf's version is the package's, so the module's source lands in
# /usr/src/connprobe-<version> as with make dkms-install.
result "the package's version is dkms.conf's ($version)" \
	[ "$(cd "$work/src" && dpkg-parsechangelog -SVersion)" = "$version" ]

# --- lintian --------------------------------------------------------------
# Every tag, info and pedantic ones included, goes to the log; errors and
# warnings fail.  Overrides need a comment with their reason (lintian
# shows overridden tags with --show-overrides, they count here too).
lintian -I --pedantic --show-overrides "$work"/connprobe_*.changes \
	>"$work/lintian.out" 2>&1
grep -v '^running with root privileges' "$work/lintian.out" >>"$log"
errors=$(grep -c '^[EO]: ' "$work/lintian.out")
warnings=$(grep -c '^W: ' "$work/lintian.out")
infos=$(grep -c '^[IPX]: ' "$work/lintian.out")
grep -E '^[EWO]: ' "$work/lintian.out" | sed 's/^/# /'
result "lintian: $errors errors, $warnings warnings ($infos info and pedantic tags)" \
	[ "$errors" = 0 ] && [ "$warnings" = 0 ]

# --- install --------------------------------------------------------------
for p in "${pkgs[@]}"; do
	dpkg-deb -c "$work/${p}_${version}_"*.deb | awk '{ print $6 }' |
		sed 's,^\./,/,; s,/$,,' | grep -v '^$' >"$work/$p.files"
done
# The packages' directories that exist already (/usr/sbin, ...): purge
# leaves them.
sort -u "$work"/*.files | while read -r f; do
	if [ -d "$f" ]; then echo "$f"; fi
done >"$work/dirs-before"
we_installed=1
if ! run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${debs[@]}"; then
	not_ok "apt-get install both packages"
	exit 1
fi
ok "apt-get install both packages"

# built_everywhere WHAT: DKMS installed the module for every kernel with
# headers, and depmod finds it in updates/dkms/, built for that kernel.
built_everywhere() {
	local k ko rc=0
	for k in $(kernels); do
		ko=$(modinfo -k "$k" -F filename connprobe 2>/dev/null)
		if grep -q ': installed$' <<<"$(dkms status "connprobe/$version" -k "$k" 2>/dev/null)" &&
		   [[ $ko == /lib/modules/$k/updates/dkms/connprobe.ko* ]] &&
		   [ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$k" ]; then
			echo "# $1: built and installed for $k"
		else
			echo "# $1: not installed for $k"
			rc=1
		fi
	done
	return $rc
}
nkernels=$(kernels | wc -l)
result "install: DKMS built the module for all $nkernels kernels with headers" \
	built_everywhere install

# No grep -q at the end of a pipe (see install-test.sh): the writer's
# SIGPIPE would count as a failure under pipefail.
dynamic_tool() {
	/usr/sbin/connprobe --help >/dev/null &&
		grep -q 'NEEDED.*libc\.so' <<<"$(readelf -d /usr/sbin/connprobe)"
}
result "the tool runs, linked against the system's libc" dynamic_tool
result "man finds connprobe(8)" \
	[ "$(man -w connprobe 2>/dev/null)" = /usr/share/man/man8/connprobe.8.gz ]

# completes CURRENT-LINE EXPECTED: bash completion of the words offers
# EXPECTED among its candidates.
completes() {
	bash -c '. /usr/share/bash-completion/bash_completion
		. /usr/share/bash-completion/completions/connprobe
		read -ra COMP_WORDS <<<"$1"
		[[ $1 == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE=$1 COMP_POINT=${#1}
		_connprobe connprobe "${COMP_WORDS[COMP_CWORD]}" \
			"${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$1" >"$work/completion" &&
		grep -qxF -- "$2" "$work/completion"
}
completion_works() {
	completes "connprobe pr" prom &&
		completes "connprobe prom --text" --textfile &&
		completes "connprobe report --sum" --summary &&
		completes "connprobe --errno ECONNR" ECONNREFUSED
}
result "bash completion: commands, options from --help, errno names" \
	completion_works

# --- the systemd units ----------------------------------------------------
units=(/lib/systemd/system/connprobe-exporter.service
       /lib/systemd/system/connprobe-module.service)
systemd-analyze verify "${units[@]}" >"$work/verify.out" 2>&1
verify_rc=$?
cat "$work/verify.out" >>"$log"
sed 's/^/# /' "$work/verify.out"
result "systemd-analyze verify: both units, no complaint" \
	[ "$verify_rc" = 0 ] && [ ! -s "$work/verify.out" ]
result "the exporter is installed, not enabled" \
	[ ! -e /etc/systemd/system/multi-user.target.wants/connprobe-exporter.service ]

# The exporter's command as the unit runs it, as close to its sandbox as
# the host allows without systemd: root with no capability (an empty
# bounding set, no new privileges), / read-only but for the unit's two
# ReadWritePaths (ProtectSystem=strict), /proc holding only processes,
# and of root's only (ProcSubset=pid, ProtectProc=invisible); on a fake
# debugfs made like the module's (a 0700 directory, records in a 0400
# cpu0, a 0600 filter file), with filters: --failed, and --cgroup of a
# cgroup made for it that holds every record, which without
# CAP_DAC_READ_SEARCH the tool must find by a walk (open_by_handle_at()
# is in @privileged).  It must write connprobe.prom, put its filter in
# force and take it back, and make only system calls that the unit's
# SystemCallFilter= lines allow (traced with strace).
sandboxed_prom() {
	local cg=/connprobe-deb-test.$$ cgfs rc
	make -s -C "$top/tools/connprobe" mkcapture >>"$log" 2>&1 || return 1
	cgfs=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	if [ -z "$cgfs" ] || ! mkdir "$cgfs$cg"; then
		echo "# no cgroup made in a cgroup2 mount (${cgfs:-none})"
		return 1
	fi
	sandboxed_prom_in "$cg" "$(stat -c %i "$cgfs$cg")"
	rc=$?
	rmdir "$cgfs$cg"
	return $rc
}
# sandboxed_prom_in CGROUP ID: sandboxed_prom's run, its records in
# CGROUP (below the cgroup2 mount), whose id is ID.
sandboxed_prom_in() {
	local fake=$work/debugfs textfile=$work/textfile mk
	mk=$top/tools/connprobe/tests/build/opt/mkcapture
	mkdir -p "$fake/connprobe" "$textfile" &&
		"$mk" -n 200 --raw --cgroup-id "$2" -o "$fake/connprobe/cpu0" &&
		printf 'cpu 0 written 200 read 0 lost 0 buffered 200\ntotal written 200 read 0 lost 0 buffered 200\n' \
			>"$fake/connprobe/stats" &&
		echo none >"$fake/connprobe/filter" &&
		chmod 0700 "$fake" "$fake/connprobe" &&
		chmod 0400 "$fake/connprobe/cpu0" "$fake/connprobe/stats" &&
		chmod 0600 "$fake/connprobe/filter" &&
		touch -d @0 "$fake/connprobe/filter" || return 1
	# shellcheck disable=SC2016 # the inner shell's parameters
	run strace -f -qq -o "$work/strace" \
		unshare --mount --propagation private -- sh -ec '
		mount --bind "$1" "$1"
		mount --bind "$2" "$2"
		mount -o remount,bind,ro /
		mount -t proc -o subset=pid,hidepid=invisible proc /proc
		shift 2
		exec "$@"' sh "$textfile" "$fake/connprobe" \
		setpriv --nnp --bounding-set -all --inh-caps -all \
		--ambient-caps -all -- /usr/sbin/connprobe prom \
		--debugfs "$fake" --textfile "$textfile" --interval 0.1 \
		--duration 0.5 --failed --cgroup "$1" || return 1
	# The tool writes "failed" to the filter file, and "none" at the end:
	# the file has been written (its mtime), and holds "none" again.
	grep -q '^connprobe_connect_calls_total{outcome="ECONNREFUSED"' \
		"$textfile/connprobe.prom" &&
		! grep -q '^connprobe_connect_calls_total{outcome="OK"' \
			"$textfile/connprobe.prom" &&
		[ "$(stat -c %Y "$fake/connprobe/filter")" != 0 ] &&
		[ "$(cat "$fake/connprobe/filter")" = none ] &&
		syscalls_allowed "${units[0]}" "$work/strace"
}

# expand GROUP|SYSCALL: the system calls of a systemd syscall group.
expand() {
	local s
	case $1 in
	@*)
		systemd-analyze syscall-filter "$1" | sed 1d | grep -v '^ *#' |
			awk 'NF { print $1 }' | while read -r s; do expand "$s"; done
		;;
	*) echo "$1" ;;
	esac
}

# syscalls_allowed UNIT TRACE: every system call connprobe made in TRACE
# (strace -f -o, after its execve) is in UNIT's SystemCallFilter= allow
# lines and in none of its ~deny lines.
syscalls_allowed() {
	local line w rc=0
	: >"$work/allow"
	: >"$work/deny"
	while read -r line; do
		line=${line#SystemCallFilter=}
		if [[ $line == "~"* ]]; then
			for w in ${line#\~}; do expand "$w"; done >>"$work/deny"
		else
			for w in $line; do expand "$w"; done >>"$work/allow"
		fi
	done < <(grep '^SystemCallFilter=' "$1")
	awk '/execve\("\/usr\/sbin\/connprobe"/ { pid = $1 }
		pid && $1 == pid { sub(/\(.*/, "", $2); print $2 }' "$2" |
		grep -v '^[+<-]' | sort -u >"$work/used"
	echo "# connprobe's system calls: $(tr '\n' ' ' <"$work/used")"
	sort -u -o "$work/allow" "$work/allow"
	sort -u -o "$work/deny" "$work/deny"
	if [ ! -s "$work/used" ] || [ ! -s "$work/allow" ]; then
		echo "# no system calls traced, or no filter in $1"
		return 1
	fi
	for w in $(comm -23 "$work/used" "$work/allow"); do
		echo "# $w: not in the unit's SystemCallFilter= allow list"
		rc=1
	done
	for w in $(comm -12 "$work/used" "$work/deny"); do
		echo "# $w: denied by the unit's SystemCallFilter=~"
		rc=1
	done
	return $rc
}
result "the exporter's command works in an emulation of its sandbox (fake debugfs, --failed, --cgroup)" \
	sandboxed_prom

# --- the package's own loop ------------------------------------------------
# DKMS's postinst builds for the running kernel and the newest one only,
# except on a first installation where the running kernel is not
# installed (here: it builds for all).  The package's postinst then builds
# for every other kernel with headers.  Run that part of the installed
# postinst after taking the module out of one kernel, as DKMS's part
# would have skipped it.
loop_rebuilds() {
	local k=$1
	sed -n '/^if .*no-autoinstall/,/^fi$/p' \
		/var/lib/dpkg/info/connprobe-dkms.postinst >"$work/loop.sh"
	grep -q 'dkms install' "$work/loop.sh" &&
		run dkms remove "connprobe/$version" -k "$k" &&
		! modinfo -k "$k" connprobe >/dev/null 2>&1 &&
		run sh -e "$work/loop.sh" configure &&
		grep -qxF "Building connprobe $version for $k" "$log" &&
		built_everywhere "postinst loop"
}
first=$(kernels | head -n 1)
result "postinst: taken out of $first, the package's loop builds it again" \
	loop_rebuilds "$first"

# --- purge ----------------------------------------------------------------
run dpkg --purge "${pkgs[@]}"
result "dpkg --purge removes both packages" \
	sh -c '! dpkg-query -W connprobe connprobe-dkms >/dev/null 2>&1'

# leftovers: files of the packages still there, directories of theirs that
# were not there before (shared ones, /usr/share/doc or the /lib symlink,
# were).
leftovers() {
	local p f n=0
	for p in "${pkgs[@]}"; do
		while read -r f; do
			[ -e "$f" ] || [ -L "$f" ] || continue
			if [ -d "$f" ] && grep -qxF "$f" "$work/dirs-before"; then
				continue
			fi
			echo "# left: $f"
			n=$((n + 1))
		done <"$work/$p.files"
	done
	[ "$n" = 0 ]
}
result "purge: no file or directory of either package is left" leftovers

dkms_gone() {
	local k
	for k in $(kernels); do
		! modinfo -k "$k" connprobe >/dev/null 2>&1 || return 1
	done
	[ -z "$(dkms status connprobe 2>/dev/null)" ] &&
		[ ! -e /var/lib/dkms/connprobe ] &&
		[ ! -e "/usr/src/connprobe-$version" ]
}
result "purge: dkms status is empty, no DKMS tree, no module in any kernel" \
	dkms_gone

byproducts | grep -vxFf "$work/byproducts" >"$work/made"
if [ -s "$work/made" ]; then
	sed 's/^/# made by DKMS or depmod, removed: /' "$work/made"
	xargs -r rm -rf <"$work/made"
fi
we_installed=
state >"$work/after"
if diff "$work/before" "$work/after" >"$work/diff"; then
	ok "the host is left as found"
else
	sed 's/^/# /' "$work/diff"
	not_ok "the host is left as found"
fi
