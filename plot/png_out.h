/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PNG encoder: rows converted from libgd's truecolor image and encoded
 * with libpng as they come, written through plot/output.c (atomic for files,
 * direct for stdout, devices and pipes).  An image may be handed over in
 * horizontal bands (pm_png_rows for each), so that the whole picture never has
 * to be in memory at once: dashboards are drawn one panel at a time.
 */
#ifndef FRAGMON_PLOT_PNG_OUT_H
#define FRAGMON_PLOT_PNG_OUT_H

#include <stddef.h>

#include <gd.h>

struct pm_png;

/* w x h pixels to path; NULL with err on failure */
struct pm_png *pm_png_open(const char *path, int w, int h, char *err, size_t cap);
/* rows [y0, y0 + n) of im, the next n rows of the picture */
int pm_png_rows(struct pm_png *p, gdImagePtr im, int y0, int n, char *err, size_t cap);
/* every row given: finish and commit the file (0), or -1 with err (nothing left) */
int pm_png_close(struct pm_png *p, char *err, size_t cap);
void pm_png_abort(struct pm_png *p);
/* all of im at once */
int pm_png_write(gdImagePtr im, const char *path, char *err, size_t cap);

#endif
