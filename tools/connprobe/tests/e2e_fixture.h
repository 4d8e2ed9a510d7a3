/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The end-to-end fixture: records A (curl refused, IPv4, CPU 0), B
 * (systemd, unix dgram, CPU 1), C (nc EINPROGRESS, IPv6, CPU 0) and D
 * (EBADF, CPU 1) in a fake debugfs, in time order A B D C; their JSON
 * lines; the stats file before and after losses.
 */
#ifndef CONNPROBE_TEST_E2E_FIXTURE_H
#define CONNPROBE_TEST_E2E_FIXTURE_H

#include <connprobe.h>

#include "fixtures.h"
#include "proc.h"

extern const char STATS[];
extern const char STATS_LATER[];
extern const char JSON_A[], JSON_B[], JSON_C[], JSON_D[];

struct connprobe_record rec_a(void);
struct connprobe_record rec_b(void);
struct connprobe_record rec_c(void);
struct connprobe_record rec_d(void);

/* A fresh fake debugfs: CPU 0 holds A, C; CPU 1 holds B, D; STATS. */
int make_fixture(struct fakefs *fs);

/*
 * Run @tool to completion with the NULL-terminated arguments, then
 * "--debugfs" and a fresh fixture, removed afterwards.  0 if it ran.
 */
int run_on_fixture(struct proc *p, const char *tool, ...);

#endif /* CONNPROBE_TEST_E2E_FIXTURE_H */
