/* SPDX-License-Identifier: GPL-2.0 */
/* What a record says happened, in the words of every view. */
#ifndef CONNPROBE_OUTCOME_H
#define CONNPROBE_OUTCOME_H

#include "format.h"

#define OUTCOME_BUF_LEN	(NAME_BUF_LEN + 8)	/* "done:" and any result name */

/* A key without holes: the result as the caller got it, or "abandoned". */
struct cp_outcome {
	__u8 event;		/* enum connprobe_event */
	__u8 abandoned;		/* COMPLETE only; then ret is 0 */
	__u16 __pad;
	__s32 ret;
};

/* Inline, as record_in_progress(): the views ask it of every record. */
static inline struct cp_outcome outcome_of(const struct connprobe_record *rec)
{
	struct cp_outcome o = { .event = rec->event, .ret = rec->ret };

	if (rec->ret < 0)
		o.ret = -caller_errno(-(long long)rec->ret);
	if (rec->event == CONNPROBE_EVENT_COMPLETE &&
	    (rec->flags & CONNPROBE_F_ABANDONED)) {
		o.abandoned = 1;
		o.ret = 0;
	}
	return o;
}

/* "OK", the errno name, a positive ret as a number, "abandoned": prom's. */
static inline const char *outcome_result(const struct cp_outcome *o,
					 char *buf, size_t len)
{
	if (!o->ret)
		return o->abandoned ? "abandoned" : "OK";
	if (o->ret > 0) {
		snprintf(buf, len, "%d", o->ret);
		return buf;
	}
	/* Widen before negating: -INT_MIN does not fit in an int. */
	return errno_str(-(long long)o->ret, buf, len);
}

/* The table's RESULT: "done:" before a COMPLETE's; @len >= OUTCOME_BUF_LEN. */
static inline const char *outcome_label(const struct cp_outcome *o,
					char *buf, size_t len)
{
	const char *r = outcome_result(o, buf + 5, len - 5);

	if (o->event != CONNPROBE_EVENT_COMPLETE || o->abandoned)
		return r;
	/* per record in the table: no snprintf() */
	memmove(buf + 5, r, strlen(r) + 1);
	return memcpy(buf, "done:", 5);
}

/* EINPROGRESS is no failure: the attempt's COMPLETE record ends it. */
static inline bool outcome_failed(const struct cp_outcome *o)
{
	if (o->event == CONNPROBE_EVENT_COMPLETE)
		return o->abandoned || o->ret != 0;
	return o->ret < 0 && o->ret != -EINPROGRESS;
}

static inline bool record_failed(const struct connprobe_record *rec)
{
	struct cp_outcome o = outcome_of(rec);

	return outcome_failed(&o);
}

/* EINPROGRESS, or EINTR: a blocking connect's handshake goes on too. */
static inline bool record_in_progress(const struct connprobe_record *rec)
{
	return rec->event == CONNPROBE_EVENT_CONNECT &&
	       (rec->flags & CONNPROBE_F_SOCK) &&
	       (rec->ret == -EINPROGRESS ||
		(rec->ret < 0 && caller_errno(-(long long)rec->ret) == EINTR));
}

#endif /* CONNPROBE_OUTCOME_H */
