// SPDX-License-Identifier: GPL-2.0
/* connprobe's command line, from one table of every option; a source wired to a sink. */
#include <ctype.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "capture.h"
#include "format.h"
#include "live.h"
#include "row.h"
#include "stats.h"
#include "views.h"

enum cli_cmd {
	CMD_TRACE, CMD_STATS, CMD_RECORD, CMD_REPORT, CMD_HIST,
	CMD_SUMMARY, CMD_TOP, CMD_PROM, NR_CMDS,
};

/* Every option, in --help's order: filters, output, then the rest. */
enum cli_opt_id {
	O_PID, O_TID, O_UID, O_PORT, O_IPV4, O_IPV6, O_FAILED, O_ERRNO, O_MIN_LATENCY,
	O_COMM, O_CGROUP,
	O_JSON, O_IN_PROGRESS, O_CSV, O_TIME, O_WIDE, O_TIMESTAMP, O_PRINT_UID, O_LPORT, O_COUNT,
	O_DNS, O_MSECS, O_ROWS,
	O_INPUT, O_SUMMARY, O_HIST, O_PROM, O_HEATMAP, O_INFO, O_OUTPUT, O_TEXTFILE, O_INTERVAL,
	O_DURATION, O_DEBUGFS, O_CGROUPFS, O_VERSION, O_HELP, NR_OPTS,
	VIEW_STREAM = NR_OPTS,	/* report's view without one of its options */
};

#define DEFAULT_DEBUGFS		"/sys/kernel/debug"
#define DEFAULT_CAPTURE		"connprobe.data"

struct cli {
	enum cli_cmd cmd;
	bool named;			/* the command was given by name */
	const char *arg[NR_OPTS];	/* "" if it takes no argument; NULL: not given */
	unsigned long long given;	/* 1ull << each option given */
	struct cp_filter filter;	/* the filter options, parsed */
	unsigned int rows;		/* -n, or top's default; 0: all */
	double duration, interval;	/* --duration (0: until SIGINT); -I */
	enum cli_opt_id view;		/* report's: one of VIEWS, or VIEW_STREAM */
};

/* Keeps duration * 1e9 well inside a long long of nanoseconds. */
#define MAX_DURATION_S		(365.0 * 24 * 3600)
#define OPT_COLUMN		27	/* where --help's descriptions start */
#define OPT_BIT(o)		(1ull << (o))
#define OB(name)		OPT_BIT(O_##name)
#define VIEWS	(OB(SUMMARY) | OB(HIST) | OB(PROM) | OB(HEATMAP) | OB(INFO))

struct cli_opt {
	char letter;		/* the short option; 0: none */
	const char *name;	/* long name */
	const char *arg;	/* argument's name; NULL: takes none */
	unsigned int cmds;	/* B()s of the commands taking it */
	const char *help;	/* lines after the first start with '\n' */
};

struct cli_command {
	const char *name;
	const char *summary;	/* one line, for the command list */
	const char *usage;	/* after "Usage: connprobe " */
	const char *description, *examples;
};

#define B(c)		(1u << CMD_##c)
#define LIVE		(B(TRACE) | B(RECORD) | B(HIST) | B(SUMMARY) | B(TOP) | B(PROM))
#define FILTERING	(LIVE | B(REPORT))
#define STREAMING	(B(TRACE) | B(REPORT))

