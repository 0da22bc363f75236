/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Streams the output file: `fragmentation_data.json.partial` is a valid JSON
 * prefix while the run goes on (one event per line, readable up to the last
 * fm_writer_flush(), which the agent calls every 0.5 s); finishing closes
 * it, fsyncs and renames it to `fragmentation_data.json`.  Checkpoints copy
 * it to a complete `fragmentation_data.checkpoint.json`.  With gzip the
 * names end in .json.gz (.json.gz.partial) and the bytes are one gzip stream
 * (agent/sink.c), sync-flushed at each flush.  Nothing is ever written under
 * a final name except by rename.
 */
#ifndef FRAGMON_WRITER_H
#define FRAGMON_WRITER_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <yajl/yajl_gen.h>

#include "sink.h"

#define FM_FINAL_NAME "fragmentation_data.json"
#define FM_PARTIAL_NAME "fragmentation_data.json.partial"
#define FM_CHECKPOINT_NAME "fragmentation_data.checkpoint.json"
#define FM_GZ ".gz" /* added to the three names with gzip */

struct fm_writer {
	char dir[PATH_MAX];
	char partial[PATH_MAX];
	char final[PATH_MAX];
	char ckpt[PATH_MAX];
	int dirfd;
	FILE *f;
	struct fm_sink sink; /* on f: plain or gzip; sink.bytes = the partial file's length */
	yajl_gen g;
	unsigned long long cap; /* 0 = none; of the file's bytes (compressed with gzip) */
	bool capped;
	bool failed;
	int err; /* errno of the first write failure */
	unsigned long long nwritten, ncapped;
	bool first;
	bool removed; /* the partial file (or its directory) was removed under us */
};

/* mkdir -p path (0755).  Returns 0 or -1 (errno set). */
int fm_mkdir_p(const char *path);

/* A writer that owns nothing yet (fm_writer_close() is then a no-op). */
void fm_writer_init(struct fm_writer *w);

/* fn builds one complete JSON object with g */
typedef void (*fm_json_fn)(yajl_gen g, void *ctx);

/*
 * Create the partial file in dir (which must exist) and write the header:
 * header() builds {"run": {...}}.  gzip: write the .gz names, compressed.
 * Returns 0 or -1 with a message in err; on failure nothing is left open
 * and no partial file is left behind.
 */
int fm_writer_open(struct fm_writer *w, const char *dir, unsigned long long cap, bool gzip,
		   fm_json_fn header, void *ctx, char *err, size_t errlen);

/* Start one event: returns the generator, or NULL when capped or failed
 * (the event is then counted in ncapped or dropped after a write error). */
yajl_gen fm_writer_event_begin(struct fm_writer *w);
void fm_writer_event_end(struct fm_writer *w);

/*
 * Write out what is buffered.  Returns 0, or -1 after a write error (w->err).
 * Notices when the partial file was removed (w->removed): the data is still
 * in the open file, and fm_writer_finish() writes it out again.
 */
int fm_writer_flush(struct fm_writer *w);

/*
 * tail() builds {"statistics": {...}, "metadata": {...}}.  The file is
 * closed, fsynced and renamed to its final name; if it was removed under
 * us, its directory is made again and the whole file rewritten there first.
 * Returns 0; 1 when only the directory's fsync failed (err says so: the file
 * is complete, the rename may not survive a crash); -1 on failure (err).
 */
int fm_writer_finish(struct fm_writer *w, fm_json_fn tail, void *ctx, char *err, size_t errlen);
/* A complete copy under FM_CHECKPOINT_NAME; returns as fm_writer_finish(). */
int fm_writer_checkpoint(struct fm_writer *w, fm_json_fn tail, void *ctx, char *err, size_t errlen);
void fm_writer_close(struct fm_writer *w);

#endif
