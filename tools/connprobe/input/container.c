// SPDX-License-Identifier: GPL-2.0
/* Container ids of the docker, containerd, cri-o and podman layouts. */
#include <stddef.h>
#include <string.h>

#include "container.h"

/* What may come before the id in a component, and after it. */
static const char *const prefixes[] = {
	"", "docker-", "cri-containerd-", "crio-", "libpod-",
};
static const char SCOPE[] = ".scope";

static bool all_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* Does component @c (@n bytes) name a container?  Then copy its id. */
static bool component_id(const char *c, size_t n, char *id)
{
	size_t i, plen, rest;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		plen = strlen(prefixes[i]);
		if (n < plen + CONTAINER_ID_LEN ||
		    strncmp(c, prefixes[i], plen))
			continue;
		rest = n - plen - CONTAINER_ID_LEN;
		if (rest && (rest != sizeof(SCOPE) - 1 ||
			     strncmp(c + n - rest, SCOPE, rest)))
			continue;
		if (!all_hex(c + plen, CONTAINER_ID_LEN))
			continue;
		memcpy(id, c + plen, CONTAINER_ID_LEN);
		id[CONTAINER_ID_LEN] = '\0';
		return true;
	}
	return false;
}

bool container_id(const char *path, char *id)
{
	const char *end = path + strlen(path), *start;

	id[0] = '\0';
	/* from the deepest component up: nested cgroups sit below the id */
	while (end > path) {
		start = end;
		while (start > path && start[-1] != '/')
			start--;
		if (component_id(start, end - start, id))
			return true;
		end = start > path ? start - 1 : path;
	}
	return false;
}
