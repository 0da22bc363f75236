/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PNG encoder: rows converted from libgd's truecolor image and encoded
 * with libpng one at a time (libgd's own encoder copies the whole image
 * first, which would double the peak memory), written through plot/output.c
 * (atomic for files, direct for stdout, devices and pipes).
 */
#ifndef FRAGMON_PLOT_PNG_OUT_H
#define FRAGMON_PLOT_PNG_OUT_H

#include <stddef.h>

#include <gd.h>

int pm_png_write(gdImagePtr im, const char *path, char *err, size_t cap);

#endif
