#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: build, boot the test VM, show connprobe tracing a mixed
# workload (successes, refusals, an unreachable address, a non-blocking
# connect), print its stats and unload it.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/install-deps.sh
make -s tool connect-mix
scripts/vm-run.sh -k 6.1 -c 2 -t 300 scripts/guest/demo.sh
