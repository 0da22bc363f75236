// SPDX-License-Identifier: GPL-2.0
#include "view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const double min_steps[] = {1, 2, 5, 10, 15, 20, 30, 60, 120};
static const double hour_steps[] = {1, 2, 3, 6, 12, 24, 48};

struct pm_tunit pm_time_unit(double t1, int max_ticks)
{
	struct pm_tunit u;
	double raw;

	if (!(t1 > 0))
		t1 = 1;
	if (t1 < 600) {
		u = (struct pm_tunit){pm_nice_step(t1, max_ticks), 1, "s"};
		return u;
	}
	if (t1 < 6 * 3600) {
		u = (struct pm_tunit){0, 60, "min"};
		raw = t1 / 60 / max_ticks;
		for (size_t i = 0; i < sizeof(min_steps) / sizeof(min_steps[0]) && !u.step; i++)
			if (min_steps[i] >= raw)
				u.step = min_steps[i] * 60;
		return u;
	}
	if (t1 < 6 * 86400) {
		u = (struct pm_tunit){0, 3600, "h"};
		raw = t1 / 3600 / max_ticks;
		for (size_t i = 0; i < sizeof(hour_steps) / sizeof(hour_steps[0]) && !u.step; i++)
			if (hour_steps[i] >= raw)
				u.step = hour_steps[i] * 3600;
		return u;
	}
	u = (struct pm_tunit){pm_nice_step(t1 / 86400, max_ticks) * 86400, 86400, "d"};
	if (u.step < 86400)
		u.step = 86400;
	return u;
}

double pm_nice_time(double raw)
{
	static const double steps[] = {1,    2,	   5,	  10,	 15,	20,   30,
				       60,   120,  300,	  600,	 900,	1200, 1800,
				       3600, 7200, 10800, 21600, 43200, 86400};

	if (!(raw > 0))
		return 1;
	if (raw <= 1) {
		double st = pm_nice_step(raw, 1);

		return st < raw ? st * 2 : st;
	}
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (steps[i] >= raw)
			return steps[i];
	return ceil(raw / 86400) * 86400;
}

void pm_fmt_duration(double s, char *buf, size_t cap)
{
	if (s >= 86400 && fmod(s, 86400) == 0)
		snprintf(buf, cap, "%g d", s / 86400);
	else if (s >= 3600 && fmod(s, 3600) == 0)
		snprintf(buf, cap, "%g h", s / 3600);
	else if (s >= 60 && fmod(s, 60) == 0)
		snprintf(buf, cap, "%g min", s / 60);
	else
		snprintf(buf, cap, "%g s", s);
}

void pm_fmt_length(double s, char *buf, size_t cap)
{
	long long t = llround(s);

	if (!(s >= 0) || s > 1e12)
		snprintf(buf, cap, "?");
	else if (s < 600)
		snprintf(buf, cap, "%.1f s", s);
	else if (s < 3600)
		snprintf(buf, cap, "%lld min %lld s", t / 60, t % 60);
	else if (s < 86400)
		snprintf(buf, cap, "%lld h %02lld min", t / 3600, t / 60 % 60);
	else
		snprintf(buf, cap, "%lld d %lld h", t / 86400, t / 3600 % 24);
}

void pm_view_span(struct pm_view *v, double span)
{
	double e;

	if (!(span > 0))
		span = 1;
	v->tu = pm_time_unit(span, 14);
	e = v->tu.step * ceil(span / v->tu.step - 1e-9);
	v->t1 = e > 0 ? e : v->tu.step;
}

/* FRAGMON_PLOT_LAYOUT=1: an axis' tick labels on stderr (tests) */
static void layout_ticks(const char *what, const char *unit, char (*lab)[32], int n)
{
	if (!getenv("FRAGMON_PLOT_LAYOUT"))
		return;
	fprintf(stderr, "layout: %s", what);
	for (int i = 0; i < n; i++)
		fprintf(stderr, " %s", lab[i]);
	fprintf(stderr, "%s%s\n", unit ? " " : "", unit ? unit : "");
}

static int area_top = -1, area_bot = -1;

int pm_time_axis_area(int *ytop, int *ybot)
{
	int ok = area_top >= 0;

	if (ytop)
		*ytop = area_top;
	if (ybot)
		*ybot = area_bot;
	area_top = area_bot = -1;
	return ok;
}

