/* SPDX-License-Identifier: GPL-2.0 */
/* "Where it came from" on the dashboard (plot/panel_origin.c) */
#ifndef FRAGMON_PLOT_PANEL_ORIGIN_H
#define FRAGMON_PLOT_PANEL_ORIGIN_H

#include "view.h"

/* 0 when no run drawn has markers, tasks or call paths: no panel */
int pm_origin_height(const struct pm_view *v);
void pm_panel_origin(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r);
/* marker lines over a timeline panel drawn in r (its plot area: the rows
 * 40 .. h - 50 of r), names written when label and few */
void pm_origin_marks(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r, int label);

#endif
