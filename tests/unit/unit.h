/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small unit-test runner: each test is a function; a failed check prints
 * file:line and what it compared and marks the test failed, the test goes on.
 * The runner prints "ok"/"not ok" per test and ends with
 * "unit: N passed, N failed, N skipped".
 */
#ifndef FRAGMON_UNIT_H
#define FRAGMON_UNIT_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct ut_test {
	const char *name;
	void (*fn)(void);
};

/* state of the running test */
extern int ut_failures;
extern const char *ut_skip_reason;
extern const char *ut_data; /* tests/unit/data */

void ut_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define UT_CHECK(cond, ...)                                                                        \
	do {                                                                                       \
		if (!(cond))                                                                       \
			ut_fail(__FILE__, __LINE__, __VA_ARGS__);                                  \
	} while (0)

#define UT_EQ_LL(got, want, what)                                                                  \
	do {                                                                                       \
		long long g_ = (long long)(got), w_ = (long long)(want);                           \
		if (g_ != w_)                                                                      \
			ut_fail(__FILE__, __LINE__, "%s: got %lld, want %lld", what, g_, w_);      \
	} while (0)

#define UT_EQ_STR(got, want, what)                                                                 \
	do {                                                                                       \
		const char *g_ = (got), *w_ = (want);                                              \
		if (!g_ || strcmp(g_, w_))                                                         \
			ut_fail(__FILE__, __LINE__, "%s: got \"%s\", want \"%s\"", what,           \
				g_ ? g_ : "(null)", w_);                                           \
	} while (0)

/* stop the current test as skipped (say why); returns from the test function */
#define UT_SKIP(why)                                                                               \
	do {                                                                                       \
		ut_skip_reason = (why);                                                            \
		return;                                                                            \
	} while (0)

/* the kernels whose files tests/unit/data holds (capture.sh) */
extern const char *const ut_kernels[];
extern const int ut_nkernels;

/* data/<kernel>/<rel> into buf */
const char *ut_path(char *buf, size_t len, const char *kernel, const char *rel);

/* the tests of each file */
extern const struct ut_test ut_fragindex_tests[], ut_procfs_tests[], ut_tpformat_tests[],
    ut_model_tests[], ut_reader_tests[], ut_markers_tests[], ut_trend_tests[], ut_severity_tests[],
    ut_tasks_tests[], ut_writer_tests[], ut_origin_tests[], ut_stats_tests[], ut_metrics_tests[];
/* the agent's event JSON and kallsyms */
extern const struct ut_test ut_event_json_tests[];

#endif
