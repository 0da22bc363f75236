/* SPDX-License-Identifier: GPL-2.0 */
/* Whole images: the single-run and A/B dashboards, and the N-way overview. */
#ifndef FRAGMON_PLOT_DASHBOARD_H
#define FRAGMON_PLOT_DASHBOARD_H

#include <stddef.h>

#include "model.h"

/* n = 1: single run, n = 2: A/B.  0 ok, -1 error (err says why). */
int pm_dashboard(struct pm_side *sides, int n, const char *title, double bin, const char *out,
		 char *err, size_t cap);
int pm_overview(struct pm_side *sides, int n, const char *title, const char *out, char *err,
		size_t cap);

#endif
