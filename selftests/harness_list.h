/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `BINARY -l`: the names of the tests BINARY would run, one a line, as its
 * TAP lines name them, without running any.  The host reads them before a
 * VM boots, so that a test that never reports (its binary crashed, or the
 * VM did) is named as a failure.  6.1's harness has no list option of its
 * own (newer ones have -l); this walks the same lists its runner walks.
 *
 * Include after kselftest_harness.h; it replaces TEST_HARNESS_MAIN.
 */
#ifndef CONNPROBE_HARNESS_LIST_H
#define CONNPROBE_HARNESS_LIST_H

#include <stdio.h>
#include <string.h>

/* Each fixture, each of its variants (or none), each test: the runner's order. */
static inline int harness_list(void)
{
	struct __fixture_variant_metadata no_variant = { .name = "" };
	struct __fixture_variant_metadata *v;
	struct __fixture_metadata *f;
	struct __test_metadata *t;

	for (f = __fixture_list; f; f = f->next)
		for (v = f->variant ?: &no_variant; v; v = v->next)
			for (t = f->tests; t; t = t->next)
				printf("%s%s%s.%s\n", f->name, v->name[0] ? "." : "",
				       v->name, t->name);
	return fflush(stdout) ? 1 : 0;
}

#undef TEST_HARNESS_MAIN
#define TEST_HARNESS_MAIN						\
	static void __attribute__((constructor))			\
	__constructor_order_last(void)					\
	{								\
		if (!__constructor_order)				\
			__constructor_order = _CONSTRUCTOR_ORDER_BACKWARD; \
	}								\
	int main(int argc, char **argv)					\
	{								\
		if (argc == 2 && !strcmp(argv[1], "-l"))		\
			return harness_list();				\
		return test_harness_run(argc, argv);			\
	}

#endif /* CONNPROBE_HARNESS_LIST_H */
