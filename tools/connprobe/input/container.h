/* SPDX-License-Identifier: GPL-2.0 */
/* The container id in a cgroup path. */
#ifndef CONNPROBE_CONTAINER_H
#define CONNPROBE_CONTAINER_H

#include <stdbool.h>

#define CONTAINER_ID_LEN	64	/* hex digits */

/*
 * Find the container id in cgroup v2 path @path and copy it to @id
 * (CONTAINER_ID_LEN + 1 bytes).  The deepest component that names a
 * container wins:
 *
 *	docker (systemd driver)	.../docker-<id>.scope
 *	docker (cgroupfs)	/docker/<id>
 *	containerd (CRI)	.../cri-containerd-<id>.scope, or .../pod<uid>/<id>
 *	cri-o			.../crio-<id>.scope
 *	podman			.../libpod-<id>.scope[/container], or
 *				/libpod_parent/libpod-<id>
 *
 * where <id> is 64 hex digits.  conmon's own cgroups (crio-conmon-<id>,
 * libpod-conmon-<id>) are not the container and do not match.  Returns
 * false, with @id empty, when no component matches.
 */
bool container_id(const char *path, char *id);

#endif /* CONNPROBE_CONTAINER_H */
