// SPDX-License-Identifier: GPL-2.0
#include "png_out.h"

#include <png.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

/*
 * Rows go through a ring of RGB rows to a writer thread that runs libpng and
 * zlib while the caller draws the next band (compression was about half of a
 * dashboard's drawing time).  The ring holds as many rows as the tallest band
 * handed over so far; without a thread (pthread_create failing) rows are
 * encoded in the caller.
 */
struct pm_png {
	struct pm_out out;
	png_structp png;
	png_infop info;
	int w, h;
	int given, done; /* rows handed over, rows encoded */
	int failed;	 /* set by the writer; read under the lock */
	char err[256];
	/* the ring */
	unsigned char *ring;
	int cap; /* rows */
	pthread_t thread;
	int threaded, closing;
	pthread_mutex_t lock;
	pthread_cond_t more, room;
	/* what libpng writes, buffered */
	size_t n;
	unsigned char buf[1 << 16];
};

static void flush_buf(struct pm_png *p)
{
	if (p->n && !p->failed && pm_out_write(&p->out, p->buf, p->n, p->err, sizeof(p->err)))
		p->failed = 1;
	p->n = 0;
}

static void write_cb(png_structp png, png_bytep data, png_size_t len)
{
	struct pm_png *p = png_get_io_ptr(png);

	while (len && !p->failed) {
		size_t k = sizeof(p->buf) - p->n < len ? sizeof(p->buf) - p->n : len;

		memcpy(p->buf + p->n, data, k);
		p->n += k;
		data += k;
		len -= k;
		if (p->n == sizeof(p->buf))
			flush_buf(p);
	}
	if (p->failed)
		png_error(png, p->err);
}

static void flush_cb(png_structp png)
{
	(void)png;
}

/* libpng's own handlers print to stderr; the caller reports the error once */
static void error_cb(png_structp png, png_const_charp msg)
{
	struct pm_png *p = png_get_error_ptr(png);

	if (!p->err[0])
		snprintf(p->err, sizeof(p->err), "cannot encode the PNG: %s", msg);
	png_longjmp(png, 1);
}

static void warning_cb(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/* encode ring rows [from, to) (row numbers of the picture); libpng errors
 * long-jump back here */
static int encode(struct pm_png *p, int from, int to)
{
	if (setjmp(png_jmpbuf(p->png)))
		return -1;
	for (int y = from; y < to; y++)
		png_write_row(p->png, p->ring + (size_t)(y % p->cap) * (size_t)p->w * 3);
	return 0;
}

static void *writer(void *arg)
{
	struct pm_png *p = arg;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		int from = p->done, to = p->given;

		if (from == to) {
			if (p->closing)
				break;
			pthread_cond_wait(&p->more, &p->lock);
			continue;
		}
		pthread_mutex_unlock(&p->lock);
		if (encode(p, from, to)) {
			pthread_mutex_lock(&p->lock);
			p->failed = 1;
			if (!p->err[0])
				snprintf(p->err, sizeof(p->err),
					 "cannot encode the PNG (libpng error)");
			p->done = p->given;
			pthread_cond_broadcast(&p->room);
			break;
		}
		pthread_mutex_lock(&p->lock);
		p->done = to;
		pthread_cond_broadcast(&p->room);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static void stop_writer(struct pm_png *p)
{
	if (!p->threaded)
		return;
	pthread_mutex_lock(&p->lock);
	p->closing = 1;
	pthread_cond_signal(&p->more);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	p->threaded = 0;
}

void pm_png_abort(struct pm_png *p)
{
	if (!p)
		return;
	stop_writer(p);
	if (p->png)
		png_destroy_write_struct(&p->png, p->info ? &p->info : NULL);
	pm_out_abort(&p->out);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->more);
	pthread_cond_destroy(&p->room);
	free(p->ring);
	free(p);
}

/* the header; libpng errors long-jump back here */
static int start(struct pm_png *p)
{
	if (setjmp(png_jmpbuf(p->png)))
		return -1;
	png_set_write_fn(p->png, p, write_cb, flush_cb);
	png_set_IHDR(p->png, p->info, (png_uint_32)p->w, (png_uint_32)p->h, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	/* a dashboard is mostly flat colour: the "up" filter turns repeated rows into
	 * zeros and zlib's fastest level does the rest (docs/plot.md, "Speed") */
	png_set_compression_level(p->png, 1);
	png_set_filter(p->png, 0, PNG_FILTER_UP);
	png_write_info(p->png, p->info);
	return 0;
}

struct pm_png *pm_png_open(const char *path, int w, int h, char *err, size_t cap)
{
	struct pm_png *p = calloc(1, sizeof(*p));

	if (!p) {
		snprintf(err, cap, "out of memory");
		return NULL;
	}
	p->w = w;
	p->h = h;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->more, NULL);
	pthread_cond_init(&p->room, NULL);
	if (pm_out_open(&p->out, path, err, cap)) {
		p->out.fd = -1;
		pm_png_abort(p);
		return NULL;
	}
	p->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, p, error_cb, warning_cb);
	p->info = p->png ? png_create_info_struct(p->png) : NULL;
	if (!p->info) {
		snprintf(err, cap, "out of memory");
		pm_png_abort(p);
		return NULL;
	}
	if (start(p)) {
		snprintf(err, cap, "%s",
			 p->failed ? p->err : "cannot encode the PNG (libpng error)");
		pm_png_abort(p);
		return NULL;
	}
	return p;
}

