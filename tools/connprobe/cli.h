/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line: subcommands as perf's and bpftool's, options with
 * bcc's letters where bcc has them.
 */
#ifndef CONNPROBE_CLI_H
#define CONNPROBE_CLI_H

#include <stdbool.h>

#include "filter.h"

enum cli_cmd {
	CMD_TRACE, CMD_STATS, CMD_RECORD, CMD_REPORT, CMD_HIST,
	CMD_SUMMARY, CMD_TOP, CMD_PROM, NR_CMDS,
};

/* Every option, in --help's order: filters, output, then the rest. */
enum cli_opt_id {
	O_PID, O_TID, O_UID, O_PORT, O_IPV4, O_IPV6, O_FAILED, O_ERRNO,
	O_MIN_LATENCY, O_COMM, O_CGROUP,
	O_JSON, O_IN_PROGRESS, O_CSV, O_TIME, O_WIDE, O_TIMESTAMP, O_PRINT_UID,
	O_LPORT, O_COUNT, O_DNS, O_MSECS, O_ROWS,
	O_INPUT, O_SUMMARY, O_HIST, O_PROM, O_HEATMAP, O_INFO, O_OUTPUT,
	O_TEXTFILE, O_INTERVAL, O_DURATION, O_DEBUGFS, O_CGROUPFS, O_VERSION,
	O_HELP, NR_OPTS,
};

#define DEFAULT_DEBUGFS		"/sys/kernel/debug"
#define DEFAULT_CAPTURE		"connprobe.data"

struct cli {
	enum cli_cmd cmd;
	bool named;			/* the command was given by name */
	/* each option's argument, "" if it takes none; NULL: not given */
	const char *arg[NR_OPTS];
	unsigned long long given;	/* 1ull << each option given */

	struct cp_filter filter;	/* the filter options, parsed */
	unsigned int rows;		/* -n, or top's default; 0: all */
	double duration;		/* --duration; 0: until SIGINT */
	double interval;		/* -I, or the command's default */
	/* report's: O_SUMMARY, O_HIST, O_PROM, O_HEATMAP, O_INFO, or the stream */
	enum cli_opt_id view;
};

#define VIEW_STREAM		NR_OPTS

/* --help and -V print and exit 0; a usage error prints why and exits 2. */
void cli_parse(int argc, char **argv, struct cli *cli);

#endif /* CONNPROBE_CLI_H */
