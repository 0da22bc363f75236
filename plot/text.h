/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Antialiased TrueType text through FreeType with a glyph cache: each glyph
 * of each size is rasterised once (unhinted, 96 dpi as libgd's
 * gdImageStringFT) and blended onto the truecolor image from then on.
 * gdImageStringFT made two FreeType sizes per call (running the font's
 * hinting program for each) and loaded and hinted every glyph twice: about
 * 40% of a small dashboard's time went there (docs/plot.md, "Speed").
 */
#ifndef FRAGMON_PLOT_TEXT_H
#define FRAGMON_PLOT_TEXT_H

#include <gd.h>

struct pm_font;

/* NULL when the file cannot be loaded as a font */
struct pm_font *pm_font_open(const char *path);
void pm_font_close(struct pm_font *f);
/* advance width of UTF-8 s at pt points, pixels */
int pm_font_width(struct pm_font *f, double pt, const char *s);
/* draw s with its baseline at y, starting at x; up: reading upwards, the
 * baseline at x and the text starting at y going up */
void pm_font_draw(struct pm_font *f, gdImagePtr im, double pt, int rgb, int x, int y, const char *s,
		  int up);

#endif
