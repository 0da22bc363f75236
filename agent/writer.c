// SPDX-License-Identifier: GPL-2.0
#include "writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_MODE 0640

/* the sink's first failure is the writer's */
static void note(struct fm_writer *w, const struct fm_sink *s)
{
	if (s->failed && !w->failed) {
		w->failed = true;
		w->err = s->err;
	}
}

static void print_cb(void *ctx, const char *s, size_t len)
{
	struct fm_writer *w = ctx;

	if (w->failed)
		return;
	fm_sink_write(&w->sink, s, len);
	note(w, &w->sink);
}

static void raw(struct fm_writer *w, const char *s, size_t len)
{
	print_cb(w, s, len);
}

static void raws(struct fm_writer *w, const char *s)
{
	raw(w, s, strlen(s));
}

/* refuse anything but a regular file (or nothing) at path */
static int check_target(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (lstat(path, &st)) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a regular file (symlink?): refusing",
			 path);
		return -1;
	}
	return 0;
}

/* generate fn's object into a malloc'd string */
static char *build(fm_json_fn fn, void *ctx, size_t *len)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	const unsigned char *buf;
	char *out = NULL;

	if (!g)
		return NULL;
	fn(g, ctx);
	if (yajl_gen_get_buf(g, &buf, len) == yajl_gen_status_ok) {
		out = malloc(*len + 1);
		if (out) {
			memcpy(out, buf, *len);
			out[*len] = '\0';
		}
	}
	yajl_gen_free(g);
	return out;
}

int fm_mkdir_p(const char *path)
{
	char tmp[PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(tmp, path, len + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, 0755) && errno != EEXIST)
		return -1;
	return 0;
}

void fm_writer_init(struct fm_writer *w)
{
	memset(w, 0, sizeof(*w));
	w->dirfd = -1;
}

int fm_writer_open(struct fm_writer *w, const char *dir, unsigned long long cap, bool gzip,
		   fm_json_fn header, void *ctx, char *err, size_t errlen)
{
	const char *gz = gzip ? FM_GZ : "";
	struct stat st;
	char *hdr = NULL;
	size_t len;
	int fd;

	fm_writer_init(w);
	w->cap = cap;
	w->first = true;
	snprintf(w->dir, sizeof(w->dir), "%s", dir);
	snprintf(w->partial, sizeof(w->partial), "%s/%s%s.partial", dir, FM_FINAL_NAME, gz);
	snprintf(w->final, sizeof(w->final), "%s/%s%s", dir, FM_FINAL_NAME, gz);
	snprintf(w->ckpt, sizeof(w->ckpt), "%s/%s%s", dir, FM_CHECKPOINT_NAME, gz);
	if (check_target(w->final, err, errlen) || check_target(w->ckpt, err, errlen) ||
	    check_target(w->partial, err, errlen))
		return -1;
	/* a killed run's partial file is kept, under its own name */
	if (!lstat(w->partial, &st)) {
		char aside[PATH_MAX + 32];

		snprintf(aside, sizeof(aside), "%s.%lld", w->partial, (long long)st.st_mtime);
		if (rename(w->partial, aside)) {
			snprintf(err, errlen, "cannot move aside %s: %s", w->partial,
				 strerror(errno));
			return -1;
		}
		fprintf(stderr, "fragmon-agent: kept an earlier run's partial file as %s\n", aside);
	}
	w->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w->dirfd < 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	/* read and write: a file removed under us is copied back at the end */
	fd = open(w->partial, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, FILE_MODE);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", w->partial, strerror(errno));
		goto fail;
	}
	w->f = fdopen(fd, "w+");
	if (!w->f) {
		snprintf(err, errlen, "cannot open %s: %s", w->partial, strerror(errno));
		close(fd);
		goto fail_unlink;
	}
	setvbuf(w->f, NULL, _IOFBF, 1 << 16);
	if (fm_sink_init(&w->sink, w->f, gzip)) {
		snprintf(err, errlen, "cannot start the gzip stream: out of memory");
		goto fail_unlink;
	}
	w->g = yajl_gen_alloc(NULL);
	hdr = w->g ? build(header, ctx, &len) : NULL;
	if (!hdr || len < 2) {
		snprintf(err, errlen, "cannot build the header");
		goto fail_unlink;
	}
	yajl_gen_config(w->g, yajl_gen_print_callback, print_cb, w);
	raw(w, hdr, len - 1); /* without the closing brace */
	raws(w, ",\n\"events\": [\n");
	if (fm_writer_flush(w)) {
		snprintf(err, errlen, "cannot write %s: %s", w->partial, strerror(w->err));
		goto fail_unlink;
	}
	free(hdr);
	return 0;
fail_unlink:
	unlink(w->partial);
fail:
	free(hdr);
	fm_writer_close(w);
	return -1;
}

yajl_gen fm_writer_event_begin(struct fm_writer *w)
{
	/* not open (open failed, or finished): the tracer may still drain events */
	if (w->failed || !w->f || !w->g)
		return NULL;
	if (w->cap && w->sink.bytes >= w->cap) {
		w->capped = true;
		w->ncapped++;
		return NULL;
	}
	if (!w->first)
		raws(w, ",\n");
	w->first = false;
	yajl_gen_reset(w->g, NULL);
	return w->g;
}

void fm_writer_event_end(struct fm_writer *w)
{
	w->nwritten++;
}

int fm_writer_flush(struct fm_writer *w)
{
	struct stat st;

	if (!w->f)
		return -1;
	if (!w->failed) {
		fm_sink_flush(&w->sink);
		note(w, &w->sink);
	}
	if (!w->removed && !fstat(fileno(w->f), &st) && st.st_nlink == 0)
		w->removed = true;
	return w->failed ? -1 : 0;
}

