// SPDX-License-Identifier: GPL-2.0
#include "dashboard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "panel_origin.h"
#include "png_out.h"
#include "stats.h"
#include "view.h"
#include "warnings.h"

#define GAP 24
#define MAX_WARN 12

static void describe(const struct pm_side *s, const struct pm_run *r, char *buf, size_t cap)
{
	char len[32];
	int off;

	pm_fmt_length(pm_run_duration(r), len, sizeof(len));
	off = snprintf(
	    buf, cap, "%s%s%s   kernel %s   host %s   %s   %llu events%s", s->label,
	    strcmp(s->label, r->name) ? ": " : "", strcmp(s->label, r->name) ? r->name : "",
	    r->kernel[0] ? r->kernel : "unknown", r->hostname[0] ? r->hostname : "unknown", len,
	    (unsigned long long)r->n_events, r->have_run ? "" : "   (legacy tracker file)");
	if (s->n > 1 && off > 0 && (size_t)off < cap)
		snprintf(buf + off, cap - (size_t)off,
			 "   + %d repeated run%s, pooled in every panel and the statistics",
			 s->n - 1, s->n == 2 ? "" : "s");
}

static int header(struct pm_canvas *c, const struct pm_side *sides, int n, const char *title,
		  int draw)
{
	char buf[600], w[MAX_WARN][600];
	int y = 36, nw;
	struct pm_warning *all = malloc(sizeof(*all) * PM_MAX_WARNINGS);

	/* what is wrong with the runs: a line per kind (warnings.c) */
	nw = all ? pm_warn_lines(all, pm_sides_warnings(sides, n, 0, all, PM_MAX_WARNINGS), w,
				 MAX_WARN)
		 : 0;
	free(all);
	if (draw && getenv("FRAGMON_PLOT_LAYOUT"))
		fprintf(stderr, "layout: warnings %d\n", nw);
	if (draw) {
		double pt = pm_fit(c, 24, 10, 1, title, c->w - 120);

		pm_text(c, 60, y, pt > 0 ? pt : 10, 0x111111, PM_LEFT, 1, "%s", title);
	}
	y += 44;
	for (int i = 0; i < n; i++) {
		char line[700];
		double lpt;

		if (draw) {
			describe(&sides[i], sides[i].run[0], buf, sizeof(buf));
			snprintf(line, sizeof(line), "%s%s", n > 1 ? (i ? "B = " : "A = ") : "",
				 buf);
			/* long paths or URLs: smaller, never past the edge */
			lpt = pm_fit(c, 13, 8, 0, line, c->w - 120);
			pm_text(c, 60, y, lpt > 0 ? lpt : 8, 0x333333, PM_LEFT, 0, "%s", line);
		}
		y += 28;
	}
	for (int i = 0; i < nw; i++) {
		if (draw) {
			double wpt = pm_fit(c, 13, 8, 1, w[i], c->w - 130);

			pm_rect_fill(c, 50, y - 12, c->w - 60, y + 12, pm_rgb(0xfdecea));
			pm_text(c, 60, y, wpt > 0 ? wpt : 8, 0xb71c1c, PM_LEFT, 1, "%s", w[i]);
		}
		y += 26;
	}
	return y + 20;
}

static void view_init(struct pm_view *v, const struct pm_side *sides, int n, double bin)
{
	const char *labels[PM_MAX_RUNS];

	memset(v, 0, sizeof(*v));
	v->n = n;
	v->sides = sides;
	v->bin = bin;
	v->x0 = PM_X0;
	v->x1 = PM_WIDTH - PM_XR;
	v->t1 = 0;
	for (int i = 0; i < n; i++) {
		v->runs[i] = sides[i].run[0];
		/* the axis reaches the end of the longest run of any side */
		for (int k = 0; k < sides[i].n; k++)
			if (pm_run_span(sides[i].run[k]) > v->t1)
				v->t1 = pm_run_span(sides[i].run[k]);
		labels[i] = sides[i].label;
	}
	/* long labels are shortened in legends and tables; the header's run lines
	 * ("A = ...") spell them out */
	pm_make_tags(labels, n, v->tag);
	/* end the axis on a tick */
	pm_view_span(v, v->t1);
}

/* the statistics table's numbers, before the layout (its height depends on them) */
static int view_stats(struct pm_view *v, char *err, size_t cap)
{
	if (v->n == 2) {
		v->cmp = malloc(sizeof(*v->cmp));
		if (!v->cmp || pm_compare(&v->sides[0], &v->sides[1], v->cmp))
			goto oom;
		return 0;
	}
	v->rows = malloc(sizeof(*v->rows) * PM_MAX_ROWS);
	v->est = malloc(sizeof(*v->est) * PM_MAX_ROWS);
	if (!v->rows || !v->est)
		goto oom;
	v->nrows = pm_rows(v->runs, 1, 0, v->rows, PM_MAX_ROWS);
	if (pm_estimate(&v->sides[0], v->rows, v->nrows, v->est, &v->info))
		goto oom;
	return 0;
oom:
	snprintf(err, cap, "out of memory");
	return -1;
}

static void view_free(struct pm_view *v)
{
	free(v->cmp);
	free(v->rows);
	free(v->est);
	v->cmp = NULL;
	v->rows = NULL;
	v->est = NULL;
}

/* one panel (or part of one), drawn in a band of its own */
struct section {
	const char *name;
	void (*draw)(struct pm_canvas *, const struct pm_view *, struct pm_rect);
	int part; /* snapshot part, -1 otherwise */
	int h;
};

