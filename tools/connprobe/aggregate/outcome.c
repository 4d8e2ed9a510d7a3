// SPDX-License-Identifier: GPL-2.0
/* Outcome labels: the table's, summary's and prom's words. */
#include <stdio.h>
#include <string.h>

#include "outcome.h"

const char *outcome_result(const struct cp_outcome *o, char *buf, size_t len)
{
	if (o->abandoned)
		return "abandoned";
	if (o->ret == 0)
		return "OK";
	if (o->ret > 0) {	/* not an errno: show the raw value */
		snprintf(buf, len, "%d", o->ret);
		return buf;
	}
	/* Widen before negating: -INT_MIN does not fit in an int. */
	return errno_str(-(long long)o->ret, buf, len);
}

const char *outcome_label(const struct cp_outcome *o, char *buf, size_t len)
{
	char res[NAME_BUF_LEN];
	const char *r;

	if (o->event != CONNPROBE_EVENT_COMPLETE || o->abandoned)
		return outcome_result(o, buf, len);
	/* per record in the table: no snprintf() */
	r = outcome_result(o, res, sizeof(res));
	memcpy(buf, "done:", 5);
	memcpy(buf + 5, r, strlen(r) + 1);
	return buf;
}
