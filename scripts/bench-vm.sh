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
#   record     the module, with `connprobe record` writing a capture file to
#              the guest's RAM-backed root (as the LTTng rows write theirs
#              to a tmpfs)
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
#   lttng-kret LTTng 2.13's kretprobe event on __sys_connect
#              (`lttng enable-event -k --function=__sys_connect`)
#   lttng-sys  LTTng's connect system call events with the pid, tid and
#              procname contexts (`enable-event -k --syscall connect`,
#              `add-context -k -t pid -t tid -t procname`)
#              both a session recording to a tmpfs, Debian's lttng-tools
#              (installed here if missing) and lttng-modules built for the
#              VM's kernel by scripts/lttng.sh; where those modules do not
#              build for it, the table says so instead of these rows
# ROUNDS rounds (default 3); the table shows medians.  Overheads are over
# the median of all untraced runs.  Then, in a second boot (2 vCPUs, plain
# TCG), the connect rate at which records start to be lost with the
# default buffer size, the rate sustained without loss with one and with
# two CPUs connecting, and how the traced rate scales from one connecting
# CPU to two against the untraced one (a lock or atomic every CPU shares
# would make the traced share fall).  These are wall-clock figures: the
# host's other load moves them by tens of percent.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${ROUNDS:-3}

"$top/scripts/install-deps.sh"
# The tracers users compare against: their own binaries, run in the guest.
for p in libbpf-tools lttng-tools; do
	dpkg-query -W -f='${db:Status-Status}' $p 2>/dev/null | grep -qx installed ||
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $p
done
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
extra=''
# add SRC DST: one more file for the initramfs, once.
add() {
	case " $extra " in *" $1:$2 "*) ;; *) extra="$extra $1:$2" ;; esac
}
# add_prog PROG DST: a dynamically linked program, and what ldd names at
# the same paths.
add_prog() {
	local lib
	add "$1" "$2"
	for lib in $(ldd "$1" | grep -o '/[^ ]*'); do
		add "$lib" "$lib"
	done
}
add "$top/tools/connect-loop/connect_loop" /bin/connect_loop
add "$bare/bare_kretprobe.ko" /bare_kretprobe.ko
for t in tcpconnect tcpconnlat; do
	if tc=$(command -v $t 2>/dev/null || ls /usr/sbin/$t 2>/dev/null); then
		add_prog "$tc" "/bin/$t"
	else
		echo "bench-vm: no $t (apt-get install libbpf-tools): not measured" >&2
	fi
done
# LTTng: its modules, depmod'ed under /lib/modules as the session daemon
# looks for them; its programs at their own paths (the session daemon
# runs the consumer daemon from the path it was built with), and the XML
# schema it checks its session files against, without which it does not
# start.  Left out only where its modules do not build for the kernel.
lttng_na=''
if lt=$("$top/scripts/lttng.sh" 6.1); then
	for f in $(cd "$lt" && find lib -type f); do
		add "$lt/$f" "/$f"
	done
	for p in /usr/bin/lttng /usr/bin/lttng-sessiond \
		 /usr/lib/x86_64-linux-gnu/lttng/libexec/lttng-consumerd; do
		add_prog "$p" "$p"
	done
	add /usr/share/xml/lttng/session.xsd /usr/share/xml/lttng/session.xsd
elif [ $? = 3 ]; then
	lttng_na=$lt
	echo "bench-vm: lttng: not available ($lttng_na)" >&2
else
	exit 1
fi
out=$(VM_EXTRA_FILES=$extra \
	"$top/scripts/vm-run.sh" -k 6.1 -I -t 1800 "$guest")
