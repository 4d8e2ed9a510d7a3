#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# expected-tests.sh: what a VM run of scripts/guest/selftests.sh must
# report, one "WHERE<TAB>NAME" line a result: WHERE is "selftests.sh" for
# the guest script's own checks (each `check "NAME" ...` in it, all of
# which run unconditionally) and the binary's name for each test of each
# selftest in selftests/TESTS (its own `-l` list: selftests/harness_list.h).
# Run from the top of the tree after `make selftests`.
set -euo pipefail

sed -n 's/^check "\([^"]*\)".*/selftests.sh\t\1/p' scripts/guest/selftests.sh
while read -r t; do
	[ -n "$t" ] || continue
	names=$(selftests/"$t" -l) || { echo "expected-tests: selftests/$t -l failed" >&2; exit 1; }
	[ -n "$names" ] || { echo "expected-tests: selftests/$t lists no test" >&2; exit 1; }
	sed "s/^/$t\t/" <<<"$names"
done <selftests/TESTS
