// SPDX-License-Identifier: GPL-2.0
/* Parsing the command line into struct cli. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_table.h"
#include "names.h"

/* Keeps duration * 1e9 well inside a long long of nanoseconds. */
#define MAX_DURATION_S		(365.0 * 24 * 3600)

void cli_usage_error(enum cli_cmd cmd, bool named, const char *fmt, ...)
{
	va_list ap;

	fputs("connprobe: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'connprobe%s%s --help'.\n", named ? " " : "",
		named ? cli_commands[cmd].name : "");
	exit(EXIT_USAGE);
}

#define usage_error(cli, ...) \
	cli_usage_error((cli)->cmd, (cli)->named, __VA_ARGS__)

static double parse_seconds(const struct cli *cli, const char *what,
			    const char *arg)
{
	char *end;
	double d;

	d = strtod(arg, &end);
	if (end == arg || *end || !isfinite(d) || d <= 0 || d > MAX_DURATION_S)
		usage_error(cli, "invalid %s '%s': expected seconds, > 0 and <= %.0f",
			    what, arg, MAX_DURATION_S);
	return d;
}

static unsigned long long parse_uint(const struct cli *cli, const char *what,
				     const char *arg, unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || *end || errno || v > max)
		usage_error(cli, "invalid %s '%s': expected 0 to %llu", what,
			    arg, max);
	return v;
}

/* --min-latency: milliseconds (tcpconnlat's unit), or with a unit. */
static unsigned long long parse_latency(const struct cli *cli, const char *arg)
{
	static const struct { const char *unit; double ns; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { "", 1e6 },
	};
	char *end;
	double v;
	size_t i;

	v = strtod(arg, &end);
	for (i = 0; end != arg && i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit))
			continue;
		v *= units[i].ns;
		if (isfinite(v) && v >= 0 && v <= MAX_DURATION_S * 1e9)
			return (unsigned long long)v;
		break;
	}
	usage_error(cli, "invalid latency '%s': expected milliseconds, or a number with ns, us, ms or s",
		    arg);
}

static void add_ports(struct cli *cli, const char *arg)
{
	struct cp_filter *f = &cli->filter;
	char buf[128], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (f->nr_ports == CP_FILTER_MAX_PORTS)
			usage_error(cli, "too many ports: at most %d", CP_FILTER_MAX_PORTS);
		f->ports[f->nr_ports++] = parse_uint(cli, "port", tok, 65535);
	}
	if (!f->nr_ports)
		usage_error(cli, "invalid port '%s'", arg);
	f->mask |= CP_FILTER_PORT;
}

static void add_errno(struct cli *cli, const char *arg)
{
	struct cp_filter *f = &cli->filter;
	long long e = errno_by_name(arg);

	if (e < 0 && arg[0] >= '0' && arg[0] <= '9')
		e = parse_uint(cli, "errno", arg, 4095);
	if (e <= 0)
		usage_error(cli, "unknown errno '%s': expected a name such as ECONNREFUSED, or a number",
			    arg);
	if (f->nr_errnos == CP_FILTER_MAX_ERRNOS)
		usage_error(cli, "too many --errno: at most %d", CP_FILTER_MAX_ERRNOS);
	f->errnos[f->nr_errnos++] = e;
	f->mask |= CP_FILTER_ERRNO;
}

static void set_comm(struct cli *cli, const char *arg)
{
	if (!arg[0] || strlen(arg) >= CONNPROBE_COMM_LEN)
		usage_error(cli, "invalid comm '%s': 1 to %d characters (the kernel keeps no more)",
			    arg, CONNPROBE_COMM_LEN - 1);
	memset(cli->filter.comm, 0, sizeof(cli->filter.comm));
	memcpy(cli->filter.comm, arg, strlen(arg));
	cli->filter.mask |= CP_FILTER_COMM;
}

static void set_view(struct cli *cli, enum report_view v)
{
	if (cli->view != VIEW_STREAM && cli->view != v)
		usage_error(cli, "--summary, --hist, --prom, --heatmap and --info exclude each other");
	cli->view = v;
}

