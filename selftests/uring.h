/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A one-entry io_uring for IORING_OP_CONNECT, set up with the raw syscalls:
 * the test VM has no liburing (nor any library).  Shared by the io_uring
 * selftest and the torture load.
 */
#ifndef URING_H
#define URING_H

#include <linux/io_uring.h>
#include <stddef.h>

#include "loopback.h"

/* A ring of one entry, mapped the way io_uring_setup(2) describes. */
struct ring {
	int fd;
	void *sq, *cq;
	size_t sq_len, cq_len;
	struct io_uring_sqe *sqes;
	size_t sqes_len;
	unsigned int *sq_tail, *sq_mask, *sq_array;
	unsigned int *cq_head, *cq_tail, *cq_mask;
	struct io_uring_cqe *cqes;
};

/*
 * Set up @r; returns 0 or a negative errno, io_uring_setup()'s errno left
 * in *setup_err (ENOSYS: no io_uring in this kernel; EPERM: disabled).  On
 * failure, ring_unmap() undoes what was done.
 */
int ring_setup(struct ring *r, int *setup_err);

/* Unmap and close @r; its fd is then -1. */
void ring_unmap(struct ring *r);

/*
 * Submit one IORING_OP_CONNECT of @fd to @dst and wait for its completion.
 * Returns 0 with the CQE's result in *res, or a negative errno.
 */
int ring_connect(struct ring *r, int fd, const struct endpoint *dst,
		 unsigned int sqe_flags, int *res);

/*
 * The same in two steps: submit (0 or a negative errno), then, later,
 * wait for the completion (0 with its result in *res, or a negative
 * errno).  Whatever io_uring does in between runs when the task next
 * leaves the kernel, or is woken: inside another system call, say.
 */
int ring_submit_connect(struct ring *r, int fd, const struct endpoint *dst,
			unsigned int sqe_flags);
int ring_wait(struct ring *r, int *res);

#endif /* URING_H */
