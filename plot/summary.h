/* SPDX-License-Identifier: GPL-2.0 */
/* --summary (text on stdout) and --json FILE (atomic) for one or more runs. */
#ifndef FRAGMON_PLOT_SUMMARY_H
#define FRAGMON_PLOT_SUMMARY_H

#include <stdio.h>

#include "model.h"

void pm_summary_text(FILE *out, struct pm_run *const *runs, int n);
/* 0 ok, -1 with errno-style message in err */
int pm_summary_json(const char *path, struct pm_run *const *runs, int n, char *err, size_t cap);

#endif
