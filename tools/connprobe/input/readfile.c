// SPDX-License-Identifier: GPL-2.0
/* Read a file to its end, growing the buffer. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "readfile.h"

char *read_whole_file(const char *path, size_t max)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap), *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0 || !buf)
		goto out_fail;
	for (;;) {
		if (cap - len < 2) {
			if (cap >= max) {
				errno = EFBIG;
				goto out_fail;
			}
			p = realloc(buf, cap * 2);
			if (!p)
				goto out_fail;
			buf = p;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto out_fail;
		if (n == 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	close(fd);
	return buf;

out_fail:
	n = errno;	/* close() and free() may clobber it */
	if (fd >= 0)
		close(fd);
	free(buf);
	errno = n;
	return NULL;
}
