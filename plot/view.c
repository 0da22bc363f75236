// SPDX-License-Identifier: GPL-2.0
#include "view.h"

#include <math.h>
#include <stdio.h>

static const struct pm_style styles[] = {
    {PM_CIRCLE, 0, 0x2ecc71, 0xe74c3c, 0x3498db, 0xe67e22, 0x2c3e50},
    {PM_TRIANGLE, 1, 0x1e8449, 0x922b21, 0x1a5276, 0xa04000, 0x7f8c8d},
};

const struct pm_style *pm_style(int i)
{
	return &styles[i ? 1 : 0];
}

const char *pm_arrow(const struct pm_canvas *c)
{
	return c->ft ? "\xe2\x86\x92" : "->";
}

void pm_time_axis(struct pm_canvas *c, const struct pm_view *v, int ytop, int ybot)
{
	double step = pm_nice_step(v->t1, 14);
	int grid = pm_rgb(0xe3e3e3);

	for (double t = 0; t <= v->t1 + step * 1e-6; t += step) {
		int x = pm_x(v, t);
		char buf[32];

		gdImageLine(c->im, x, ytop, x, ybot, grid);
		pm_fmt_num(t, step, buf, sizeof(buf));
		pm_text(c, x, ybot + 14, 11.5, 0x333333, PM_CENTER, 0, "%s", buf);
	}
	pm_text(c, v->x1, ybot + 34, 11.5, 0x555555, PM_RIGHT, 0, "time since start (s)");
	pm_rect_line(c, v->x0, ytop, v->x1, ybot, pm_rgb(0x999999));
}

double pm_y_axis(struct pm_canvas *c, const struct pm_view *v, int ytop, int ybot, double lo,
		 double hi, const char *title)
{
	double step = pm_nice_step(hi - lo, (ybot - ytop) / 45 > 2 ? (ybot - ytop) / 45 : 2);
	int grid = pm_rgb(0xe3e3e3);

	for (double y = ceil(lo / step) * step; y <= hi + step * 1e-6; y += step) {
		int py = ybot - (int)lround((y - lo) / (hi - lo) * (ybot - ytop));
		char buf[32];

		gdImageLine(c->im, v->x0, py, v->x1, py, grid);
		pm_fmt_num(y, step, buf, sizeof(buf));
		pm_text(c, v->x0 - 8, py, 11.5, 0x333333, PM_RIGHT, 0, "%s", buf);
	}
	if (title)
		pm_text_up(c, v->x0 - 75, (ytop + ybot) / 2, 12, 0x444444, title);
	return step;
}

double pm_display_bin(const struct pm_view *v, int max_bins)
{
	double bw = 0, b;

	for (int i = 0; i < v->n; i++)
		if (v->runs[i]->bw > bw)
			bw = v->runs[i]->bw;
	b = v->bin > 0 ? v->bin : pm_nice_step(v->t1, max_bins);
	if (v->t1 / b > 4 * max_bins)
		b = v->t1 / (4 * max_bins);
	if (b < bw)
		b = bw;
	return b;
}
