// SPDX-License-Identifier: GPL-2.0
#include "dashboard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "png_out.h"
#include "view.h"

#define GAP 24

static void describe(const struct pm_run *r, char *buf, size_t cap)
{
	struct pm_metric m[PM_M_N];
	char ev[32];

	pm_metrics(r, m);
	pm_metric_str(&m[PM_M_EVENTS], ev, sizeof(ev));
	snprintf(buf, cap, "%s%s%s   kernel %s   host %s   %.1f s   %s events%s", r->label,
		 strcmp(r->label, r->name) ? ": " : "", strcmp(r->label, r->name) ? r->name : "",
		 r->kernel[0] ? r->kernel : "unknown", r->hostname[0] ? r->hostname : "unknown",
		 m[PM_M_DURATION].valid ? m[PM_M_DURATION].v : 0.0, ev,
		 r->have_run ? "" : "   (legacy tracker file)");
}

/* truncation / incompleteness / drops, "" when none */
static void warning(const struct pm_run *r, char *buf, size_t cap)
{
	buf[0] = '\0';
	if (r->truncated)
		snprintf(
		    buf, cap,
		    "%s: TRUNCATED at byte %lld (agent killed?): plotted the %llu events before "
		    "the cut",
		    r->label, r->trunc_at, (unsigned long long)r->n_events);
	else if (!r->have_metadata)
		snprintf(buf, cap, "%s: INCOMPLETE run: the file has no metadata", r->label);
	else if (r->complete == 0)
		snprintf(buf, cap, "%s: checkpoint: written while the run was still going (%s)",
			 r->label, r->end_reason[0] ? r->end_reason : "not complete");
	else if (r->events_dropped > 0)
		snprintf(buf, cap,
			 "%s: %lld events were dropped by the ring buffer; totals may be low",
			 r->label, r->events_dropped);
	if (!buf[0] && !r->n_events)
		snprintf(buf, cap, "%s: no events in this file", r->label);
}

static int header_h(int n)
{
	return 70 + n * 28 + n * 26 + 20;
}

static int header(struct pm_canvas *c, struct pm_run *const *runs, int n, const char *title)
{
	char buf[512];
	int y = 36;
	double pt = pm_fit(c, 24, 10, 1, title, c->w - 120);

	pm_text(c, 60, y, pt > 0 ? pt : 10, 0x111111, PM_LEFT, 1, "%s", title);
	y += 44;
	for (int i = 0; i < n; i++) {
		char line[600];
		double lpt;

		describe(runs[i], buf, sizeof(buf));
		snprintf(line, sizeof(line), "%s%s", n > 1 ? (i ? "B = " : "A = ") : "", buf);
		/* long paths or URLs: smaller, never past the edge */
		lpt = pm_fit(c, 13, 8, 0, line, c->w - 120);
		pm_text(c, 60, y, lpt > 0 ? lpt : 8, 0x333333, PM_LEFT, 0, "%s", line);
		y += 28;
	}
	for (int i = 0; i < n; i++) {
		warning(runs[i], buf, sizeof(buf));
		if (!buf[0])
			continue;
		pm_rect_fill(c, 50, y - 12, c->w - 60, y + 12, pm_rgb(0xfdecea));
		{
			double wpt = pm_fit(c, 13, 8, 1, buf, c->w - 130);

			pm_text(c, 60, y, wpt > 0 ? wpt : 8, 0xb71c1c, PM_LEFT, 1, "%s", buf);
		}
		y += 26;
	}
	return header_h(n);
}

static void view_init(struct pm_view *v, struct pm_run *const *runs, int n, double bin)
{
	memset(v, 0, sizeof(*v));
	v->n = n;
	v->bin = bin;
	v->x0 = PM_X0;
	v->x1 = PM_WIDTH - PM_XR;
	v->t1 = 0;
	for (int i = 0; i < n; i++) {
		double s = pm_run_span(runs[i]);

		v->runs[i] = runs[i];
		if (s > v->t1)
			v->t1 = s;
	}
	{
		/* long labels are shortened in legends and tables; the header's run
		 * lines ("A = ...") spell them out */
		const char *labels[PM_MAX_RUNS];

		for (int i = 0; i < n; i++)
			labels[i] = runs[i]->label;
		pm_make_tags(labels, n, v->tag);
	}
	/* end the axis on a tick */
	{
		double st = pm_nice_step(v->t1, 14);
		double e = st * (double)(long long)(v->t1 / st);

		v->t1 = e < v->t1 ? e + st : e;
	}
}

int pm_dashboard(struct pm_side *sides, int n, const char *title, double bin, const char *out,
		 char *err, size_t cap)
{
	struct pm_run *runs[2];
	struct pm_view v;
	struct pm_canvas c;
	int hh, h[5], y, ret;
	char t[256];
	static const char *const names[5] = {"compaction", "extfrag", "heatmap", "snapshot",
					     "table"};
	void (*panel[5])(struct pm_canvas *, const struct pm_view *, struct pm_rect) = {
	    pm_panel_compaction, pm_panel_extfrag, pm_panel_heatmap,
	    pm_panel_snapshot,	 pm_panel_table,
	};

	if (n < 1 || n > 2) {
		snprintf(err, cap, "a dashboard shows one or two runs");
		return -1;
	}
	for (int i = 0; i < n; i++)
		runs[i] = sides[i].run[0];
	view_init(&v, runs, n, bin);
	/* FRAGMON_PLOT_LAYOUT=1: the short names legends and tables use (tests) */
	for (int i = 0; n > 1 && i < n && getenv("FRAGMON_PLOT_LAYOUT"); i++)
		fprintf(stderr, "layout: tag %c %s\n", 'A' + i, v.tag[i]);
	hh = header_h(n);
	h[0] = pm_compaction_height(&v);
	h[1] = pm_extfrag_height(&v);
	h[2] = pm_heatmap_height(&v);
	h[3] = pm_snapshot_height(&v);
	h[4] = pm_table_height(&v);
	y = hh;
	for (int i = 0; i < 5; i++)
		y += h[i] + GAP;
	if (pm_canvas_init(&c, PM_WIDTH, y + 20)) {
		snprintf(err, cap, "cannot allocate a %dx%d image", PM_WIDTH, y + 20);
		return -1;
	}
	if (title)
		snprintf(t, sizeof(t), "%s", title);
	else if (n == 1)
		snprintf(t, sizeof(t), "Memory fragmentation: %s", runs[0]->label);
	else
		snprintf(t, sizeof(t), "Memory fragmentation: %s (A) vs %s (B)", runs[0]->label,
			 runs[1]->label);
	header(&c, runs, n, t);
	y = hh;
	for (int i = 0; i < 5; i++) {
		gdImageLine(c.im, 40, y - GAP / 2, c.w - 40, y - GAP / 2, pm_rgb(0xdddddd));
		panel[i](&c, &v, (struct pm_rect){60, y, PM_WIDTH - 120, h[i]});
		/* FRAGMON_PLOT_LAYOUT=1: where each panel's plot area is (tests) */
		if (getenv("FRAGMON_PLOT_LAYOUT"))
			fprintf(stderr, "layout: %s %d %d %d %d\n", names[i], v.x0, y + 40, v.x1,
				y + h[i] - 50);
		y += h[i] + GAP;
	}
	ret = pm_png_write(c.im, out, err, cap);
	pm_canvas_free(&c);
	return ret;
}
