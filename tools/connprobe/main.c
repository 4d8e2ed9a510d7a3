// SPDX-License-Identifier: GPL-2.0
/*
 * connprobe - show the connect() calls traced by the connprobe module.
 *
 * Parse, then run: cli.c reads the command line, run.c wires a source
 * (the module, or a capture) to the command's sink.  Exit status: 0 ok,
 * 1 error, 2 usage error.
 */
#include <stdio.h>

#include "cli.h"
#include "run.h"

int main(int argc, char **argv)
{
	struct cli cli;

	cli_parse(argc, argv, &cli);
	if (cli.help) {
		cli_print_help(stdout, cli.cmd, cli.named);
		return 0;
	}
	if (cli.version) {
		printf("connprobe %s\n", CONNPROBE_VERSION);
		return 0;
	}
	return run_command(&cli);
}
