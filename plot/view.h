/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every panel needs: the runs drawn (1 = single, 2 = A/B overlay), the
 * shared time axis and the x extent of the plot area, so that all panels of
 * a dashboard line up in time.
 */
#ifndef FRAGMON_PLOT_VIEW_H
#define FRAGMON_PLOT_VIEW_H

#include "canvas.h"
#include "model.h"

#define PM_WIDTH 2400
#define PM_X0 420	/* left edge of every plot area (row labels go left of it) */
#define PM_XR 70	/* right margin */
#define PM_TAG_CHARS 24 /* labels longer than this are shortened in the middle */
#define PM_TAG_CAP (PM_TAG_CHARS * 4 + 8)

struct pm_view {
	struct pm_run *runs[PM_MAX_RUNS];
	int n;
	/* short name of each run in legends and tables: its label, or A/B when the
	 * label is too long (the header spells out which is which) */
	char tag[PM_MAX_RUNS][PM_TAG_CAP];
	double t1;  /* end of the shared time axis, s */
	double bin; /* --bin, 0 = automatic */
	int x0, x1;
};

/* run styles: A solid + circles, B dashed + triangles */
struct pm_style {
	enum pm_shape shape;
	int dashed;
	unsigned succ, fail, steal, claim, line;
};
const struct pm_style *pm_style(int i);

static inline int pm_x(const struct pm_view *v, double t)
{
	double f = t / v->t1;

	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	return v->x0 + (int)(f * (v->x1 - v->x0));
}

/* vertical grid over [ytop, ybot] and time labels under ybot */
void pm_time_axis(struct pm_canvas *c, const struct pm_view *v, int ytop, int ybot);
/* y grid and labels for [lo, hi] mapped to [ybot, ytop]; returns the step */
double pm_y_axis(struct pm_canvas *c, const struct pm_view *v, int ytop, int ybot, double lo,
		 double hi, const char *title);
const char *pm_arrow(const struct pm_canvas *c);
/* label shortened to at most max characters (UTF-8), "start...end" */
void pm_abbrev(const char *label, int max, char *out, size_t cap);
/* short names of n runs for legends and tables: a long common start dropped
 * ("...baseline", "...development"), then pm_abbrev */
void pm_make_tags(const char *const *labels, int n, char (*tags)[PM_TAG_CAP]);
/* shared width of display time bins: --bin or automatic, a multiple of bw */
double pm_display_bin(const struct pm_view *v, int max_bins);

/* panels: draw into r; heights come from the pm_*_height functions */
int pm_compaction_height(const struct pm_view *v);
void pm_panel_compaction(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r);
int pm_extfrag_height(const struct pm_view *v);
void pm_panel_extfrag(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r);
int pm_heatmap_height(const struct pm_view *v);
void pm_panel_heatmap(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r);
int pm_snapshot_height(const struct pm_view *v);
void pm_panel_snapshot(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r);
int pm_table_height(const struct pm_view *v);
void pm_panel_table(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r);

#endif
