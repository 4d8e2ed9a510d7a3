#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fleet-check: the path from connprobe to a Prometheus server, with
# Debian's own servers, on the loopback only:
#  - the alert rules (dist/prometheus/connprobe-rules.yml) pass
#    promtool check rules, and promtool test rules on sample series;
#  - connprobe prom --textfile, as connprobe-exporter.service runs it,
#    counts the records of a synthetic capture (the tests' mkcapture) in
#    a fake debugfs (the host cannot load the module), whose stats file
#    changes meanwhile;
#  - prometheus-node-exporter serves that file through its textfile
#    collector, as another user (as Debian runs it);
#  - a prometheus server scrapes it every second, with the rules loaded;
#    PromQL over its HTTP API must give back what the capture holds,
#    counted here from the capture's CSV: connects, refusals per family,
#    a histogram bucket, the p99 latency from histogram_quantile, the
#    losses.
# Random free ports, a temporary configuration and storage; every process
# it started is stopped and every file removed at exit.  Needs root (the
# tool's live path).  Prints TAP lines; exits non-zero if a check failed.
# shellcheck disable=SC2317 # functions that result, until_true and the trap run
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tool=$top/tools/connprobe/connprobe
mkcapture=$top/tools/connprobe/tests/build/opt/mkcapture
rules=$top/dist/prometheus/connprobe-rules.yml
records=2000
failed=0

ok() { echo "ok - fleet: $1"; }
not_ok() { echo "not ok - fleet: $1"; failed=1; }

# result NAME COMMAND...: one TAP line for whether COMMAND succeeds.
result() {
	local name=$1
	shift
	if "$@"; then
		ok "$name"
	else
		not_ok "$name"
	fi
}

# --- the rules ------------------------------------------------------------
if ! command -v promtool >/dev/null; then
	not_ok "promtool not found (scripts/install-deps.sh installs prometheus)"
	exit 1
fi
tmp=$(mktemp -d /tmp/fleet-check.XXXXXX)
pids=()

