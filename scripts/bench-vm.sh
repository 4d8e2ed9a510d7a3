#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-vm: what tracing costs each connect(), in one boot of the 6.1
# VM under instruction counting (scripts/vm-run.sh -I: guest ns =
# instructions, repeatable to about 0.5%).  Three connect loops
# (tools/connect-loop), each timed on its own in the guest:
#   real     loopback connect + accept + close
#   refused  connect to a loopback port with no listener (ECONNREFUSED)
#   unreach  TCP connect to 203.0.113.1, no route in the VM (ENETUNREACH):
#            the cheapest failing connect, where a tracer's fixed cost shows
# under each set-up:
#   none       no tracer (run before and after every traced run)
#   connprobe  the module, with `connprobe --json >/dev/null` streaming
#   no-reader  the module alone, in flight-recorder mode with no reader: its
#              own share of connprobe's cost (records overwritten, not lost
#              to a reader)
#   filtered   the module with a filter that turns every call away at its
#              entry (`connprobe -p 1`): the price of being loaded
#   kretprobe  a count-only kretprobe on __sys_connect (tools/bare-kretprobe):
#              the floor of any design built on a return probe
#   ftrace     an ftrace kretprobe event on inet_stream_connect, with a
#              `cat trace_pipe >/dev/null` reader
#   tcpconnect, tcpconnlat
#              libbpf-tools' own binaries, output to /dev/null (installed
#              here if missing: apt-get install libbpf-tools); they need the
#              guest kernel's BTF, which Debian's has
# ROUNDS rounds (default 3); the table shows medians.  Overheads are over
# the median of all untraced runs.  Then, in a second boot (2 vCPUs, plain
# TCG), the connect rate at which records start to be lost with the
# default buffer size.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${ROUNDS:-3}

"$top/scripts/install-deps.sh"
# The tracer users compare against: its own binaries, run in the guest.
dpkg-query -W -f='${db:Status-Status}' libbpf-tools 2>/dev/null | grep -qx installed ||
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libbpf-tools
make -s -C "$top" tool
make -s -C "$top/tools/connect-loop"
guest=$(mktemp)
bare=$(mktemp -d)
trap 'rm -rf "$guest" "$bare"' EXIT
# The floor: built here, against the 6.1 headers the VM's kernel matches.
cp "$top/tools/bare-kretprobe/"{Kbuild,bare_kretprobe.c} "$bare/"
make -s -C "$("$top/scripts/kernel.sh" kdir 6.1)" M="$bare" modules >/dev/null
# vm-run.sh copies its script as is: pass ROUNDS in through its head.
{
	echo "#!/bin/sh"
	echo "ROUNDS=$rounds"
	tail -n +2 "$top/scripts/guest/bench-vm.sh"
} >"$guest"
extra="$top/tools/connect-loop/connect_loop:/bin/connect_loop"
extra="$extra $bare/bare_kretprobe.ko:/bare_kretprobe.ko"
# libbpf-tools are dynamically linked: each and what ldd names, at the
# same paths.
for t in tcpconnect tcpconnlat; do
	if tc=$(command -v $t 2>/dev/null || ls /usr/sbin/$t 2>/dev/null); then
		extra="$extra $tc:/bin/$t"
		for lib in $(ldd "$tc" | grep -o '/[^ ]*'); do
			case " $extra " in *" $lib:$lib "*) ;; *) extra="$extra $lib:$lib" ;; esac
		done
	else
		echo "bench-vm: no $t (apt-get install libbpf-tools): not measured" >&2
	fi
done
out=$(VM_EXTRA_FILES=$extra \
	"$top/scripts/vm-run.sh" -k 6.1 -I -t 1800 "$guest")
