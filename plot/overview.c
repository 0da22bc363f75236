// SPDX-License-Identifier: GPL-2.0
/*
 * N-way overview: one bar chart per key metric with a bar per run, then a
 * table of every metric for every run.  Runs keep their own labels (the
 * legacy multi-config script gave several runs the same name).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dashboard.h"
#include "metrics.h"
#include "png_out.h"
#include "view.h"

#define CH_W(cols) ((PM_WIDTH - 120 - ((cols)-1) * 40) / (cols))
#define CH_H 360
#define LINE 26

static const int chart_metrics[] = {
    PM_M_CRATE, PM_M_EXTFRAG_RATE, PM_M_BAD,	     PM_M_TO_UNMOVABLE, PM_M_STEAL,
    PM_M_CLAIM, PM_M_CFAIL,	   PM_M_FRAGMENTING, PM_M_FI_PB,	PM_M_FREE_HIGH_END,
};

static const unsigned bar_col[] = {
    0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f,
    0xbcbd22, 0x17becf, 0x393b79, 0x637939, 0x8c6d31, 0x843c39, 0x7b4173, 0x3182bd,
};

static void chart(struct pm_canvas *c, struct pm_rect r, struct pm_metric m[][PM_M_N],
		  struct pm_run *const *runs, int n, int id)
{
	double lo = 0, hi = 0;
	int ytop, ybot, bw, pad, stagger = 0;
	char buf[64];

	for (int i = 0; i < n; i++)
		if (m[i][id].valid) {
			if (m[i][id].v > hi)
				hi = m[i][id].v;
			if (m[i][id].v < lo)
				lo = m[i][id].v;
		}
	if (id == PM_M_CRATE)
		hi = 100;
	if (hi <= lo)
		hi = lo + 1;
	{
		double st = pm_nice_step(hi - lo, 5);

		hi = ceil(hi * 1.12 / st) * st;
		if (lo < 0)
			lo = floor(lo * 1.12 / st) * st;
	}
	pm_text(c, r.x, r.y + 14, 14, 0x111111, PM_LEFT, 1, "%s%s%s%s", m[0][id].label,
		m[0][id].unit[0] ? " (" : "", m[0][id].unit, m[0][id].unit[0] ? ")" : "");
	pm_text(c, r.x + r.w, r.y + 14, 11, 0x666666, PM_RIGHT, 0, "%s",
		m[0][id].better == PM_HIGHER  ? "higher is better"
		: m[0][id].better == PM_LOWER ? "lower is better"
					      : "");
	ytop = r.y + 40;
	ybot = r.y + r.h - 60;
	{
		struct pm_view v = {.x0 = r.x + 70, .x1 = r.x + r.w, .t1 = 1};

		pm_y_axis(c, &v, ytop, ybot, lo, hi, NULL);
		pm_rect_line(c, v.x0, ytop, v.x1, ybot, pm_rgb(0x999999));
		pad = 10;
		bw = (v.x1 - v.x0 - pad) / n - pad;
		if (bw > 120)
			bw = 120;
		for (int i = 0; i < n; i++)
			if (pm_text_w(c, 11, 0, runs[i]->label) > bw + pad - 4)
				stagger = 1;
		for (int i = 0; i < n; i++) {
			int x =
			    v.x0 + pad + i * (bw + pad) + (v.x1 - v.x0 - pad - n * (bw + pad)) / 2;
			int y0 = ybot - (int)lround((0 - lo) / (hi - lo) * (ybot - ytop));
			int y1;
			double pt;

			if (!m[i][id].valid) {
				pm_text(c, x + bw / 2, ybot - 12, 10, 0x999999, PM_CENTER, 0,
					"n/a");
			} else {
				y1 = ybot -
				     (int)lround((m[i][id].v - lo) / (hi - lo) * (ybot - ytop));
				pm_rect_fill(c, x, y1, x + bw, y0, pm_rgb(bar_col[i % 16]));
				pm_metric_str(&m[i][id], buf, sizeof(buf));
				pt = pm_fit(c, 11, 7, 1, buf, bw + pad);
				/* the value beyond the end of the bar */
				pm_text(c, x + bw / 2, y1 <= y0 ? y1 - 10 : y1 + 12,
					pt > 0 ? pt : 7, 0x111111, PM_CENTER, 1, "%s", buf);
			}
			/* labels that do not fit side by side alternate between two rows */
			pt = stagger ? 9.5 : 11;
			pm_text(c, x + bw / 2, ybot + 14 + (stagger ? 18 * (i % 2) : 0), pt,
				0x222222, PM_CENTER, 0, "%s", runs[i]->label);
		}
	}
}

