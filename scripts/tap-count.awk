# SPDX-License-Identifier: GPL-2.0
#
# Count TAP results: "ok"/"not ok" lines (a "# SKIP" directive counts as
# skipped, never as passed).  Between "@@BIN-START name" and "@@BIN-END name
# rc", a binary whose results fall short of its "1..N" plan, or that exits
# non-zero without any failure line, gets failures for what is missing.
# Prints "PASS FAIL SKIP".
function result(line) {
	if (line ~ /^ok / && line ~ /# [Ss][Kk][Ii][Pp]/) { skip++; return 1 }
	if (line ~ /^ok /) { pass++; return 1 }
	if (line ~ /^not ok /) { fail++; return 1 }
	return 0
}
/^@@BIN-START / { inbin = 1; plan = -1; seen = 0; binfail = fail; next }
/^@@BIN-END / {
	inbin = 0
	if (plan > seen) {
		printf "# %s: %d of %d tests never reported\n", $2, plan - seen, plan
		fail += plan - seen
	} else if ($3 != 0 && fail == binfail) {
		printf "# %s exited %s without reporting a failure\n", $2, $3
		fail++
	}
	next
}
inbin && /^1\.\.[0-9]+/ { plan = substr($1, 4) + 0; next }
{ if (result($0) && inbin) seen++ }
END { printf "%d %d %d\n", pass, fail, skip }
