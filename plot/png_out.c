// SPDX-License-Identifier: GPL-2.0
#include "png_out.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

struct sink {
	struct pm_out out;
	char err[256];
	int failed;
	unsigned char buf[1 << 16];
	size_t n;
};

static void flush_buf(struct sink *s)
{
	if (s->n && !s->failed && pm_out_write(&s->out, s->buf, s->n, s->err, sizeof(s->err)))
		s->failed = 1;
	s->n = 0;
}

static void write_cb(png_structp png, png_bytep data, png_size_t len)
{
	struct sink *s = png_get_io_ptr(png);

	while (len && !s->failed) {
		size_t k = sizeof(s->buf) - s->n < len ? sizeof(s->buf) - s->n : len;

		memcpy(s->buf + s->n, data, k);
		s->n += k;
		data += k;
		len -= k;
		if (s->n == sizeof(s->buf))
			flush_buf(s);
	}
	if (s->failed)
		png_error(png, s->err);
}

static void flush_cb(png_structp png)
{
	(void)png;
}

int pm_png_write(gdImagePtr im, const char *path, char *err, size_t cap)
{
	struct sink *volatile s = calloc(1, sizeof(*s));
	png_structp png = NULL;
	png_infop info = NULL;
	unsigned char *volatile row = NULL;
	int w = gdImageSX(im), h = gdImageSY(im);

	if (!s) {
		snprintf(err, cap, "out of memory");
		return -1;
	}
	if (pm_out_open(&s->out, path, err, cap)) {
		free(s);
		return -1;
	}
	row = malloc((size_t)w * 3);
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	if (!row || !info) {
		snprintf(err, cap, "out of memory");
		goto fail;
	}
	if (setjmp(png_jmpbuf(png))) {
		snprintf(err, cap, "%s",
			 s->failed ? s->err : "cannot encode the PNG (libpng error)");
		goto fail;
	}
	png_set_write_fn(png, s, write_cb, flush_cb);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_compression_level(png, 3);
	png_set_filter(png, 0, PNG_FILTER_SUB);
	png_write_info(png, info);
	for (int y = 0; y < h; y++) {
		const int *px = im->tpixels[y];

		for (int x = 0; x < w; x++) {
			row[3 * x] = (unsigned char)gdTrueColorGetRed(px[x]);
			row[3 * x + 1] = (unsigned char)gdTrueColorGetGreen(px[x]);
			row[3 * x + 2] = (unsigned char)gdTrueColorGetBlue(px[x]);
		}
		png_write_row(png, row);
	}
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	free(row);
	flush_buf(s);
	if (s->failed) {
		snprintf(err, cap, "%s", s->err);
		pm_out_abort(&s->out);
		free(s);
		return -1;
	}
	if (pm_out_commit(&s->out, err, cap)) {
		free(s);
		return -1;
	}
	free(s);
	return 0;
fail:
	if (png)
		png_destroy_write_struct(&png, info ? &info : NULL);
	free(row);
	pm_out_abort(&s->out);
	free(s);
	return -1;
}
