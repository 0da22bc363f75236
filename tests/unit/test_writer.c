// SPDX-License-Identifier: GPL-2.0
/*
 * agent/writer.c and agent/sink.c, plain and gzip, in a temporary directory:
 * the partial file is a valid JSON prefix holding every event written before
 * each flush (gzip: inflated from a stream without its end); finish renames
 * a complete file into place; checkpoints are complete copies and the run
 * goes on; an earlier run's partial file is kept aside byte for byte; a
 * partial file removed under the writer is written again at the end; the
 * cap counts the file's bytes (compressed with gzip).
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>
#include <zlib.h>

#include "unit.h"
#include "writer.h"

struct buf {
	char *p;
	size_t n;
};

static void header(yajl_gen g, void *ctx)
{
	(void)ctx;
	yajl_gen_map_open(g);
	yajl_gen_string(g, (const unsigned char *)"run", 3);
	yajl_gen_map_open(g);
	yajl_gen_string(g, (const unsigned char *)"format", 6);
	yajl_gen_string(g, (const unsigned char *)"fragmon", 7);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
}

/* ctx: the metadata's "complete" */
static void tail(yajl_gen g, void *ctx)
{
	yajl_gen_map_open(g);
	yajl_gen_string(g, (const unsigned char *)"statistics", 10);
	yajl_gen_map_open(g);
	yajl_gen_map_close(g);
	yajl_gen_string(g, (const unsigned char *)"metadata", 8);
	yajl_gen_map_open(g);
	yajl_gen_string(g, (const unsigned char *)"complete", 8);
	yajl_gen_bool(g, *(int *)ctx);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
}

/* one event: i, and a comm that compresses like real ones (a few names) */
static int event(struct fm_writer *w, int i)
{
	static const char *const comms[] = {"kworker/u8:2", "fio", "xfs_io", "kcompactd0"};
	const char *c = comms[(i * 7) % 4];
	yajl_gen g = fm_writer_event_begin(w);

	if (!g)
		return -1;
	yajl_gen_map_open(g);
	yajl_gen_string(g, (const unsigned char *)"timestamp", 9);
	yajl_gen_double(g, i * 0.001);
	yajl_gen_string(g, (const unsigned char *)"event_type", 10);
	yajl_gen_string(g, (const unsigned char *)"extfrag", 7);
	yajl_gen_string(g, (const unsigned char *)"pfn", 3);
	yajl_gen_integer(g, (long long)(i * 2654435761u % 1000003));
	yajl_gen_string(g, (const unsigned char *)"comm", 4);
	yajl_gen_string(g, (const unsigned char *)c, strlen(c));
	yajl_gen_map_close(g);
	fm_writer_event_end(w);
	return 0;
}

static int read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;

	b->p = NULL;
	b->n = 0;
	if (!f)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		char *p = realloc(b->p, b->n + n + 1);

		if (!p)
			break;
		b->p = p;
		memcpy(b->p + b->n, chunk, n);
		b->n += n;
		b->p[b->n] = '\0';
	}
	fclose(f);
	return b->p ? 0 : -1;
}

/* inflate a gzip file's bytes into out; *ended: the stream's end (trailer
 * checked by zlib) was reached, with nothing after it */
