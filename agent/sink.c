// SPDX-License-Identifier: GPL-2.0
#include "sink.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define ZBUF (1 << 16)
#define STAGE (1 << 16)
/* zlib's level 6 (its default): see docs/size.md for level 1's figures */
#define LEVEL Z_DEFAULT_COMPRESSION

static void fail(struct fm_sink *s, int err)
{
	if (!s->failed) {
		s->failed = true;
		s->err = err ? err : EIO;
	}
}

static void put(struct fm_sink *s, const void *p, size_t len)
{
	if (s->failed || !len)
		return;
	errno = 0;
	if (fwrite(p, 1, len, s->f) != len)
		fail(s, errno);
	else
		s->bytes += len;
}

static void release(struct fm_sink *s)
{
	free(s->z);
	free(s->zbuf);
	free(s->stage);
	s->z = NULL;
	s->zbuf = s->stage = NULL;
}

static int alloc(struct fm_sink *s)
{
	s->z = calloc(1, sizeof(*s->z));
	s->zbuf = malloc(ZBUF);
	s->stage = malloc(STAGE);
	if (!s->z || !s->zbuf || !s->stage) {
		release(s);
		return -1;
	}
	return 0;
}

int fm_sink_init(struct fm_sink *s, FILE *f, bool gzip)
{
	memset(s, 0, sizeof(*s));
	s->f = f;
	if (!gzip)
		return 0;
	if (alloc(s))
		return -1;
	/* 16 + 15: a gzip header and trailer around a 32 KiB-window deflate stream */
	if (deflateInit2(s->z, LEVEL, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		release(s);
		return -1;
	}
	return 0;
}

int fm_sink_clone(struct fm_sink *s, const struct fm_sink *src, FILE *f)
{
	memset(s, 0, sizeof(*s));
	s->f = f;
	s->in = src->in;
	if (!src->z)
		return 0;
	if (alloc(s))
		return -1;
	if (deflateCopy(s->z, src->z) != Z_OK) {
		release(s);
		return -1;
	}
	memcpy(s->stage, src->stage, src->nstage);
	s->nstage = src->nstage;
	return 0;
}

/* run deflate over what is given (or pending) with flush mode how */
static void deflate_out(struct fm_sink *s, const void *p, size_t len, int how)
{
	s->z->next_in = (Bytef *)p;
	s->z->avail_in = (uInt)len;
	for (;;) {
		int zr;

		s->z->next_out = s->zbuf;
		s->z->avail_out = ZBUF;
		zr = deflate(s->z, how);
		if (zr == Z_STREAM_ERROR) {
			fail(s, EIO);
			return;
		}
		put(s, s->zbuf, ZBUF - s->z->avail_out);
		if (s->failed || zr == Z_STREAM_END)
			return;
		/* output room left over: deflate has taken all it can for now */
		if (s->z->avail_out && !s->z->avail_in)
			return;
	}
}

/* the staged input through deflate */
static void drain(struct fm_sink *s, int how)
{
	deflate_out(s, s->stage, s->nstage, how);
	s->nstage = 0;
}

void fm_sink_write(struct fm_sink *s, const void *p, size_t len)
{
	if (s->failed)
		return;
	s->in += len;
	if (!s->z) {
		put(s, p, len);
		return;
	}
	while (len && !s->failed) {
		size_t n = STAGE - s->nstage;

		if (n > len)
			n = len;
		memcpy(s->stage + s->nstage, p, n);
		s->nstage += n;
		p = (const char *)p + n;
		len -= n;
		if (s->nstage == STAGE)
			drain(s, Z_NO_FLUSH);
	}
}

int fm_sink_flush(struct fm_sink *s)
{
	if (!s->failed && s->z)
		drain(s, Z_SYNC_FLUSH);
	errno = 0;
	if (!s->failed && fflush(s->f))
		fail(s, errno);
	return s->failed ? -1 : 0;
}

int fm_sink_end(struct fm_sink *s)
{
	if (!s->failed && s->z)
		drain(s, Z_FINISH);
	errno = 0;
	if (!s->failed && fflush(s->f))
		fail(s, errno);
	return s->failed ? -1 : 0;
}

void fm_sink_free(struct fm_sink *s)
{
	if (s->z)
		deflateEnd(s->z);
	release(s);
}
