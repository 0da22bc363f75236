/* SPDX-License-Identifier: GPL-2.0 */
/* --summary (text on stdout) and --json FILE (atomic) for one or more runs. */
#ifndef FRAGMON_PLOT_SUMMARY_H
#define FRAGMON_PLOT_SUMMARY_H

#include <stdio.h>

#include "model.h"

/* A/B and N-way (every side against the first) add the comparison lines */
void pm_summary_text(FILE *out, struct pm_side *sides, int n);
/* 0 ok, -1 with the reason in err */
int pm_summary_json(const char *path, struct pm_side *sides, int n, char *err, size_t cap);

/* a JSON report built over several calls (--results-dir pages) */
struct pm_report;
struct pm_report *pm_report_new(void);
/* kind: 0 single, 1 A/B, 2 N-way (every side against the first) */
void pm_report_add(struct pm_report *rep, struct pm_side *sides, int n, int kind);
int pm_report_write(struct pm_report *rep, const char *path, char *err, size_t cap);
void pm_report_free(struct pm_report *rep);

#endif