#define SER_H 300

static int any_snapshots(struct pm_run *const *runs, int n)
{
	for (int i = 0; i < n; i++)
		if (runs[i]->nzones)
			return 1;
	return 0;
}

/* value of run r's series in fine bin b: extfrag events, or free MiB at high order */
static int series_val(const struct pm_run *r, int kind, int b, double *v)
{
	if (kind == 0) {
		*v = r->steal_b[b] + r->claim_b[b];
		return 1;
	}
	{
		double pages[FM_MAX_ORDERS], high = 0;

		if (!pm_run_free_pages(r, b, pages))
			return 0;
		for (int o = pm_high_order(r); o < FM_MAX_ORDERS; o++)
			high += pages[o];
		*v = pm_run_mib(r, high);
		return 1;
	}
}

/*
 * One line per run over the shared time axis: kind 0 = extfrag events per
 * second (per display bin, so runs of any length compare), kind 1 = free
 * memory in blocks of the high order or above (from snapshots).
 */
static void series(struct pm_canvas *c, struct pm_rect r, struct pm_run *const *runs, int n,
		   int kind)
{
	struct pm_view v = {.n = n, .x0 = PM_X0, .x1 = PM_WIDTH - PM_XR};
	double d, ymax = 0, *val;
	int nd, ytop, ybot;
	struct pm_legend_item leg[PM_MAX_RUNS];
	int lw = 0;

	for (int i = 0; i < n; i++) {
		v.runs[i] = runs[i];
		if (pm_run_span(runs[i]) > v.t1)
			v.t1 = pm_run_span(runs[i]);
	}
	d = kind == 0 ? pm_display_bin(&v, 150) : 0;
	if (kind) {
		for (int i = 0; i < n; i++)
			if (runs[i]->bw > d)
				d = runs[i]->bw;
		if (v.t1 / d > 600)
			d = v.t1 / 600;
	}
	nd = (int)ceil(v.t1 / d) + 1;
	val = calloc((size_t)(n * nd * 2), sizeof(*val)); /* sum, samples */
	if (!val)
		return;
	for (int i = 0; i < n; i++)
		for (int b = 0; b < runs[i]->nbins; b++) {
			double x;
			int k = (int)((b + 0.5) * runs[i]->bw / d);

			if (k >= nd)
				k = nd - 1;
			if (!series_val(runs[i], kind, b, &x))
				continue;
			val[(i * nd + k) * 2] += x;
			val[(i * nd + k) * 2 + 1] += 1;
		}
	for (int k = 0; k < n * nd; k++) {
		/* a run's last bin may be cut short by its end: rate over what it covers */
		double span = pm_run_span(runs[k / nd]) - (k % nd) * d;
		double y = kind == 0	    ? val[2 * k] / (span > 0 && span < d ? span : d)
			   : val[2 * k + 1] ? val[2 * k] / val[2 * k + 1]
					    : 0;

		val[2 * k] = y;
		if (y > ymax)
			ymax = y;
	}
	if (ymax <= 0)
		ymax = 1;
	ymax = ceil(ymax * 1.05 / pm_nice_step(ymax, 5)) * pm_nice_step(ymax, 5);
	ytop = pm_panel_title(c, r,
			      kind == 0 ? "ExtFrag events over time, all runs"
					: "Free memory in high-order blocks over time, all runs",
			      kind == 0 ? "events per second, averaged over each bin"
					: "MiB in blocks of pageblock order or above (buddyinfo)");
	/* a legend of its own only when it fits beside the title; the colours are
	 * those of the run list at the top either way */
	for (int i = 0; i < n; i++) {
		leg[i] = (struct pm_legend_item){runs[i]->label, bar_col[i % 16], PM_LINE};
		lw += pm_text_w(c, 11.5, 0, runs[i]->label) + 52;
	}
	if (lw < 1000)
		pm_legend(c, v.x1, r.y + 16, 11.5, leg, n);
	else
		pm_text(c, v.x1, r.y + 16, 11.5, 0x555555, PM_RIGHT, 0,
			"line colours: the run list at the top");
	ytop += 10;
	ybot = ytop + SER_H;
	pm_y_axis(c, &v, ytop, ybot, 0, ymax, kind == 0 ? "events/s" : "MiB");
	pm_time_axis(c, &v, ytop, ybot);
	for (int i = 0; i < n; i++) {
		int px = -1, py = 0;

		for (int k = 0; k < nd; k++) {
			int x, y;

			if (kind && !val[(i * nd + k) * 2 + 1])
				continue;
			if (kind == 0 && (k + 0.5) * d > pm_run_span(runs[i]) + d)
				break;
			x = pm_x(&v, (k + 0.5) * d);
			y = ybot - (int)lround(val[(i * nd + k) * 2] / ymax * (ybot - ytop));
			if (px >= 0)
				pm_line(c, px, py, x, y, pm_rgb(bar_col[i % 16]), 2, 0);
			px = x;
			py = y;
		}
	}
	free(val);
}