void pm_time_axis(struct pm_canvas *c, const struct pm_view *v, int ytop, int ybot)
{
	struct pm_tunit u = v->tu.step > 0 ? v->tu : pm_time_unit(v->t1, 14);
	struct pm_axfmt f = pm_axis_format(v->t1 / u.div, u.step / u.div);
	int grid = pm_rgb(0xe3e3e3), n = 0;
	char lab[64][32];

	area_top = ytop;
	area_bot = ybot;
	f.div = 1;
	f.suffix = "";
	for (int k = 0;; k++) {
		double t = k * u.step;
		int x;
		char buf[32];

		if (t > v->t1 + u.step * 1e-6)
			break;
		x = pm_x(v, t);
		gdImageLine(c->im, x, ytop, x, ybot, grid);
		pm_axis_label(&f, t / u.div, buf, sizeof(buf));
		pm_text(c, x, ybot + 14, 11.5, 0x333333, PM_CENTER, 0, "%s", buf);
		if (n < 64)
			snprintf(lab[n++], sizeof(lab[0]), "%s", buf);
	}
	layout_ticks("xticks", u.name, lab, n);
	pm_text(c, v->x1, ybot + 34, 11.5, 0x555555, PM_RIGHT, 0, "time since start (%s)", u.name);
	pm_rect_line(c, v->x0, ytop, v->x1, ybot, pm_rgb(0x999999));
}

double pm_y_axis(struct pm_canvas *c, const struct pm_view *v, int ytop, int ybot, double lo,
		 double hi, const char *title)
{
	double step = pm_nice_step(hi - lo, (ybot - ytop) / 45 > 2 ? (ybot - ytop) / 45 : 2);
	struct pm_axfmt f = pm_axis_format(fabs(hi) > fabs(lo) ? hi : lo, step);
	int grid = pm_rgb(0xe3e3e3), n = 0;
	char lab[64][32];

	for (long k = (long)ceil(lo / step - 1e-9);; k++) {
		double y = k * step;
		int py;
		char buf[32];

		if (y > hi + step * 1e-6)
			break;
		py = ybot - (int)lround((y - lo) / (hi - lo) * (ybot - ytop));
		gdImageLine(c->im, v->x0, py, v->x1, py, grid);
		pm_axis_label(&f, y, buf, sizeof(buf));
		pm_text(c, v->x0 - 8, py, 11.5, 0x333333, PM_RIGHT, 0, "%s", buf);
		if (n < 64)
			snprintf(lab[n++], sizeof(lab[0]), "%s", buf);
	}
	layout_ticks("yticks", NULL, lab, n);
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
	b = v->bin > 0 ? v->bin : pm_nice_time(v->t1 / max_bins);
	if (v->t1 / b > 4 * max_bins)
		b = v->t1 / (4 * max_bins);
	if (b < bw)
		b = bw;
	return b;
}

/* characters (UTF-8 sequences) in s[0..len) */
static int nchars(const char *s, size_t len)
{
	int n = 0;

	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

/* byte offset of character k */
static size_t char_off(const char *s, int k)
{
	size_t i = 0;

	for (int n = 0; s[i]; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && n++ == k)
			return i;
	return i;
}

void pm_abbrev(const char *label, int max, char *out, size_t cap)
{
	int n = nchars(label, strlen(label)), head, tail;
	size_t h, t;

	if (n <= max || max < 5) {
		snprintf(out, cap, "%s", label);
		return;
	}
	head = (max - 3 + 1) / 2;
	tail = max - 3 - head;
	h = char_off(label, head);
	t = char_off(label, n - tail);
	snprintf(out, cap, "%.*s...%s", (int)h, label, label + t);
}

void pm_make_tags(const char *const *labels, int n, char (*tags)[PM_TAG_CAP])
{
	size_t common = 0;

	/* a long common start (xfs-reflink-4k-...-baseline / ...-dev) says nothing:
	 * keep what tells the runs apart, from the last separator before it */
	if (n > 1) {
		common = strlen(labels[0]);
		for (int i = 1; i < n; i++) {
			size_t k = 0;

			while (k < common && labels[i][k] == labels[0][k])
				k++;
			common = k;
		}
		while (common && !strchr("-_./: ", labels[0][common - 1]))
			common--;
		for (int i = 0; i < n; i++)
			if (!labels[i][common])
				common = 0;
		if (common < 8)
			common = 0;
	}
	for (int i = 0; i < n; i++) {
		char tmp[PM_TAG_CAP + 8];

		if (common)
			snprintf(tmp, sizeof(tmp), "...%s", labels[i] + common);
		else
			snprintf(tmp, sizeof(tmp), "%s", labels[i]);
		pm_abbrev(tmp, PM_TAG_CHARS, tags[i], PM_TAG_CAP);
	}
}