static void apply_filter_opt(struct cli *cli, int c, const char *arg)
{
	struct cp_filter *f = &cli->filter;

	switch (c) {
	case 'p':
		f->pid = parse_uint(cli, "PID", arg, 0xffffffffULL);
		f->mask |= CP_FILTER_PID;
		break;
	case OPT_TID:
		f->tid = parse_uint(cli, "TID", arg, 0xffffffffULL);
		f->mask |= CP_FILTER_TID;
		break;
	case 'u':
		f->uid = parse_uint(cli, "UID", arg, 0xffffffffULL);
		f->mask |= CP_FILTER_UID;
		break;
	case 'P':
		add_ports(cli, arg);
		break;
	case '4':
		f->mask |= CP_FILTER_IPV4;
		break;
	case '6':
		f->mask |= CP_FILTER_IPV6;
		break;
	case OPT_FAILED:
		f->mask |= CP_FILTER_FAILED;
		break;
	case OPT_ERRNO:
		add_errno(cli, arg);
		break;
	case OPT_MIN_LATENCY:
		f->min_latency_ns = parse_latency(cli, arg);
		f->mask |= CP_FILTER_LATENCY;
		break;
	case OPT_COMM:
		set_comm(cli, arg);
		break;
	case OPT_CGROUP:
		cli->cgroup = arg;
		f->mask |= CP_FILTER_CGROUP;
		break;
	}
}

/* The options whose whole effect is to set a member: true, or the argument. */
#define SET_BOOL(c, m)	{ c, offsetof(struct cli, m), false }
#define SET_ARG(c, m)	{ c, offsetof(struct cli, m), true }
static const struct setter {
	int id;
	size_t off;
	bool arg;		/* a const char * member, else a bool */
} setters[] = {
	SET_BOOL('T', wallclock), SET_BOOL('t', timestamp), SET_BOOL('c', count),
	SET_BOOL('L', lport), SET_BOOL('V', version), SET_BOOL('w', wide),
	SET_BOOL('U', print_uid), SET_BOOL('m', msecs), SET_BOOL('h', help),
	SET_BOOL(OPT_IN_PROGRESS, in_progress), SET_ARG('i', input),
	SET_ARG('o', output), SET_ARG(OPT_TEXTFILE, textfile),
	SET_ARG(OPT_CGROUPFS, cgroupfs),
};

static void apply_opt(struct cli *cli, int c, const char *arg)
{
	size_t i;

	for (i = 0; i < sizeof(setters) / sizeof(setters[0]); i++) {
		if (setters[i].id != c)
			continue;
		if (setters[i].arg)
			*(const char **)((char *)cli + setters[i].off) = arg;
		else
			*(bool *)((char *)cli + setters[i].off) = true;
		return;
	}
	switch (c) {
	case 'j':
		if (cli->format == FORMAT_CSV)
			usage_error(cli, "--json and --csv exclude each other");
		cli->format = FORMAT_JSON;
		break;
	case OPT_CSV:
		if (cli->format == FORMAT_JSON)
			usage_error(cli, "--json and --csv exclude each other");
		cli->format = FORMAT_CSV;
		break;
	case 'd':
		/*
		 * bcc's tcpconnect -d pairs each connect with the DNS reply
		 * read before it, by tracing udp_recvmsg(); the module traces
		 * connect() alone, and a reverse lookup would be another
		 * name, not the one asked for.
		 */
		usage_error(cli, "-d (--dns): DNS association is not supported: connprobe traces connect() only, not the DNS replies bcc's tcpconnect -d reads; for a time limit use --duration");
	case 'n':
		cli->rows = parse_uint(cli, "row count", arg, 1000000);
		cli->rows_given = true;
		break;
	case OPT_DURATION:
		cli->duration = parse_seconds(cli, "duration", arg);
		break;
	case 'I':
		cli->interval = parse_seconds(cli, "interval", arg);
		break;
	case OPT_SUMMARY:
		set_view(cli, VIEW_SUMMARY);
		break;
	case OPT_HIST:
		set_view(cli, VIEW_HIST);
		break;
	case OPT_PROM:
		set_view(cli, VIEW_PROM);
		break;
	case OPT_INFO:
		set_view(cli, VIEW_INFO);
		break;
	case OPT_HEATMAP:
		set_view(cli, VIEW_HEATMAP);
		cli->heatmap = arg;
		break;
	case OPT_DEBUGFS:
		cli->debugfs = arg;
		cli->fake_debugfs = true;
		break;
	default:
		apply_filter_opt(cli, c, arg);
	}
}

/* getopt's tables for @cmd, built from cli_opts. */
static void build_getopt(enum cli_cmd cmd, char *shortopts,
			 struct option *longopts)
{
	unsigned int i, n = 0;
	char *s = shortopts;

	*s++ = ':';	/* a missing argument returns ':', not '?' */
	for (i = 0; i < cli_nr_opts; i++) {
		if (!(cli_opts[i].cmds & CMD_BIT(cmd)))
			continue;
		longopts[n++] = (struct option){
			cli_opts[i].name,
			cli_opts[i].arg ? required_argument : no_argument,
			NULL, cli_opts[i].id,
		};
		if (cli_opts[i].id < 256) {
			*s++ = cli_opts[i].id;
			if (cli_opts[i].arg)
				*s++ = ':';
		}
	}
	*s = '\0';
	longopts[n] = (struct option){ NULL, 0, NULL, 0 };
}

