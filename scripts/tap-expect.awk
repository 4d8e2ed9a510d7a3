# SPDX-License-Identifier: GPL-2.0
#
# awk -f tap-expect.awk EXPECTED CONSOLE: hold a VM's results to the list
# of those it must report (scripts/expected-tests.sh: "WHERE<TAB>NAME"),
# so that a test that never ran is named, whatever stopped it.
#
# In CONSOLE, between @@GUEST-START and @@GUEST-RC, a result line ("ok",
# "not ok", with a number or "-") belongs to the binary whose @@BIN-START
# came last, and to "selftests.sh" outside @@BIN markers.  For each test of
# the list with no result line:
#  - its binary ended (@@BIN-END): tap-count.awk counts it already, as one
#    of that binary's results short of its plan; here it gets a name only
#    ("# never reported: ...");
#  - otherwise (the binary never started, or the VM stopped while it ran,
#    or a guest check never ran): "not ok - ...: never reported".
# A result that is not on the list fails too: the list is out of date.
BEGIN { FS = "\t" }
FNR == NR { want[$1 SUBSEP $2] = 1; order[++n] = $1 SUBSEP $2; next }
/^@@GUEST-START/ { in_guest = 1; where = "selftests.sh"; next }
/^@@GUEST-RC/ { in_guest = 0; next }
!in_guest { next }
/^@@BIN-START / { split($0, w, " "); where = w[2]; next }
/^@@BIN-END / { split($0, w, " "); ended[w[2]] = 1; where = "selftests.sh"; next }
/^(not )?ok / {
	name = $0
	sub(/^(not )?ok ([0-9]+|-) /, "", name)
	sub(/ # [Ss][Kk][Ii][Pp].*$/, "", name)
	seen[where SUBSEP name] = 1
	if (!((where SUBSEP name) in want))
		printf "not ok - %s: %s: reported, but not on the list of what must run\n", where, name
}
END {
	for (i = 1; i <= n; i++) {
		if (order[i] in seen)
			continue
		split(order[i], w, SUBSEP)
		if (w[1] in ended)
			printf "# never reported: %s: %s\n", w[1], w[2]
		else
			printf "not ok - %s: %s: never reported\n", w[1], w[2]
	}
}
