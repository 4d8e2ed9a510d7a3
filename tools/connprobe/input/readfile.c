// SPDX-License-Identifier: GPL-2.0
/* Read a small file to its end. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "readfile.h"

char *read_whole_file(const char *path, size_t max)
{
	FILE *f = fopen(path, "re");
	char *buf;
	size_t n;
	int e;

	if (!f)
		return NULL;
	/* room for a byte more than @max: to see that there is more */
	buf = malloc(max + 2);
	n = buf ? fread(buf, 1, max + 1, f) : 0;
	e = !buf ? ENOMEM : ferror(f) ? errno : n > max ? EFBIG : 0;
	fclose(f);
	if (e) {
		free(buf);
		errno = e;
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}