static const struct cli_opt opts[NR_OPTS] = {
	[O_PID] = { 'p', "pid", "PID", FILTERING, "only process PID" },
	[O_TID] = { 0, "tid", "TID", FILTERING, "only thread TID" },
	[O_UID] = { 'u', "uid", "UID", FILTERING, "only tasks of real user id UID" },
	[O_PORT] = { 'P', "port", "PORT", FILTERING,
	  "only destination port PORT; repeat it or give a\ncomma list (at most 16 ports)" },
	[O_IPV4] = { '4', "ipv4", NULL, FILTERING,
	  "only IPv4 destinations, IPv4-mapped IPv6 ones\n(::ffff:a.b.c.d) included" },
	[O_IPV6] = { '6', "ipv6", NULL, FILTERING, "only IPv6 destinations, not IPv4-mapped ones" },
	[O_FAILED] = { 0, "failed", NULL, FILTERING,
	  "only failures: errors other than EINPROGRESS,\nfailed or abandoned completions" },
	[O_ERRNO] = { 0, "errno", "NAME", FILTERING,
	  "only this error, by name (ECONNREFUSED) or number;\nrepeatable; EINTR also matches ERESTARTSYS" },
	[O_MIN_LATENCY] = { 0, "min-latency", "TIME", FILTERING,
	  "only records at least this slow: milliseconds,\nor with a unit (ns, us, ms, s): 250us, 1.5s" },
	[O_COMM] = { 0, "comm", "COMM", FILTERING,
	  "only tasks named COMM (exact, at most 15 chars)" },
	[O_CGROUP] = { 0, "cgroup", "PATH", FILTERING,
	  "only tasks in cgroup v2 PATH or below; PATH is\nbelow the cgroup2 mount or starts with it" },

	[O_JSON] = { 'j', "json", NULL, STREAMING | B(STATS) | B(HIST) | B(SUMMARY),
	  "JSON (JSON Lines for the record stream)" },
	[O_IN_PROGRESS] = { 0, "in-progress", NULL, STREAMING,
	  "only connects still in progress at the end: those\nthat returned EINPROGRESS (or were interrupted)\nand whose attempt has not ended, shown when the\ntrace stops or the capture ends" },
	[O_CSV] = { 0, "csv", NULL, STREAMING, "CSV with a header row (the JSON keys)" },
	[O_TIME] = { 'T', "time", NULL, STREAMING,
	  "wall-clock time: TIME is the local time of day;\nJSON and CSV add \"time\" (RFC 3339, UTC)" },
	[O_WIDE] = { 'w', "wide", NULL, STREAMING,
	  "address columns IPv6-wide, addresses whole, and\nthe UID and CONTAINER columns" },
	[O_TIMESTAMP] = { 't', "timestamp", NULL, STREAMING,
	  "the TIME(s) column, seconds since the first\nrecord, as bcc's -t (the table always has it)" },
	[O_PRINT_UID] = { 'U', "print-uid", NULL, STREAMING, "add a UID column" },
	[O_LPORT] = { 'L', "lport", NULL, STREAMING,
	  "the local port, as bcc's -L: the table always has\nit (SPORT); with -c, count per local port too" },
	[O_COUNT] = { 'c', "count", NULL, STREAMING,
	  "count connect() calls per source address and\ndestination address and port; print the counts\nat the end, largest first (bcc's tcpconnect -c)" },
	[O_DNS] = { 'd', "dns", NULL, LIVE | B(REPORT),
	  "not supported: bcc's tcpconnect -d shows the DNS\nquery behind each connect; connprobe traces\nconnect() alone and exits 2 (--duration: -d\nof earlier versions)" },
	[O_MSECS] = { 'm', "milliseconds", NULL, B(HIST) | B(REPORT),
	  "histograms in milliseconds, not microseconds" },
	[O_ROWS] = { 'n', "rows", "N", B(SUMMARY) | B(TOP) | B(REPORT),
	  "at most N rows per table (default: summary all,\ntop 10)" },

	[O_INPUT] = { 'i', "input", "FILE", B(REPORT),
	  "the capture to read (default " DEFAULT_CAPTURE ";\n- for standard input)" },
	[O_SUMMARY] = { 0, "summary", NULL, B(REPORT), "show the capture as summary does" },
	[O_HIST] = { 0, "hist", NULL, B(REPORT), "show the capture as hist does" },
	[O_PROM] = { 0, "prom", NULL, B(REPORT), "show the capture as prom does (to stdout)" },
	[O_HEATMAP] = { 0, "heatmap", "FILE", B(REPORT),
	  "write the latency heat map to FILE (SVG; - for\nstandard output): a panel per outcome, time\nacross, log2 latency up, count as colour" },
	[O_INFO] = { 0, "info", NULL, B(REPORT), "show where and when the capture was taken" },
	[O_OUTPUT] = { 'o', "output", "FILE", B(RECORD),
	  "the capture to write (default " DEFAULT_CAPTURE ";\n- for standard output)" },
	[O_TEXTFILE] = { 0, "textfile", "DIR", B(PROM),
	  "write DIR/connprobe.prom (atomically) every\ninterval and at the end, for node_exporter's\ntextfile collector; without it, print once at\nthe end" },
	[O_INTERVAL] = { 'I', "interval", "SECONDS", B(TOP) | B(PROM),
	  "refresh every SECONDS (top: 1, prom: 15)" },
	[O_DURATION] = { 0, "duration", "SECONDS", LIVE,
	  "stop after SECONDS (fractions allowed), as on\nSIGINT" },
	[O_DEBUGFS] = { 0, "debugfs", "DIR", LIVE | B(STATS),
	  "debugfs mount point (default " DEFAULT_DEBUGFS ");\nfor testing: skips the debugfs mount and\n/sys/module/connprobe checks" },
	[O_CGROUPFS] = { 0, "cgroupfs", "DIR", LIVE,
	  "cgroup v2 mount point (default: the first\ncgroup2 mount in /proc/self/mountinfo)" },
	[O_VERSION] = { 'V', "version", NULL, ~0u, "print the version and exit" },
	[O_HELP] = { 'h', "help", NULL, ~0u, "show this help" },
};

