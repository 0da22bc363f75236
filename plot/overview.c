// SPDX-License-Identifier: GPL-2.0
/*
 * N-way overview: every run compared with the first (the baseline), as in
 * A/B (plot/stats.c).  One bar chart per key metric, a bar per run with its
 * 95% interval and the verdict against the baseline under it; extfrag rates
 * by allocation order; the extfrag rate and the free memory in high-order
 * blocks over time, a line per run; then a table of every compared metric.
 * Runs keep their own labels (the legacy multi-config script gave several
 * runs the same name); long ones are shortened, the run list at the top
 * spells them out.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dashboard.h"
#include "metrics.h"
#include "png_out.h"
#include "stats.h"
#include "view.h"
#include "warnings.h"

#define CH_W(cols) ((PM_WIDTH - 120 - ((cols)-1) * 40) / (cols))
#define CH_H 360
#define LINE 26
#define SER_H 300
#define ORD_H 380
#define LOG_LO 0.30103 /* log10(2): the axis is at 0.5 of the smallest value */

static const char *const chart_keys[] = {
    "extfrag_per_s",
    "to_unmovable_per_s",
    "bad_per_s",
    "good_pct",
    "fragmenting_per_s",
    "compaction_success_pct",
    "compaction_fail_per_s",
    "compact_stall_per_s",
    "unusable_high_order_mean",
    "free_block_high_order_pct",
    "unmovable_pageblocks_pct",
    "free_high_order_pct",
};
#define NCHART (sizeof(chart_keys) / sizeof(chart_keys[0]))

static const unsigned bar_col[] = {
    0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f,
    0xbcbd22, 0x17becf, 0x393b79, 0x637939, 0x8c6d31, 0x843c39, 0x7b4173, 0x3182bd,
};

/* everything the overview shows of run i for a row key */
struct cell {
	struct pm_est e;
	enum pm_verdict vd; /* against the baseline; PM_V_NA for the baseline */
	const struct pm_mrow *m;
};

struct ov {
	int n;
	const struct pm_side *sides;
	struct pm_run *runs[PM_MAX_RUNS];
	char tag[PM_MAX_RUNS][PM_TAG_CAP];
	struct pm_compare *cmp; /* n - 1: run i against run 0 */
	struct pm_mrow rows[PM_MAX_ROWS];
	int nrows;
};

static int cell(const struct ov *o, int i, const char *key, struct cell *out)
{
	const struct pm_compare *c = &o->cmp[i ? i - 1 : 0];
	int k = pm_row_find(c->rows, c->nrows, key);

	memset(out, 0, sizeof(*out));
	if (k < 0)
		return 0;
	out->m = &c->rows[k];
	out->e = i ? c->b[k] : c->a[k];
	out->vd = i ? c->d[k].verdict : PM_V_NA;
	return out->e.v.valid;
}

static unsigned verdict_fg(enum pm_verdict vd)
{
	return vd == PM_V_BETTER ? 0x1e7b34 : vd == PM_V_WORSE ? 0xb21f2d : 0x666666;
}

static const char *verdict_short(const struct pm_canvas *c, enum pm_verdict vd, int baseline)
{
	if (baseline)
		return "baseline";
	switch (vd) {
	case PM_V_SAME:
		return c->ft ? "\xe2\x89\x88" : "~";
	case PM_V_NA:
		return "";
	default:
		return pm_verdict_word(vd);
	}
}

