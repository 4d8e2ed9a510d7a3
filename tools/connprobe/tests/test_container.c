// SPDX-License-Identifier: GPL-2.0
/* Container ids in the cgroup layouts of the common runtimes. */
#include "cgroup.h"
#include "runner.h"

#define ID  "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa00112233445566778899"
#define ID2 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static int test_runtime_layouts(const void *arg)
{
	static const char *const paths[] = {
		"/system.slice/docker-" ID ".scope",
		"/docker/" ID,
		"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1b2c.slice/cri-containerd-" ID ".scope",
		"/kubepods/burstable/pod1b2c-3d4e/" ID,
		"/kubepods.slice/kubepods-pod9.slice/crio-" ID ".scope",
		"/machine.slice/libpod-" ID ".scope",
		"/machine.slice/libpod-" ID ".scope/container",
		"/libpod_parent/libpod-" ID,
		"/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID ".scope",
	};
	char id[CONTAINER_ID_LEN + 1];
	size_t i;

	(void)arg;
	for (i = 0; i < ARRAY_LEN(paths); i++) {
		if (!container_id(paths[i], id))
			diag("no id in %s", paths[i]);
		CHECK_STR(id, ID);
	}
	return 0;
fail:
	return 1;
}

static int test_not_containers(const void *arg)
{
	static const char *const paths[] = {
		"/", "/system.slice/sshd.service", "/user.slice/user-1000.slice",
		/* conmon is the monitor, not the container */
		"/machine.slice/libpod-conmon-" ID ".scope",
		"/kubepods.slice/crio-conmon-" ID ".scope",
		/* 63 hex digits, upper case, a suffix other than .scope */
		"/docker/3f4e5d6c7b8a99887766554433221100ffeeddccbbaa0011223344556677889",
		"/docker/3F4E5D6C7B8A99887766554433221100FFEEDDCCBBAA00112233445566778899",
		"/system.slice/docker-" ID ".mount",
		"",
	};
	char id[CONTAINER_ID_LEN + 1];
	size_t i;

	(void)arg;
	for (i = 0; i < ARRAY_LEN(paths); i++) {
		if (container_id(paths[i], id))
			diag("an id in %s", paths[i]);
		CHECK(!container_id(paths[i], id));
		CHECK_STR(id, "");
	}
	return 0;
fail:
	return 1;
}

static int test_deepest_wins(const void *arg)
{
	char id[CONTAINER_ID_LEN + 1];

	(void)arg;
	/* a container nested in another (docker in docker): the inner one */
	CHECK(container_id("/docker/" ID "/docker/" ID2, id));
	CHECK_STR(id, ID2);
	return 0;
fail:
	return 1;
}

TEST_LIST(container_tests) = {
	{ "container id: docker, containerd, cri-o, podman layouts", test_runtime_layouts },
	{ "container id: none in services, conmon, near misses", test_not_containers },
	{ "container id: the deepest container wins", test_deepest_wins },
	{ NULL, NULL },
};
