/* SPDX-License-Identifier: GPL-2.0 */
/* Checks that the tool can work at all, each with a message saying how. */
#ifndef CONNPROBE_ENV_H
#define CONNPROBE_ENV_H

#include <stdbool.h>

/*
 * Check, in order: root; debugfs mounted at @debugfs; the module loaded
 * and its directory @dir present.  With @fake_debugfs (--debugfs, for
 * tests) the statfs magic and /sys/module checks are skipped and only @dir
 * must exist.  Prints the reason to stderr and returns -1 on failure.
 */
int env_check(const char *debugfs, const char *dir, bool fake_debugfs);

#endif /* CONNPROBE_ENV_H */