static const struct cli_command commands[NR_CMDS] = {
	[CMD_TRACE] = { "trace", "stream one line per connect() (the default)",
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
		"  connprobe -P 443 --failed -T  # failing HTTPS connects\n" },
	[CMD_STATS] = { "stats", "the module's written/lost/missed counters", "stats [OPTIONS]",
		"Print the module's counters: records written and lost per CPU and\n"
		"in total; per probe, calls missed because maxactive was exhausted\n"
		"(nmissed) or because the probe hit inside a handler (kp_nmissed);\n"
		"TCP attempts untracked and those gone with their socket unrecorded\n"
		"(attempts_untracked, attempts_reclaimed); what the filter turned away.\n",
		"  connprobe stats --json\n" },
	[CMD_RECORD] = { "record", "save the records to a capture file",
		"record [-o FILE] [OPTIONS]",
		"Write the records that pass the filters, exactly as the kernel\n"
		"wrote them, to a capture file, with the host name, the clock\n"
		"offset, what was lost and the cgroup paths; until SIGINT/SIGTERM\n"
		"or the end of --duration.  Read it with 'connprobe report'.  The\n"
		"file is 0644 less the umask (report needs no root); a capture\n"
		"already there is kept as FILE.old.\n",
		"  connprobe record --duration 60 -o web1.data\n" },
	[CMD_REPORT] = { "report", "show a capture: stream, --summary, --hist, --prom",
		"report [-i FILE] [--summary|--hist|--prom|--heatmap FILE|--info]\n"
		"       [OPTIONS]",
		"Show a capture made by 'connprobe record' as the live commands\n"
		"show the module: the record stream by default, or the summary,\n"
		"hist or prom view; filters apply.  Needs no root.  A file that\n"
		"is truncated, of another version or not a capture is refused.\n",
		"  connprobe report -i web1.data --summary\n"
		"  connprobe report -i web1.data --json --errno ETIMEDOUT\n"
		"  connprobe report -i web1.data --heatmap web1.svg\n" },
	[CMD_HIST] = { "hist", "log2 latency histograms, one per outcome", "hist [-m] [OPTIONS]",
		"Count the records into log2 latency histograms, one per outcome\n"
		"(OK, ECONNREFUSED, EINPROGRESS, done:OK for a completion, ...),\n"
		"as bcc's tools draw them; print them at SIGINT or the end of\n"
		"--duration, with the number of records and of records lost.\n",
		"  connprobe hist --duration 30\n"
		"  connprobe hist -m -P 5432\n" },
	[CMD_SUMMARY] = { "summary", "count, failure rate, p50/p99/max per outcome,\n"
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
		"  connprobe summary --json --cgroup /system.slice\n" },
	[CMD_TOP] = { "top", "the summary of the last interval, refreshed",
		"top [-I SECONDS] [-n N] [OPTIONS]",
		"Show the summary of the last interval, redrawn every interval\n"
		"(the screen is cleared on a terminal), largest groups first.\n",
		"  connprobe top -I 2 -n 5\n" },
	[CMD_PROM] = { "prom", "metrics for node_exporter's textfile collector",
		"prom [--textfile DIR] [-I SECONDS] [OPTIONS]",
		"Count the records as Prometheus metrics: connects and completions\n"
		"by outcome, family and protocol, latency histograms by outcome\n"
		"(le buckets from 100us to 120s), lost records and missed calls.\n"
		"Counters count from the start of the run.\n",
		"  connprobe prom --textfile /var/lib/node_exporter/textfile\n"
		"  connprobe prom --duration 10 | promtool check metrics\n" },
};

