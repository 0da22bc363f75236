// SPDX-License-Identifier: GPL-2.0
#include "png_out.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct atomic {
	char *tmp;
	int fd;
};

static int atomic_open(struct atomic *a, const char *path, char *err, size_t cap)
{
	size_t plen = strlen(path);

	a->fd = -1;
	a->tmp = malloc(plen + 16);
	if (!a->tmp) {
		snprintf(err, cap, "out of memory");
		return -1;
	}
	snprintf(a->tmp, plen + 16, "%s.tmp.XXXXXX", path);
	a->fd = mkstemp(a->tmp);
	if (a->fd < 0) {
		snprintf(err, cap, "cannot create a file next to it: %s", strerror(errno));
		free(a->tmp);
		return -1;
	}
	return 0;
}

static void atomic_abort(struct atomic *a)
{
	if (a->fd >= 0)
		close(a->fd);
	unlink(a->tmp);
	free(a->tmp);
}

/* fd already closed by the caller when closed != 0 */
static int atomic_commit(struct atomic *a, const char *path, int closed, char *err, size_t cap)
{
	if (!closed && (fchmod(a->fd, 0644) || fsync(a->fd)))
		goto fail;
	if (!closed && close(a->fd)) {
		a->fd = -1;
		goto fail;
	}
	a->fd = -1;
	if (rename(a->tmp, path))
		goto fail;
	free(a->tmp);
	return 0;
fail:
	snprintf(err, cap, "cannot write: %s", strerror(errno));
	atomic_abort(a);
	return -1;
}

int pm_write_atomic(const char *path, const void *buf, size_t len, char *err, size_t cap)
{
	struct atomic a;
	const char *p = buf;

	if (atomic_open(&a, path, err, cap))
		return -1;
	while (len) {
		ssize_t n = write(a.fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, cap, "cannot write: %s", n ? strerror(errno) : "short write");
			atomic_abort(&a);
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return atomic_commit(&a, path, 0, err, cap);
}

int pm_png_write(gdImagePtr im, const char *path, char *err, size_t cap)
{
	struct atomic a;
	FILE *volatile f = NULL;
	png_structp png = NULL;
	png_infop info = NULL;
	unsigned char *volatile row = NULL;
	int w = gdImageSX(im), h = gdImageSY(im);

	if (atomic_open(&a, path, err, cap))
		return -1;
	f = fdopen(a.fd, "wb");
	row = malloc((size_t)w * 3);
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	if (!f || !row || !info) {
		snprintf(err, cap, "out of memory");
		goto fail;
	}
	if (setjmp(png_jmpbuf(png))) {
		snprintf(err, cap, "cannot write the PNG: %s",
			 errno ? strerror(errno) : "libpng error");
		goto fail;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_compression_level(png, 3);
	png_set_filter(png, 0, PNG_FILTER_SUB);
	png_write_info(png, info);
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			int p = gdImageTrueColorPixel(im, x, y);

			row[3 * x] = (unsigned char)gdTrueColorGetRed(p);
			row[3 * x + 1] = (unsigned char)gdTrueColorGetGreen(p);
			row[3 * x + 2] = (unsigned char)gdTrueColorGetBlue(p);
		}
		png_write_row(png, row);
	}
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	free(row);
	if (fflush(f) || fchmod(fileno(f), 0644) || fsync(fileno(f))) {
		snprintf(err, cap, "cannot write: %s", strerror(errno));
		fclose(f);
		a.fd = -1;
		atomic_abort(&a);
		return -1;
	}
	if (fclose(f)) {
		snprintf(err, cap, "cannot write: %s", strerror(errno));
		a.fd = -1;
		atomic_abort(&a);
		return -1;
	}
	return atomic_commit(&a, path, 1, err, cap);
fail:
	if (png)
		png_destroy_write_struct(&png, info ? &info : NULL);
	free(row);
	if (f) {
		fclose(f);
		a.fd = -1;
	}
	atomic_abort(&a);
	return -1;
}
