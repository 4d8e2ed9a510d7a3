// SPDX-License-Identifier: GPL-2.0
/* Replaying a capture through a sink. */
#include <stdio.h>

#include "replay.h"

int replay_run(struct cp_capture *c, struct cp_sink *sink)
{
	struct cp_source_info info = {
		.live = false,
		.realtime_offset_ns = c->hdr.realtime_offset_ns,
		.start_ns = c->hdr.start_ns,
		.hostname = c->hdr.hostname,
	};
	const struct connprobe_record *rec;
	char err[512];

	if (sink->ops->begin(sink, &info))
		goto out_sink_err;
	/* recorded rounds were sorted already: file order is time order */
	while ((rec = capture_next(c, err, sizeof(err))))
		if (sink_feed(sink, rec))
			goto out_sink_err;
	if (err[0]) {
		/* what the sink printed so far stays: say where it stopped */
		sink_abort(sink);
		fprintf(stderr, "connprobe: %s: %s\n", c->name, err);
		return 1;
	}
	if (sink->ops->end(sink, c->lost_known ? &c->lost : NULL))
		goto out_sink_err;
	return 0;

out_sink_err:
	fprintf(stderr, "connprobe: %s\n", sink->err);
	return 1;
}
