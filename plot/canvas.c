// SPDX-License-Identifier: GPL-2.0
#include "canvas.h"

#include <gdfontg.h>
#include <gdfontl.h>
#include <gdfontmb.h>
#include <gdfonts.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const font_dirs[] = {
    "/usr/share/fonts/truetype/dejavu/",
    "/usr/share/fonts/TTF/",
    "/usr/share/fonts/dejavu/",
    "/usr/local/share/fonts/",
};

static int find_font(const char *file, char *out, size_t cap)
{
	for (size_t i = 0; i < sizeof(font_dirs) / sizeof(font_dirs[0]); i++) {
		snprintf(out, cap, "%s%s", font_dirs[i], file);
		if (!access(out, R_OK))
			return 1;
	}
	return 0;
}

int pm_canvas_init(struct pm_canvas *c, int w, int h)
{
	const char *env = getenv("FRAGMON_FONT");

	memset(c, 0, sizeof(*c));
	c->w = w;
	c->h = h;
	c->im = gdImageCreateTrueColor(w, h);
	if (!c->im)
		return -1;
	gdImageAlphaBlending(c->im, 1);
	pm_rect_fill(c, 0, 0, w - 1, h - 1, pm_rgb(0xffffff));
	if (env && *env) {
		/* FRAGMON_FONT=/path/font.ttf, or "builtin" for libgd's own fonts */
		if (strcmp(env, "builtin") && !access(env, R_OK)) {
			snprintf(c->font, sizeof(c->font), "%s", env);
			snprintf(c->bold, sizeof(c->bold), "%s", env);
			c->ft = 1;
		}
	} else if (find_font("DejaVuSans.ttf", c->font, sizeof(c->font))) {
		c->ft = 1;
		if (!find_font("DejaVuSans-Bold.ttf", c->bold, sizeof(c->bold)))
			snprintf(c->bold, sizeof(c->bold), "%s", c->font);
	}
	if (c->ft) {
		int br[8];

		/* the font file may exist and still not load */
		if (gdImageStringFT(NULL, br, 0, c->font, 10, 0, 0, 0, "Ag"))
			c->ft = 0;
	}
	return 0;
}

void pm_canvas_free(struct pm_canvas *c)
{
	if (c->im)
		gdImageDestroy(c->im);
	c->im = NULL;
}

