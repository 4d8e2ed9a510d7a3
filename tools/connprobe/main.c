// SPDX-License-Identifier: GPL-2.0
/*
 * connprobe - show the connect() calls traced by the connprobe module.
 * Parse (cli.c), check the environment, then wire a source (the module,
 * or a capture) through the filter to the command's sink.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "capture.h"
#include "capture_write.h"
#include "cli.h"
#include "live.h"
#include "stats.h"
#include "stream.h"
#include "views.h"

/* What a run holds, released at the end of main(); static: large. */
static struct cp_cgroups cgroups;
static struct cp_cgroup_scope scope;
static struct cp_cgroup_test cgroup_test = { cgroup_scope_under, &scope };
static struct cp_capture capture;
static struct cp_sink *sink;
static char err[PATH_MAX + 256];

/* The sink of @cli's command, or of report's view. */
static struct cp_sink *make_sink(const struct cli *cli)
{
	const char *const *a = cli->arg;
	struct stream_opts so = {
		.format = a[O_JSON] ? FORMAT_JSON : a[O_CSV] ? FORMAT_CSV :
			  FORMAT_TABLE,
		.wallclock = a[O_TIME], .wide = a[O_WIDE],
		.print_uid = a[O_PRINT_UID], .cgroups = &cgroups, .f = stdout,
	};
	struct view_opts vo = {
		.json = a[O_JSON], .msecs = a[O_MSECS], .lport = a[O_LPORT],
		.rows = cli->rows, .interval = cli->interval,
		.textfile_dir = a[O_TEXTFILE], .heatmap = a[O_HEATMAP],
		.f = stdout,
	};

	if (cli->cmd == CMD_RECORD)
		return capture_sink_new(a[O_OUTPUT] ?: DEFAULT_CAPTURE, &cgroups,
					err, sizeof(err));
	/* report's views show the capture as these commands show the module */
	vo.view = cli->cmd == CMD_HIST || cli->view == O_HIST ? AV_HIST :
		  cli->cmd == CMD_SUMMARY || cli->view == O_SUMMARY ? AV_SUMMARY :
		  cli->cmd == CMD_TOP ? AV_TOP :
		  cli->cmd == CMD_PROM || cli->view == O_PROM ? AV_PROM :
		  cli->view == O_HEATMAP ? AV_HEATMAP :
		  a[O_COUNT] ? AV_COUNT : AV_IN_PROGRESS;
	/* the record stream, alone or showing the connects in progress */
	if (vo.view == AV_IN_PROGRESS && !a[O_IN_PROGRESS])
		return stream_sink_new(&so);
	if (vo.view == AV_IN_PROGRESS)
		vo.stream = stream_sink_new(&so);
	return view_sink_new(&vo);
}

/*
 * --cgroup PATH.  Live, PATH must exist; its inode is the cgroup id a
 * kernel-side filter will take.  From a capture, the path is matched
 * against the paths the capture recorded.
 */
static int setup_cgroup_filter(struct cli *cli)
{
	char dir[PATH_MAX];
	struct stat st;

	cgroup_scope_init(&scope, &cgroups, cli->arg[O_CGROUP]);
	if (cli->cmd == CMD_REPORT)
		return 0;
	if (!cgroups.mount) {
		snprintf(err, sizeof(err),
			 "--cgroup: no cgroup v2 hierarchy is mounted (mount -t cgroup2 none /sys/fs/cgroup)");
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s%s", cgroups.mount, scope.root);
	errno = 0;
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(err, sizeof(err), "--cgroup: %s: %s", dir,
			 errno ? strerror(errno) : "not a directory");
		return -1;
	}
	cli->filter.cgroup_id = st.st_ino;
	return 0;
}

static int run(struct cli *cli)
{
	const char *debugfs = cli->arg[O_DEBUGFS] ?: DEFAULT_DEBUGFS;
	const char *input = cli->arg[O_INPUT] ?: DEFAULT_CAPTURE;
	char dir[PATH_MAX];
	struct cp_filter_push push;
	int ret;

	if (cli->cmd == CMD_REPORT) {
		if (capture_open(&capture, input, &cgroups, err, sizeof(err))) {
			/* the message says what is wrong; say with which file */
			fprintf(stderr, "connprobe: %s: %s\n", input, err);
			return 1;
		}
		if (cli->view == O_INFO) {
			capture_print_info(stdout, &capture);
			return 0;
		}
	} else {
		/* cli_parse() checked that it fits */
		snprintf(dir, sizeof(dir), "%s/%s", debugfs, CONNPROBE_DEBUGFS_DIR);
		if (env_check(debugfs, dir, cli->arg[O_DEBUGFS]))
			return 1;
		if (cli->cmd == CMD_STATS)
			return stats_command(dir, cli->arg[O_JSON]);
		if (cgroups_open(&cgroups, cli->arg[O_CGROUPFS], err, sizeof(err)))
			goto out_err;
	}
	if (cli->arg[O_CGROUP] && setup_cgroup_filter(cli))
		goto out_err;
	sink = make_sink(cli);
	if (!sink) {
		if (!err[0])
			snprintf(err, sizeof(err), "out of memory");
		goto out_err;
	}
	sink->filter = &cli->filter;
	sink->cgroup_test = &cgroup_test;
	if (cli->cmd == CMD_REPORT)
		return replay_run(&capture, sink);
	if (filter_push(&push, dir, &cli->filter, err, sizeof(err)))
		goto out_err;
	ret = live_run(&(struct live_opts){ dir, cli->duration }, sink);
	filter_unpush(&push);
	return ret;

out_err:
	fprintf(stderr, "connprobe: %s\n", err);
	return 1;
}

int main(int argc, char **argv)
{
	struct cli cli;
	int ret;

	cli_parse(argc, argv, &cli);
	cgroups_init(&cgroups);
	ret = run(&cli);
	sink_destroy(sink);
	capture_close(&capture);
	cgroups_free(&cgroups);
	return ret;
}
