/* SPDX-License-Identifier: GPL-2.0 */
/* The option and command tables behind the parser and --help. */
#ifndef CONNPROBE_CLI_TABLE_H
#define CONNPROBE_CLI_TABLE_H

#include "cli.h"

#define CMD_BIT(c)	(1u << (c))

/* Option ids: the short letter where there is one. */
enum {
	OPT_FAILED = 256, OPT_ERRNO, OPT_MIN_LATENCY, OPT_COMM, OPT_CGROUP,
	OPT_CSV, OPT_TEXTFILE, OPT_SUMMARY, OPT_HIST, OPT_PROM, OPT_INFO,
	OPT_DEBUGFS, OPT_CGROUPFS, OPT_IN_PROGRESS, OPT_TID, OPT_DURATION, OPT_HEATMAP,
};

enum opt_group { GROUP_FILTER, GROUP_OUTPUT, GROUP_RUN };

struct cli_opt {
	int id;			/* the short letter, or OPT_* */
	const char *name;	/* long name */
	const char *arg;	/* argument's name; NULL: takes none */
	unsigned int cmds;	/* CMD_BIT()s of the commands taking it */
	enum opt_group group;
	const char *help;	/* lines after the first start with '\n' */
};

struct cli_command {
	const char *name;
	const char *summary;	/* one line, for the command list */
	const char *usage;	/* after "Usage: connprobe " */
	const char *description;
	const char *examples;
	bool needs_module;	/* reads the module: root, debugfs */
};

/* Room for getopt's tables; cli_table.c checks the table fits. */
#define CLI_MAX_OPTS	64

extern const struct cli_opt cli_opts[];
extern const unsigned int cli_nr_opts;
extern const struct cli_command cli_commands[NR_CMDS];

#endif /* CONNPROBE_CLI_TABLE_H */