#define ORD_H 380
#define LOG_LO 0.30103 /* log10(2): the axis is at count 0.5 */

/*
 * ExtFrag events by allocation order, a group of bars per order (one bar per
 * run): large folios (order 2 for 16k blocks, 3 for 32k) show up here first.
 */
static void order_chart(struct pm_canvas *c, struct pm_rect r, struct pm_run *const *runs, int n)
{
	int slots[PM_ORD], ns = 0, ytop, ybot, x0 = r.x + 80, x1 = r.x + r.w, gw, bw;
	double hi = 0;
	struct pm_view v = {.x0 = x0, .x1 = x1, .t1 = 1};

	for (int s = 0; s < PM_ORD; s++) {
		int any = 0;

		for (int i = 0; i < n; i++) {
			any |= runs[i]->ef_order[s] != 0;
			if ((double)runs[i]->ef_order[s] > hi)
				hi = (double)runs[i]->ef_order[s];
		}
		if (any)
			slots[ns++] = s;
	}
	ytop = pm_panel_title(
	    c, r, "ExtFrag events by allocation order",
	    "log scale (order 0 dwarfs the rest); one bar per run, colours as in the "
	    "run list at the top");
	ytop += 10;
	ybot = r.y + r.h - 50;
	if (!ns) {
		pm_note(c, (struct pm_rect){x0, ytop, x1 - x0, ybot - ytop},
			"no extfrag events in these runs");
		return;
	}
	/* log10(count), a decade per tick; the axis sits at 0.5 so that one event
	 * still shows as a short bar */
	hi = ceil(log10(hi) + 0.15);
	if (hi < 1)
		hi = 1;
	(void)v;
	for (int d = 0; d <= (int)hi; d++) {
		int y = ybot - (int)lround((d + LOG_LO) / (hi + LOG_LO) * (ybot - ytop));
		char buf[16];

		gdImageLine(c->im, x0, y, x1, y, pm_rgb(0xe3e3e3));
		pm_fmt_num(pow(10, d), d >= 4 ? 1e3 : 1, buf, sizeof(buf));
		pm_text(c, x0 - 8, y, 11.5, 0x333333, PM_RIGHT, 0, "%s", buf);
	}
	pm_rect_line(c, x0, ytop, x1, ybot, pm_rgb(0x999999));
	gw = (x1 - x0) / ns;
	bw = (gw - 30) / n;
	if (bw > 60)
		bw = 60;
	for (int k = 0; k < ns; k++) {
		int gx = x0 + k * gw + (gw - n * bw) / 2;

		pm_text(c, x0 + k * gw + gw / 2, ybot + 16, 12, 0x222222, PM_CENTER, 0, "order %d",
			slots[k] - 1);
		for (int i = 0; i < n; i++) {
			double val = (double)runs[i]->ef_order[slots[k]];
			int yv = val > 0 ? ybot - (int)lround((log10(val) + LOG_LO) /
							      (hi + LOG_LO) * (ybot - ytop))
					 : ybot;
			char buf[32];
			double pt;

			if (val > 0)
				pm_rect_fill(c, gx + i * bw, yv, gx + (i + 1) * bw - 3, ybot - 1,
					     pm_rgb(bar_col[i % 16]));
			snprintf(buf, sizeof(buf), "%.0f", val);
			pt = pm_fit(c, 10, 7, 0, buf, bw + 4);
			if (pt > 0)
				pm_text(c, gx + i * bw + bw / 2 - 1, yv - 9, pt, 0x333333,
					PM_CENTER, 0, "%s", buf);
		}
	}
}

static int series_h(void)
{
	return 40 + 10 + SER_H + 50 + 24;
}