static int gunzip(const struct buf *in, struct buf *out, int *ended)
{
	z_stream z = {0};
	int zr = Z_OK;

	out->n = 0;
	out->p = malloc(1 << 20);
	if (!out->p || inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return -1;
	z.next_in = (Bytef *)in->p;
	z.avail_in = (uInt)in->n;
	size_t cap = 1 << 20;
	while (zr == Z_OK) {
		if (cap - out->n < 65536) {
			char *p = realloc(out->p, cap *= 2);

			if (!p)
				break;
			out->p = p;
		}
		z.next_out = (Bytef *)out->p + out->n;
		z.avail_out = (uInt)(cap - out->n - 1);
		zr = inflate(&z, Z_NO_FLUSH);
		out->n = cap - 1 - z.avail_out;
		if (zr == Z_BUF_ERROR && !z.avail_in)
			break; /* the input ends here: a cut stream */
	}
	out->p[out->n] = '\0';
	*ended = zr == Z_STREAM_END && z.avail_in == 0;
	inflateEnd(&z);
	return zr == Z_OK || zr == Z_STREAM_END || zr == Z_BUF_ERROR ? 0 : -1;
}

/* the JSON text in path (inflated when gzip) */
static int json_of(const char *path, int gzip, struct buf *out, int *ended)
{
	struct buf raw;
	int rc;

	*ended = 1;
	if (read_file(path, &raw))
		return -1;
	if (!gzip) {
		*out = raw;
		return 0;
	}
	rc = gunzip(&raw, out, ended);
	free(raw.p);
	return rc;
}

/* events in a complete JSON text, -1 if it is not one */
static int count_events(const char *text)
{
	char err[256];
	yajl_val v = yajl_tree_parse(text, err, sizeof(err));
	const char *path[] = {"events", NULL};
	yajl_val ev;
	int n = -1;

	if (!v)
		return -1;
	ev = yajl_tree_get(v, path, yajl_t_array);
	if (ev)
		n = (int)YAJL_GET_ARRAY(ev)->len;
	yajl_tree_free(v);
	return n;
}

/* the partial file closed by "]}": complete JSON with exactly n events */
static void check_prefix(const char *path, int gzip, int n, const char *what)
{
	struct buf b;
	int ended, got;

	if (json_of(path, gzip, &b, &ended)) {
		ut_fail(__FILE__, __LINE__, "%s: cannot read %s", what, path);
		return;
	}
	UT_CHECK(!gzip || !ended, "%s: the partial file's gzip stream has an end", what);
	UT_CHECK(count_events(b.p) < 0, "%s: the partial file is already complete JSON", what);
	{
		char *closed = malloc(b.n + 4);

		memcpy(closed, b.p, b.n);
		memcpy(closed + b.n, "]}", 3);
		got = count_events(closed);
		free(closed);
	}
	free(b.p);
	UT_EQ_LL(got, n, what);
}

static char *tmpdir(void)
{
	char tmpl[] = "/tmp/fragmon-unit-writer.XXXXXX";
	char *d = mkdtemp(tmpl);

	return d ? strdup(d) : NULL;
}

static void rm_rf(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", dir);
}

static int exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

static void prefix_at_every_flush(int gzip)
{
	struct fm_writer w;
	char err[512], *d = tmpdir();
	int i, complete = 1;

	UT_CHECK(d != NULL, "mkdtemp");
	if (!d)
		return;
	UT_EQ_LL(fm_writer_open(&w, d, 0, gzip, header, NULL, err, sizeof(err)), 0, err);
	UT_CHECK(strstr(w.partial, gzip ? ".json.gz.partial" : ".json.partial") != NULL, "%s",
		 w.partial);
	/* right after open: the header and an empty array */
	check_prefix(w.partial, gzip, 0, "after open");
	for (i = 1; i <= 5000; i++) {
		event(&w, i);
		/* flushes at uneven intervals, once after a single event */
		if (i == 1 || i % 997 == 0 || i == 5000) {
			char what[64];

			UT_EQ_LL(fm_writer_flush(&w), 0, "flush");
			snprintf(what, sizeof(what), "%s prefix after %d events",
				 gzip ? "gzip" : "plain", i);
			check_prefix(w.partial, gzip, i, what);
		}
	}
	UT_EQ_LL(fm_writer_finish(&w, tail, &complete, err, sizeof(err)), 0, err);
	UT_CHECK(!exists(w.partial), "%s left after finish", w.partial);
	{
		struct buf b;
		int ended;

		UT_EQ_LL(json_of(w.final, gzip, &b, &ended), 0, "read the final file");
		UT_CHECK(ended, "the final gzip stream is complete");
		UT_EQ_LL(count_events(b.p), 5000, "events in the final file");
		UT_CHECK(strstr(b.p, "\"complete\":true") != NULL, "metadata written last");
		free(b.p);
	}
	fm_writer_close(&w);
	rm_rf(d);
	free(d);
}

static void test_prefix_plain(void)
{
	prefix_at_every_flush(0);
}

static void test_prefix_gzip(void)
{
	prefix_at_every_flush(1);
}

/* the same events plain and gzip: gunzip gives the plain file's bytes */
static void test_gzip_equals_plain(void)
{
	char err[512], *d[2] = {tmpdir(), tmpdir()};
	struct buf b[2];
	int ended, complete = 1;

	for (int z = 0; z < 2; z++) {
		struct fm_writer w;

		UT_EQ_LL(fm_writer_open(&w, d[z], 0, z, header, NULL, err, sizeof(err)), 0, err);
		for (int i = 0; i < 20000; i++) {
			event(&w, i);
			if (i % 3000 == 0)
				fm_writer_flush(&w);
		}
		UT_EQ_LL(fm_writer_finish(&w, tail, &complete, err, sizeof(err)), 0, err);
		UT_EQ_LL(json_of(w.final, z, &b[z], &ended), 0, "read");
		UT_CHECK(ended, "complete stream");
		fm_writer_close(&w);
	}
	UT_EQ_LL(b[1].n, b[0].n, "inflated length = plain length");
	UT_CHECK(b[0].n == b[1].n && !memcmp(b[0].p, b[1].p, b[0].n),
		 "inflated bytes = plain bytes");
	for (int z = 0; z < 2; z++) {
		free(b[z].p);
		rm_rf(d[z]);
		free(d[z]);
	}
}

static void checkpoint(int gzip)
{
	struct fm_writer w;
	char err[512], *d = tmpdir();
	int complete = 0, done = 1, ended;
	struct buf b;

	UT_EQ_LL(fm_writer_open(&w, d, 0, gzip, header, NULL, err, sizeof(err)), 0, err);
	for (int i = 0; i < 1500; i++)
		event(&w, i);
	UT_EQ_LL(fm_writer_checkpoint(&w, tail, &complete, err, sizeof(err)), 0, err);
	UT_CHECK(strstr(w.ckpt, gzip ? ".checkpoint.json.gz" : ".checkpoint.json") != NULL, "%s",
		 w.ckpt);
	UT_EQ_LL(json_of(w.ckpt, gzip, &b, &ended), 0, "read the checkpoint");
	UT_CHECK(ended, "the checkpoint's gzip stream is complete");
	UT_EQ_LL(count_events(b.p), 1500, "events in the checkpoint");
	UT_CHECK(strstr(b.p, "\"complete\":false") != NULL, "the checkpoint says incomplete");
	free(b.p);
	/* the run goes on: the partial file is still a prefix, then a second checkpoint */
	for (int i = 1500; i < 4000; i++)
		event(&w, i);
	fm_writer_flush(&w);
	check_prefix(w.partial, gzip, 4000, "prefix after a checkpoint");
	UT_EQ_LL(fm_writer_checkpoint(&w, tail, &complete, err, sizeof(err)), 0, err);
	UT_EQ_LL(json_of(w.ckpt, gzip, &b, &ended), 0, "read the second checkpoint");
	UT_EQ_LL(count_events(b.p), 4000, "events in the second checkpoint");
	free(b.p);
	UT_EQ_LL(fm_writer_finish(&w, tail, &done, err, sizeof(err)), 0, err);
	UT_EQ_LL(json_of(w.final, gzip, &b, &ended), 0, "read the final file");
	UT_CHECK(ended, "complete stream");
	UT_EQ_LL(count_events(b.p), 4000, "events in the final file");
	free(b.p);
	UT_CHECK(!exists(w.partial), "no partial left");
	fm_writer_close(&w);
	rm_rf(d);
	free(d);
}

static void test_checkpoint_plain(void)
{
	checkpoint(0);
}

static void test_checkpoint_gzip(void)
{
	checkpoint(1);
}

/* an earlier run's partial file is moved aside untouched; a partial removed
 * with its directory during the run is written there again at the end */
static void restore(int gzip)
{
	struct fm_writer w;
	char err[512], *d = tmpdir(), old[PATH_MAX], aside[PATH_MAX + 300] = "";
	int complete = 1, ended, found = 0;
	struct buf before, after, b;
	DIR *dir;
	struct dirent *de;

	/* a killed run's file */
	UT_EQ_LL(fm_writer_open(&w, d, 0, gzip, header, NULL, err, sizeof(err)), 0, err);
	for (int i = 0; i < 300; i++)
		event(&w, i);
	fm_writer_flush(&w);
	snprintf(old, sizeof(old), "%s", w.partial);
	fm_writer_close(&w);
	UT_EQ_LL(read_file(old, &before), 0, "read the killed run's file");
	/* the next run */
	UT_EQ_LL(fm_writer_open(&w, d, 0, gzip, header, NULL, err, sizeof(err)), 0, err);
	dir = opendir(d);
	while (dir && (de = readdir(dir)))
		if (!strncmp(de->d_name, FM_FINAL_NAME, strlen(FM_FINAL_NAME)) &&
		    strcmp(de->d_name, strrchr(w.partial, '/') + 1) &&
		    strstr(de->d_name, ".partial.")) {
			snprintf(aside, sizeof(aside), "%s/%s", d, de->d_name);
			found++;
		}
	if (dir)
		closedir(dir);
	UT_EQ_LL(found, 1, "the earlier partial file kept aside");
	if (found == 1) {
		UT_EQ_LL(read_file(aside, &after), 0, "read it");
		UT_CHECK(after.n == before.n && !memcmp(after.p, before.p, before.n),
			 "kept byte for byte (%zu vs %zu bytes)", after.n, before.n);
		free(after.p);
	}
	free(before.p);
	for (int i = 0; i < 2000; i++) {
		event(&w, i);
		if (i == 1000) {
			fm_writer_flush(&w);
			rm_rf(d); /* the output directory goes */
			fm_writer_flush(&w);
			UT_CHECK(w.removed, "the removal is noticed at the next flush");
		}
	}
	UT_EQ_LL(fm_writer_finish(&w, tail, &complete, err, sizeof(err)), 0, err);
	UT_EQ_LL(json_of(w.final, gzip, &b, &ended), 0, "the final file, written again");
	UT_CHECK(ended, "complete stream");
	UT_EQ_LL(count_events(b.p), 2000, "every event, before and after the removal");
	free(b.p);
	fm_writer_close(&w);
	rm_rf(d);
	free(d);
}

static void test_restore_plain(void)
{
	restore(0);
}

static void test_restore_gzip(void)
{
	restore(1);
}

/* the cap is on the file's bytes: with gzip, compressed ones */
static void cap(int gzip)
{
	const unsigned long long limit = 256 << 10;
	struct fm_writer w;
	char err[512], *d = tmpdir();
	int complete = 1, n = 0, ended;
	struct stat st;
	struct buf b;

	UT_EQ_LL(fm_writer_open(&w, d, limit, gzip, header, NULL, err, sizeof(err)), 0, err);
	for (int i = 0; i < 400000 && !w.capped; i++) {
		if (!event(&w, i))
			n++;
		if (i % 5000 == 0) /* the agent flushes every 0.5 s */
			fm_writer_flush(&w);
	}
	UT_CHECK(w.capped, "capped");
	for (int i = 0; i < 10; i++)
		event(&w, i);
	UT_EQ_LL(w.ncapped, 11, "events refused once capped");
	UT_EQ_LL(fm_writer_finish(&w, tail, &complete, err, sizeof(err)), 0, err);
	UT_EQ_LL(stat(w.final, &st), 0, "stat");
	/* past the cap by at most one event (plain) or one flush interval's
	 * compressed output (gzip), plus the tail */
	UT_CHECK((unsigned long long)st.st_size >= limit, "%lld bytes: under the cap",
		 (long long)st.st_size);
	UT_CHECK((unsigned long long)st.st_size <= limit + (gzip ? 64 << 10 : 1024),
		 "%lld bytes for a cap of %llu", (long long)st.st_size, limit);
	UT_EQ_LL(json_of(w.final, gzip, &b, &ended), 0, "read");
	UT_EQ_LL(count_events(b.p), n, "events written = events accepted");
	if (gzip)
		UT_CHECK(b.n > 4 * limit, "gzip: %zu bytes of JSON under a %llu-byte cap", b.n,
			 limit);
	free(b.p);
	fm_writer_close(&w);
	rm_rf(d);
	free(d);
}

static void test_cap_plain(void)
{
	cap(0);
}

static void test_cap_gzip(void)
{
	cap(1);
}

const struct ut_test ut_writer_tests[] = {
    {"writer: plain: a valid JSON prefix with every event at every flush", test_prefix_plain},
    {"writer: gzip: a valid JSON prefix with every event at every flush", test_prefix_gzip},
    {"writer: gzip inflates to the plain file's bytes", test_gzip_equals_plain},
    {"writer: plain: checkpoints are complete, the run goes on", test_checkpoint_plain},
    {"writer: gzip: checkpoints are complete streams, the run goes on", test_checkpoint_gzip},
    {"writer: plain: an earlier partial kept, a removed one written again", test_restore_plain},
    {"writer: gzip: an earlier partial kept, a removed one written again", test_restore_gzip},
    {"writer: plain: the cap counts the file's bytes", test_cap_plain},
    {"writer: gzip: the cap counts the compressed bytes", test_cap_gzip},
    {NULL, NULL},
};