echo "$out" | grep -E '^[RSL] ' | awk -v rounds="$rounds" -v lttng_na="$lttng_na" '
function goal(what, ok) {
	printf "goal %s: %s\n", what, ok ? "met" : "NOT met"
}
# what SETUP adds to LOOP over the untraced runs, in instructions and in %
function added(setup, loop) {
	return median(setup " " loop) - median("none " loop)
}
function share(setup, loop) {
	return added(setup, loop) * 100 / median("none " loop)
}
# the added cost of SETUP on LOOP at most a 1/DIV part of that of TRACER
function goal_vs(what, loop, part, tracer, div,    a, t) {
	if (!((tracer " " loop) in runs)) {
		printf "goal %s <= %s%s: not judged (%s not measured)\n", what, part ? part " " : "", tracer, tracer
		return
	}
	a = added("connprobe", loop)
	t = added(tracer, loop)
	goal(sprintf("%s <= %s%s'"'"'s added cost (%+d vs %+d)", what, part ? part " " : "", tracer, a, t), a <= t / div)
}
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
	if (lttng_na != "")
		printf "lttng: not available (%s)\n", lttng_na
	printf "\nlosses, summed over the rounds:\n"
	printf "  connprobe  lost by loop: real %d, refused %d, unreach %d\n",
		looplost["real"], looplost["refused"], looplost["unreach"]
	for (s in lost)
		printf "  %-10s lost %s  nmissed %s  kp_nmissed %s\n", s, lost[s], nm[s], kp[s]
	printf "\n"
	goal("connprobe real loop <= 3%", share("connprobe", "real") <= 3)
	goal("connprobe real loop <= 2%", share("connprobe", "real") <= 2)
	goal("connprobe refused loop <= 5%", share("connprobe", "refused") <= 5)
	ok = lost["connprobe"] == 0 && nm["connprobe"] == 0 && kp["connprobe"] == 0
	goal("connprobe 0 lost, nmissed 0", ok)
	goal_vs("connprobe real loop", "real", "a quarter of", "tcpconnect", 4)
	goal_vs("connprobe cheap loop", "unreach", "half of", "tcpconnect", 2)
	goal_vs("connprobe cheap loop", "unreach", "", "lttng-kret", 1)
	a = added("no-reader", "unreach")
	goal(sprintf("module alone, cheap loop <= +900 (%+d)", a), a <= 900)
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
	$1 == "Q" {	# Q C procs N connects T s RATE/s written W lost L
		q[$2] = sprintf("  %d CPU(s): %7d connects/s, %8d records written, %7d lost", $2, $8, $10, $12)
		calls = $4 / $2
		if ($12 == 0)
			sus[$2] = sprintf("%d connects/s, all the loops did", $8)
		else	# what the tool kept up with: the records it did not lose
			sus[$2] = sprintf("at most %d connects/s (records kept a second; %d lost at %d/s)",
				($10 - $12) / $6, $12, $8)
	}
	$1 == "U" || $1 == "T" || $1 == "M" {	# U|T|M C procs N connects T s RATE/s ...
		scalecalls = $4 / $2
		if ($1 == "U") {
			u[$2] += $8
			nu[$2]++
		} else {
			r[$1, $2] += $8
			nr[$1, $2]++
		}
	}
	$1 == "R" {	# R C procs N connects T s RATE/s written W lost L target X
		q[$2] = q[$2] sprintf("\n    paced to %7d/s: %7d connects/s, %7d lost", $14, $8, $12)
		rate = $8 + 0	# "N/s": the number, compared as one
		if ($12 == 0 && rate > best[$2] + 0)
			best[$2] = rate
		if ($12 > 0 && (!nworst[$2]++ || rate < worst[$2]))
			worst[$2] = rate
		if (nworst[$2])
			sus[$2] = sprintf("%d connects/s (bisected; lost records at %d/s)",
				best[$2], worst[$2])
		else
			sus[$2] = sprintf("%d connects/s (bisected; no paced step lost records)",
				best[$2])
	}
	END {
		if (first)
			printf "records first lost between %d and %d connects/s\n", ok, first
		else
			printf "no record lost up to %d connects/s\n", ok
		if (!(1 in q))
			exit
		printf "\nsustained: a loop of %d calls pinned to each connecting CPU:\n", calls
		for (c = 1; c <= 2; c++)
			if (c in q)
				print q[c]
		for (c = 1; c <= 2; c++)
			if (c in q)
				printf "sustained without loss, %d CPU(s) connecting: %s\n", c, sus[c]
		if (!nu[1])
			exit
		printf "\nscaling: a loop of %d calls pinned to each connecting CPU, unpaced, in connects/s\n", scalecalls
		printf "(means of the runs: untraced before the load and after each unload; module\n"
		printf "alone in flight mode with no reader; %% of untraced):\n"
		for (c = 1; c <= 2; c++)
			if (nu[c] && nr["T", c] && nr["M", c]) {
				uc = u[c] / nu[c]
				tc = r["T", c] / nr["T", c]
				mc = r["M", c] / nr["M", c]
				printf "  %d CPU(s): untraced %7d, tool streaming %7d (%2.0f %%), module alone %7d (%2.0f %%)\n",
					c, uc, tc, 100 * tc / uc, mc, 100 * mc / uc
			}
	}'