# stop: SIGTERM to every process started here, then wait for each (5 s at
# most, then SIGKILL).  Returns non-zero if one had to be killed.
stop() {
	local pid i rc=0
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${pids[@]}"; do
		for ((i = 0; i < 50; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null; then
			kill -KILL "$pid" 2>/dev/null
			rc=1
		fi
		wait "$pid" 2>/dev/null
	done
	pids=()
	return "$rc"
}
trap 'stop; rm -rf "$tmp"' EXIT

# promtool's output as comments, when it failed.
promtool_says() {
	if promtool "$@" >"$tmp/promtool.out" 2>&1; then
		return 0
	fi
	sed 's/^/# /' "$tmp/promtool.out"
	return 1
}
result "promtool check rules: connprobe-rules.yml" \
	promtool_says check rules "$rules"
result "promtool test rules: the alerts fire on sample series, and only there" \
	promtool_says test rules "${rules%.yml}.test.yml"

# --- the metrics ------------------------------------------------------------
for cmd in prometheus prometheus-node-exporter curl jq; do
	if ! command -v $cmd >/dev/null; then
		not_ok "$cmd not found (scripts/install-deps.sh installs it)"
		exit 1
	fi
done
if [ "$(id -u)" != 0 ]; then
	ok "prometheus scrapes connprobe's metrics # SKIP not root"
	exit $failed
fi
if ! make -s -C "$top/tools/connprobe" connprobe mkcapture >&2; then
	not_ok "build the tool and mkcapture"
	exit 1
fi

# The capture, and the same records in a fake debugfs.  The stats file
# starts at 3 records lost and 5 calls missed; the tool counts what is
# lost after its start.
fake=$tmp/debugfs/connprobe textfile=$tmp/textfile
mkdir -p "$fake" "$textfile" "$tmp/data"
"$mkcapture" -n $records -o "$tmp/capture.data" &&
	"$mkcapture" -n $records --raw -o "$fake/cpu0" || exit 1
# fake_stats LOST MISSED: the module's stats file, replaced at once.
fake_stats() {
	printf '%s\n' "cpu 0 written $((records + $1)) read $records lost $1 buffered 0" \
		"total written $((records + $1)) read $records lost $1 buffered 0" \
		"probe __sys_connect nmissed $2 kp_nmissed 0 maxactive 4096" \
		>"$fake/stats.new" && mv "$fake/stats.new" "$fake/stats"
}
fake_stats 3 5

# What PromQL must find, counted from the capture's records (CSV).
"$tool" report -i "$tmp/capture.data" --csv >"$tmp/capture.csv" 2>/dev/null
# csv_awk PROGRAM: awk over the CSV, its columns by name in col[].
csv_awk() {
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		'"$1" "$tmp/capture.csv"
}
want_connects=$(csv_awk '$col["event"] == "connect" { n++ } END { print n + 0 }')
want_refused=$(csv_awk '$col["error"] == "ECONNREFUSED" { n[$col["family"]]++ }
	END { for (f in n) print "family=" f, n[f] }' | sort)
# Refused calls and completions per destination, as connprobe prom
# bounds them: in record order, the first 64 IPv4/IPv6 destinations with
# a failure get their own series, later ones count as "other".
want_refused_dest=$(csv_awk '
	($col["family"] == "inet" || $col["family"] == "inet6") && $col["daddr"] != "" &&
	(($col["event"] == "complete" && ($col["abandoned"] == "true" || $col["ret"] != 0)) ||
	 ($col["event"] == "connect" && $col["ret"] < 0 && $col["ret"] != -115)) {
		d = "destination=" $col["daddr"] ",port=" $col["dport"]
		if (!(d in named)) {
			if (nnamed < 64) { named[d] = 1; nnamed++ }
			else d = "destination=other"	# port="": no label
		}
		if ($col["error"] == "ECONNREFUSED" && $col["abandoned"] != "true")
			n[d]++
	}
	END { for (d in n) print d, n[d] }' | sort)
want_fast_ok=$(csv_awk '$col["event"] == "connect" && $col["ret"] == 0 &&
	$col["latency_ns"] <= 100000 { n++ } END { print n + 0 }')
# The latencies of connect calls, ns, sorted: all, and successful ones.
csv_awk '$col["event"] == "connect" { print $col["latency_ns"] }' |
	sort -n >"$tmp/lat.all"
csv_awk '$col["event"] == "connect" && $col["ret"] == 0 { print $col["latency_ns"] }' |
	sort -n >"$tmp/lat.ok"

# The buckets' upper bounds (s), as connprobe prom writes them.
les=$(sed -n 's/^connprobe_connect_duration_seconds_bucket{outcome="OK",le="\([0-9.]*\)"}.*/\1/p' \
	<("$tool" report -i "$tmp/capture.data" --prom 2>/dev/null) | tr '\n' ' ')

# quantile Q FILE: what histogram_quantile(Q, ...) gives for the
# latencies in FILE put in those buckets (Prometheus's bucketQuantile:
# linear within the bucket the rank falls in, the highest finite bound if
# it falls in +Inf); then the exact Q-quantile (nearest rank) and the
# bounds of its bucket.
quantile() {
	awk -v q="$1" -v les="$les" '
		BEGIN { nb = split(les, le, " ") }
		{ lat[NR] = $1 / 1e9
		  for (b = 1; b <= nb && lat[NR] > le[b] + 0; b++)
			;
		  in_b[b]++ }
		END {
			rank = q * NR
			for (b = 1; b <= nb + 1; b++) {
				cum[b] = cum[b - 1] + in_b[b]
				if (!found && cum[b] >= rank) { found = b }
			}
			if (found > nb) {
				est = le[nb]
			} else {
				lo = found > 1 ? le[found - 1] : 0
				est = lo + (le[found] - lo) * (rank - cum[found - 1]) / in_b[found]
			}
			r = int(rank); if (r < rank) r++
			exact = lat[r]
			for (b = 1; b <= nb && exact > le[b] + 0; b++)
				;
			printf "%.17g %.9g %s %s\n", est, exact,
				(b > 1 ? le[b - 1] : 0), (b > nb ? "+Inf" : le[b])
		}' "$2"
}
read -r want_p99_all exact_p99_all lo_all hi_all < <(quantile 0.99 "$tmp/lat.all")
read -r want_p99_ok exact_p99_ok lo_ok hi_ok < <(quantile 0.99 "$tmp/lat.ok")

# --- the servers ------------------------------------------------------------
# free_port: a random port nothing listens on.
free_port() {
	local p i
	for ((i = 0; i < 100; i++)); do
		p=$((20000 + RANDOM % 40000))
		if [ -z "$(ss -Hltn "sport = :$p")" ]; then
			echo $p
			return 0
		fi
	done
	return 1
}

# The servers run as nobody, as Debian runs them as their own user: the
# textfile must be readable to another user.
chmod 0755 "$tmp" "$textfile"
chown nobody "$tmp/data"
cp "$rules" "$tmp/connprobe-rules.yml"
as_nobody=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)

# The tool as the service runs it, writing every 0.5 s.
"$tool" prom --debugfs "$tmp/debugfs" --textfile "$textfile" \
	--interval 0.5 --duration 120 2>"$tmp/prom.err" &
pids+=($!)

if ! ne_port=$(free_port) || ! pr_port=$(free_port); then
	not_ok "free ports"
	exit 1
fi
while [ "$pr_port" = "$ne_port" ]; do
	pr_port=$(free_port)
done
"${as_nobody[@]}" prometheus-node-exporter \
	--web.listen-address="127.0.0.1:$ne_port" \
	--collector.disable-defaults --collector.textfile \
	--collector.textfile.directory="$textfile" >"$tmp/ne.log" 2>&1 &
pids+=($!)
cat >"$tmp/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $tmp/connprobe-rules.yml
scrape_configs:
  - job_name: connprobe-fleet-check
    static_configs:
      - targets: ['127.0.0.1:$ne_port']
EOF
"${as_nobody[@]}" prometheus --config.file="$tmp/prometheus.yml" \
	--storage.tsdb.path="$tmp/data" \
	--web.listen-address="127.0.0.1:$pr_port" >"$tmp/prometheus.log" 2>&1 &
pids+=($!)
api=http://127.0.0.1:$pr_port/api/v1

# query PROMQL: the result's values, one "labels value" line per sample
# (labels as name=value,... sorted, without job and instance).
query() {
	curl -sf --max-time 5 -G --data-urlencode "query=$1" "$api/query" |
		jq -r '.data.result[] |
			([.metric | to_entries[] |
			  select(.key != "__name__" and .key != "job" and
				 .key != "instance") |
			  "\(.key)=\(.value)"] | sort | join(",")) + " " + .value[1]' |
		sort
}

# until_true SECONDS COMMAND...: retry COMMAND every 0.5 s, for at most
# SECONDS.
until_true() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.5
	done
}

# The stats file moves on: 4 more records lost, 1 more call missed.
until_true 10 test -s "$textfile/connprobe.prom"
fake_stats 7 6

scraped() {
	[ "$(query 'up{job="connprobe-fleet-check"}')" = " 1" ] &&
		[ "$(query 'connprobe_lost_records_total')" = " 4" ]
}
if until_true 60 scraped; then
	ok "prometheus scrapes node_exporter's textfile collector on connprobe.prom"
else
	sed 's/^/# node_exporter: /' "$tmp/ne.log" | tail -n 5
	sed 's/^/# prometheus: /' "$tmp/prometheus.log" | tail -n 5
	sed 's/^/# connprobe: /' "$tmp/prom.err" | tail -n 5
	echo "# up: $(query 'up') lost: $(query connprobe_lost_records_total)"
	not_ok "prometheus scrapes node_exporter's textfile collector on connprobe.prom"
	exit 1
fi
echo "# node_exporter on 127.0.0.1:$ne_port, prometheus on 127.0.0.1:$pr_port"

# same NAME PROMQL WANT: the query's answer is WANT; both as comments.
same() {
	local got
	got=$(query "$2")
	echo "# $(tr -s '\n\t' '  ' <<<"$2")"
	echo "#   -> ${got//$'\n'/; }"
	if [ "$got" = "$3" ]; then
		ok "$1"
	else
		echo "#   want ${3//$'\n'/; }"
		not_ok "$1"
	fi
}
same "connect() calls: $want_connects, as in the capture" \
	'sum(connprobe_connect_calls_total)' " $want_connects"
same "refused connects and completions per family, as in the capture" \
	'sum by (family) (connprobe_connect_calls_total{outcome="ECONNREFUSED"})
	 + sum by (family) (connprobe_connect_completions_total{outcome="ECONNREFUSED"})' \
	"$want_refused"
same "refused connects and completions per destination (64 named, then \"other\"), as in the capture" \
	'sum by (destination, port) (connprobe_connect_failures_by_destination_total{outcome="ECONNREFUSED"})' \
	"$want_refused_dest"
same "successful connects within 100 us (bucket le=0.0001): $want_fast_ok" \
	'connprobe_connect_duration_seconds_bucket{outcome="OK",le="0.0001"}' \
	"le=0.0001,outcome=OK $want_fast_ok"
same "records lost and calls missed since the tool started: 4 and 1" \
	'sum(connprobe_lost_records_total) + sum(connprobe_missed_calls_total)' " 5"

# near NAME PROMQL WANT EXACT LO HI: the quantile Prometheus estimates is
# WANT (to 1e-9), and the exact quantile lies in its bucket (LO, HI].
near() {
	local got
	got=$(query "$2")
	got=${got# }
	echo "# $(tr -s '\n\t' '  ' <<<"$2")"
	echo "#   -> $got; from the capture: $4, bucket ($5, $6]"
	if awk -v g="$got" -v w="$3" -v lo="$5" -v hi="$6" 'BEGIN {
		d = g - w; if (d < 0) d = -d
		exit !(g != "" && d <= 1e-9 * (w < 0 ? -w : w) + 1e-12 &&
		       g > lo + 0 && (hi == "+Inf" || g <= hi + 0))
	}'; then
		ok "$1"
	else
		echo "#   want $3"
		not_ok "$1"
	fi
}
near "p99 of all connect() calls (histogram_quantile): $(printf %.6g "$want_p99_all") s" \
	'histogram_quantile(0.99, sum by (le) (connprobe_connect_duration_seconds_bucket))' \
	"$want_p99_all" "$exact_p99_all" "$lo_all" "$hi_all"
near "p99 of successful connects (histogram_quantile): $(printf %.6g "$want_p99_ok") s" \
	'histogram_quantile(0.99, sum by (le) (connprobe_connect_duration_seconds_bucket{outcome="OK"}))' \
	"$want_p99_ok" "$exact_p99_ok" "$lo_ok" "$hi_ok"

rules_loaded() {
	local got
	got=$(curl -sf --max-time 5 "$api/rules" |
		jq -r '[.data.groups[].rules[] | select(.health == "ok")] | length')
	[ "$got" = "$(grep -c -- '- \(record\|alert\):' "$rules")" ]
}
result "prometheus loaded connprobe-rules.yml, every rule evaluates" \
	until_true 10 rules_loaded

result "every process started here stopped on SIGTERM" stop
exit $failed
