// SPDX-License-Identifier: GPL-2.0
#include "view.h"

#include <math.h>
#include <stdio.h>
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
