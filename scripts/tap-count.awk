# SPDX-License-Identifier: GPL-2.0
#
# Count TAP results: "ok"/"not ok" lines (a "# SKIP" directive counts as
# skipped, never as passed).  Between "@@BIN-START name" and "@@BIN-END name
# rc", a binary whose results fall short of its "1..N" plan, or that exits
# non-zero without any failure line, gets failures for what is missing;
# one that reports no plan, or more results than its plan, fails once.
#
# A skip counts as a failure unless its reason, the text after "# SKIP",
# is one of those in the variable may_skip (one per line): a test that did
# not run proves nothing, and only the stage knows which reasons can hold
# on the machine it runs on.  With judge_skips=0 every skip counts as
# skipped.  A line starting "# " says what was made of each skip.
# The last line printed is "PASS FAIL SKIP".
BEGIN {
	if (judge_skips == "")
		judge_skips = 1
	n = split(may_skip, reasons, "\n")
	for (i = 1; i <= n; i++)
		if (reasons[i] != "")
			allowed[reasons[i]] = 1
}
function result(line,    why) {
	if (line ~ /^ok / && line ~ /# [Ss][Kk][Ii][Pp]/) {
		why = line
		sub(/.*# [Ss][Kk][Ii][Pp][ \t]*/, "", why)
		sub(/[ \t]+$/, "", why)
		if (!judge_skips) {
			skip++
		} else if (why in allowed) {
			printf "# skipped, for a reason this stage allows: %s\n", line
			skip++
		} else {
			printf "# skipped, for a reason this stage does not allow (counted failed): %s\n", line
			fail++
		}
		return 1
	}
	if (line ~ /^ok /) { pass++; return 1 }
	if (line ~ /^not ok /) { fail++; return 1 }
	return 0
}
/^@@BIN-START / { inbin = 1; plan = -1; seen = 0; binfail = fail; next }
/^@@BIN-END / {
	inbin = 0
	if (plan < 0) {
		printf "# %s reported no plan (%d results)\n", $2, seen
		fail++
	} else if (seen > plan) {
		printf "# %s reported %d results, more than its plan of %d\n", $2, seen, plan
		fail++
	} else if (plan > seen) {
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
END { printf "%d %d %d\n", pass + 0, fail + 0, skip + 0 }
