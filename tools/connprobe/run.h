/* SPDX-License-Identifier: GPL-2.0 */
/* From a parsed command line to a source feeding a sink. */
#ifndef CONNPROBE_RUN_H
#define CONNPROBE_RUN_H

#include "cli.h"

/* Run @cli's command; returns the exit status. */
int run_command(const struct cli *cli);

#endif /* CONNPROBE_RUN_H */