static void __attribute__((noreturn, format(printf, 2, 3)))
usage_error(const struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	if (fmt) {	/* NULL: getopt_long() said what is wrong */
		fputs("connprobe: ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fprintf(stderr, "Try 'connprobe%s%s --help'.\n", cli->named ? " " : "",
		cli->named ? commands[cli->cmd].name : "");
	exit(2);
}

/* A number from 0 to @max, or with @seconds any number above 0 up to it. */
static double parse_num(const struct cli *cli, const char *what,
			const char *arg, double max, bool seconds)
{
	char *end;
	double d = strtod(arg, &end);

	if (seconds && (end == arg || *end || !isfinite(d) || d <= 0 || d > max))
		usage_error(cli, "invalid %s '%s': expected seconds, > 0 and <= %.0f",
			    what, arg, max);
	/* integers only: digits, which strtod() reads exactly up to 2^53 */
	if (!seconds && (!arg[0] || arg[strspn(arg, "0123456789")] || d > max))
		usage_error(cli, "invalid %s '%s': expected 0 to %.0f", what, arg, max);
	return d;
}

/* --min-latency: milliseconds (tcpconnlat's unit), or with a unit. */
static unsigned long long parse_latency(const struct cli *cli, const char *arg)
{
	static const struct { const char *unit; double ns; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { "", 1e6 },
	};
	char *end;
	double v = strtod(arg, &end);
	size_t i;

	/* NaN fails both comparisons */
	for (i = 0; end != arg && i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].unit) && v * units[i].ns >= 0 &&
		    v * units[i].ns <= MAX_DURATION_S * 1e9)
			return v * units[i].ns;
	usage_error(cli, "invalid latency '%s': expected milliseconds, or a number with ns, us, ms or s",
		    arg);
}

/* Option @o up to O_CGROUP puts bit @o of cp_filter.mask in force. */
_Static_assert(CP_FILTER_PID == 1u << O_PID && CP_FILTER_LATENCY == 1u << O_MIN_LATENCY &&
	       CP_FILTER_CGROUP == 1u << O_CGROUP, "filter options out of order");

static void apply_opt(struct cli *cli, enum cli_opt_id o, const char *arg)
{
	struct cp_filter *f = &cli->filter;
	char buf[128], *tok, *save;
	long long e;

	cli->arg[o] = arg ? arg : "";
	cli->given |= OPT_BIT(o);
	if (o <= O_CGROUP)
		f->mask |= 1u << o;
	switch (o) {
	case O_PID:
	case O_TID:
	case O_UID:
		*(o == O_PID ? &f->pid : o == O_TID ? &f->tid : &f->uid) =
			parse_num(cli, opts[o].arg, arg, 0xffffffffU, false);
		break;
	case O_PORT:	/* repeatable, and a comma list */
		snprintf(buf, sizeof(buf), "%s", arg);
		for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (f->nr_ports == CP_FILTER_MAX_PORTS)
				usage_error(cli, "too many ports: at most %d", CP_FILTER_MAX_PORTS);
			f->ports[f->nr_ports++] = parse_num(cli, "port", tok, 65535, false);
		}
		if (!f->nr_ports)
			usage_error(cli, "invalid port '%s'", arg);
		break;
	case O_ERRNO:	/* repeatable */
		e = isdigit((unsigned char)arg[0]) ? parse_num(cli, "errno", arg, 4095, false) :
		    errno_by_name(arg);
		if (e <= 0)
			usage_error(cli, "unknown errno '%s': expected a name such as ECONNREFUSED, or a number",
				    arg);
		if (f->nr_errnos == CP_FILTER_MAX_ERRNOS)
			usage_error(cli, "too many --errno: at most %d", CP_FILTER_MAX_ERRNOS);
		f->errnos[f->nr_errnos++] = e;
		break;
	case O_MIN_LATENCY:
		f->min_latency_ns = parse_latency(cli, arg);
		break;
	case O_COMM:
		if (!arg[0] || strlen(arg) >= CONNPROBE_COMM_LEN)
			usage_error(cli, "invalid comm '%s': 1 to %d characters (the kernel keeps no more)",
				    arg, CONNPROBE_COMM_LEN - 1);
		strncpy(f->comm, arg, sizeof(f->comm));	/* NUL-padded */
		break;
	case O_DNS:
		/* bcc's -d reads the DNS replies; a reverse lookup is another name */
		usage_error(cli, "-d (--dns): DNS association is not supported: connprobe traces connect() only, not the DNS replies bcc's tcpconnect -d reads; for a time limit use --duration");
	case O_ROWS:
		cli->rows = parse_num(cli, "row count", arg, 1000000, false);
		break;
	case O_DURATION:
	case O_INTERVAL:
		*(o == O_DURATION ? &cli->duration : &cli->interval) =
			parse_num(cli, opts[o].name, arg, MAX_DURATION_S, true);
		break;
	default:
		break;
	}
	if ((cli->given & (OB(JSON) | OB(CSV))) == (OB(JSON) | OB(CSV)))
		usage_error(cli, "--json and --csv exclude each other");
	if (__builtin_popcountll(cli->given & VIEWS) > 1)
		usage_error(cli, "--summary, --hist, --prom, --heatmap and --info exclude each other");
}

