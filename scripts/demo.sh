#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: build, boot the test VM, show connprobe tracing a mixed
# workload (successes, refusals, an unreachable address, a non-blocking
# connect), print its stats, draw a latency heat map of a larger mix into
# build/demo-heatmap.svg, and unload it.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/install-deps.sh
make -s tool connect-mix
out=build/demo-heatmap.svg
mkdir -p build
console=$(mktemp)
trap 'rm -f "$console"' EXIT
# The console shows the demo; the heat map's SVG is cut out of it into
# $out, not shown.
scripts/vm-run.sh -k 6.1 -c 2 -t 300 -l "$console" scripts/guest/demo.sh |
	tr -d '\r' | sed '/^@@SVG-START$/,/^@@SVG-END$/d'
tr -d '\r' <"$console" | sed -n '/^@@SVG-START$/,/^@@SVG-END$/p' | sed '1d;$d' >"$out"
echo "the heat map of the larger mix: $out"
