// SPDX-License-Identifier: GPL-2.0
#include "gunzip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#define OUT (1 << 18)

struct pm_gunzip {
	struct pm_reader *rd;
	int mode; /* 0 undecided, 1 plain, 2 gzip, 3 gzip ended */
	unsigned char head[2];
	size_t nhead;
	z_stream z;
	unsigned char *out;
	char err[512];
};

struct pm_gunzip *pm_gunzip_new(struct pm_reader *rd)
{
	struct pm_gunzip *g = calloc(1, sizeof(*g));

	if (g)
		g->rd = rd;
	return g;
}

void pm_gunzip_free(struct pm_gunzip *g)
{
	if (!g)
		return;
	if (g->mode >= 2)
		inflateEnd(&g->z);
	free(g->out);
	free(g);
}

const char *pm_gunzip_error(struct pm_gunzip *g)
{
	if (!g->err[0])
		snprintf(g->err, sizeof(g->err), "%s%s", g->mode >= 2 ? "decompressed " : "",
			 pm_reader_error(g->rd));
	return g->err;
}

static int inflate_some(struct pm_gunzip *g, const unsigned char *p, size_t len)
{
	g->z.next_in = (unsigned char *)p;
	g->z.avail_in = (uInt)len;
	while (g->mode == 2 && (g->z.avail_in || len == 0)) {
		int zr, rc;

		g->z.next_out = g->out;
		g->z.avail_out = OUT;
		zr = inflate(&g->z, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
			snprintf(g->err, sizeof(g->err),
				 "gzip: byte %lu of the compressed input: %s", g->z.total_in,
				 g->z.msg ? g->z.msg : "corrupt data");
			return -1;
		}
		rc = pm_reader_feed(g->rd, g->out, OUT - g->z.avail_out);
		if (rc)
			return rc;
		if (zr == Z_STREAM_END)
			g->mode = 3; /* trailing bytes after the stream are ignored */
		if (zr == Z_BUF_ERROR || len == 0)
			break;
	}
	return 0;
}

int pm_gunzip_feed(struct pm_gunzip *g, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	if (g->mode == 0) {
		/* decide on the first two bytes, which may come in separate chunks */
		while (len && g->nhead < 2) {
			g->head[g->nhead++] = *p++;
			len--;
		}
		if (g->nhead < 2)
			return 0;
		if (g->head[0] == 0x1f && g->head[1] == 0x8b) {
			g->out = malloc(OUT);
			if (!g->out || inflateInit2(&g->z, 16 + MAX_WBITS) != Z_OK) {
				snprintf(g->err, sizeof(g->err), "out of memory");
				return -1;
			}
			g->mode = 2;
			{
				int rc = inflate_some(g, g->head, 2);

				if (rc)
					return rc;
			}
		} else {
			int rc;

			g->mode = 1;
			rc = pm_reader_feed(g->rd, g->head, 2);
			if (rc)
				return rc;
		}
	}
	if (!len)
		return 0;
	if (g->mode == 1)
		return pm_reader_feed(g->rd, p, len);
	if (g->mode == 2)
		return inflate_some(g, p, len);
	return 0;
}

int pm_gunzip_finish(struct pm_gunzip *g)
{
	/* one byte of input: it is what it is */
	if (g->mode == 0 && g->nhead) {
		g->mode = 1;
		return pm_reader_feed(g->rd, g->head, g->nhead);
	}
	return 0;
}
