// SPDX-License-Identifier: GPL-2.0
/*
 * connprobe - show the connect() calls traced by the connprobe module.
 *
 * Argument parsing and subcommand dispatch; the work is in trace.c and
 * stats.c.  Exit status: 0 ok, 1 error, 2 usage error.
 */
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <connprobe.h>

#include "env.h"
#include "stats.h"
#include "trace.h"

#define DEFAULT_DEBUGFS		"/sys/kernel/debug"
/* Keeps duration * 1e9 well inside a long long of nanoseconds. */
#define MAX_DURATION_S		(365.0 * 24 * 3600)

#define EXIT_USAGE		2

#define HELP_JSON \
	"  -j, --json               JSON output (JSON Lines for trace)\n"
#define HELP_DURATION \
	"  -d, --duration SECONDS   stop after SECONDS (fractions allowed), as on\n" \
	"                           SIGINT\n"
#define HELP_DEBUGFS \
	"      --debugfs DIR        debugfs mount point (default " DEFAULT_DEBUGFS ");\n" \
	"                           for testing: skips the debugfs mount and\n" \
	"                           /sys/module/connprobe checks\n"
#define HELP_HELP \
	"  -h, --help               show this help\n"
#define HELP_NEEDS \
	"\nNeeds root, debugfs mounted and the module loaded (insmod connprobe.ko).\n" \
	"Exit status: 0 ok, 1 error, 2 usage error.\n"

static const char main_help[] =
	"Usage: connprobe [trace] [-j] [-d SECONDS] [--debugfs DIR]\n"
	"       connprobe stats [-j] [--debugfs DIR]\n"
	"       connprobe [COMMAND] --help\n"
	"\n"
	"Show the connect() calls traced by the connprobe kernel module.\n"
	"\n"
	"Commands:\n"
	"  trace    stream one line per connect() call (the default)\n"
	"  stats    print the module's written/lost/missed counters\n"
	"\n"
	"Options:\n"
	HELP_JSON HELP_DURATION HELP_DEBUGFS HELP_HELP HELP_NEEDS;

static const char trace_help[] =
	"Usage: connprobe [trace] [-j] [-d SECONDS] [--debugfs DIR]\n"
	"\n"
	"Stream the connect() calls the module records, one line each, sorted\n"
	"by time, until SIGINT/SIGTERM or the end of --duration; then print\n"
	"what is still buffered and report records read and lost on stderr.\n"
	"\n"
	"Options:\n"
	HELP_JSON HELP_DURATION HELP_DEBUGFS HELP_HELP
	"\n"
	"Examples:\n"
	"  connprobe                 # table until Ctrl-C\n"
	"  connprobe --json -d 10    # JSON Lines for 10 seconds\n"
	HELP_NEEDS;

static const char stats_help[] =
	"Usage: connprobe stats [-j] [--debugfs DIR]\n"
	"\n"
	"Print the module's counters: records written and lost per CPU and in\n"
	"total; per probe, calls missed because maxactive was exhausted\n"
	"(nmissed) or because the probe hit inside a handler (kp_nmissed).\n"
	"\n"
	"Options:\n"
	HELP_JSON HELP_DEBUGFS HELP_HELP HELP_NEEDS;

enum { OPT_DEBUGFS = 256 };