static void chart(struct pm_canvas *c, struct pm_rect r, const struct ov *o, const char *key)
{
	double lo = 0, hi = 0;
	int ytop, ybot, bw, pad, stagger = 0;
	struct cell ce[PM_MAX_RUNS];
	const struct pm_mrow *m = NULL;
	char buf[64];

	for (int i = 0; i < o->n; i++)
		if (cell(o, i, key, &ce[i])) {
			double top = ce[i].e.have_ci ? ce[i].e.hi : ce[i].e.v.v;

			m = ce[i].m;
			if (top > hi)
				hi = top;
			if (ce[i].e.v.v < lo)
				lo = ce[i].e.v.v;
		}
	if (!m)
		return;
	if (hi <= lo)
		hi = lo + (strcmp(m->unit, "%") ? 1 : 10);
	{
		/* the axis fits the data (2-4% shares are not drawn on 0-100); a share's
		 * axis never passes 100% */
		double st = pm_nice_step(hi - lo, 5);

		hi = ceil(hi * 1.12 / st) * st;
		if (!strcmp(m->unit, "%") && hi > 100)
			hi = 100;
		if (lo < 0)
			lo = floor(lo * 1.12 / st) * st;
	}
	pm_text(c, r.x, r.y + 14, 14, 0x111111, PM_LEFT, 1, "%s%s%s%s", m->label,
		m->unit[0] ? " (" : "", m->unit, m->unit[0] ? ")" : "");
	pm_text(c, r.x + r.w, r.y + 14, 11, 0x666666, PM_RIGHT, 0, "%s",
		m->better == PM_HIGHER	? "higher is better"
		: m->better == PM_LOWER ? "lower is better"
					: "");
	ytop = r.y + 40;
	ybot = r.y + r.h - 80;
	if (getenv("FRAGMON_PLOT_LAYOUT"))
		fprintf(stderr, "layout: chart %s %g %g\n", key, lo, hi);
	{
		struct pm_view v = {.x0 = r.x + 70, .x1 = r.x + r.w, .t1 = 1};

		pm_y_axis(c, &v, ytop, ybot, lo, hi, NULL);
		pm_rect_line(c, v.x0, ytop, v.x1, ybot, pm_rgb(0x999999));
		pad = 10;
		bw = (v.x1 - v.x0 - pad) / o->n - pad;
		if (bw > 120)
			bw = 120;
		for (int i = 0; i < o->n; i++)
			if (pm_text_w(c, 11, 0, o->tag[i]) > bw + pad - 4)
				stagger = 1;
		for (int i = 0; i < o->n; i++) {
			int x = v.x0 + pad + i * (bw + pad) +
				(v.x1 - v.x0 - pad - o->n * (bw + pad)) / 2;
			int y0 = ybot - (int)lround((0 - lo) / (hi - lo) * (ybot - ytop));
			int y1, ytext;
			double pt;
			const char *vw;

			if (!ce[i].e.v.valid) {
				pm_text(c, x + bw / 2, ybot - 12, 10, 0x999999, PM_CENTER, 0,
					"n/a");
			} else {
				y1 = ybot -
				     (int)lround((ce[i].e.v.v - lo) / (hi - lo) * (ybot - ytop));
				pm_rect_fill(c, x, y1, x + bw, y0, pm_rgb(bar_col[i % 16]));
				ytext = y1 <= y0 ? y1 - 10 : y1 + 12;
				if (ce[i].e.have_ci) {
					/* the 95% interval as a whisker */
					int yl = ybot - (int)lround((ce[i].e.lo - lo) / (hi - lo) *
								    (ybot - ytop));
					int yh = ybot - (int)lround((ce[i].e.hi - lo) / (hi - lo) *
								    (ybot - ytop));
					int xm = x + bw / 2;

					pm_line(c, xm, yl, xm, yh, pm_rgb(0x222222), 2, 0);
					pm_line(c, xm - 8, yl, xm + 8, yl, pm_rgb(0x222222), 2, 0);
					pm_line(c, xm - 8, yh, xm + 8, yh, pm_rgb(0x222222), 2, 0);
					if (yh - 10 < ytext)
						ytext = yh - 10;
				}
				pm_val_str(m, ce[i].e.v, buf, sizeof(buf));
				pt = pm_fit(c, 11, 7, 1, buf, bw + pad);
				pm_text(c, x + bw / 2, ytext, pt > 0 ? pt : 7, 0x111111, PM_CENTER,
					1, "%s", buf);
			}
			/* labels that do not fit side by side alternate between two rows */
			pt = stagger ? 9.5 : 11;
			pm_text(c, x + bw / 2, ybot + 14 + (stagger ? 18 * (i % 2) : 0), pt,
				0x222222, PM_CENTER, 0, "%s", o->tag[i]);
			vw = verdict_short(c, ce[i].vd, i == 0);
			pt = pm_fit(c, 10.5, 7, 1, vw, bw + pad);
			pm_text(c, x + bw / 2, ybot + 52, pt > 0 ? pt : 7, verdict_fg(ce[i].vd),
				PM_CENTER, 1, "%s", vw);
		}
	}
}

static int any_snapshots(const struct ov *o)
{
	for (int i = 0; i < o->n; i++)
		if (o->runs[i]->nzones)
			return 1;
	return 0;
}

