// SPDX-License-Identifier: GPL-2.0
/*
 * Wiring: the environment checks, the cgroup cache, the filter's cgroup
 * test, the sink for the command (or report's view), and the source.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "capture_read.h"
#include "capture_write.h"
#include "env.h"
#include "filter_push.h"
#include "live.h"
#include "replay.h"
#include "run.h"
#include "stats.h"
#include "stream.h"
#include "views.h"

#define TOP_DEFAULT_ROWS	10
#define TOP_DEFAULT_INTERVAL	1.0
#define PROM_DEFAULT_INTERVAL	15.0

/* Everything a run holds, released in one place. */
struct run {
	struct cp_filter filter;
	struct cp_cgroups cgroups;
	struct cp_cgroup_scope scope;
	struct cp_cgroup_test cgroup_test;
	struct cp_capture capture;
	struct cp_sink *sink;
	char err[PATH_MAX + 256];
};

/* The sink of a view; @cli->cmd picks it, or report's view. */
static struct cp_sink *make_sink(const struct cli *cli, struct run *r,
				 enum cli_cmd cmd)
{
	struct stream_opts so = {
		.format = cli->format, .wallclock = cli->wallclock,
		.wide = cli->wide, .print_uid = cli->print_uid,
		.cgroups = &r->cgroups, .f = stdout,
	};
	struct view_opts vo = {
		.json = cli->format == FORMAT_JSON, .msecs = cli->msecs,
		.lport = cli->lport, .rows = cli->rows,
		.textfile_dir = cli->textfile, .heatmap = cli->heatmap,
		.f = stdout,
	};

	switch (cmd) {
	case CMD_RECORD:
		return capture_sink_new(cli->output, &r->cgroups, r->err,
					sizeof(r->err));
	case CMD_HIST:
		vo.view = AV_HIST;
		break;
	case CMD_SUMMARY:
		vo.view = AV_SUMMARY;
		break;
	case CMD_TOP:
		vo.view = AV_TOP;
		vo.rows = cli->rows_given ? cli->rows : TOP_DEFAULT_ROWS;
		vo.interval = cli->interval ? cli->interval : TOP_DEFAULT_INTERVAL;
		break;
	case CMD_PROM:
		vo.view = AV_PROM;
		vo.interval = cli->interval ? cli->interval : PROM_DEFAULT_INTERVAL;
		break;
	case NR_CMDS:
		vo.view = AV_HEATMAP;
		break;
	default:
		if (cli->count) {
			vo.view = AV_COUNT;
			break;
		}
		if (!cli->in_progress)
			return stream_sink_new(&so);
		vo.view = AV_IN_PROGRESS;
		vo.stream = stream_sink_new(&so);
	}
	return view_sink_new(&vo);
}

static const enum cli_cmd view_cmd[] = {
	[VIEW_STREAM] = CMD_TRACE, [VIEW_SUMMARY] = CMD_SUMMARY,
	[VIEW_HIST] = CMD_HIST, [VIEW_PROM] = CMD_PROM,
	[VIEW_HEATMAP] = NR_CMDS,	/* report's alone */
};

/*
 * --cgroup PATH.  Live, PATH must exist; its inode is the cgroup id a
 * kernel-side filter will take.  From a capture, the path is matched
 * against the paths the capture recorded.
 */
static int setup_cgroup_filter(const struct cli *cli, struct run *r, bool live)
{
	char dir[PATH_MAX];
	struct stat st;

	cgroup_scope_init(&r->scope, &r->cgroups, cli->cgroup);
	r->cgroup_test.under = cgroup_scope_under;
	r->cgroup_test.ctx = &r->scope;
	if (!live)
		return 0;
	if (!r->cgroups.mount) {
		snprintf(r->err, sizeof(r->err),
			 "--cgroup: no cgroup v2 hierarchy is mounted (mount -t cgroup2 none /sys/fs/cgroup)");
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s%s", r->cgroups.mount, r->scope.root);
	errno = 0;
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(r->err, sizeof(r->err), "--cgroup: %s: %s", dir,
			 errno ? strerror(errno) : "not a directory");
		return -1;
	}
	r->filter.cgroup_id = st.st_ino;
	return 0;
}

static int run_report(const struct cli *cli, struct run *r)
{
	if (capture_open(&r->capture, cli->input, &r->cgroups, r->err,
			 sizeof(r->err))) {
		/* the message says what is wrong; say with which file */
		fprintf(stderr, "connprobe: %s: %s\n", cli->input, r->err);
		return 1;
	}
	if (cli->view == VIEW_INFO) {
		capture_print_info(stdout, &r->capture);
		return 0;
	}
	if ((r->filter.mask & CP_FILTER_CGROUP) &&
	    setup_cgroup_filter(cli, r, false))
		return 1;
	r->sink = make_sink(cli, r, view_cmd[cli->view]);
	if (!r->sink) {
		fprintf(stderr, "connprobe: out of memory\n");
		return 1;
	}
	r->sink->filter = &r->filter;
	r->sink->cgroup_test = &r->cgroup_test;
	return replay_run(&r->capture, r->sink);
}

static int run_live(const struct cli *cli, struct run *r, const char *dir)
{
	struct live_opts lo = { .dir = dir, .duration = cli->duration };
	struct cp_filter_push push;
	int ret;

	if (cgroups_open(&r->cgroups, cli->cgroupfs, r->err, sizeof(r->err)) ||
	    ((r->filter.mask & CP_FILTER_CGROUP) &&
	     setup_cgroup_filter(cli, r, true)))
		goto out_err;
	r->sink = make_sink(cli, r, cli->cmd);
	if (!r->sink) {
		if (!r->err[0])
			snprintf(r->err, sizeof(r->err), "out of memory");
		goto out_err;
	}
	r->sink->filter = &r->filter;
	r->sink->cgroup_test = &r->cgroup_test;
	if (filter_push(&push, dir, &r->filter, r->err, sizeof(r->err)))
		goto out_err;
	ret = live_run(&lo, r->sink);
	filter_unpush(&push);
	return ret;

out_err:
	fprintf(stderr, "connprobe: %s\n", r->err);
	return 1;
}

int run_command(const struct cli *cli)
{
	static struct run r;	/* static: large, and one per process */
	char dir[PATH_MAX];
	int ret;

	memset(&r, 0, sizeof(r));
	r.filter = cli->filter;
	cgroups_init(&r.cgroups);
	if (cli->cmd == CMD_REPORT) {
		ret = run_report(cli, &r);
		goto out;
	}
	if (snprintf(dir, sizeof(dir), "%s/%s", cli->debugfs,
		     CONNPROBE_DEBUGFS_DIR) >= (int)sizeof(dir))
		cli_usage_error(cli->cmd, cli->named, "--debugfs path too long");
	if (env_check(cli->debugfs, dir, cli->fake_debugfs))
		return 1;
	if (cli->cmd == CMD_STATS)
		return stats_command(dir, cli->format == FORMAT_JSON);
	ret = run_live(cli, &r, dir);
out:
	sink_destroy(r.sink);
	capture_close(&r.capture);
	cgroups_free(&r.cgroups);
	return ret;
}