static void check_combinations(const struct cli *cli)
{
	/* report: each of @opts applies to the views in @views only */
	static const struct {
		unsigned long long opts, views;
		const char *msg;
	} rules[] = {
		{ OB(IN_PROGRESS) | OB(CSV) | OB(TIME) | OB(WIDE) | OB(PRINT_UID) | OB(COUNT) |
		  OB(LPORT) | OB(TIMESTAMP), OPT_BIT(VIEW_STREAM),
		  "--in-progress, --csv, -T, -w, -U, -c, -L and -t apply to the record stream only" },
		{ OB(MSECS), OB(HIST), "-m applies to --hist only" },
		{ OB(ROWS), OB(SUMMARY), "-n applies to --summary only" },
		{ OB(JSON), OPT_BIT(VIEW_STREAM) | OB(SUMMARY) | OB(HIST),
		  "--json does not apply to --prom, --heatmap or --info" },
	};
	size_t i;

	if ((cli->given & OB(COUNT)) && (cli->given & (OB(JSON) | OB(CSV) | OB(IN_PROGRESS) |
			OB(TIME) | OB(TIMESTAMP) | OB(WIDE) | OB(PRINT_UID))))
		usage_error(cli, "-c prints a table of counts: --json, --csv, --in-progress, -T, -t, -w and -U do not apply");
	if (cli->cmd == CMD_PROM && (cli->given & OB(INTERVAL)) && !cli->arg[O_TEXTFILE])
		usage_error(cli, "-I applies with --textfile only: without it prom prints once, at the end");
	for (i = 0; cli->cmd == CMD_REPORT && i < sizeof(rules) / sizeof(rules[0]); i++)
		if ((cli->given & rules[i].opts) && !(rules[i].views & OPT_BIT(cli->view)))
			usage_error(cli, "%s", rules[i].msg);
}

static void __attribute__((noreturn)) help_exit(const struct cli *cli)
{
	const struct cli_command *cmd = &commands[cli->cmd];
	const char *title = NULL, *h;
	int i, n;
	char c;

	if (cli->named) {
		printf("Usage: connprobe %s\n\n%s", cmd->usage, cmd->description);
	} else {
		fputs("Usage: connprobe [COMMAND] [OPTIONS]\n"
		      "       connprobe COMMAND --help\n\n"
		      "Trace every connect() with the connprobe kernel module: its outcome,\n"
		      "its latency, and the process, user and container behind it.\n\n"
		      "Commands:\n", stdout);
		for (i = 0; i < NR_CMDS; i++)
			printf("  %-9s %s\n", commands[i].name, commands[i].summary);
		fputs("\nWithout a command, connprobe runs trace, whose options follow.\n", stdout);
	}
	/* the command's options under their group's title: "  -p, --pid PID   help" */
	for (i = 0; i < NR_OPTS; i++) {
		title = i == O_PID ? "Filters" : i == O_JSON ? "Output" : i == O_INPUT ? "Options" : title;
		if (!(opts[i].cmds & (1u << cli->cmd)))
			continue;
		if (title)
			printf("\n%s:\n", title);
		title = NULL;
		c = opts[i].letter;	/* "  -p, --pid PID" or "      --tid TID" */
		n = printf("  %c%c%c --%s%s%s", c ? '-' : ' ', c ?: ' ', c ? ',' : ' ',
			   opts[i].name, opts[i].arg ? " " : "", opts[i].arg ?: "");
		if (n + 1 > OPT_COLUMN) {	/* the help on a line of its own */
			putchar('\n');
			n = 0;
		}
		printf("%*s", OPT_COLUMN - n, "");
		for (h = opts[i].help; *h; h++)
			if (putchar(*h) == '\n')
				printf("%*s", OPT_COLUMN, "");
		putchar('\n');
	}
	if (cli->named)
		printf("\nExamples:\n%s\n", cmd->examples);
	else
		fputs("\nSee 'connprobe COMMAND --help' and connprobe(8).\n", stdout);
	/* every command but report reads the module */
	if (cli->cmd != CMD_REPORT)
		puts("Needs root, debugfs mounted and the module loaded (modprobe connprobe).");
	puts("Exit status: 0 ok, 1 error, 2 usage error.");
	exit(0);
}

