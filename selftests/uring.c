// SPDX-License-Identifier: GPL-2.0
/*
 * A one-entry io_uring for IORING_OP_CONNECT, with the raw syscalls; see
 * uring.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "uring.h"

void ring_unmap(struct ring *r)
{
	if (r->sqes && r->sqes != MAP_FAILED)
		munmap(r->sqes, r->sqes_len);
	if (r->cq && r->cq != MAP_FAILED && r->cq != r->sq)
		munmap(r->cq, r->cq_len);
	if (r->sq && r->sq != MAP_FAILED)
		munmap(r->sq, r->sq_len);
	if (r->fd >= 0)
		close(r->fd);
	memset(r, 0, sizeof(*r));
	r->fd = -1;
}

int ring_setup(struct ring *r, int *setup_err)
{
	struct io_uring_params p = {};

	r->fd = syscall(__NR_io_uring_setup, 1, &p);
	*setup_err = r->fd < 0 ? errno : 0;
	if (r->fd < 0)
		return -*setup_err;
	r->sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	r->cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP) {
		if (r->cq_len > r->sq_len)
			r->sq_len = r->cq_len;
		r->cq_len = r->sq_len;
	}
	r->sq = mmap(NULL, r->sq_len, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	if (r->sq == MAP_FAILED)
		return -errno;
	if (p.features & IORING_FEAT_SINGLE_MMAP)
		r->cq = r->sq;
	else
		r->cq = mmap(NULL, r->cq_len, PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_POPULATE, r->fd,
			     IORING_OFF_CQ_RING);
	if (r->cq == MAP_FAILED)
		return -errno;
	r->sqes_len = p.sq_entries * sizeof(struct io_uring_sqe);
	r->sqes = mmap(NULL, r->sqes_len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED)
		return -errno;
	r->sq_tail = (unsigned int *)((char *)r->sq + p.sq_off.tail);
	r->sq_mask = (unsigned int *)((char *)r->sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned int *)((char *)r->sq + p.sq_off.array);
	r->cq_head = (unsigned int *)((char *)r->cq + p.cq_off.head);
	r->cq_tail = (unsigned int *)((char *)r->cq + p.cq_off.tail);
	r->cq_mask = (unsigned int *)((char *)r->cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)((char *)r->cq + p.cq_off.cqes);
	return 0;
}

/* Queue one IORING_OP_CONNECT of @fd to @dst. */
static void ring_prep_connect(struct ring *r, int fd,
			      const struct endpoint *dst,
			      unsigned int sqe_flags)
{
	unsigned int tail = *r->sq_tail, idx = tail & *r->sq_mask;
	struct io_uring_sqe *sqe = &r->sqes[idx];

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_CONNECT;
	sqe->flags = sqe_flags;
	sqe->fd = fd;
	sqe->addr = (uintptr_t)&dst->sa;
	sqe->off = dst->len;		/* addr2: the address length */
	sqe->user_data = 1;
	r->sq_array[idx] = idx;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
}

/* Take the one completion the ring has: 0 and its result, or -EAGAIN. */
static int ring_reap(struct ring *r, int *res)
{
	unsigned int head = *r->cq_head;

	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		return -EAGAIN;
	*res = r->cqes[head & *r->cq_mask].res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return 0;
}

int ring_connect(struct ring *r, int fd, const struct endpoint *dst,
		 unsigned int sqe_flags, int *res)
{
	int n;

	ring_prep_connect(r, fd, dst, sqe_flags);
	n = syscall(__NR_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS,
		    NULL, 0);
	if (n < 0)
		return -errno;
	if (n != 1)
		return -EIO;
	return ring_reap(r, res);
}

int ring_submit_connect(struct ring *r, int fd, const struct endpoint *dst,
			unsigned int sqe_flags)
{
	int n;

	ring_prep_connect(r, fd, dst, sqe_flags);
	n = syscall(__NR_io_uring_enter, r->fd, 1, 0, 0, NULL, 0);
	if (n < 0)
		return -errno;
	return n == 1 ? 0 : -EIO;
}

int ring_wait(struct ring *r, int *res)
{
	if (syscall(__NR_io_uring_enter, r->fd, 0, 1, IORING_ENTER_GETEVENTS,
		    NULL, 0) < 0)
		return -errno;
	return ring_reap(r, res);
}
