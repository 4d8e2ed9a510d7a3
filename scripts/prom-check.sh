#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# prom-check: the tool's Prometheus output must pass `promtool check
# metrics` (Debian package prometheus, installed by install-deps.sh; this
# script installs nothing).  It checks the metrics of a synthetic capture
# (report --prom), of a fake debugfs holding the same records (prom --duration,
# the live path, root only), and the textfile that `prom --textfile`
# writes.  Prints TAP lines; exits non-zero if any check failed.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tool=$top/tools/connprobe/connprobe
mkcapture=$top/tools/connprobe/tests/build/opt/mkcapture
records=2000
failed=0

ok() { echo "ok - prom-check: $1"; }
not_ok() { echo "not ok - prom-check: $1"; failed=1; }

if ! command -v promtool >/dev/null; then
	not_ok "promtool not found (scripts/install-deps.sh installs prometheus)"
	exit 1
fi
if ! make -s -C "$top/tools/connprobe" connprobe mkcapture >&2; then
	not_ok "build the tool and mkcapture"
	exit 1
fi
tmp=$(mktemp -d /tmp/prom-check.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# check NAME FILE: promtool's verdict on FILE, its complaints as comments
check() {
	if promtool check metrics <"$2" >"$tmp/promtool.out" 2>&1 &&
	   grep -q '^connprobe_connect_calls_total{' "$2"; then
		ok "$1"
	else
		sed 's/^/# /' "$tmp/promtool.out"
		not_ok "$1"
	fi
}

"$mkcapture" -n $records -o "$tmp/capture.data"
if "$tool" report -i "$tmp/capture.data" --prom >"$tmp/report.prom" \
	2>"$tmp/report.err"; then
	check "report --prom of a $records-record capture" "$tmp/report.prom"
else
	not_ok "report --prom ran"
fi

# The live path reads <debugfs>/connprobe/cpuN and stats, and needs root.
if [ "$(id -u)" != 0 ]; then
	echo "ok - prom-check: prom on a fake debugfs # SKIP not root"
	echo "ok - prom-check: prom --textfile # SKIP not root"
	exit $failed
fi
mkdir -p "$tmp/debugfs/connprobe" "$tmp/textfile"
"$mkcapture" -n $records --raw -o "$tmp/debugfs/connprobe/cpu0"
cat >"$tmp/debugfs/connprobe/stats" <<'STATS'
cpu 0 written 2000 read 2000 lost 0 buffered 0
total written 2000 read 2000 lost 0 buffered 0
probe __sys_connect nmissed 0 kp_nmissed 0 maxactive 4096
STATS
if "$tool" prom --debugfs "$tmp/debugfs" --duration 0.3 >"$tmp/live.prom" 2>/dev/null; then
	check "prom --duration on a fake debugfs" "$tmp/live.prom"
else
	not_ok "prom --duration on a fake debugfs ran"
fi
if "$tool" prom --debugfs "$tmp/debugfs" --textfile "$tmp/textfile" -I 0.1 \
	--duration 0.3 2>/dev/null && [ -f "$tmp/textfile/connprobe.prom" ]; then
	check "prom --textfile writes a valid connprobe.prom" \
		"$tmp/textfile/connprobe.prom"
else
	not_ok "prom --textfile wrote connprobe.prom"
fi
exit $failed