static void cli_parse(int argc, char **argv, struct cli *cli)
{
	struct option longopts[NR_OPTS + 1] = { { NULL, 0, NULL, 0 } }, *l = longopts;
	char shortopts[3 * NR_OPTS + 1] = "", *s = shortopts;
	int c, o;

	memset(cli, 0, sizeof(*cli));
	/* a number where the command goes is trace's minimum latency */
	if (argc > 1 && argv[1][0] != '-' &&
	    !isdigit((unsigned char)argv[1][argv[1][0] == '.'])) {
		for (c = 0; c < NR_CMDS && strcmp(argv[1], commands[c].name); c++)
			;
		if (c == NR_CMDS)
			usage_error(cli, "unknown command '%s'", argv[1]);
		cli->cmd = c;
		cli->named = true;
		argc--;
		argv++;
	}
	argv[0] = "connprobe";	/* getopt_long()'s messages start with it */
	/* getopt's tables for the command; a long option returns 256 + its row */
	for (o = 0; o < NR_OPTS; o++) {
		if (!(opts[o].cmds & (1u << cli->cmd)))
			continue;
		*l++ = (struct option){ .name = opts[o].name, .val = 256 + o,
			.has_arg = opts[o].arg ? required_argument : no_argument };
		s += sprintf(s, "%.1s%s", &opts[o].letter,
			     opts[o].letter && opts[o].arg ? ":" : "");
	}
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == '?')
			usage_error(cli, NULL);
		o = c - 256;
		if (c < 256)	/* a short option: find its row */
			for (o = 0; opts[o].letter != c; o++)
				;
		apply_opt(cli, o, optarg);
	}
	if (cli->arg[O_HELP])
		help_exit(cli);
	if (cli->arg[O_VERSION])
		exit(printf("connprobe %s\n", CONNPROBE_VERSION) < 0);
	/* tcpconnlat's positional argument: --min-latency's */
	if (optind < argc && (cli->cmd == CMD_STATS || optind + 1 < argc))
		usage_error(cli, "unexpected argument '%s'", argv[optind + (cli->cmd != CMD_STATS)]);
	if (optind < argc && cli->arg[O_MIN_LATENCY])
		usage_error(cli, "a minimum latency, given twice: '%s' and --min-latency", argv[optind]);
	if (optind < argc)
		apply_opt(cli, O_MIN_LATENCY, argv[optind]);
	cli->view = cli->given & VIEWS ? __builtin_ctzll(cli->given & VIEWS) : VIEW_STREAM;
	check_combinations(cli);
	/* the defaults --help gives */
	if (cli->cmd == CMD_TOP && !cli->arg[O_ROWS])
		cli->rows = 10;
	if (!cli->interval)
		cli->interval = cli->cmd == CMD_TOP ? 1 : 15;
}

/* What a run holds, released at the end of main(); static: large. */
static struct cp_cgroups cgroups;
static struct cp_cgroup_scope scope;
static struct cp_cgroup_test cgroup_test = { cgroup_scope_under, &scope };
static struct cp_capture capture;
static struct cp_sink *sink;
static char err[PATH_MAX + 256] = "out of memory";	/* unless a failure says */

static struct cp_sink *make_sink(const struct cli *cli)
{
	const char *const *a = cli->arg;
	struct stream_opts so = {
		.format = a[O_JSON] ? FORMAT_JSON : a[O_CSV] ? FORMAT_CSV : FORMAT_TABLE,
		.wallclock = a[O_TIME], .wide = a[O_WIDE], .print_uid = a[O_PRINT_UID],
		.cgroups = &cgroups, .f = stdout,
	};
	struct view_opts vo = {
		.json = a[O_JSON], .msecs = a[O_MSECS], .lport = a[O_LPORT], .rows = cli->rows,
		.interval = cli->interval, .textfile_dir = a[O_TEXTFILE],
		.heatmap = a[O_HEATMAP], .f = stdout,
	};