static void draw_section(struct pm_canvas *c, const struct pm_view *v, const struct section *s,
			 struct pm_rect r)
{
	if (s->part >= 0)
		pm_panel_snapshot(c, v, r, s->part);
	else
		s->draw(c, v, r);
}

/*
 * The image is drawn a band at a time: the header, then each panel with the
 * gap after it, every band encoded into the PNG as soon as it is drawn, in a
 * canvas as tall as the tallest band (the whole picture, 2400 x ~4000 x 4
 * bytes, was most of the memory and of the page faults).
 */
int pm_dashboard(struct pm_side *sides, int n, const char *title, double bin, const char *out,
		 char *err, size_t cap)
{
	struct pm_view v;
	struct pm_canvas c;
	struct pm_png *png;
	struct section sec[5 + PM_SNAP_PARTS];
	int hh, total, tallest, ns = 0, y, snap[PM_SNAP_PARTS];
	char t[256];
	const int layout = getenv("FRAGMON_PLOT_LAYOUT") != NULL;

	if (n < 1 || n > 2) {
		snprintf(err, cap, "a dashboard shows one or two runs");
		return -1;
	}
	pm_pick_zone(sides, n); /* one zone under pressure for A and B */
	view_init(&v, sides, n, bin);
	if (view_stats(&v, err, cap)) {
		view_free(&v);
		return -1;
	}
	/* FRAGMON_PLOT_LAYOUT=1: the short names legends and tables use, the end of
	 * the time axis (tests) */
	for (int i = 0; n > 1 && i < n && layout; i++)
		fprintf(stderr, "layout: tag %c %s\n", 'A' + i, v.tag[i]);
	if (layout)
		fprintf(stderr, "layout: t1 %g\n", v.t1);
	sec[ns++] =
	    (struct section){"compaction", pm_panel_compaction, -1, pm_compaction_height(&v)};
	sec[ns++] = (struct section){"extfrag", pm_panel_extfrag, -1, pm_extfrag_height(&v)};
	sec[ns++] = (struct section){"heatmap", pm_panel_heatmap, -1, pm_heatmap_height(&v)};
	pm_snapshot_parts(&v, snap);
	for (int k = 0; k < PM_SNAP_PARTS; k++)
		if (snap[k])
			sec[ns++] = (struct section){"snapshot", NULL, k, snap[k]};
	if (pm_origin_height(&v))
		sec[ns++] = (struct section){"origin", pm_panel_origin, -1, pm_origin_height(&v)};
	sec[ns++] = (struct section){"table", pm_panel_table, -1, pm_table_height(&v)};
	hh = header(NULL, sides, n, NULL, 0);
	total = hh + 20;
	tallest = hh;
	for (int i = 0; i < ns; i++) {
		total += sec[i].h + GAP;
		if (sec[i].h + GAP > tallest)
			tallest = sec[i].h + GAP;
	}
	if (pm_canvas_init(&c, PM_WIDTH, tallest + 20)) {
		snprintf(err, cap, "cannot allocate a %dx%d image", PM_WIDTH, tallest + 20);
		view_free(&v);
		return -1;
	}
	png = pm_png_open(out, PM_WIDTH, total, err, cap);
	if (!png) {
		pm_canvas_free(&c);
		view_free(&v);
		return -1;
	}
	if (title)
		snprintf(t, sizeof(t), "%s", title);
	else if (n == 1)
		snprintf(t, sizeof(t), "Memory fragmentation: %s", sides[0].label);
	else
		snprintf(t, sizeof(t), "Memory fragmentation: %s (A) vs %s (B)", sides[0].label,
			 sides[1].label);
	header(&c, sides, n, t, 1);
	gdImageLine(c.im, 40, hh - GAP / 2, c.w - 40, hh - GAP / 2, pm_rgb(0xdddddd));
	if (pm_png_rows(png, c.im, 0, hh, err, cap))
		goto fail;
	y = hh;
	for (int i = 0; i < ns; i++) {
		/* the band: the panel, then the gap with the next one's rule in it */
		int bh = sec[i].h + GAP + (i == ns - 1 ? 20 : 0);

		pm_canvas_clear(&c, bh);
		pm_time_axis_area(NULL, NULL);
		draw_section(&c, &v, &sec[i], (struct pm_rect){60, 0, PM_WIDTH - 120, sec[i].h});
		/* test and phase markers over the timelines */
		if (sec[i].part >= 0 || sec[i].draw == pm_panel_compaction ||
		    sec[i].draw == pm_panel_extfrag)
			pm_origin_marks(&c, &v, (struct pm_rect){60, 0, PM_WIDTH - 120, sec[i].h},
					sec[i].draw == pm_panel_extfrag);
		if (i + 1 < ns)
			gdImageLine(c.im, 40, sec[i].h + GAP / 2, c.w - 40, sec[i].h + GAP / 2,
				    pm_rgb(0xdddddd));
		/* FRAGMON_PLOT_LAYOUT=1: where each panel's plot area is (tests) */
		if (layout && (sec[i].part < 0 || sec[i].part == 0))
			fprintf(stderr, "layout: %s %d %d %d %d\n", sec[i].name, v.x0, y + 40, v.x1,
				y + sec[i].h - 50);
		if (pm_png_rows(png, c.im, 0, bh, err, cap))
			goto fail;
		y += sec[i].h + GAP;
	}
	pm_canvas_free(&c);
	view_free(&v);
	return pm_png_close(png, err, cap);
fail:
	pm_png_abort(png);
	pm_canvas_free(&c);
	view_free(&v);
	return -1;
}
