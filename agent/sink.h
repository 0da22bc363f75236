/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bytes of the output file, plain or gzip (zlib, one gzip member).  A
 * flush makes everything written so far readable from the file: plain, a
 * fflush; gzip, a deflate Z_SYNC_FLUSH (the compressed stream then ends on a
 * byte boundary, so a file cut there inflates to exactly what was written)
 * and a fflush.  fm_sink_end() writes the gzip trailer.  `bytes` counts what
 * reached the FILE: the file's length after a flush.
 */
#ifndef FRAGMON_SINK_H
#define FRAGMON_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct z_stream_s;

struct fm_sink {
	FILE *f;
	struct z_stream_s *z; /* NULL: plain */
	unsigned char *zbuf;
	unsigned char *stage; /* gzip: input gathered for deflate (yajl writes tokens) */
	size_t nstage;
	unsigned long long bytes; /* written to f */
	unsigned long long in;	  /* given to fm_sink_write (uncompressed) */
	bool failed;
	int err; /* errno of the first failure (EIO for a zlib error) */
};

/* 0, or -1 (out of memory) with nothing allocated */
int fm_sink_init(struct fm_sink *s, FILE *f, bool gzip);
/* a sink on f that continues src's compressed stream (src flushed): for a
 * checkpoint file that starts with a copy of src's bytes */
int fm_sink_clone(struct fm_sink *s, const struct fm_sink *src, FILE *f);
void fm_sink_write(struct fm_sink *s, const void *p, size_t len);
/* 0, or -1 once anything failed (s->err) */
int fm_sink_flush(struct fm_sink *s);
/* the end of the stream (gzip trailer) and a fflush; 0 or -1 */
int fm_sink_end(struct fm_sink *s);
/* frees the compressor; does not close f */
void fm_sink_free(struct fm_sink *s);

#endif
