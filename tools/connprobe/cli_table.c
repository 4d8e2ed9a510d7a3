// SPDX-License-Identifier: GPL-2.0
/*
 * Every option and command.  connprobe.8 documents the same options; a
 * test checks that each one --help lists is in the man page.
 */
#include "cli_table.h"

#define B(c)		CMD_BIT(CMD_##c)
#define LIVE		(B(TRACE) | B(RECORD) | B(HIST) | B(SUMMARY) | B(TOP) | B(PROM))
#define FILTERING	(LIVE | B(REPORT))
#define STREAMING	(B(TRACE) | B(REPORT))

const struct cli_opt cli_opts[] = {
	{ 'p', "pid", "PID", FILTERING, GROUP_FILTER, "only process PID" },
	{ OPT_TID, "tid", "TID", FILTERING, GROUP_FILTER, "only thread TID" },
	{ 'u', "uid", "UID", FILTERING, GROUP_FILTER, "only tasks of real user id UID" },
	{ 'P', "port", "PORT", FILTERING, GROUP_FILTER,
	  "only destination port PORT; repeat it or give a\ncomma list (at most 16 ports)" },
	{ '4', "ipv4", NULL, FILTERING, GROUP_FILTER,
	  "only IPv4 destinations, IPv4-mapped IPv6 ones\n(::ffff:a.b.c.d) included" },
	{ '6', "ipv6", NULL, FILTERING, GROUP_FILTER,
	  "only IPv6 destinations, not IPv4-mapped ones" },
	{ OPT_FAILED, "failed", NULL, FILTERING, GROUP_FILTER,
	  "only failures: errors other than EINPROGRESS,\nfailed or abandoned completions" },
	{ OPT_ERRNO, "errno", "NAME", FILTERING, GROUP_FILTER,
	  "only this error, by name (ECONNREFUSED) or number;\nrepeatable; EINTR also matches ERESTARTSYS" },
	{ OPT_MIN_LATENCY, "min-latency", "TIME", FILTERING, GROUP_FILTER,
	  "only records at least this slow: milliseconds,\nor with a unit (ns, us, ms, s): 250us, 1.5s" },
	{ OPT_COMM, "comm", "COMM", FILTERING, GROUP_FILTER,
	  "only tasks named COMM (exact, at most 15 chars)" },
	{ OPT_CGROUP, "cgroup", "PATH", FILTERING, GROUP_FILTER,
	  "only tasks in cgroup v2 PATH or below; PATH is\nbelow the cgroup2 mount or starts with it" },

	{ 'j', "json", NULL, STREAMING | B(STATS) | B(HIST) | B(SUMMARY),
	  GROUP_OUTPUT, "JSON (JSON Lines for the record stream)" },
	{ OPT_IN_PROGRESS, "in-progress", NULL, STREAMING, GROUP_OUTPUT,
	  "only connects still in progress at the end: those\nthat returned EINPROGRESS (or were interrupted)\nand whose attempt has not ended, shown when the\ntrace stops or the capture ends" },
	{ OPT_CSV, "csv", NULL, STREAMING, GROUP_OUTPUT,
	  "CSV with a header row (the JSON keys)" },
	{ 'T', "time", NULL, STREAMING, GROUP_OUTPUT,
	  "wall-clock time: TIME is the local time of day;\nJSON and CSV add \"time\" (RFC 3339, UTC)" },
	{ 'w', "wide", NULL, STREAMING, GROUP_OUTPUT,
	  "address columns IPv6-wide, addresses whole, and\nthe UID and CONTAINER columns" },
	{ 't', "timestamp", NULL, STREAMING, GROUP_OUTPUT,
	  "the TIME(s) column, seconds since the first\nrecord, as bcc's -t (the table always has it)" },
	{ 'U', "print-uid", NULL, STREAMING, GROUP_OUTPUT, "add a UID column" },
	{ 'L', "lport", NULL, STREAMING, GROUP_OUTPUT,
	  "the local port, as bcc's -L: the table always has\nit (SPORT); with -c, count per local port too" },
	{ 'c', "count", NULL, STREAMING, GROUP_OUTPUT,
	  "count connect() calls per source address and\ndestination address and port; print the counts\nat the end, largest first (bcc's tcpconnect -c)" },
	{ 'd', "dns", NULL, LIVE | B(REPORT), GROUP_OUTPUT,
	  "not supported: bcc's tcpconnect -d shows the DNS\nquery behind each connect; connprobe traces\nconnect() alone and exits 2 (--duration: -d\nof earlier versions)" },
	{ 'm', "milliseconds", NULL, B(HIST) | B(REPORT), GROUP_OUTPUT,
	  "histograms in milliseconds, not microseconds" },
	{ 'n', "rows", "N", B(SUMMARY) | B(TOP) | B(REPORT), GROUP_OUTPUT,
	  "at most N rows per table (default: summary all,\ntop 10)" },

	{ 'i', "input", "FILE", B(REPORT), GROUP_RUN,
	  "the capture to read (default " DEFAULT_CAPTURE ";\n- for standard input)" },
	{ OPT_SUMMARY, "summary", NULL, B(REPORT), GROUP_RUN,
	  "show the capture as summary does" },
	{ OPT_HIST, "hist", NULL, B(REPORT), GROUP_RUN,
	  "show the capture as hist does" },
	{ OPT_PROM, "prom", NULL, B(REPORT), GROUP_RUN,
	  "show the capture as prom does (to stdout)" },
	{ OPT_HEATMAP, "heatmap", "FILE", B(REPORT), GROUP_RUN,
	  "write the latency heat map to FILE (SVG; - for\nstandard output): a panel per outcome, time\nacross, log2 latency up, count as colour" },
	{ OPT_INFO, "info", NULL, B(REPORT), GROUP_RUN,
	  "show where and when the capture was taken" },
	{ 'o', "output", "FILE", B(RECORD), GROUP_RUN,
	  "the capture to write (default " DEFAULT_CAPTURE ";\n- for standard output)" },
	{ OPT_TEXTFILE, "textfile", "DIR", B(PROM), GROUP_RUN,
	  "write DIR/connprobe.prom (atomically) every\ninterval and at the end, for node_exporter's\ntextfile collector; without it, print once at\nthe end" },
	{ 'I', "interval", "SECONDS", B(TOP) | B(PROM), GROUP_RUN,
	  "refresh every SECONDS (top: 1, prom: 15)" },
	{ OPT_DURATION, "duration", "SECONDS", LIVE, GROUP_RUN,
	  "stop after SECONDS (fractions allowed), as on\nSIGINT" },
	{ OPT_DEBUGFS, "debugfs", "DIR", LIVE | B(STATS), GROUP_RUN,
	  "debugfs mount point (default " DEFAULT_DEBUGFS ");\nfor testing: skips the debugfs mount and\n/sys/module/connprobe checks" },
	{ OPT_CGROUPFS, "cgroupfs", "DIR", LIVE, GROUP_RUN,
	  "cgroup v2 mount point (default: the first\ncgroup2 mount in /proc/self/mountinfo)" },
	{ 'V', "version", NULL, ~0u, GROUP_RUN, "print the version and exit" },
	{ 'h', "help", NULL, ~0u, GROUP_RUN, "show this help" },
};

