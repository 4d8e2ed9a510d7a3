// SPDX-License-Identifier: GPL-2.0
/* --help, rendered from the option and command tables. */
#include <stdio.h>
#include <string.h>

#include "cli_table.h"

#define OPT_COLUMN	27	/* where option descriptions start */

static const char NEEDS[] =
	"Needs root, debugfs mounted and the module loaded (modprobe connprobe).\n";
static const char EXIT_STATUS[] =
	"Exit status: 0 ok, 1 error, 2 usage error.\n";

/* "  -p, --pid PID" padded to OPT_COLUMN, then the help, lines indented. */
static void print_opt(FILE *f, const struct cli_opt *o)
{
	const char *h = o->help, *nl;
	char left[64];
	int n;

	if (o->id < 256)
		n = snprintf(left, sizeof(left), "  -%c, --%s%s%s", o->id,
			     o->name, o->arg ? " " : "", o->arg ? o->arg : "");
	else
		n = snprintf(left, sizeof(left), "      --%s%s%s", o->name,
			     o->arg ? " " : "", o->arg ? o->arg : "");
	if (n + 1 > OPT_COLUMN)
		fprintf(f, "%s\n%*s", left, OPT_COLUMN, "");
	else
		fprintf(f, "%-*s", OPT_COLUMN, left);
	while ((nl = strchr(h, '\n'))) {
		fprintf(f, "%.*s\n%*s", (int)(nl - h), h, OPT_COLUMN, "");
		h = nl + 1;
	}
	fprintf(f, "%s\n", h);
}

static void print_group(FILE *f, enum cli_cmd cmd, enum opt_group g,
			const char *title)
{
	bool any = false;
	unsigned int i;

	for (i = 0; i < cli_nr_opts; i++) {
		if (!(cli_opts[i].cmds & CMD_BIT(cmd)) || cli_opts[i].group != g)
			continue;
		if (!any)
			fprintf(f, "\n%s:\n", title);
		any = true;
		print_opt(f, &cli_opts[i]);
	}
}

static void print_options(FILE *f, enum cli_cmd cmd)
{
	print_group(f, cmd, GROUP_FILTER, "Filters");
	print_group(f, cmd, GROUP_OUTPUT, "Output");
	print_group(f, cmd, GROUP_RUN, "Options");
}

static void print_main_help(FILE *f)
{
	int c;

	fputs("Usage: connprobe [COMMAND] [OPTIONS]\n"
	      "       connprobe COMMAND --help\n"
	      "\n"
	      "Trace every connect() with the connprobe kernel module: its outcome,\n"
	      "its latency, and the process, user and container behind it.\n"
	      "\n"
	      "Commands:\n", f);
	for (c = 0; c < NR_CMDS; c++)
		fprintf(f, "  %-9s %s\n", cli_commands[c].name,
			cli_commands[c].summary);
	fputs("\nWithout a command, connprobe runs trace, whose options follow.\n", f);
	print_options(f, CMD_TRACE);
	fprintf(f, "\nSee 'connprobe COMMAND --help' and connprobe(8).\n%s%s",
		NEEDS, EXIT_STATUS);
}

void cli_print_help(FILE *f, enum cli_cmd cmd, bool named)
{
	const struct cli_command *c = &cli_commands[cmd];

	if (!named) {
		print_main_help(f);
		return;
	}
	fprintf(f, "Usage: connprobe %s\n\n%s", c->usage, c->description);
	print_options(f, cmd);
	fprintf(f, "\nExamples:\n%s\n%s%s", c->examples,
		c->needs_module ? NEEDS : "", EXIT_STATUS);
}
