/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a test expects connprobe to have recorded: the record of a call,
 * built field by field from what the test itself knows (who calls, on which
 * socket, to where, from where, with which result), and the comparison of a
 * record read back against it.  Free of the harness, like record_reader.
 */
#ifndef RECORD_WANT_H
#define RECORD_WANT_H

#include <stddef.h>
#include <stdint.h>

#include "connprobe.h"
#include "loopback.h"

/* One call under test, and the window the caller measured around it. */
struct call {
	int ret;		/* 0 or -errno, as the kernel returned it */
	uint64_t before, after;	/* CLOCK_MONOTONIC just around the call */
};

/* connect(@fd, @dst), timed. */
void timed_connect(int fd, const struct endpoint *dst, struct call *c);

/*
 * Learn who the calling thread is, as connprobe records it: real uid,
 * cgroup (v2) id and network namespace.  Call it before want_call(), and
 * again after changing any of them.  Returns 0 or a negative errno.
 */
int want_identity(void);

/*
 * The CONNECT record of a call made by this thread on @fd, returning @ret:
 * everything zero but the fields every record has.
 */
void want_call(struct connprobe_record *want, int fd, int ret);

/* The socket fields (CONNPROBE_F_SOCK), in this thread's namespace. */
void want_socket(struct connprobe_record *want, int family, int type,
		 int protocol);

/* The destination as passed (CONNPROBE_F_DADDR): inet, AF_UNIX or other. */
void want_daddr(struct connprobe_record *want, const struct endpoint *dst);

/* The source (CONNPROBE_F_SADDR): an inet address and its port. */
void want_source(struct connprobe_record *want, const struct endpoint *src);

/*
 * Turn @want, the record wanted for a connect, into the COMPLETE record of
 * its attempt, which ended with @ret: same call, so same ts_ns and id as
 * @connect, the CONNECT record read back.
 */
void want_complete(struct connprobe_record *want,
		   const struct connprobe_record *connect, int ret);

/*
 * The id of a record with a socket (CONNPROBE_F_SOCK; any other record's
 * id is 0).  A test says which it expects:
 *  - want_id_of(): the id of @earlier, a record read back before, of the
 *    same TCP attempt: a later call on its socket (connect() again after
 *    poll(), EALREADY, EISCONN, AF_UNSPEC, io_uring's retry);
 *    want_complete() does it for the attempt's COMPLETE record;
 *  - want_id_new(): an id of the call's own, other than @earlier's (a
 *    call on another socket, a new attempt, a UDP connect);
 *  - neither: the first call a test makes on a socket, with nothing to
 *    relate it to: any id but 0.
 */
void want_id_of(struct connprobe_record *want,
		const struct connprobe_record *earlier);
void want_id_new(struct connprobe_record *want,
		 const struct connprobe_record *earlier);

/*
 * How want_id_new() marks want->id: the module's ids (a per-CPU counter
 * shifted over the CPU's number, never 0) do not reach this bit in any
 * run, so a want with it set names the id @got must not have.
 */
#define WANT_ID_OTHER_THAN	(1ULL << 63)

/*
 * Compare @got with @want.  Every field must be equal but these:
 *  - seq and cpu, which the reader already checked;
 *  - id: 0 without CONNPROBE_F_SOCK; with it, non-zero, and what
 *    want_id_of() or want_id_new() said, if either did;
 *  - ts_ns, equal to want->ts_ns when that is not zero, and latency_ns:
 *    [ts_ns, ts_ns + latency_ns] must lie within [@lo, @hi], the window the
 *    caller measured around the call (or around the whole attempt), and
 *    latency_ns must not be 0: a call takes time, and an attempt, which
 *    starts inside its call, ends after the call's entry (ts_ns).
 * Returns how many fields differ; @why (@len bytes) says which and how.
 */
int record_diff(const struct connprobe_record *want,
		const struct connprobe_record *got, uint64_t lo, uint64_t hi,
		char *why, size_t len);

/* Room for record_diff()'s @why, enough to list every field. */
#define RECORD_DIFF_LEN	2048

#endif /* RECORD_WANT_H */
