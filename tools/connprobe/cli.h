/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line: subcommands in the style of perf and bpftool, and
 * options with bcc's letters where bcc has them.  One table says which
 * command takes which option; --help and the parser both come from it.
 */
#ifndef CONNPROBE_CLI_H
#define CONNPROBE_CLI_H

#include <stdbool.h>

#include "filter.h"
#include "stream.h"

enum cli_cmd {
	CMD_TRACE, CMD_STATS, CMD_RECORD, CMD_REPORT, CMD_HIST,
	CMD_SUMMARY, CMD_TOP, CMD_PROM, NR_CMDS,
};

/* What report shows of its capture. */
enum report_view {
	VIEW_STREAM, VIEW_SUMMARY, VIEW_HIST, VIEW_PROM, VIEW_INFO,
	VIEW_HEATMAP,
};

#define DEFAULT_DEBUGFS		"/sys/kernel/debug"
#define DEFAULT_CAPTURE		"connprobe.data"
#define EXIT_USAGE		2

struct cli {
	enum cli_cmd cmd;
	bool named;			/* the command was given by name */
	bool help;
	bool version;			/* -V */

	struct cp_filter filter;
	const char *cgroup;		/* --cgroup PATH */

	enum cp_format format;
	bool wallclock;			/* -T */
	bool timestamp;			/* -t */
	bool count;			/* -c */
	bool lport;			/* -L */
	bool wide;			/* -w */
	bool print_uid;			/* -U */
	bool in_progress;		/* --in-progress */
	bool msecs;			/* -m */
	unsigned int rows;		/* -n; 0: the command's default */
	bool rows_given;

	double duration;		/* --duration; 0: until SIGINT */
	double interval;		/* -I; 0: the command's default */
	const char *input;		/* -i */
	const char *output;		/* -o */
	const char *textfile;		/* --textfile DIR */
	const char *heatmap;		/* --heatmap FILE */
	enum report_view view;

	const char *debugfs;
	bool fake_debugfs;		/* --debugfs given: testing */
	const char *cgroupfs;		/* --cgroupfs DIR */
};

/*
 * Parse @argv into @cli: the command from argv[1], then its options.
 * A usage error prints one line and a hint, and exits with EXIT_USAGE.
 */
void cli_parse(int argc, char **argv, struct cli *cli);

/* The --help text of @cmd (NR_CMDS: the tool's). */
void cli_print_help(FILE *f, enum cli_cmd cmd, bool named);

/* A usage error for @cmd: "connprobe: ...", the hint, exit EXIT_USAGE. */
void __attribute__((noreturn, format(printf, 3, 4)))
cli_usage_error(enum cli_cmd cmd, bool named, const char *fmt, ...);

#endif /* CONNPROBE_CLI_H */
