/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "Where it came from" tables, shared by --summary, --json and the
 * dashboard panel (docs/plot.md): the tests (or phases) with the most
 * fallbacks, the tasks, the call paths; for A/B the test-by-test comparison
 * (plot/pertest.h) and the call paths that appear or grow on B.
 */
#ifndef FRAGMON_PLOT_ORIGIN_REPORT_H
#define FRAGMON_PLOT_ORIGIN_REPORT_H

#include <stdio.h>

#include <yajl/yajl_gen.h>

#include "model.h"
#include "origin.h"
#include "pertest.h"

#define PO_TOP 20 /* rows of a table; the rest is one line */

struct po_row {
	char label[192];
	double n, dur, rate, share; /* fallbacks, s, per s, of the run's */
	long long steal, claim, pid, pids;
	char pattern[PO_PAT];
	double a, b; /* A/B paths: per hour */
};

struct po_table {
	struct po_row row[PO_TOP];
	int n, all;	/* rows shown, rows in all */
	double rest;	/* fallbacks of the rows not shown */
	double total;	/* the share's denominator */
	double outside; /* tests: fallbacks while no test ran */
};

int po_tests_table(const struct pm_run *r, int kind, struct po_table *t);
int po_tasks_table(const struct pm_run *r, struct po_table *t);
/* call paths by their short form (po_short_path); 0 ok, -1 out of memory */
int po_paths_table(const struct pm_run *r, struct po_table *t);
/* paths that appear (a == 0) or grow on B, per hour of run, most grown first */
int po_paths_grow(const struct pm_run *a, const struct pm_run *b, struct po_table *t);
/* the A/B test by test; 0 ok (pt_free the result), -1 no tests or no memory */
int po_pertest(const struct pm_run *a, const struct pm_run *b, struct pt_result *res);

void po_summary_text(FILE *out, const struct pm_run *r);
void po_summary_json(yajl_gen g, const struct pm_run *r);
void po_compare_text(FILE *out, const struct pm_run *a, const struct pm_run *b);
void po_compare_json(yajl_gen g, const struct pm_run *a, const struct pm_run *b);

#endif