	if (cli->cmd == CMD_RECORD)
		return capture_sink_new(a[O_OUTPUT] ?: DEFAULT_CAPTURE, &cgroups, err, sizeof(err));
	/* report's views show the capture as these commands show the module */
	vo.view = cli->cmd == CMD_HIST || cli->view == O_HIST ? AV_HIST :
		  cli->cmd == CMD_SUMMARY || cli->view == O_SUMMARY ? AV_SUMMARY :
		  cli->cmd == CMD_TOP ? AV_TOP :
		  cli->cmd == CMD_PROM || cli->view == O_PROM ? AV_PROM :
		  cli->view == O_HEATMAP ? AV_HEATMAP :
		  a[O_COUNT] ? AV_COUNT : AV_IN_PROGRESS;
	/* the record stream, alone or showing the connects in progress */
	if (vo.view == AV_IN_PROGRESS && !a[O_IN_PROGRESS])
		return stream_sink_new(&so);
	if (vo.view == AV_IN_PROGRESS)
		vo.stream = stream_sink_new(&so);
	return view_sink_new(&vo);
}

/* --cgroup: live, PATH's inode is the module filter's id; a capture matches paths. */
static int setup_cgroup_filter(struct cli *cli)
{
	char dir[PATH_MAX];
	struct stat st;

	cgroup_scope_init(&scope, &cgroups, cli->arg[O_CGROUP]);
	if (cli->cmd == CMD_REPORT)
		return 0;
	if (!cgroups.mount)
		return cp_err(err, sizeof(err),
			      "--cgroup: no cgroup v2 hierarchy is mounted (mount -t cgroup2 none /sys/fs/cgroup)");
	snprintf(dir, sizeof(dir), "%s%s", cgroups.mount, scope.root);
	errno = 0;
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return cp_err(err, sizeof(err), "--cgroup: %s: %s", dir,
			      errno ? strerror(errno) : "not a directory");
	cli->filter.cgroup_id = st.st_ino;
	return 0;
}

static int run(struct cli *cli)
{
	const char *debugfs = cli->arg[O_DEBUGFS] ?: DEFAULT_DEBUGFS;
	const char *input = cli->arg[O_INPUT] ?: DEFAULT_CAPTURE;
	char dir[PATH_MAX];
	struct cp_filter_push push;
	int ret;

	if (cli->cmd == CMD_REPORT) {
		if (capture_open(&capture, input, &cgroups, err, sizeof(err))) {
			/* the message says what is wrong; say with which file */
			fprintf(stderr, "connprobe: %s: %s\n", input, err);
			return 1;
		}
		if (cli->view == O_INFO) {
			capture_print_info(stdout, &capture);
			return 0;
		}
	} else {
		if (snprintf(dir, sizeof(dir), "%s/%s", debugfs, CONNPROBE_DEBUGFS_DIR) >= PATH_MAX)
			usage_error(cli, "--debugfs path too long");
		if (env_check(debugfs, dir, cli->arg[O_DEBUGFS]))
			return 1;
		if (cli->cmd == CMD_STATS)
			return stats_command(dir, cli->arg[O_JSON]);
		if (cgroups_open(&cgroups, cli->arg[O_CGROUPFS], err, sizeof(err)))
			goto out_err;
	}
	if (cli->arg[O_CGROUP] && setup_cgroup_filter(cli))
		goto out_err;
	sink = make_sink(cli);
	if (!sink)
		goto out_err;
	sink->filter = &cli->filter;
	sink->cgroup_test = &cgroup_test;
	if (cli->cmd == CMD_REPORT)
		return replay_run(&capture, sink);
	if (filter_push(&push, dir, &cli->filter, err, sizeof(err)))
		goto out_err;
	ret = live_run(&(struct live_opts){ dir, cli->duration }, sink);
	filter_unpush(&push);
	return ret;

out_err:
	fprintf(stderr, "connprobe: %s\n", err);
	return 1;
}

int main(int argc, char **argv)
{
	struct cli cli;
	int ret;

	cli_parse(argc, argv, &cli);
	cgroups_init(&cgroups);
	ret = run(&cli);
	sink_destroy(sink);
	capture_close(&capture);
	cgroups_free(&cgroups);
	return ret;
}
