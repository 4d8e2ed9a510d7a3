// SPDX-License-Identifier: GPL-2.0
/* What every sink reports on stderr at the end of a run; error messages. */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "sink.h"

void sink_report_counts(const struct cp_sink *s, const struct cp_stats *lost)
{
	bool filtered = s->filter && s->filter->mask;

	fprintf(stderr, "%llu records read", s->read);
	if (filtered)
		fprintf(stderr, ", %llu matched", s->matched);
	if (!lost) {
		fprintf(stderr, ", lost unknown\n");
		return;
	}
	fprintf(stderr, ", %llu lost\n", lost->total_lost);
	stats_print_losses(stderr, lost);
}

void sink_say_tracing(const struct cp_source_info *info)
{
	/* only for a person watching: stdout stays data */
	if (info->live && isatty(STDERR_FILENO))
		fprintf(stderr, "Tracing connect()... Hit Ctrl-C to end.\n");
}

int cp_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}