int pm_overview(struct pm_side *sides, int n, const char *title, const char *out, char *err,
		size_t cap)
{
	struct pm_run *runs[PM_MAX_RUNS];

	static struct pm_metric m[PM_MAX_RUNS][PM_M_N];
	int ncharts = 0, ids[sizeof(chart_metrics) / sizeof(chart_metrics[0])];
	int rows, cols, h, y, ret, colw, namew = 520;
	struct pm_canvas c;

	if (n > PM_MAX_RUNS) {
		snprintf(err, cap, "at most %d runs in one overview", PM_MAX_RUNS);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		runs[i] = sides[i].run[0];
		pm_metrics(runs[i], m[i]);
	}
	for (size_t k = 0; k < sizeof(chart_metrics) / sizeof(chart_metrics[0]); k++) {
		int any = 0;

		for (int i = 0; i < n; i++)
			any |= m[i][chart_metrics[k]].valid;
		if (any)
			ids[ncharts++] = chart_metrics[k];
	}
	/* more runs, wider charts */
	cols = n > 4 ? 2 : 3;
	rows = (ncharts + cols - 1) / cols;
	h = 90 + n * 24 + 20 + rows * (CH_H + 30) + 60 + (PM_M_N + 2) * LINE + 40 +
	    series_h() * (1 + any_snapshots(runs, n)) + ORD_H;
	if (pm_canvas_init(&c, PM_WIDTH, h)) {
		snprintf(err, cap, "cannot allocate the image");
		return -1;
	}
	{
		const char *t = title ? title : "Memory fragmentation: overview";
		double pt = pm_fit(&c, 24, 10, 1, t, PM_WIDTH - 120);

		pm_text(&c, 60, 36, pt > 0 ? pt : 10, 0x111111, PM_LEFT, 1, "%s", t);
	}
	y = 80;
	for (int i = 0; i < n; i++) {
		pm_rect_fill(&c, 60, y - 8, 76, y + 8, pm_rgb(bar_col[i % 16]));
		pm_text(&c, 86, y, 12.5, runs[i]->truncated ? 0xb71c1c : 0x333333, PM_LEFT, 0,
			"%s: %s   kernel %s%s", runs[i]->label, runs[i]->name,
			runs[i]->kernel[0] ? runs[i]->kernel : "unknown",
			runs[i]->truncated ? "   TRUNCATED" : "");
		y += 24;
	}
	y += 20;
	for (int k = 0; k < ncharts; k++)
		chart(&c,
		      (struct pm_rect){60 + (k % cols) * (CH_W(cols) + 40),
				       y + (k / cols) * (CH_H + 30), CH_W(cols), CH_H},
		      m, runs, n, ids[k]);
	y += rows * (CH_H + 30) + 10;
	order_chart(&c, (struct pm_rect){60, y, PM_WIDTH - 120, ORD_H}, runs, n);
	y += ORD_H;
	series(&c, (struct pm_rect){60, y, PM_WIDTH - 120, series_h()}, runs, n, 0);
	y += series_h();
	if (any_snapshots(runs, n)) {
		series(&c, (struct pm_rect){60, y, PM_WIDTH - 120, series_h()}, runs, n, 1);
		y += series_h();
	}
	y += 20;
	/* table: metric | run 1 | run 2 ... */
	colw = (PM_WIDTH - 120 - namew) / n;
	pm_rect_fill(&c, 50, y - LINE / 2, PM_WIDTH - 60, y + LINE / 2, pm_rgb(0x34495e));
	pm_text(&c, 60, y, 12.5, 0xffffff, PM_LEFT, 1, "Metric");
	for (int i = 0; i < n; i++) {
		double pt = pm_fit(&c, 12.5, 7, 1, runs[i]->label, colw - 10);

		pm_text(&c, 60 + namew + (i + 1) * colw - 10, y, pt > 0 ? pt : 7, 0xffffff,
			PM_RIGHT, 1, "%s", runs[i]->label);
	}
	y += LINE;
	for (int k = 0; k < PM_M_N; k++) {
		int any = 0;

		for (int i = 0; i < n; i++)
			any |= m[i][k].valid;
		if (!any)
			continue;
		if (k % 2)
			pm_rect_fill(&c, 50, y - LINE / 2, PM_WIDTH - 60, y + LINE / 2,
				     pm_rgb(0xf4f4f4));
		pm_text(&c, 60, y, 12.5, 0x222222, PM_LEFT, 0, "%s%s%s%s", m[0][k].label,
			m[0][k].unit[0] ? " (" : "", m[0][k].unit, m[0][k].unit[0] ? ")" : "");
		for (int i = 0; i < n; i++) {
			char buf[48];
			double pt;

			pm_metric_str(&m[i][k], buf, sizeof(buf));
			pt = pm_fit(&c, 12.5, 7, 0, buf, colw - 10);
			pm_text(&c, 60 + namew + (i + 1) * colw - 10, y, pt > 0 ? pt : 7, 0x111111,
				PM_RIGHT, 0, "%s", buf);
		}
		y += LINE;
	}
	ret = pm_png_write(c.im, out, err, cap);
	pm_canvas_free(&c);
	return ret;
}