/* Options that make no sense together, or with this report view. */
static void check_combinations(struct cli *cli)
{
	bool stream = cli->cmd == CMD_TRACE ||
		      (cli->cmd == CMD_REPORT && cli->view == VIEW_STREAM);

	if (cli->count && (cli->format != FORMAT_TABLE || cli->in_progress ||
			   cli->wallclock || cli->timestamp || cli->wide ||
			   cli->print_uid))
		usage_error(cli, "-c prints a table of counts: --json, --csv, --in-progress, -T, -t, -w and -U do not apply");
	if (cli->cmd == CMD_PROM && cli->interval && !cli->textfile)
		usage_error(cli, "-I applies with --textfile only: without it prom prints once, at the end");
	if (cli->cmd != CMD_REPORT)
		return;
	if (!stream && cli->in_progress)
		usage_error(cli, "--in-progress applies to the record stream only");
	if (!stream && (cli->format == FORMAT_CSV || cli->wallclock ||
			cli->wide || cli->print_uid))
		usage_error(cli, "--csv, -T, -w and -U apply to the record stream only");
	if (!stream && (cli->count || cli->lport || cli->timestamp))
		usage_error(cli, "-c, -L and -t apply to the record stream only");
	if (cli->msecs && cli->view != VIEW_HIST)
		usage_error(cli, "-m applies to --hist only");
	if (cli->rows_given && cli->view != VIEW_SUMMARY)
		usage_error(cli, "-n applies to --summary only");
	if (cli->format == FORMAT_JSON &&
	    (cli->view == VIEW_PROM || cli->view == VIEW_INFO ||
	     cli->view == VIEW_HEATMAP))
		usage_error(cli, "--json does not apply to --prom, --heatmap or --info");
}

/*
 * tcpconnlat's positional argument: only connects at least this slow, in
 * milliseconds (or with a unit, as --min-latency).
 */
static void positional_latency(struct cli *cli, int argc, char **argv)
{
	struct cp_filter *f = &cli->filter;

	if (optind == argc)
		return;
	if (cli->cmd == CMD_STATS)
		usage_error(cli, "unexpected argument '%s'", argv[optind]);
	if (optind + 1 < argc)
		usage_error(cli, "unexpected argument '%s'", argv[optind + 1]);
	if (f->mask & CP_FILTER_LATENCY)
		usage_error(cli, "a minimum latency, given twice: '%s' and --min-latency",
			    argv[optind]);
	f->min_latency_ns = parse_latency(cli, argv[optind]);
	f->mask |= CP_FILTER_LATENCY;
}

/* A number where the command goes: trace's minimum latency. */
static bool is_number(const char *s)
{
	return (s[0] >= '0' && s[0] <= '9') || (s[0] == '.' && s[1] >= '0' && s[1] <= '9');
}

void cli_parse(int argc, char **argv, struct cli *cli)
{
	struct option longopts[CLI_MAX_OPTS + 1];
	char shortopts[3 * CLI_MAX_OPTS + 2];
	int c;

	memset(cli, 0, sizeof(*cli));
	cli->cmd = CMD_TRACE;
	if (argc > 1 && argv[1][0] != '-' && !is_number(argv[1])) {
		for (c = 0; c < NR_CMDS; c++)
			if (!strcmp(argv[1], cli_commands[c].name))
				break;
		if (c == NR_CMDS)
			usage_error(cli, "unknown command '%s'", argv[1]);
		cli->cmd = c;
		cli->named = true;
		/* getopt takes the command word for the program name. */
		argc--;
		argv++;
	}
	cli->debugfs = DEFAULT_DEBUGFS;
	cli->input = cli->output = DEFAULT_CAPTURE;
	build_getopt(cli->cmd, shortopts, longopts);

	opterr = 0;	/* our messages name the command's help */
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == ':') {
			/* argv[optind - 1] may be a cluster such as "-jd" */
			if (strncmp(argv[optind - 1], "--", 2))
				usage_error(cli, "option '-%c' requires an argument",
					    optopt);
			usage_error(cli, "option '%s' requires an argument",
				    argv[optind - 1]);
		}
		if (c == '?') {
			/* a long option sets optopt too if it got "=value" */
			if (optopt && strncmp(argv[optind - 1], "--", 2))
				usage_error(cli, "invalid option -- '%c'", optopt);
			usage_error(cli, "unrecognized option '%s'",
				    argv[optind - 1]);
		}
		apply_opt(cli, c, optarg);
	}
	if (cli->help || cli->version)
		return;
	positional_latency(cli, argc, argv);
	check_combinations(cli);
}
