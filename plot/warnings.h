/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What is wrong with the runs of an image, in one table (warnings.c): each
 * kind has one wording, used on stderr when a run is loaded, in the header of
 * the dashboards and of the overview.  A kind that several runs share is one
 * line naming them ("checkpoint, written while the run went on: a, b, c"),
 * not a line per run: a 14-run overview had a band of twelve nearly equal
 * lines.
 */
#ifndef FRAGMON_PLOT_WARNINGS_H
#define FRAGMON_PLOT_WARNINGS_H

#include <stddef.h>
#include <stdio.h>
#include <yajl/yajl_gen.h>

#include "model.h"

enum pm_wkind {
	PM_WK_TRUNCATED,
	PM_WK_NO_METADATA,
	PM_WK_CHECKPOINT,
	PM_WK_DROPPED,
	PM_WK_NO_BPF,
	PM_WK_NO_EXTFRAG,
	PM_WK_NO_COMPACTION,
	PM_WK_NO_MIGRATE,
	PM_WK_OUTSIDE,
	PM_WK_NO_EVENTS,
	PM_WK_DURATION, /* of a side against the baseline (overview) */
	PM_WK_TREND,	/* repeated runs of a side trend (trend.h) */
	PM_WK_N,
};

struct pm_warning {
	enum pm_wkind kind;
	char who[PM_STR]; /* the run or side */
	char detail[400]; /* what is particular to it ("at byte 1234 (56 events read)") */
};

#define PM_MAX_WARNINGS 256

/* the warnings of one run; returns how many were written (at most max) */
int pm_run_warnings(const struct pm_run *r, struct pm_warning *w, int max);
/* on stderr, as a run is loaded (the kinds that say the file is not whole) */
void pm_warn_stderr(const struct pm_run *r, const char *src);
/* w[0..n) as lines, a kind shared by several runs in one line; returns the
 * number of lines (at most max) */
int pm_warn_lines(const struct pm_warning *w, int n, char (*lines)[600], int max);
/* the warnings of every run of sides[0..n), durations that differ from the
 * first side's (overview: bases = 1) and trends across repeats; returns the count */
int pm_sides_warnings(const struct pm_side *sides, int n, int durations, struct pm_warning *w,
		      int max);

#endif

/* --summary: for each side of several runs, its trend test ("trend: ..."),
 * and a "warning: ..." line where it found one */
void pm_trend_summary(FILE *out, const struct pm_side *sides, int n);
/* --json: an array of the same, one object per side of several runs */
void pm_trend_json(yajl_gen g, const struct pm_side *sides, int n);