/*
 * The partial file was removed (rm -rf of the output directory): make the
 * directory again and copy the still open file there.  Returns 0 or -1.
 */
static int restore(struct fm_writer *w, char *err, size_t errlen)
{
	off_t off = 0;
	int fd;
	FILE *f;

	if (fm_sink_flush(&w->sink) || fm_mkdir_p(w->dir)) {
		snprintf(err, errlen, "cannot make %s again: %s", w->dir, strerror(errno));
		return -1;
	}
	if (w->dirfd >= 0)
		close(w->dirfd);
	w->dirfd = open(w->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	fd = open(w->partial, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, FILE_MODE);
	if (w->dirfd < 0 || fd < 0) {
		snprintf(err, errlen, "cannot create %s again: %s", w->partial, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (off < (off_t)w->sink.bytes) {
		ssize_t n = copy_file_range(fileno(w->f), &off, fd, NULL,
					    (size_t)((off_t)w->sink.bytes - off), 0);

		if (n <= 0) {
			snprintf(err, errlen, "cannot copy back to %s: %s", w->partial,
				 n ? strerror(errno) : "short file");
			close(fd);
			unlink(w->partial);
			return -1;
		}
	}
	if (lseek(fd, 0, SEEK_END) < 0 || !(f = fdopen(fd, "w+"))) {
		snprintf(err, errlen, "cannot reopen %s: %s", w->partial, strerror(errno));
		close(fd);
		unlink(w->partial);
		return -1;
	}
	fclose(w->f);
	w->f = w->sink.f = f;
	return 0;
}

/* write "\n],\n" + tail without its opening brace, and the stream's end */
static int write_tail(struct fm_sink *s, fm_json_fn tail, void *ctx)
{
	size_t len;
	char *t = build(tail, ctx, &len);
	int rc = -1;

	if (t && len >= 2) {
		fm_sink_write(s, "\n],\n", 4);
		fm_sink_write(s, t + 1, len - 1);
		fm_sink_write(s, "\n", 1);
		rc = fm_sink_end(s);
		if (rc)
			errno = s->err;
	}
	free(t);
	return rc;
}

static int sync_close(FILE *f)
{
	int rc = 0;

	if (fflush(f) || fsync(fileno(f)))
		rc = -1;
	if (fclose(f))
		rc = -1;
	return rc;
}

int fm_writer_finish(struct fm_writer *w, fm_json_fn tail, void *ctx, char *err, size_t errlen)
{
	FILE *f;
	int rc;

	if (!w->f)
		return -1;
	fm_writer_flush(w);
	if (!w->failed && w->removed && restore(w, err, errlen))
		return -1;
	f = w->f;
	w->f = NULL;
	if (w->failed) {
		fclose(f);
		snprintf(err, errlen, "writing %s failed (%s); it is kept, %s was not written",
			 w->partial, strerror(w->err), w->final);
		return -1;
	}
	rc = write_tail(&w->sink, tail, ctx);
	if (sync_close(f) || rc) {
		snprintf(err, errlen, "cannot complete %s: %s; %s was not written", w->partial,
			 strerror(errno), w->final);
		return -1;
	}
	if (rename(w->partial, w->final)) {
		snprintf(err, errlen, "cannot rename %s to %s: %s", w->partial, w->final,
			 strerror(errno));
		return -1;
	}
	if (fsync(w->dirfd)) { /* the rename is done, but may not survive a crash */
		snprintf(err, errlen, "%s: fsync of the directory: %s", w->dir, strerror(errno));
		return 1;
	}
	return 0;
}

int fm_writer_checkpoint(struct fm_writer *w, fm_json_fn tail, void *ctx, char *err, size_t errlen)
{
	char tmp[PATH_MAX + 8];
	int in, out, rc;
	off_t off = 0;
	struct fm_sink ck;
	FILE *f;

	if (fm_writer_flush(w)) {
		snprintf(err, errlen, "output failed earlier: %s", strerror(w->err));
		return -1;
	}
	if (check_target(w->ckpt, err, errlen))
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.tmp", w->ckpt);
	unlink(tmp);
	in = open(w->partial, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, FILE_MODE);
	if (in < 0 || out < 0)
		goto fail;
	while (off < (off_t)w->sink.bytes) {
		ssize_t n =
		    copy_file_range(in, &off, out, NULL, (size_t)((off_t)w->sink.bytes - off), 0);

		if (n <= 0)
			goto fail;
	}
	close(in);
	in = -1;
	if (lseek(out, 0, SEEK_END) < 0)
		goto fail;
	f = fdopen(out, "a");
	if (!f)
		goto fail;
	out = -1;
	/* the copy continues the partial file's stream: one gzip member */
	if (fm_sink_clone(&ck, &w->sink, f)) {
		fclose(f);
		errno = ENOMEM;
		goto fail_unlink;
	}
	rc = write_tail(&ck, tail, ctx);
	fm_sink_free(&ck);
	if (sync_close(f) || rc)
		goto fail_unlink;
	if (rename(tmp, w->ckpt))
		goto fail_unlink;
	if (fsync(w->dirfd)) {
		snprintf(err, errlen, "%s: fsync of the directory: %s", w->dir, strerror(errno));
		return 1;
	}
	return 0;
fail:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
fail_unlink:
	snprintf(err, errlen, "checkpoint %s failed: %s", w->ckpt, strerror(errno));
	unlink(tmp);
	return -1;
}

void fm_writer_close(struct fm_writer *w)
{
	fm_sink_free(&w->sink);
	if (w->f)
		fclose(w->f);
	w->f = NULL;
	if (w->g)
		yajl_gen_free(w->g);
	w->g = NULL;
	if (w->dirfd >= 0)
		close(w->dirfd);
	w->dirfd = -1;
}
