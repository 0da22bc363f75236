// SPDX-License-Identifier: GPL-2.0
#include "canvas.h"

#include "text.h"

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

/* opened once per process: every image of a --results-dir run shares the glyphs */
static struct {
	int tried;
	struct pm_font *font, *bold;
} fonts;

static void open_fonts(void)
{
	const char *env = getenv("FRAGMON_FONT");
	char path[256], bold[256];

	fonts.tried = 1;
	if (env && *env) {
		/* FRAGMON_FONT=/path/font.ttf, or "builtin" for libgd's own fonts */
		if (strcmp(env, "builtin"))
			fonts.font = pm_font_open(env);
		fonts.bold = fonts.font;
		return;
	}
	if (!find_font("DejaVuSans.ttf", path, sizeof(path)))
		return;
	fonts.font = pm_font_open(path);
	if (fonts.font && find_font("DejaVuSans-Bold.ttf", bold, sizeof(bold)))
		fonts.bold = pm_font_open(bold);
	if (!fonts.bold)
		fonts.bold = fonts.font;
}

void pm_canvas_shutdown(void)
{
	if (fonts.bold != fonts.font)
		pm_font_close(fonts.bold);
	pm_font_close(fonts.font);
	memset(&fonts, 0, sizeof(fonts));
}

int pm_canvas_init(struct pm_canvas *c, int w, int h)
{
	memset(c, 0, sizeof(*c));
	c->w = w;
	c->h = h;
	c->im = gdImageCreateTrueColor(w, h);
	if (!c->im)
		return -1;
	gdImageAlphaBlending(c->im, 1);
	pm_rect_fill(c, 0, 0, w - 1, h - 1, pm_rgb(0xffffff));
	if (!fonts.tried)
		open_fonts();
	c->font = fonts.font;
	c->bold = fonts.bold;
	c->ft = c->font != NULL;
	return 0;
}

void pm_canvas_clear(struct pm_canvas *c, int h)
{
	gdImageSetClip(c->im, 0, 0, c->w - 1, c->h - 1);
	pm_rect_fill(c, 0, 0, c->w - 1, (h < c->h ? h : c->h) - 1, pm_rgb(0xffffff));
	c->title_end = 0;
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

int pm_text_w(struct pm_canvas *c, double pt, int bold, const char *s)
{
	if (!c->ft)
		return (int)strlen(s) * builtin(pt)->w;
	return pm_font_width(bold ? c->bold : c->font, pt, s);
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
	int w;

	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	w = pm_text_w(c, pt, bold, s);
	if (al == PM_CENTER)
		x -= w / 2;
	else if (al == PM_RIGHT)
		x -= w;
	if (c->ft) {
		/* cap height of DejaVu is ~0.73 em; em = pt * 96 / 72 px */
		int base = y + (int)lround(pt * 96.0 / 72.0 * 0.365);

		pm_font_draw(bold ? c->bold : c->font, c->im, pt, pm_rgb(rgb), x, base, s, 0);
	} else {
		gdFontPtr f = builtin(pt);

		gdImageString(c->im, f, x, y - f->h / 2, (unsigned char *)s, pm_rgb(rgb));
	}
	return w;
}

void pm_text_up(struct pm_canvas *c, int x, int y, double pt, unsigned rgb, const char *s)
{
	int w = pm_text_w(c, pt, 0, s);

	if (c->ft) {
		pm_font_draw(c->font, c->im, pt, pm_rgb(rgb),
			     x + (int)lround(pt * 96.0 / 72.0 * 0.365), y + w / 2, s, 1);
		return;
	}
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

/* blend colour (gd truecolor with alpha) over [x0, x1] of row y, clipped */
static void span(struct pm_canvas *c, int y, int x0, int x1, int color)
{
	int cx0, cy0, cx1, cy1, a = 127 - gdTrueColorGetAlpha(color);
	int r = gdTrueColorGetRed(color), g = gdTrueColorGetGreen(color),
	    b = gdTrueColorGetBlue(color);
	int *row;

	gdImageGetClip(c->im, &cx0, &cy0, &cx1, &cy1);
	if (y < cy0 || y > cy1)
		return;
	x0 = x0 < cx0 ? cx0 : x0;
	x1 = x1 > cx1 ? cx1 : x1;
	row = c->im->tpixels[y];
	if (a >= 127) {
		for (int x = x0; x <= x1; x++)
			row[x] = color & 0xffffff;
		return;
	}
	a = a * 256 / 127; /* blend with shifts, not divisions */
	for (int x = x0; x <= x1; x++) {
		int d = row[x];
		int dr = gdTrueColorGetRed(d), dg = gdTrueColorGetGreen(d),
		    db = gdTrueColorGetBlue(d);

		row[x] = gdTrueColor(dr + (((r - dr) * a) >> 8), dg + (((g - dg) * a) >> 8),
				     db + (((b - db) * a) >> 8));
	}
}

void pm_rect_fill(struct pm_canvas *c, int x0, int y0, int x1, int y1, int color)
{
	int t;

	if (x0 > x1)
		t = x0, x0 = x1, x1 = t;
	if (y0 > y1)
		t = y0, y0 = y1, y1 = t;
	/* rows written directly, blended when translucent (libgd blends pixel by
	 * pixel through gdImageSetPixel), within the clip */
	for (int y = y0; y <= y1; y++)
		span(c, y, x0, x1, color);
}

/* a filled disc of radius r, blended */
static void disc(struct pm_canvas *c, int x, int y, int r, int color)
{
	for (int dy = -r; dy <= r; dy++) {
		int hw = (int)sqrt((double)r * r + r - (double)dy * dy);

		span(c, y + dy, x - hw, x + hw, color);
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
		disc(c, x, y, r, fill);
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

int pm_text_wrap(struct pm_canvas *c, int x, int y, double pt, unsigned rgb, int w, int line_h,
		 int max_lines, const char *s)
{
	char line[1024];
	int n = 0;

	while (*s && n < max_lines) {
		size_t len = strlen(s), cut = len;

		if (len >= sizeof(line))
			len = cut = sizeof(line) - 1;
		memcpy(line, s, len);
		line[len] = '\0';
		/* the longest start of s, ending at a space, that fits (the last
		 * line takes the rest and shrinks) */
		while (n + 1 < max_lines && cut > 0 && pm_text_w(c, pt, 0, line) > w) {
			while (cut > 0 && s[cut] != ' ')
				cut--;
			if (!cut)
				break;
			line[cut] = '\0';
		}
		if (!cut)
			cut = len;
		line[cut] = '\0';
		{
			double p = pm_fit(c, pt, 7, 0, line, w);

			pm_text(c, x, y + n * line_h, p > 0 ? p : 7, rgb, PM_LEFT, 0, "%s", line);
		}
		n++;
		s += cut;
		while (*s == ' ')
			s++;
	}
	return n;
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