echo "$out" | grep -E '^[RSL] ' | awk -v rounds="$rounds" '
function median(key,    n, i, j, t, v) {
	n = split(runs[key], v, " ")
	for (i = 2; i <= n; i++)	# insertion sort: a handful of values
		for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
			t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
		}
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
$1 == "R" {
	runs[$2 " " $3] = runs[$2 " " $3] " " $5
	if (!($2 in seen)) { seen[$2] = 1; order[++ns] = $2 }
}
$1 == "L" {	# cumulative within a round: the loops run in table order
	looplost[$3] += $5 - (($4 in prev) ? prev[$4] : 0); prev[$4] = $5
}
$1 == "S" && $5 == "-" {	# overwritten by design: no loss to report
	nm[$2] += $7; kp[$2] += $9; if (!($2 in lost)) lost[$2] = "-"
	next
}
$1 == "S" {
	lost[$2] += $5; nm[$2] += $7
	kp[$2] = $9 == "-" ? "-" : kp[$2] + $9
	if ($7 < 0) nm[$2] = "n/a"
}
END {
	nl = split("real refused unreach", loop, " ")
	printf "kernel 6.1, one vCPU, instruction-counted; instructions per connect, median of %d rounds\n", rounds
	printf "(untraced: median of every untraced run, spread = (max-min)/median)\n\n"
	printf "%-10s %-8s %10s %9s %10s   %s\n", "set-up", "loop", "instr/call", "overhead", "+instr", "runs"
	for (s = 1; s <= ns; s++)
		for (l = 1; l <= nl; l++) {
			key = order[s] " " loop[l]
			m = median(key)
			b = median("none " loop[l])
			if (order[s] == "none") {
				n = split(runs[key], v, " "); lo = hi = v[1]
				for (i = 2; i <= n; i++) { if (v[i] < lo) lo = v[i]; if (v[i] > hi) hi = v[i] }
				printf "%-10s %-8s %10d %9s %10s   spread %.2f%%:%s\n", order[s], loop[l], m, "-", "-", (hi - lo) * 100 / m, runs[key]
			} else
				printf "%-10s %-8s %10d %8.1f%% %+10d  %s\n", order[s], loop[l], m, (m - b) * 100 / b, m - b, runs[key]
		}
	printf "\nlosses, summed over the rounds:\n"
	printf "  connprobe  lost by loop: real %d, refused %d, unreach %d\n",
		looplost["real"], looplost["refused"], looplost["unreach"]
	for (s in lost)
		printf "  %-10s lost %s  nmissed %s  kp_nmissed %s\n", s, lost[s], nm[s], kp[s]
	ok = median("connprobe real") <= median("none real") * 1.03
	printf "\ngoal connprobe real loop <= 3%%: %s\n", ok ? "met" : "NOT met"
	if ("tcpconnect real" in runs) {
		a = median("connprobe real") - median("none real")
		t = median("tcpconnect real") - median("none real")
		printf "goal connprobe real loop <= a quarter of tcpconnect'"'"'s added cost (%+d vs %+d): %s\n", a, t, a <= t / 4 ? "met" : "NOT met"
	}
	ok = lost["connprobe"] == 0 && nm["connprobe"] == 0 && kp["connprobe"] == 0
	printf "goal connprobe 0 lost, nmissed 0: %s\n", ok ? "met" : "NOT met"
	if ("tcpconnect unreach" in runs) {
		a = median("connprobe unreach") - median("none unreach")
		t = median("tcpconnect unreach") - median("none unreach")
		printf "goal connprobe cheap loop <= half of tcpconnect'"'"'s added cost (%+d vs %+d): %s\n", a, t, a <= t / 2 ? "met" : "NOT met"
	} else
		printf "goal connprobe cheap loop <= half of tcpconnect'"'"'s added cost: not judged (tcpconnect not measured)\n"
}'

# The rate at which records start to be lost: two vCPUs running at once
# (multi-threaded TCG, vm-run.sh -P: wall-clock time, about 15 times slower
# than the host), the default buffer size, the tool streaming JSON
# (scripts/guest/loss-rate.sh).  The module is loaded before the load
# starts, so no site is patched while the loops run.
echo
echo "loss rate: kernel 6.1, 2 vCPUs (multi-threaded TCG), default buf_size, connprobe --json >/dev/null;"
echo "P copies of the unreach loop at once, one record a call:"
VM_EXTRA_FILES="$top/tools/connect-loop/connect_loop:/bin/connect_loop" \
	"$top/scripts/vm-run.sh" -P -k 6.1 -c 2 -t 900 "$top/scripts/guest/loss-rate.sh" |
	awk '$1 == "P" {
		printf "  %d loops: %7d connects/s, %7d records written, %7d lost\n", $2, $8, $10, $12
		if ($12 == 0) ok = $8; else if (!first) first = $8
	}
	END {
		if (first)
			printf "records first lost between %d and %d connects/s\n", ok, first
		else
			printf "no record lost up to %d connects/s\n", ok
	}'