/* the longest run of side i */
static double span_of(const struct ov *o, int i)
{
	double s = 0;

	for (int r = 0; r < o->sides[i].n; r++)
		s = fmax(s, pm_run_span(o->sides[i].run[r]));
	return s;
}

/* value of run r's series in fine bin b: extfrag events, or free MiB at high order */
static int series_val(const struct pm_run *r, int kind, int b, double *v)
{
	if (kind == 0) {
		const struct pm_bin *bn = pm_bin(r, b);

		*v = bn->steal + bn->claim;
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
static void series(struct pm_canvas *c, struct pm_rect r, const struct ov *o, int kind)
{
	struct pm_view v = {.n = o->n, .x0 = PM_X0, .x1 = PM_WIDTH - PM_XR};
	double d, ymax = 0, *val, span = 0;
	int repeats = 0, layout = getenv("FRAGMON_PLOT_LAYOUT") != NULL;
	int nd, ytop, ybot, n = o->n;
	struct pm_legend_item leg[PM_MAX_RUNS];
	int lw = 0;

	for (int i = 0; i < n; i++) {
		v.runs[i] = o->runs[i];
		for (int r = 0; r < o->sides[i].n; r++)
			if (pm_run_span(o->sides[i].run[r]) > span)
				span = pm_run_span(o->sides[i].run[r]);
	}
	for (int i = 0; i < n; i++)
		repeats |= o->sides[i].n > 1;
	pm_view_span(&v, span);
	d = kind == 0 ? pm_display_bin(&v, 150) : 0;
	for (int i = 0; i < n; i++)
		for (int r = 0; r < o->sides[i].n; r++)
			if (o->sides[i].run[r]->bw > d)
				d = o->sides[i].run[r]->bw;
	if (kind && v.t1 / d > 600)
		d = v.t1 / 600;
	nd = (int)ceil(v.t1 / d) + 1;
	/* sum and samples per bin: events and the seconds of run they cover, or
	 * snapshot values and how many; the runs of a side pooled */
	val = calloc((size_t)(n * nd * 2), sizeof(*val));
	if (!val)
		return;
	for (int i = 0; i < n; i++)
		for (int r = 0; r < o->sides[i].n; r++) {
			const struct pm_run *run = o->sides[i].run[r];
			double rs = pm_run_span(run);

			for (int b = 0; b < run->nbins; b++) {
				double x;
				int k = (int)((b + 0.5) * run->bw / d);

				if (k >= nd)
					k = nd - 1;
				if (!series_val(run, kind, b, &x))
					continue;
				val[(i * nd + k) * 2] += x;
				if (kind)
					val[(i * nd + k) * 2 + 1] += 1;
			}
			/* a run's last bin may be cut short by its end: rates over what
			 * the runs cover, and no bin past a run's end */
			for (int k = 0; kind == 0 && k < nd && k * d < rs; k++)
				val[(i * nd + k) * 2 + 1] += fmin(d, rs - k * d);
		}
	for (int k = 0; k < n * nd; k++) {
		double y = val[2 * k + 1] > 0 ? val[2 * k] / val[2 * k + 1] : 0;

		val[2 * k] = y;
		if (y > ymax)
			ymax = y;
	}
	if (ymax <= 0)
		ymax = 1;
	ymax = ceil(ymax * 1.05 / pm_nice_step(ymax, 5)) * pm_nice_step(ymax, 5);
	{
		char dur[32], sub[96];

		pm_fmt_duration(d, dur, sizeof(dur));
		snprintf(sub, sizeof(sub), "events per second, averaged over %s bins%s", dur,
			 repeats ? "; repeated runs pooled" : "");
		ytop = pm_panel_title(
		    c, r,
		    kind == 0 ? "ExtFrag events over time, all runs"
			      : "Free memory in high-order blocks over time, all runs",
		    kind == 0 ? sub : "MiB in blocks of pageblock order or above (buddyinfo)");
	}
	/* a legend of its own only when it fits beside the title; the colours are
	 * those of the run list at the top either way */
	for (int i = 0; i < n; i++) {
		leg[i] = (struct pm_legend_item){o->tag[i], bar_col[i % 16], PM_LINE};
		lw += pm_text_w(c, 11.5, 0, o->tag[i]) + 52;
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
		int px = -1, py = 0, last = -1;

		for (int k = 0; k < nd; k++) {
			int x, y;

			/* no samples: no snapshot there, or past the end of every run */
			if (!val[(i * nd + k) * 2 + 1])
				continue;
			x = pm_x(&v, (k + 0.5) * d);
			y = ybot - (int)lround(val[(i * nd + k) * 2] / ymax * (ybot - ytop));
			last = k;
			if (px >= 0)
				pm_line(c, px, py, x, y, pm_rgb(bar_col[i % 16]), 2, 0);
			px = x;
			py = y;
		}
		/* FRAGMON_PLOT_LAYOUT=1: where each run's line ends (tests) */
		if (layout && last >= 0)
			fprintf(stderr, "layout: timeline %d %s last-bin %g %g span %g\n", kind,
				o->tag[i], last * d, (last + 1) * d, span_of(o, i));
	}
	free(val);
}

/* extfrag events per second of side i at order slot s: its runs pooled (events
 * over seconds), as the table's rates */
static double order_rate(const struct ov *o, int i, int s)
{
	double dur = 0, ev = 0;

	for (int r = 0; r < o->sides[i].n; r++) {
		dur += pm_run_duration(o->sides[i].run[r]);
		ev += (double)o->sides[i].run[r]->ef_order[s];
	}
	return dur > 0 ? ev / dur : 0;
}

/*
 * ExtFrag events per second by allocation order, a group of bars per order
 * (one bar per run), log scale: large folios (order 2 for 16k blocks, 3 for
 * 32k) show up here first.
 */
static void order_chart(struct pm_canvas *c, struct pm_rect r, const struct ov *o)
{
	int slots[PM_ORD], ns = 0, ytop, ybot, x0 = r.x + 80, x1 = r.x + r.w, gw, bw, n = o->n;
	double hi = 0, lo = 1e300;

	for (int s = 0; s < PM_ORD; s++) {
		int any = 0;

		for (int i = 0; i < n; i++) {
			double rate = order_rate(o, i, s);

			any |= rate > 0;
			if (rate > hi)
				hi = rate;
			if (rate > 0 && rate < lo)
				lo = rate;
		}
		if (any)
			slots[ns++] = s;
	}
	ytop = pm_panel_title(c, r, "ExtFrag events per second by allocation order",
			      "log scale (order 0 dwarfs the rest); one bar per run (repeated runs "
			      "pooled), colours as in the run list at the top");
	ytop += 10;
	ybot = r.y + r.h - 50;
	if (!ns) {
		pm_note(c, (struct pm_rect){x0, ytop, x1 - x0, ybot - ytop},
			"no extfrag events in these runs");
		return;
	}
	/* a decade per tick, from below the smallest rate */
	{
		int dlo = (int)floor(log10(lo)), dhi = (int)ceil(log10(hi) + 0.15);
		double span;

		if (dhi <= dlo)
			dhi = dlo + 1;
		span = dhi - dlo + LOG_LO;
		for (int dd = dlo; dd <= dhi; dd++) {
			int y = ybot - (int)lround((dd - dlo + LOG_LO) / span * (ybot - ytop));
			struct pm_axfmt f = pm_axis_format(pow(10, dd), pow(10, dd));
			char buf[24];

			gdImageLine(c->im, x0, y, x1, y, pm_rgb(0xe3e3e3));
			pm_axis_label(&f, pow(10, dd), buf, sizeof(buf));
			pm_text(c, x0 - 8, y, 11.5, 0x333333, PM_RIGHT, 0, "%s", buf);
		}
		pm_text_up(c, x0 - 60, (ytop + ybot) / 2, 12, 0x444444, "events/s");
		pm_rect_line(c, x0, ytop, x1, ybot, pm_rgb(0x999999));
		gw = (x1 - x0) / ns;
		bw = (gw - 30) / n;
		if (bw > 60)
			bw = 60;
		for (int k = 0; k < ns; k++) {
			int gx = x0 + k * gw + (gw - n * bw) / 2;

			pm_text(c, x0 + k * gw + gw / 2, ybot + 16, 12, 0x222222, PM_CENTER, 0,
				"order %d", slots[k] - 1);
			for (int i = 0; i < n; i++) {
				double val = order_rate(o, i, slots[k]);

				if (getenv("FRAGMON_PLOT_LAYOUT"))
					fprintf(stderr, "layout: order-bar %s %d %.6g\n", o->tag[i],
						slots[k] - 1, val);
				int yv = val > 0 ? ybot - (int)lround((log10(val) - dlo + LOG_LO) /
								      span * (ybot - ytop))
						 : ybot;
				char buf[32];
				double pt;

				if (val > 0)
					pm_rect_fill(c, gx + i * bw, yv, gx + (i + 1) * bw - 3,
						     ybot - 1, pm_rgb(bar_col[i % 16]));
				snprintf(buf, sizeof(buf), "%.3g", val);
				pt = pm_fit(c, 10, 7, 0, buf, bw + 4);
				if (pt > 0 && val > 0)
					pm_text(c, gx + i * bw + bw / 2 - 1, yv - 9, pt, 0x333333,
						PM_CENTER, 0, "%s", buf);
			}
		}
	}
}

static int series_h(void)
{
	return 40 + 10 + SER_H + 50 + 24;
}

static int table_rows(const struct ov *o)
{
	int n = 0;

	for (int k = 0; k < o->nrows; k++) {
		struct cell ce;
		int any = 0;

		for (int i = 0; i < o->n; i++)
			any |= cell(o, i, o->rows[k].key, &ce);
		n += any;
	}
	return n;
}

static void table(struct pm_canvas *c, int y, const struct ov *o)
{
	int namew = 620, colw = (PM_WIDTH - 120 - namew) / o->n, row = 0;

	pm_text(c, 60, y, 13.5, 0x111111, PM_LEFT, 1,
		"Every compared metric, per second of run unless stated; under each value its "
		"verdict against %s (95%% intervals, simultaneous per run)",
		o->tag[0]);
	y += LINE + 6;
	pm_rect_fill(c, 50, y - LINE / 2, PM_WIDTH - 60, y + LINE / 2, pm_rgb(0x34495e));
	pm_text(c, 60, y, 12.5, 0xffffff, PM_LEFT, 1, "Metric");
	for (int i = 0; i < o->n; i++) {
		double pt = pm_fit(c, 12.5, 7, 1, o->tag[i], colw - 10);

		pm_text(c, 60 + namew + (i + 1) * colw - 10, y, pt > 0 ? pt : 7, 0xffffff, PM_RIGHT,
			1, "%s", o->tag[i]);
	}
	y += LINE;
	for (int k = 0; k < o->nrows; k++) {
		struct cell ce[PM_MAX_RUNS];
		int any = 0;
		char lab[128];
		double pt;

		for (int i = 0; i < o->n; i++)
			any |= cell(o, i, o->rows[k].key, &ce[i]);
		if (!any)
			continue;
		if (row++ % 2)
			pm_rect_fill(c, 50, y - LINE / 2, PM_WIDTH - 60, y + LINE / 2,
				     pm_rgb(0xf4f4f4));
		snprintf(lab, sizeof(lab), "%s%s%s%s", o->rows[k].label,
			 o->rows[k].unit[0] ? " (" : "", o->rows[k].unit,
			 o->rows[k].unit[0] ? ")" : "");
		pt = pm_fit(c, 12.5, 7, 0, lab, namew - 20);
		pm_text(c, 60, y, pt > 0 ? pt : 7, 0x222222, PM_LEFT, 0, "%s", lab);
		for (int i = 0; i < o->n; i++) {
			char buf[64];
			int xr = 60 + namew + (i + 1) * colw - 10;
			unsigned bg = ce[i].vd == PM_V_BETTER  ? 0xd4edda
				      : ce[i].vd == PM_V_WORSE ? 0xf8d7da
							       : 0;

			if (bg)
				pm_rect_fill(c, xr - colw + 14, y - LINE / 2 + 2, xr + 4,
					     y + LINE / 2 - 2, pm_rgb(bg));
			if (!ce[i].m) {
				pm_text(c, xr, y, 12, 0x999999, PM_RIGHT, 0, "n/a");
				continue;
			}
			pm_val_str(ce[i].m, ce[i].e.v, buf, sizeof(buf));
			if (i && ce[i].vd != PM_V_NA)
				snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " %s",
					 verdict_short(c, ce[i].vd, 0));
			pt = pm_fit(c, 12, 7, 0, buf, colw - 14);
			pm_text(c, xr, y, pt > 0 ? pt : 7,
				ce[i].vd == PM_V_NA ? 0x111111 : verdict_fg(ce[i].vd), PM_RIGHT, 0,
				"%s", buf);
		}
		y += LINE;
	}
}

/* the key: a colour square, label, source, kernel and length of every run */
static void run_list(struct pm_canvas *c, const struct ov *o, const struct pm_side *sides, int y)
{
	for (int i = 0; i < o->n; i++) {
		const struct pm_run *r = o->runs[i];
		char len[32], line[700], rep[48] = "";
		double pt;

		if (sides[i].n > 1)
			snprintf(rep, sizeof(rep), "   + %d repeated run%s, pooled", sides[i].n - 1,
				 sides[i].n == 2 ? "" : "s");
		pm_fmt_length(pm_run_duration(r), len, sizeof(len));
		/* what is wrong with a run is said once, in the warnings under the list
		 * (the line is red) */
		snprintf(line, sizeof(line), "%s%s: %s   kernel %s   %s%s",
			 i ? "" : "baseline: ", sides[i].label, r->name,
			 r->kernel[0] ? r->kernel : "unknown", len, rep);
		pm_rect_fill(c, 60, y - 8, 76, y + 8, pm_rgb(bar_col[i % 16]));
		pt = pm_fit(c, 12.5, 7, 0, line, PM_WIDTH - 160);
		pm_text(c, 86, y, pt > 0 ? pt : 7, r->truncated || r->outside ? 0xb71c1c : 0x333333,
			PM_LEFT, 0, "%s", line);
		y += 24;
	}
}

/* the comparisons' own warnings that the run warnings do not say already
 * (durations and incomplete runs are warnings.c's, one line for all runs) */
static int own_warning(const char *w)
{
	return strncmp(w, "durations differ", 16) && !strstr(w, " is incomplete (");
}

/* every warning of the overview, a line per kind: the runs' (warnings.c) and
 * the comparisons' others, each text once however many runs share it */
static int warn_lines(const struct ov *o, char (*lines)[600], int max)
{
	struct pm_warning *w = malloc(sizeof(*w) * PM_MAX_WARNINGS);
	int nl = 0;

	if (w) {
		nl = pm_warn_lines(w, pm_sides_warnings(o->sides, o->n, 1, w, PM_MAX_WARNINGS),
				   lines, max);
		free(w);
	}
	for (int i = 1; i < o->n; i++)
		for (int k = 0; k < o->cmp[i - 1].nwarn && nl < max; k++) {
			const char *t = o->cmp[i - 1].warn[k];
			int seen = !own_warning(t);

			for (int j = 1; j < i && !seen; j++)
				for (int m = 0; m < o->cmp[j - 1].nwarn && !seen; m++)
					seen = !strcmp(o->cmp[j - 1].warn[m], t);
			if (!seen)
				snprintf(lines[nl++], sizeof(lines[0]), "%s against %s: %s",
					 o->tag[i], o->tag[0], t);
		}
	return nl;
}

#define MAX_WARN_LINES 16

static int warning_lines(const struct ov *o)
{
	char(*l)[600] = malloc(sizeof(*l) * MAX_WARN_LINES);
	int n = l ? warn_lines(o, l, MAX_WARN_LINES) : 0;

	free(l);
	return n;
}

static void warnings(struct pm_canvas *c, const struct ov *o, int y)
{
	char(*l)[600] = malloc(sizeof(*l) * MAX_WARN_LINES);
	int n = l ? warn_lines(o, l, MAX_WARN_LINES) : 0;

	if (getenv("FRAGMON_PLOT_LAYOUT"))
		fprintf(stderr, "layout: warnings %d\n", n);
	for (int i = 0; i < n; i++) {
		double pt = pm_fit(c, 12.5, 7, 1, l[i], PM_WIDTH - 140);

		pm_rect_fill(c, 50, y - 12, PM_WIDTH - 60, y + 12, pm_rgb(0xfff3cd));
		pm_text(c, 60, y, pt > 0 ? pt : 7, 0x7a4a00, PM_LEFT, 1, "%s", l[i]);
		y += 26;
	}
	free(l);
}

static void ov_free(struct ov *o)
{
	free(o->cmp);
	o->cmp = NULL;
}

int pm_overview(struct pm_side *sides, int n, const char *title, const char *out, char *err,
		size_t cap)
{
	struct ov *o = calloc(1, sizeof(*o));
	const char *labels[PM_MAX_RUNS];
	const char *ids[NCHART];
	int ncharts = 0, rows, cols, ret, nall = 0;
	struct pm_run *all[PM_MAX_RUNS * PM_MAX_REPEATS];
	struct pm_canvas c;

	if (!o) {
		snprintf(err, cap, "out of memory");
		return -1;
	}
	pm_pick_zone(sides, n); /* one zone under pressure for every run */
	if (n > PM_MAX_RUNS || n < 2) {
		snprintf(err, cap, "an overview shows 2 to %d runs", PM_MAX_RUNS);
		free(o);
		return -1;
	}
	o->n = n;
	o->sides = sides;
	o->cmp = calloc((size_t)(n - 1), sizeof(*o->cmp));
	if (!o->cmp) {
		snprintf(err, cap, "out of memory");
		free(o);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		o->runs[i] = sides[i].run[0];
		labels[i] = sides[i].label;
		for (int k = 0; k < sides[i].n; k++)
			all[nall++] = sides[i].run[k];
		if (i && pm_compare(&sides[0], &sides[i], &o->cmp[i - 1])) {
			snprintf(err, cap, "out of memory");
			ov_free(o);
			free(o);
			return -1;
		}
	}
	pm_make_tags(labels, n, o->tag);
	o->nrows = pm_rows(all, nall, 1, o->rows, PM_MAX_ROWS);
	for (size_t k = 0; k < NCHART; k++) {
		struct cell ce;
		int any = 0;

		for (int i = 0; i < n; i++)
			any |= cell(o, i, chart_keys[k], &ce);
		if (any)
			ids[ncharts++] = chart_keys[k];
	}
	/* more runs, wider charts */
	cols = n > 4 ? 2 : 3;
	rows = (ncharts + cols - 1) / cols;
	/* drawn a band at a time (as the dashboards): header, each row of charts, the
	 * order chart, the time series, the table */
	{
		int head = 80 + n * 24 + 20 + warning_lines(o) * 26,
		    tab = 20 + (table_rows(o) + 3) * LINE + 40;
		int bands[8 + NCHART], nb = 0, tallest = 0, total = 0;
		struct pm_png *png;

		bands[nb++] = head;
		for (int k = 0; k < rows; k++)
			bands[nb++] = CH_H + 30 + (k == rows - 1 ? 10 : 0);
		bands[nb++] = ORD_H;
		bands[nb++] = series_h();
		if (any_snapshots(o))
			bands[nb++] = series_h();
		bands[nb++] = tab;
		for (int k = 0; k < nb; k++) {
			total += bands[k];
			if (bands[k] > tallest)
				tallest = bands[k];
		}
		if (pm_canvas_init(&c, PM_WIDTH, tallest)) {
			snprintf(err, cap, "cannot allocate the image");
			ov_free(o);
			free(o);
			return -1;
		}
		png = pm_png_open(out, PM_WIDTH, total, err, cap);
		if (!png) {
			pm_canvas_free(&c);
			ov_free(o);
			free(o);
			return -1;
		}
		ret = 0;
		for (int k = 0; k < nb && !ret; k++) {
			pm_canvas_clear(&c, bands[k]);
			if (k == 0) {
				const char *t = title ? title : "Memory fragmentation: overview";
				double pt = pm_fit(&c, 24, 10, 1, t, PM_WIDTH - 120);

				pm_text(&c, 60, 36, pt > 0 ? pt : 10, 0x111111, PM_LEFT, 1, "%s",
					t);
				run_list(&c, o, sides, 80);
				warnings(&c, o, 80 + n * 24 + 10);
			} else if (k <= rows) {
				for (int j = (k - 1) * cols; j < ncharts && j < k * cols; j++)
					chart(&c,
					      (struct pm_rect){60 + (j % cols) * (CH_W(cols) + 40),
							       0, CH_W(cols), CH_H},
					      o, ids[j]);
			} else if (k == rows + 1) {
				order_chart(&c, (struct pm_rect){60, 0, PM_WIDTH - 120, ORD_H}, o);
			} else if (k == nb - 1) {
				table(&c, 20, o);
			} else {
				series(&c, (struct pm_rect){60, 0, PM_WIDTH - 120, series_h()}, o,
				       k - rows - 2);
			}
			ret = pm_png_rows(png, c.im, 0, bands[k], err, cap);
		}
		if (ret)
			pm_png_abort(png);
		else
			ret = pm_png_close(png, err, cap);
	}
	pm_canvas_free(&c);
	ov_free(o);
	free(o);
	return ret;
}