/* room for n more rows in the ring: grown while nothing is in flight */
static int ring_room(struct pm_png *p, int n)
{
	if (n > p->cap) {
		unsigned char *r;

		stop_writer(p); /* drains it: the ring is empty */
		r = realloc(p->ring, (size_t)n * (size_t)p->w * 3);
		if (!r)
			return -1;
		p->ring = r;
		p->cap = n;
		p->closing = 0; /* before the writer starts: it would stop at once */
		p->threaded = !pthread_create(&p->thread, NULL, writer, p);
	}
	return 0;
}

int pm_png_rows(struct pm_png *p, gdImagePtr im, int y0, int n, char *err, size_t cap)
{
	int w = p->w < gdImageSX(im) ? p->w : gdImageSX(im);

	if (n > p->h - p->given)
		n = p->h - p->given;
	if (n <= 0)
		return 0;
	if (ring_room(p, n)) {
		snprintf(err, cap, "out of memory");
		return -1;
	}
	for (int y = y0; y < y0 + n; y++) {
		unsigned char *o;
		const int *px = im->tpixels[y];

		pthread_mutex_lock(&p->lock);
		while (p->threaded && p->given - p->done >= p->cap && !p->failed)
			pthread_cond_wait(&p->room, &p->lock);
		if (p->failed) {
			snprintf(err, cap, "%s", p->err);
			pthread_mutex_unlock(&p->lock);
			return -1;
		}
		pthread_mutex_unlock(&p->lock);
		o = p->ring + (size_t)(p->given % p->cap) * (size_t)p->w * 3;
		for (int x = 0; x < w; x++, o += 3) {
			int c = px[x];

			o[0] = (unsigned char)(c >> 16);
			o[1] = (unsigned char)(c >> 8);
			o[2] = (unsigned char)c;
		}
		pthread_mutex_lock(&p->lock);
		p->given++;
		pthread_mutex_unlock(&p->lock);
		if (!p->threaded && encode(p, p->given - 1, p->given)) {
			snprintf(err, cap, "%s", p->failed ? p->err : "cannot encode the PNG");
			return -1;
		}
	}
	if (!p->threaded)
		p->done = p->given;
	pthread_mutex_lock(&p->lock);
	pthread_cond_signal(&p->more);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

/* the end of the stream; libpng errors long-jump back here */
static int finish(struct pm_png *p)
{
	if (setjmp(png_jmpbuf(p->png)))
		return -1;
	png_write_end(p->png, p->info);
	return 0;
}

int pm_png_close(struct pm_png *p, char *err, size_t cap)
{
	int ret;

	stop_writer(p);
	if (p->failed || p->given != p->h || finish(p)) {
		if (p->failed)
			snprintf(err, cap, "%s", p->err);
		else if (p->given != p->h)
			snprintf(err, cap, "%d rows of %d drawn", p->given, p->h);
		else
			snprintf(err, cap, "cannot encode the PNG (libpng error)");
		pm_png_abort(p);
		return -1;
	}
	png_destroy_write_struct(&p->png, &p->info);
	flush_buf(p);
	if (p->failed) {
		snprintf(err, cap, "%s", p->err);
		pm_png_abort(p);
		return -1;
	}
	ret = pm_out_commit(&p->out, err, cap);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->more);
	pthread_cond_destroy(&p->room);
	free(p->ring);
	free(p);
	return ret;
}

int pm_png_write(gdImagePtr im, const char *path, char *err, size_t cap)
{
	struct pm_png *p = pm_png_open(path, gdImageSX(im), gdImageSY(im), err, cap);

	if (!p)
		return -1;
	if (pm_png_rows(p, im, 0, gdImageSY(im), err, cap)) {
		pm_png_abort(p);
		return -1;
	}
	return pm_png_close(p, err, cap);
}
