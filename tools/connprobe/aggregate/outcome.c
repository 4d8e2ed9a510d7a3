// SPDX-License-Identifier: GPL-2.0
/* Outcome keys, labels and the one definition of a failure. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "outcome.h"

const char *result_str(__s32 ret, char *buf, size_t len)
{
	if (ret == 0)
		return "OK";
	if (ret > 0) {		/* not an errno: show the raw value */
		snprintf(buf, len, "%d", ret);
		return buf;
	}
	/* Widen before negating: -INT_MIN does not fit in an int. */
	return errno_str(-(long long)ret, buf, len);
}

const char *outcome_result(const struct cp_outcome *o, char *buf, size_t len)
{
	if (o->abandoned)
		return "abandoned";
	return result_str(o->ret, buf, len);
}

const char *outcome_label(const struct cp_outcome *o, char *buf, size_t len)
{
	static const char done[] = "done:";
	char res[NAME_BUF_LEN];
	const char *r;
	size_t n;

	if (o->event != CONNPROBE_EVENT_COMPLETE || o->abandoned)
		return outcome_result(o, buf, len);
	/* per record in the table: no snprintf() */
	r = result_str(o->ret, res, sizeof(res));
	n = strlen(r);
	if (sizeof(done) + n > len)
		n = len - sizeof(done);
	memcpy(buf, done, sizeof(done) - 1);
	memcpy(buf + sizeof(done) - 1, r, n);
	buf[sizeof(done) - 1 + n] = '\0';
	return buf;
}

bool outcome_failed(const struct cp_outcome *o)
{
	if (o->event == CONNPROBE_EVENT_COMPLETE)
		return o->abandoned || o->ret != 0;
	return o->ret < 0 && o->ret != -EINPROGRESS;
}

bool record_failed(const struct connprobe_record *rec)
{
	struct cp_outcome o = outcome_of(rec);

	return outcome_failed(&o);
}
