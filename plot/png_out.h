/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output files appear atomically: a temporary file in the same directory,
 * fsync, rename; on error the temporary file is removed and nothing is left.
 * PNGs are encoded row by row with libpng (libgd's encoder copies the whole
 * image first, which would double the peak memory).
 */
#ifndef FRAGMON_PLOT_PNG_OUT_H
#define FRAGMON_PLOT_PNG_OUT_H

#include <stddef.h>

#include <gd.h>

int pm_write_atomic(const char *path, const void *buf, size_t len, char *err, size_t cap);
int pm_png_write(gdImagePtr im, const char *path, char *err, size_t cap);

#endif
