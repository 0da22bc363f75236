/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Drawing helpers on top of libgd: antialiased TrueType text (DejaVu Sans,
 * libgd's built-in fonts when no font file is found), colours, nice axis
 * ticks, lines, markers and legends.
 */
#ifndef FRAGMON_PLOT_CANVAS_H
#define FRAGMON_PLOT_CANVAS_H

#include <gd.h>

struct pm_font;

struct pm_canvas {
	gdImagePtr im;
	int w, h;
	int ft; /* TrueType available */
	struct pm_font *font, *bold;
	int title_end; /* right end of the last panel title: legends stay clear of it */
};

struct pm_rect {
	int x, y, w, h;
};

enum pm_align { PM_LEFT, PM_CENTER, PM_RIGHT };
enum pm_shape { PM_CIRCLE, PM_TRIANGLE, PM_SQUARE, PM_LINE, PM_DASH };

struct pm_legend_item {
	const char *label;
	unsigned rgb;
	enum pm_shape shape;
};

int pm_canvas_init(struct pm_canvas *c, int w, int h);
void pm_canvas_free(struct pm_canvas *c);
/* white rows [0, h), no clip: the canvas is ready for the next band */
void pm_canvas_clear(struct pm_canvas *c, int h);
/* the fonts (and their glyph caches) are kept for the next image: free them */
void pm_canvas_shutdown(void);

int pm_rgb(unsigned rgb);
int pm_rgba(unsigned rgb, double alpha); /* alpha 0 = transparent, 1 = opaque */
unsigned pm_mix(unsigned a, unsigned b, double t);
int pm_is_dark(unsigned rgb);

/* text centred vertically on y; returns its width in pixels */
int pm_text(struct pm_canvas *c, int x, int y, double pt, unsigned rgb, enum pm_align al, int bold,
	    const char *fmt, ...) __attribute__((format(printf, 8, 9)));
int pm_text_w(struct pm_canvas *c, double pt, int bold, const char *s);
/* vertical text reading upwards, centred on (x, y) */
void pm_text_up(struct pm_canvas *c, int x, int y, double pt, unsigned rgb, const char *s);
/* s in lines of at most w pixels, broken at spaces, from y down by line_h;
 * at most max_lines (the last one shrunk to fit, down to 7 pt); returns the
 * lines drawn */
int pm_text_wrap(struct pm_canvas *c, int x, int y, double pt, unsigned rgb, int w, int line_h,
		 int max_lines, const char *s);
/* the largest size <= pt at which s fits in width w, 0 if none >= min */
double pm_fit(struct pm_canvas *c, double pt, double min, int bold, const char *s, int w);

/* the smallest step of 1, 2, 2.5 or 5 x 10^k giving at most max_ticks
 * intervals over range */
double pm_nice_step(double range, int max_ticks);
/* one number format for every tick of an axis: a k or M suffix chosen from the
 * axis' largest value, as many decimals as the step needs (2.5 shows as 2.5,
 * then 5.0, 7.5: the same number of decimals on every tick) */
struct pm_axfmt {
	double div;
	const char *suffix;
	int decimals;
};
struct pm_axfmt pm_axis_format(double maxabs, double step);
void pm_axis_label(const struct pm_axfmt *f, double v, char *buf, size_t cap);
/* a single value with the decimals its own size needs ("12", "0.5", "1.2k") */
void pm_fmt_num(double v, double step, char *buf, size_t cap);

void pm_rect_fill(struct pm_canvas *c, int x0, int y0, int x1, int y1, int color);
void pm_rect_line(struct pm_canvas *c, int x0, int y0, int x1, int y1, int color);
void pm_line(struct pm_canvas *c, int x0, int y0, int x1, int y1, int color, int thick, int dashed);
void pm_marker(struct pm_canvas *c, int x, int y, int r, enum pm_shape s, int fill, int edge);

/* legend laid out right-to-left ending at x_right; returns its left edge */
int pm_legend(struct pm_canvas *c, int x_right, int y, double pt,
	      const struct pm_legend_item *items, int n);

/* panel frame: title at the top left of r, returns the y below the title row */
int pm_panel_title(struct pm_canvas *c, struct pm_rect r, const char *title, const char *sub);
/* centred message in a rectangle (absent data) */
void pm_note(struct pm_canvas *c, struct pm_rect r, const char *msg);

#endif