const unsigned int cli_nr_opts = sizeof(cli_opts) / sizeof(cli_opts[0]);
_Static_assert(sizeof(cli_opts) / sizeof(cli_opts[0]) <= CLI_MAX_OPTS,
	       "raise CLI_MAX_OPTS");

const struct cli_command cli_commands[NR_CMDS] = {
	[CMD_TRACE] = {
		"trace", "stream one line per connect() (the default)",
		"[trace] [OPTIONS] [MIN_MS]",
		"Stream the connect() calls the module records, one line each,\n"
		"sorted by time, until SIGINT/SIGTERM or the end of --duration;\n"
		"then print what is still buffered and report records read and\n"
		"lost on stderr.  The header is printed once; the address columns\n"
		"fit IPv4, and a longer address keeps its tail after '..' (-w:\n"
		"IPv6-wide columns, whole addresses).\n",
		"  connprobe                     # table until Ctrl-C\n"
		"  connprobe --json --duration 10  # JSON Lines for 10 seconds\n"
		"  connprobe 10                  # connects of 10 ms or more\n"
		"  connprobe -c --duration 60    # counts per source, destination\n"
		"  connprobe -P 443 --failed -T  # failing HTTPS connects\n",
		true,
	},
	[CMD_STATS] = {
		"stats", "the module's written/lost/missed counters",
		"stats [OPTIONS]",
		"Print the module's counters: records written and lost per CPU and\n"
		"in total; per probe, calls missed because maxactive was exhausted\n"
		"(nmissed) or because the probe hit inside a handler (kp_nmissed);\n"
		"TCP attempts untracked and those gone with their socket unrecorded\n"
		"(attempts_untracked, attempts_reclaimed); what the filter turned away.\n",
		"  connprobe stats --json\n",
		true,
	},
	[CMD_RECORD] = {
		"record", "save the records to a capture file",
		"record [-o FILE] [OPTIONS]",
		"Write the records that pass the filters, exactly as the kernel\n"
		"wrote them, to a capture file, with the host name, the clock\n"
		"offset, what was lost and the cgroup paths; until SIGINT/SIGTERM\n"
		"or the end of --duration.  Read it with 'connprobe report'.  The\n"
		"file is 0644 less the umask (report needs no root); a capture\n"
		"already there is kept as FILE.old.\n",
		"  connprobe record --duration 60 -o web1.data\n",
		true,
	},
	[CMD_REPORT] = {
		"report", "show a capture: stream, --summary, --hist, --prom",
		"report [-i FILE] [--summary|--hist|--prom|--heatmap FILE|--info]\n"
		"       [OPTIONS]",
		"Show a capture made by 'connprobe record' as the live commands\n"
		"show the module: the record stream by default, or the summary,\n"
		"hist or prom view; filters apply.  Needs no root.  A file that\n"
		"is truncated, of another version or not a capture is refused.\n",
		"  connprobe report -i web1.data --summary\n"
		"  connprobe report -i web1.data --json --errno ETIMEDOUT\n"
		"  connprobe report -i web1.data --heatmap web1.svg\n",
		false,
	},
	[CMD_HIST] = {
		"hist", "log2 latency histograms, one per outcome",
		"hist [-m] [OPTIONS]",
		"Count the records into log2 latency histograms, one per outcome\n"
		"(OK, ECONNREFUSED, EINPROGRESS, done:OK for a completion, ...),\n"
		"as bcc's tools draw them; print them at SIGINT or the end of\n"
		"--duration, with the number of records and of records lost.\n",
		"  connprobe hist --duration 30\n"
		"  connprobe hist -m -P 5432\n",
		true,
	},
	[CMD_SUMMARY] = {
		"summary", "count, failure rate, p50/p99/max per outcome,\n"
		"            destination and process",
		"summary [OPTIONS]",
		"Aggregate the records and print, per outcome, per destination and\n"
		"per process: count, failure rate and p50/p99/max latency, at\n"
		"SIGINT or the end of --duration, with records read and lost.\n"
		"Per destination and process, a connect left in progress\n"
		"(EINPROGRESS, or interrupted by a signal) counts once, with the\n"
		"latency and result of its completion (tcpconnlat's connect\n"
		"latency); until that comes it is 'in progress', as --in-progress\n"
		"has it.\n"
		"Percentiles are within 1/32 of the exact value; max is exact.\n",
		"  connprobe summary --duration 60\n"
		"  connprobe summary --json --cgroup /system.slice\n",
		true,
	},
	[CMD_TOP] = {
		"top", "the summary of the last interval, refreshed",
		"top [-I SECONDS] [-n N] [OPTIONS]",
		"Show the summary of the last interval, redrawn every interval\n"
		"(the screen is cleared on a terminal), largest groups first.\n",
		"  connprobe top -I 2 -n 5\n",
		true,
	},
	[CMD_PROM] = {
		"prom", "metrics for node_exporter's textfile collector",
		"prom [--textfile DIR] [-I SECONDS] [OPTIONS]",
		"Count the records as Prometheus metrics: connects and completions\n"
		"by outcome, family and protocol, latency histograms by outcome\n"
		"(le buckets from 100us to 120s), lost records and missed calls.\n"
		"Counters count from the start of the run.\n",
		"  connprobe prom --textfile /var/lib/node_exporter/textfile\n"
		"  connprobe prom --duration 10 | promtool check metrics\n",
		true,
	},
};