int pm_rgb(unsigned rgb)
{
	return gdTrueColor((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255);
}

int pm_rgba(unsigned rgb, double alpha)
{
	int a = (int)lround(127 * (1 - alpha));

	if (a < 0)
		a = 0;
	if (a > 127)
		a = 127;
	return gdTrueColorAlpha((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255, a);
}

unsigned pm_mix(unsigned a, unsigned b, double t)
{
	unsigned out = 0;

	if (t < 0)
		t = 0;
	if (t > 1)
		t = 1;
	for (int s = 0; s <= 16; s += 8) {
		double x = (double)((a >> s) & 255), y = (double)((b >> s) & 255);

		out |= (unsigned)lround(x + (y - x) * t) << s;
	}
	return out;
}

int pm_is_dark(unsigned rgb)
{
	double l = 0.299 * ((rgb >> 16) & 255) + 0.587 * ((rgb >> 8) & 255) + 0.114 * (rgb & 255);

	return l < 140;
}

static gdFontPtr builtin(double pt)
{
	if (pt >= 17)
		return gdFontGetGiant();
	if (pt >= 13)
		return gdFontGetLarge();
	if (pt >= 10.5)
		return gdFontGetMediumBold();
	return gdFontGetSmall();
}

/* text widths, cached: FreeType lays out (and hints) the whole string per call */
#define WCACHE 1024
static struct {
	char s[48];
	short pt2, bold, w;
} wcache[WCACHE];

int pm_text_w(struct pm_canvas *c, double pt, int bold, const char *s)
{
	size_t len = strlen(s);
	unsigned h = 2166136261u;
	int br[8], w, pt2 = (int)(pt * 2);

	if (!c->ft)
		return (int)len * builtin(pt)->w;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	h = (h ^ (unsigned)pt2 ^ ((unsigned)bold << 9)) % WCACHE;
	if (len < sizeof(wcache[0].s) && wcache[h].pt2 == pt2 && wcache[h].bold == bold &&
	    !strcmp(wcache[h].s, s))
		return wcache[h].w;
	if (gdImageStringFT(NULL, br, 0, bold ? c->bold : c->font, pt, 0, 0, 0, (char *)s))
		return (int)len * builtin(pt)->w;
	w = br[2] - br[0];
	if (len < sizeof(wcache[0].s)) {
		memcpy(wcache[h].s, s, len + 1);
		wcache[h].pt2 = (short)pt2;
		wcache[h].bold = (short)bold;
		wcache[h].w = (short)w;
	}
	return w;
}

double pm_fit(struct pm_canvas *c, double pt, double min, int bold, const char *s, int w)
{
	/* text width grows linearly with the size: one measure, one check */
	int tw = pm_text_w(c, pt, bold, s);

	if (tw <= w)
		return pt;
	if (tw <= 0)
		return 0;
	pt = floor(pt * w / tw * 2) / 2;
	while (pt >= min && pm_text_w(c, pt, bold, s) > w)
		pt -= 0.5;
	return pt >= min ? pt : 0;
}

int pm_text(struct pm_canvas *c, int x, int y, double pt, unsigned rgb, enum pm_align al, int bold,
	    const char *fmt, ...)
{
	char s[512];
	va_list ap;
	int w, br[8];

	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	/* left-aligned text needs no measuring before it is drawn */
	w = al == PM_LEFT ? 0 : pm_text_w(c, pt, bold, s);
	if (al == PM_CENTER)
		x -= w / 2;
	else if (al == PM_RIGHT)
		x -= w;
	if (c->ft) {
		/* cap height of DejaVu is ~0.73 em; em = pt * 96 / 72 px */
		int base = y + (int)lround(pt * 96.0 / 72.0 * 0.365);

		if (!gdImageStringFT(c->im, br, pm_rgb(rgb), bold ? c->bold : c->font, pt, 0, x,
				     base, s))
			return al == PM_LEFT ? br[2] - br[0] : w;
	}
	if (al == PM_LEFT)
		w = (int)strlen(s) * builtin(pt)->w;
	{
		gdFontPtr f = builtin(pt);

		gdImageString(c->im, f, x, y - f->h / 2, (unsigned char *)s, pm_rgb(rgb));
	}
	return w;
}

void pm_text_up(struct pm_canvas *c, int x, int y, double pt, unsigned rgb, const char *s)
{
	int w = pm_text_w(c, pt, 0, s), br[8];

	if (c->ft &&
	    !gdImageStringFT(c->im, br, pm_rgb(rgb), c->font, pt, M_PI / 2,
			     x + (int)lround(pt * 96.0 / 72.0 * 0.365), y + w / 2, (char *)s))
		return;
	{
		gdFontPtr f = builtin(pt);

		gdImageStringUp(c->im, f, x - f->h / 2, y + w / 2, (unsigned char *)s, pm_rgb(rgb));
	}
}

double pm_nice_step(double range, int max_ticks)
{
	double raw, mag, f;

	if (!(range > 0))
		return 1;
	raw = range / (max_ticks > 1 ? max_ticks : 1);
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	if (f <= 1)
		return mag;
	if (f <= 2)
		return 2 * mag;
	if (f <= 2.5)
		return 2.5 * mag;
	if (f <= 5)
		return 5 * mag;
	return 10 * mag;
}

/* decimals needed to write x exactly (up to 6) */
static int decimals_of(double x)
{
	int d = 0;

	x = fabs(x);
	while (d < 6 && fabs(x * pow(10, d) - round(x * pow(10, d))) > 1e-6 * pow(10, d))
		d++;
	return d;
}

struct pm_axfmt pm_axis_format(double maxabs, double step)
{
	struct pm_axfmt f = {1, "", 0};

	maxabs = fabs(maxabs);
	if (maxabs >= 1e6) {
		f.div = 1e6;
		f.suffix = "M";
	} else if (maxabs >= 1e4) {
		f.div = 1e3;
		f.suffix = "k";
	}
	f.decimals = decimals_of(step / f.div);
	return f;
}

void pm_axis_label(const struct pm_axfmt *f, double v, char *buf, size_t cap)
{
	double x = v / f->div;

	if (fabs(x) < 1e-12)
		x = 0; /* no "-0" */
	snprintf(buf, cap, "%.*f%s", f->decimals, x, x == 0 ? "" : f->suffix);
}

void pm_fmt_num(double v, double step, char *buf, size_t cap)
{
	struct pm_axfmt f = pm_axis_format(v, step > 0 ? step : 1);

	pm_axis_label(&f, v, buf, cap);
}

void pm_rect_fill(struct pm_canvas *c, int x0, int y0, int x1, int y1, int color)
{
	int t, cx0, cy0, cx1, cy1;

	if (x0 > x1)
		t = x0, x0 = x1, x1 = t;
	if (y0 > y1)
		t = y0, y0 = y1, y1 = t;
	if (gdTrueColorGetAlpha(color)) {
		gdImageFilledRectangle(c->im, x0, y0, x1, y1, color);
		return;
	}
	/* opaque: write the rows directly (libgd blends pixel by pixel), within the clip */
	gdImageGetClip(c->im, &cx0, &cy0, &cx1, &cy1);
	x0 = x0 < cx0 ? cx0 : x0;
	y0 = y0 < cy0 ? cy0 : y0;
	x1 = x1 > cx1 ? cx1 : x1;
	y1 = y1 > cy1 ? cy1 : y1;
	for (int y = y0; y <= y1; y++) {
		int *row = c->im->tpixels[y];

		for (int x = x0; x <= x1; x++)
			row[x] = color;
	}
}

void pm_rect_line(struct pm_canvas *c, int x0, int y0, int x1, int y1, int color)
{
	gdImageRectangle(c->im, x0, y0, x1, y1, color);
}

void pm_line(struct pm_canvas *c, int x0, int y0, int x1, int y1, int color, int thick, int dashed)
{
	gdImageSetThickness(c->im, thick);
	if (!dashed) {
		gdImageLine(c->im, x0, y0, x1, y1, color);
	} else {
		double len = hypot(x1 - x0, y1 - y0), on = 9, off = 6;

		for (double s = 0; s < len; s += on + off) {
			double e = s + on < len ? s + on : len;

			gdImageLine(c->im, x0 + (int)lround((x1 - x0) * s / len),
				    y0 + (int)lround((y1 - y0) * s / len),
				    x0 + (int)lround((x1 - x0) * e / len),
				    y0 + (int)lround((y1 - y0) * e / len), color);
		}
	}
	gdImageSetThickness(c->im, 1);
}

void pm_marker(struct pm_canvas *c, int x, int y, int r, enum pm_shape s, int fill, int edge)
{
	if (r < 1)
		r = 1;
	switch (s) {
	case PM_TRIANGLE: {
		gdPoint p[3] = {{x, y - r - 1}, {x - r - 1, y + r}, {x + r + 1, y + r}};

		gdImageFilledPolygon(c->im, p, 3, fill);
		if (edge >= 0)
			gdImagePolygon(c->im, p, 3, edge);
		break;
	}
	case PM_SQUARE:
		gdImageFilledRectangle(c->im, x - r, y - r, x + r, y + r, fill);
		if (edge >= 0)
			gdImageRectangle(c->im, x - r, y - r, x + r, y + r, edge);
		break;
	case PM_LINE:
	case PM_DASH:
		pm_line(c, x - 14, y, x + 14, y, fill, 3, s == PM_DASH);
		break;
	default:
		gdImageFilledEllipse(c->im, x, y, 2 * r + 1, 2 * r + 1, fill);
		if (edge >= 0)
			gdImageEllipse(c->im, x, y, 2 * r + 1, 2 * r + 1, edge);
		break;
	}
}

int pm_legend(struct pm_canvas *c, int x_right, int y, double pt,
	      const struct pm_legend_item *items, int n)
{
	int x = x_right, total;
	double p = pt;

	/* shrink the legend until it clears the panel title on its left; when it
	 * cannot, it goes on the row under the title, at its own size */
	for (;;) {
		total = 0;
		for (int i = 0; i < n; i++)
			total += pm_text_w(c, p, 0, items[i].label) + 52;
		if (x_right - total >= c->title_end + 30)
			break;
		if (p <= 9) {
			p = pt < 11 ? pt : 11;
			y += 22;
			break;
		}
		p -= 0.5;
	}
	for (int i = n - 1; i >= 0; i--) {
		int w = pm_text_w(c, p, 0, items[i].label);

		x -= w;
		pm_text(c, x, y, p, 0x222222, PM_LEFT, 0, "%s", items[i].label);
		x -= 22;
		pm_marker(c, x, y, 7, items[i].shape, pm_rgb(items[i].rgb), pm_rgb(0x333333));
		x -= 30;
	}
	return x;
}

int pm_panel_title(struct pm_canvas *c, struct pm_rect r, const char *title, const char *sub)
{
	int w = pm_text(c, r.x, r.y + 16, 17, 0x111111, PM_LEFT, 1, "%s", title);

	c->title_end = r.x + w;
	if (sub && *sub)
		c->title_end +=
		    18 + pm_text(c, r.x + w + 18, r.y + 17, 12.5, 0x555555, PM_LEFT, 0, "%s", sub);
	return r.y + 40;
}

void pm_note(struct pm_canvas *c, struct pm_rect r, const char *msg)
{
	pm_rect_fill(c, r.x, r.y, r.x + r.w, r.y + r.h, pm_rgb(0xf4f4f4));
	pm_rect_line(c, r.x, r.y, r.x + r.w, r.y + r.h, pm_rgb(0xcccccc));
	pm_text(c, r.x + r.w / 2, r.y + r.h / 2, 14, 0x666666, PM_CENTER, 0, "%s", msg);
}
