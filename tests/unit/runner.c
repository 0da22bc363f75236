// SPDX-License-Identifier: GPL-2.0
/*
 * fragmon-unit [DATA_DIR [FILTER]]: runs every unit test (the canned kernel
 * files are read from DATA_DIR, default tests/unit/data); FILTER runs only
 * tests whose name contains it.  Exit status 1 if any test failed.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "unit.h"

int ut_failures;
const char *ut_skip_reason;
const char *ut_data = "tests/unit/data";

void ut_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stdout, "#   %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	ut_failures++;
}

const char *ut_path(char *buf, size_t len, const char *kernel, const char *rel)
{
	snprintf(buf, len, "%s/%s/%s", ut_data, kernel, rel);
	return buf;
}

int main(int argc, char **argv)
{
	const struct ut_test *const suites[] = {
	    ut_fragindex_tests, ut_procfs_tests,    ut_tpformat_tests, ut_model_tests,
	    ut_reader_tests,	ut_markers_tests,   ut_trend_tests,    ut_severity_tests,
	    ut_tasks_tests,	ut_writer_tests,    ut_origin_tests,   ut_stats_tests,
	    ut_metrics_tests,	ut_event_json_tests};
	const char *filter = argc > 2 ? argv[2] : NULL;
	int passed = 0, failed = 0, skipped = 0, n = 0;

	if (argc > 1)
		ut_data = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t s = 0; s < sizeof(suites) / sizeof(suites[0]); s++)
		for (const struct ut_test *t = suites[s]; t->name; t++) {
			if (filter && !strstr(t->name, filter))
				continue;
			ut_failures = 0;
			ut_skip_reason = NULL;
			t->fn();
			n++;
			if (ut_failures) {
				printf("not ok %d %s (%d checks failed)\n", n, t->name,
				       ut_failures);
				failed++;
			} else if (ut_skip_reason) {
				printf("ok %d %s # skip %s\n", n, t->name, ut_skip_reason);
				skipped++;
			} else {
				printf("ok %d %s\n", n, t->name);
				passed++;
			}
		}
	printf("unit: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
