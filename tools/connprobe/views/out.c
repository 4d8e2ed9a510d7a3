// SPDX-License-Identifier: GPL-2.0
/* Buffered row output and the number formatting behind it. */
#include <stdlib.h>

#include "out.h"

int out_init(struct cp_out *o, FILE *f)
{
	o->f = f;
	o->len = 0;
	o->size = OUT_BUF_SIZE;
	o->buf = malloc(OUT_BUF_SIZE);
	return o->buf ? 0 : -1;
}

void out_make_room(struct cp_out *o, size_t n)
{
	if (o->len)
		fwrite(o->buf, 1, o->len, o->f);
	o->len = 0;
	if (n <= o->size)
		return;
	/* only a row with a cgroup path of tens of kB is this long */
	o->buf = realloc(o->buf, n);
	if (!o->buf) {
		fputs("connprobe: out of memory\n", stderr);
		abort();
	}
	o->size = n;
}

int out_flush(struct cp_out *o)
{
	out_make_room(o, 0);
	return fflush(o->f) || ferror(o->f) ? -1 : 0;
}

int out_close(struct cp_out *o)
{
	int ret = 0;

	if (o->buf)
		ret = out_flush(o);
	free(o->buf);
	o->buf = NULL;
	return ret;
}

static void out_spaces(struct cp_out *o, size_t n)
{
	memset(out_reserve(o, n), ' ', n);
	o->len += n;
}

char fmt_digits4[10001][4];
unsigned char fmt_len4[10000];

static void __attribute__((constructor)) fmt_init(void)
{
	unsigned int i;

	for (i = 0; i < 10000; i++) {
		fmt_digits4[i][0] = '0' + i / 1000;
		fmt_digits4[i][1] = '0' + i / 100 % 10;
		fmt_digits4[i][2] = '0' + i / 10 % 10;
		fmt_digits4[i][3] = '0' + i % 10;
		fmt_len4[i] = i >= 1000 ? 4 : i >= 100 ? 3 : i >= 10 ? 2 : 1;
	}
}

void out_u64(struct cp_out *o, unsigned long long v)
{
	char *p = out_reserve(o, 20);

	out_commit(o, p + fmt_u64(p, v));
}

void out_col(struct cp_out *o, const char *s, size_t n, size_t width)
{
	out_mem(o, s, n);
	out_spaces(o, n < width ? width - n + 1 : 1);
}

void out_rcol(struct cp_out *o, const char *s, size_t n, size_t width)
{
	if (n < width)
		out_spaces(o, width - n);
	out_mem(o, s, n);
}