static const struct option trace_longopts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "duration", required_argument, NULL, 'd' },
	{ "debugfs", required_argument, NULL, OPT_DEBUGFS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct option stats_longopts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "debugfs", required_argument, NULL, OPT_DEBUGFS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct command;

struct cli {
	const struct command *cmd;
	bool help;
	bool json;
	double duration;
	const char *debugfs;
	bool fake_debugfs;
};

struct command {
	const char *name;	/* NULL: no command given, trace by default */
	const char *help;
	const char *shortopts;	/* leading ':' tells missing argument apart */
	const struct option *longopts;
	/* @dir is <debugfs>/connprobe; returns the exit status */
	int (*run)(const struct cli *cli, const char *dir);
};

static int run_trace(const struct cli *cli, const char *dir)
{
	const struct trace_opts opts = {
		.dir = dir, .json = cli->json, .duration = cli->duration,
	};

	return trace_run(&opts);
}

static int run_stats(const struct cli *cli, const char *dir)
{
	return stats_command(dir, cli->json);
}

static const struct command commands[] = {
	{ NULL, main_help, ":jd:h", trace_longopts, run_trace },
	{ "trace", trace_help, ":jd:h", trace_longopts, run_trace },
	{ "stats", stats_help, ":jh", stats_longopts, run_stats },
};

/* One line saying what is wrong, one saying where help is; exit 2. */
static void __attribute__((noreturn, format(printf, 2, 3)))
usage_error(const struct command *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("connprobe: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'connprobe%s%s --help'.\n",
		cmd->name ? " " : "", cmd->name ? cmd->name : "");
	exit(EXIT_USAGE);
}

static double parse_duration(const struct command *cmd, const char *arg)
{
	char *end;
	double d;

	d = strtod(arg, &end);
	if (end == arg || *end || !isfinite(d) || d <= 0 ||
	    d > MAX_DURATION_S)
		usage_error(cmd, "invalid duration '%s': expected seconds, > 0 and <= %.0f",
			    arg, MAX_DURATION_S);
	return d;
}

/* Pick the command from argv[1], then parse its options. */
static void parse_args(int argc, char **argv, struct cli *cli)
{
	const struct command *cmd = &commands[0];
	size_t i;
	int c;

	if (argc > 1 && argv[1][0] != '-') {
		for (i = 1; i < sizeof(commands) / sizeof(commands[0]); i++)
			if (!strcmp(argv[1], commands[i].name))
				cmd = &commands[i];
		if (!cmd->name)
			usage_error(cmd, "unknown command '%s'", argv[1]);
		/* getopt takes the command word for the program name. */
		argc--;
		argv++;
	}
	cli->cmd = cmd;
	cli->debugfs = DEFAULT_DEBUGFS;

	opterr = 0;	/* our messages name the command's help */
	while ((c = getopt_long(argc, argv, cmd->shortopts, cmd->longopts,
				NULL)) != -1) {
		switch (c) {
		case 'j':
			cli->json = true;
			break;
		case 'd':
			cli->duration = parse_duration(cmd, optarg);
			break;
		case OPT_DEBUGFS:
			cli->debugfs = optarg;
			cli->fake_debugfs = true;
			break;
		case 'h':
			cli->help = true;
			break;
		case ':':
			/* argv[optind - 1] may be a cluster such as "-jd" */
			if (strncmp(argv[optind - 1], "--", 2))
				usage_error(cmd, "option '-%c' requires an argument",
					    optopt);
			usage_error(cmd, "option '%s' requires an argument",
				    argv[optind - 1]);
		default:
			/* a long option sets optopt too if it got "=value" */
			if (optopt && strncmp(argv[optind - 1], "--", 2))
				usage_error(cmd, "invalid option -- '%c'",
					    optopt);
			usage_error(cmd, "unrecognized option '%s'",
				    argv[optind - 1]);
		}
	}
	if (optind < argc && !cli->help)
		usage_error(cmd, "unexpected argument '%s'", argv[optind]);
}

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	char dir[PATH_MAX];

	parse_args(argc, argv, &cli);
	if (cli.help) {
		fputs(cli.cmd->help, stdout);
		return 0;
	}
	if (snprintf(dir, sizeof(dir), "%s/%s", cli.debugfs,
		     CONNPROBE_DEBUGFS_DIR) >= (int)sizeof(dir))
		usage_error(cli.cmd, "--debugfs path too long");
	if (env_check(cli.debugfs, dir, cli.fake_debugfs))
		return 1;
	return cli.cmd->run(&cli, dir);
}
