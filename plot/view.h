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
#include "stats.h"

#define PM_WIDTH 2400
#define PM_X0 420	/* left edge of every plot area (row labels go left of it) */
#define PM_XR 70	/* right margin */
#define PM_TAG_CHARS 24 /* labels longer than this are shortened in the middle */
#define PM_TAG_CAP (PM_TAG_CHARS * 4 + 8)

/* the time axis' unit and step: seconds below 10 min, minutes below 6 h,
 * hours below 6 days, then days; steps of 1-2-5 (minutes: 1, 2, 5, 10, 15,
 * 20, 30; hours: 1, 2, 3, 6, 12) */
struct pm_tunit {
	double step; /* s */
	double div;  /* s per unit */
	const char *name;
};
struct pm_view {
	struct pm_run *runs[PM_MAX_RUNS]; /* the run drawn of each side (its first) */
	const struct pm_side *sides;
	int n;
	/* short name of each run in legends and tables (pm_make_tags; the header
	 * spells out which is which) */
	char tag[PM_MAX_RUNS][PM_TAG_CAP];
	/* the statistics table: a single run's values with intervals, or A/B */
	struct pm_mrow *rows;
	struct pm_est *est;
	int nrows;
	struct pm_boot_info info;
	struct pm_compare *cmp;
	double t1;	    /* end of the shared time axis, s */
	struct pm_tunit tu; /* its unit and tick step (pm_view_span) */
	double bin;	    /* --bin, 0 = automatic */
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
	double f = v->t1 > 0 ? t / v->t1 : 0;

	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	return v->x0 + (int)(f * (v->x1 - v->x0));
}

struct pm_tunit pm_time_unit(double t1, int max_ticks);
/* the time axis of v: [0, span] ending on a tick */
void pm_view_span(struct pm_view *v, double span);
/* the smallest "round" duration >= raw s (bins, heatmap columns) */
double pm_nice_time(double raw);
/* a round duration as text: "0.25 s", "30 s", "5 min", "2 h", "1 d" */
void pm_fmt_duration(double s, char *buf, size_t cap);
/* a run's length for people: "58.3 s", "12 min 5 s", "3 h 20 min", "7 d 2 h" */
void pm_fmt_length(double s, char *buf, size_t cap);

/* vertical grid over [ytop, ybot] and time labels under ybot */
void pm_time_axis(struct pm_canvas *c, const struct pm_view *v, int ytop, int ybot);
/* the rows of the last pm_time_axis call (marker lines go over them), then
 * forgotten; 0 when none since */
int pm_time_axis_area(int *ytop, int *ybot);
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
/* the snapshot panel comes in parts (free memory, fragmentation index,
 * unusable index, pageblocks), each drawn on its own: heights, 0 = none */
#define PM_SNAP_PARTS 4
int pm_snapshot_parts(const struct pm_view *v, int h[PM_SNAP_PARTS]);
void pm_panel_snapshot(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r, int part);
int pm_table_height(const struct pm_view *v);
void pm_panel_table(struct pm_canvas *c, const struct pm_view *v, struct pm_rect r);

#endif
