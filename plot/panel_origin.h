/* SPDX-License-Identifier: GPL-2.0 */
/* "Where it came from" on the dashboard (plot/panel_origin.c) */
#ifndef FRAGMON_PLOT_PANEL_ORIGIN_H
#define FRAGMON_PLOT_PANEL_ORIGIN_H

#include "view.h"

/* 0 when no run drawn has markers, tasks or call paths: no panel */
int pm_origin_height(const struct pm_view *v);
void pm_panel_origin(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r);
/* marker lines over the timeline panel just drawn in r (its plot area: the
 * rows of its time axis), names written when label and few */
void pm_origin_marks(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r, int label);

#endif
